"""Build the compact reference data files in `loggro_app/data/` from DIAN's source files.

Run by developers only, when DIAN or the postal-code table publishes a new version:

    python scripts/import_reference_data.py /path/to/dian-data

The source folder holds `codelists/Departamentos-2.1.gc`, `codelists/Municipio-2.1.gc`
(OASIS genericode lists of DIAN's technical annex) and `postal_codes.csv` (Colombia's
national postal-code table). The application never reads the source folder: it loads the
files written here, so a clone of the project stands alone.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "loggro_app" / "data"
LIST_SEPARATOR = "|"

# Placeholders the postal table uses for "no data"; they are not places.
PLACEHOLDERS = {"sin informacion de barrios", "sin informacion de veredas"}

# The postal table carries names decoded with the wrong code page. These are the
# substitutions that are unambiguous from the surrounding words (e.g. "Urbanizaci¾n").
MOJIBAKE = {"¾": "ó", "Ý": "í", "Ð": "Ñ", "·": "ú", "Ë": "Ó"}
# "?" stands for several lost capitals; only the words we could identify are repaired.
LOST_CAPITALS = {"?nsula": "Ínsula", "?ltimo": "Último", "?rsula": "Úrsula"}

# Items are separated by a hyphen with whitespace on at least one side; a bare hyphen
# belongs to the name ("Bermejal-Los Alamos", "Sub-Oficiales").
PROVENANCE_TITLE = "# Reference data — provenance\n"
SECTION_BEGIN = "<!-- import_reference_data.py: begin -->"
SECTION_END = "<!-- import_reference_data.py: end -->"

ITEM_SPLIT = re.compile(r"\s*-\s+|\s+-\s*")


def read_genericode(path: Path) -> list[dict[str, str]]:
    """Rows of a genericode SimpleCodeList as {column id: value} (namespace-free elements)."""
    rows = []
    for row in ET.parse(path).getroot().iter("Row"):
        values = {
            value.get("ColumnRef", ""): (value.findtext("SimpleValue") or "").strip()
            for value in row.iter("Value")
        }
        rows.append(values)
    return rows


def repair_text(text: str) -> str:
    for wrong, right in MOJIBAKE.items():
        text = text.replace(wrong, right)
    for wrong, right in LOST_CAPITALS.items():
        text = text.replace(wrong, right)
    return text


def split_places(field: str) -> list[str]:
    """The barrios or veredas of one postal-table cell, cleaned, in their original order."""
    places: list[str] = []
    for item in ITEM_SPLIT.split(repair_text(field)):
        name = " ".join(item.strip(" -").split())
        if name and name.lower() not in PLACEHOLDERS and name not in places:
            places.append(name)
    return places


def build_departments(source: Path) -> list[tuple[str, str]]:
    rows = read_genericode(source / "codelists" / "Departamentos-2.1.gc")
    return sorted((row["code"], row["name"]) for row in rows)


def build_municipalities(source: Path, department_codes: set[str]) -> list[tuple[str, str, str]]:
    rows = read_genericode(source / "codelists" / "Municipio-2.1.gc")
    # DIVIPOLA: the first two digits of a municipality code are its department's code.
    result = sorted((row["code"], " ".join(row["name"].split()), row["code"][:2]) for row in rows)
    unknown = [code for code, _, dept in result if dept not in department_codes]
    if unknown:
        raise SystemExit(f"municipalities without a department: {unknown}")
    return result


def build_postal_codes(source: Path, municipality_codes: set[str]) -> list[tuple[str, ...]]:
    result = []
    with (source / "postal_codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, municipality = row["postal_code"].strip(), row["municipality_code"].strip()
            if not re.fullmatch(r"\d{6}", code) or municipality not in municipality_codes:
                raise SystemExit(f"bad postal row: {row}")
            area = "urbano" if row["area"].strip().lower() == "urbano" else "rural"
            neighborhoods = LIST_SEPARATOR.join(split_places(row["neighborhoods"]))
            rural_areas = LIST_SEPARATOR.join(split_places(row["rural_areas"]))
            result.append((code, municipality, area, neighborhoods, rural_areas))
    result.sort()
    missing = municipality_codes - {row[1] for row in result}
    if missing:
        raise SystemExit(f"municipalities without a postal code: {sorted(missing)}")
    return result


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_provenance(counts: dict[str, int], areas: Counter[str]) -> None:
    mojibake = ", ".join(f"{a}→{b}" for a, b in {**MOJIBAKE, **LOST_CAPITALS}.items())
    section = f"""## Geography: departments, municipalities, postal codes

