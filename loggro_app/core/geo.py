"""Colombian departments, municipalities and postal codes (pure; reads packaged data only).

The data files live in `loggro_app/data/` (see its PROVENANCE.md); they are read once, on
first use, and kept in memory. Matching of user text (searches, neighborhood names) ignores
case, accents and punctuation, because users type "medellin" and "la esperanza no 2".
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from loggro_app.core.errors import ValidationError

URBAN = "urbano"
RURAL = "rural"
_LIST_SEPARATOR = "|"
_SHOWN_CODES = 12  # how many valid codes an error message lists before abbreviating


@dataclass(frozen=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    department_code: str


@dataclass(frozen=True)
class PostalCode:
    code: str
    municipality_code: str
    area: str  # URBAN or RURAL
    neighborhoods: tuple[str, ...]  # barrios
    rural_areas: tuple[str, ...] = ()  # veredas


def fold(text: str) -> str:
    """Comparison key for user text: no accents, no case, punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


@dataclass(frozen=True)
class _Catalog:
    departments: dict[str, Department]
    municipalities: dict[str, Municipality]
    postal_codes: dict[str, tuple[PostalCode, ...]]  # municipality code -> codes, sorted


def _read_rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("loggro_app.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split(_LIST_SEPARATOR) if item)


@cache
def _catalog() -> _Catalog:
    departments = {
        row["code"]: Department(row["code"], row["name"]) for row in _read_rows("departments.csv")
    }
    municipalities = {
        row["code"]: Municipality(row["code"], row["name"], row["department_code"])
        for row in _read_rows("municipalities.csv")
    }
    by_municipality: dict[str, list[PostalCode]] = {}
    for row in _read_rows("postal_codes.csv"):
        postal = PostalCode(
            code=row["code"],
            municipality_code=row["municipality_code"],
            area=row["area"],
            neighborhoods=_split(row["neighborhoods"]),
            rural_areas=_split(row["rural_areas"]),
        )
        by_municipality.setdefault(postal.municipality_code, []).append(postal)
    postal_codes = {
        code: tuple(sorted(items, key=lambda p: p.code)) for code, items in by_municipality.items()
    }
    return _Catalog(departments, municipalities, postal_codes)


def _by_name(item: Department | Municipality) -> tuple[str, str]:
    # Accent-insensitive order ("Ábrego" among the A's); the code breaks ties between
    # homonyms such as the four municipalities called "La Unión" or "Buenavista".
    return (fold(item.name), item.code)


def departments() -> list[Department]:
    return sorted(_catalog().departments.values(), key=_by_name)


def department(code: str) -> Department:
    found = _catalog().departments.get(code.strip())
    if found is None:
        raise ValidationError({"department_code": f"El departamento {code} no existe."})
    return found


def municipalities(department_code: str | None = None) -> list[Municipality]:
    items: list[Municipality] = list(_catalog().municipalities.values())
    if department_code is not None:
        items = [m for m in items if m.department_code == department_code.strip()]
    return sorted(items, key=_by_name)


def municipality(code: str) -> Municipality:
    found = _catalog().municipalities.get(str(code).strip())
    if found is None:
        raise ValidationError(
            {
                "municipality_code": f"El municipio con código «{code}» no existe en la lista "
                "de municipios de la DIAN."
            }
        )
    return found


def municipality_label(code: str) -> str:
    """ "Medellín (Antioquia)": names repeat across departments, so show both."""
    found = municipality(code)
    return f"{found.name} ({_catalog().departments[found.department_code].name})"


def match_municipality(text: str) -> Municipality | None:
    """The one municipality a typed text names ("Medellín (Antioquia)" or an unambiguous
    "medellin"), or None: a text that names none or several selects nothing."""
    wanted = fold(text)
    if not wanted:
        return None
    found = [m for m in municipalities()
             if wanted in (fold(m.name), fold(municipality_label(m.code)))]
    return found[0] if len(found) == 1 else None


def search_municipalities(
    text: str, department_code: str | None = None, limit: int = 20
) -> list[Municipality]:
    """Municipalities whose name (or department's name) contains every word of `text`.

    Names that start with the text come first. A blank text returns the first `limit`
    municipalities by name, so a combo box can show something before the user types.
    """
    query = fold(text)
    candidates = municipalities(department_code)
    if not query:
        return candidates[:limit]
    departments_by_code = _catalog().departments
    words = query.split()
    found = []
    for candidate in candidates:
        name = fold(candidate.name)
        haystack = f"{name} {fold(departments_by_code[candidate.department_code].name)}"
        if all(word in haystack for word in words) or candidate.code.startswith(query):
            found.append((not name.startswith(query), name, candidate.code, candidate))
    found.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in found[:limit]]


def postal_codes_for(municipality_code: str) -> list[PostalCode]:
    return list(_catalog().postal_codes[municipality(municipality_code).code])


def neighborhoods(municipality_code: str) -> list[str]:
    """Barrios and veredas of a municipality, sorted, each once (accent/case-insensitive)."""
    unique: dict[str, str] = {}
    for postal in postal_codes_for(municipality_code):
        for place in postal.neighborhoods + postal.rural_areas:
            unique.setdefault(fold(place), place)
    return [unique[key] for key in sorted(unique)]


def has_several_urban_codes(municipality_code: str) -> bool:
    """True in cities where the neighborhood decides the postal code (ask for it)."""
    urban = [p for p in postal_codes_for(municipality_code) if p.area == URBAN]
    return len(urban) > 1


def _default_code(codes: list[PostalCode]) -> PostalCode:
    # The postal table makes a municipality's urban code its default. Cities have several
    # (Bogotá 72, Medellín 32) and none is "the" centre, so the lowest is taken: it is
    # deterministic and stable across re-imports. Eleven municipalities (Guachené and ten
    # non-municipalized areas of Amazonas, Guainía and Vaupés) have no urban code; their
    # lowest rural code is the default for the same reason.
    urban = [p for p in codes if p.area == URBAN]
    return min(urban or codes, key=lambda p: p.code)


def _code_for_place(codes: list[PostalCode], place: str) -> PostalCode | None:
    key = fold(place)
    matches = [p for p in codes if key in {fold(n) for n in p.neighborhoods}]
    # A barrio is a better match than a vereda of the same name; urban before rural.
    matches = matches or [p for p in codes if key in {fold(r) for r in p.rural_areas}]
    if not matches:
        return None
    return min(matches, key=lambda p: (p.area != URBAN, p.code))


def derive_postal_code(municipality_code: str, neighborhood: str | None = None) -> str:
    """The postal code of an address: its neighborhood's code if known, else the default."""
    codes = postal_codes_for(municipality_code)
    if neighborhood and fold(neighborhood):
        match = _code_for_place(codes, neighborhood)
        if match is not None:
            return match.code
    return _default_code(codes).code


def validate_postal_code(municipality_code: str, code: str) -> str:
    """`code` if it is one of the municipality's postal codes; a ValidationError otherwise."""
    codes = [p.code for p in postal_codes_for(municipality_code)]
    cleaned = "".join(str(code).split())
    if cleaned in codes:
        return cleaned
    label = municipality_label(municipality_code)
    shown = ", ".join(codes[:_SHOWN_CODES])
    if len(codes) > _SHOWN_CODES:
        shown += f" y {len(codes) - _SHOWN_CODES} más"
    if re.fullmatch(r"\d{6}", cleaned):
        message = f"El código postal {cleaned} no pertenece a {label}. Códigos válidos: {shown}."
    else:
        message = (
            f"«{code}» no es un código postal: debe tener 6 dígitos. "
            f"Códigos válidos para {label}: {shown}."
        )
    raise ValidationError({"postal_code": message})