Generated by `scripts/import_reference_data.py`; do not edit this section by hand, re-run
the script. Loaded at run time by `loggro_app/core/geo.py`.

- `departments.csv` (code,name): {counts["departments"]} rows, from DIAN's genericode list
  `Departamentos-2.1.gc` (code lists of the electronic-invoice technical annex, UBL 2.1).
- `municipalities.csv` (code,name,department_code): {counts["municipalities"]} rows, from
  DIAN's genericode list `Municipio-2.1.gc` (DIVIPOLA codes); the department is the first
  two digits of the code.
- `postal_codes.csv` (code,municipality_code,area,neighborhoods,rural_areas):
  {counts["postal_codes"]} rows ({areas["urbano"]} urban, {areas["rural"]} rural), from
  Colombia's national postal-code table (Código Postal Nacional, administered by 4-72),
  as distributed with the project's DIAN reference data. Every municipality has at least
  one code. `neighborhoods` (barrios) and `rural_areas` (veredas) are lists joined
  by `{LIST_SEPARATOR}`.

Cleaning applied to the postal table so that it is usable in forms:
- a cell's items are split on a hyphen with whitespace on one side (a bare hyphen is part
  of a name: "Bermejal-Los Alamos"); the placeholders "Sin Informacion de Barrios" and
  "Sin Informacion de Veredas" become empty lists; duplicates within a cell are dropped;
  whitespace is collapsed;
- characters decoded with the wrong code page are repaired:
  {mojibake}; one name ("La ?pa", 543058) keeps a `?` because the lost letter
  could not be identified;
- municipality names lose the trailing spaces DIAN's list has.

DIAN's own `CodigoPostal1.gc` lists the same codes except 995008 and 995009 (Santa
Rosalía, Vichada), which the postal table has and which are kept.
"""
    _write_section(OUTPUT_DIR / "PROVENANCE.md", section)


def _write_section(path: Path, section: str) -> None:
    """Replace only this script's section: other data files document themselves there too."""
    block = f"{SECTION_BEGIN}\n{section}{SECTION_END}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else PROVENANCE_TITLE
    if SECTION_BEGIN in text and SECTION_END in text:
        before, _, rest = text.partition(SECTION_BEGIN)
        after = rest.partition(SECTION_END)[2].lstrip("\n")
        text = f"{before}{block}\n{after}" if after else f"{before}{block}"
    else:
        text = f"{text.rstrip()}\n\n{block}"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder holding codelists/ and postal_codes.csv")
    source = parser.parse_args(argv).source
    departments = build_departments(source)
    municipalities = build_municipalities(source, {code for code, _ in departments})
    postal_codes = build_postal_codes(source, {code for code, _, _ in municipalities})
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    write_csv(OUTPUT_DIR / "departments.csv", ("code", "name"), departments)
    write_csv(
        OUTPUT_DIR / "municipalities.csv", ("code", "name", "department_code"), municipalities
    )
    header = ("code", "municipality_code", "area", "neighborhoods", "rural_areas")
    write_csv(OUTPUT_DIR / "postal_codes.csv", header, postal_codes)
    counts = {
        "departments": len(departments),
        "municipalities": len(municipalities),
        "postal_codes": len(postal_codes),
    }
    write_provenance(counts, Counter(row[2] for row in postal_codes))
    print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
