"""Departments, municipalities and postal codes loaded from the packaged reference data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from loggro_app.core import geo
from loggro_app.core.errors import ValidationError

MEDELLIN = "05001"


def test_counts_match_the_dian_lists() -> None:
    assert len(geo.departments()) == 33
    assert len(geo.municipalities()) == 1122


def test_departments_are_sorted_by_name_ignoring_accents() -> None:
    names = [d.name for d in geo.departments()]
    assert names[:3] == ["Amazonas", "Antioquia", "Arauca"]
    assert names.index("Atlántico") < names.index("Bogotá") < names.index("Bolívar")


def test_municipalities_of_a_department() -> None:
    antioquia = geo.municipalities("05")
    assert len(antioquia) == 125
    assert all(m.department_code == "05" for m in antioquia)
    assert [m.name for m in antioquia] == sorted(
        (m.name for m in antioquia), key=lambda n: geo.fold(n)
    )


def test_municipality_lookup_and_label() -> None:
    medellin = geo.municipality(MEDELLIN)
    assert medellin == geo.Municipality("05001", "Medellín", "05")
    assert geo.municipality_label(MEDELLIN) == "Medellín (Antioquia)"


def test_unknown_municipality_is_a_validation_error_in_spanish() -> None:
    with pytest.raises(ValidationError) as caught:
        geo.municipality("99999")
    assert caught.value.errors == {
        "municipality_code": "El municipio con código «99999» no existe en la lista de "
        "municipios de la DIAN."
    }


def test_names_are_trimmed() -> None:
    assert all(m.name == m.name.strip() for m in geo.municipalities())


@pytest.mark.parametrize("typed", ["medellin", "MEDELLÍN", "  Medel "])
def test_search_ignores_case_and_accents(typed: str) -> None:
    assert geo.search_municipalities(typed)[0].code == MEDELLIN


def test_search_puts_prefix_matches_first_and_respects_limit() -> None:
    found = geo.search_municipalities("san", limit=5)
    assert len(found) == 5
    assert all(geo.fold(m.name).startswith("san") for m in found)


def test_search_within_a_department_and_by_department_name() -> None:
    in_tolima = geo.search_municipalities("san luis", department_code="73")
    assert [m.code for m in in_tolima] == ["73678"]
    assert "73678" in [m.code for m in geo.search_municipalities("san luis tolima")]


def test_search_blank_lists_first_municipalities() -> None:
    assert len(geo.search_municipalities("", limit=7)) == 7
    assert geo.search_municipalities("zzzz") == []


def test_every_municipality_has_a_postal_code_and_a_default() -> None:
    for municipality in geo.municipalities():
        codes = geo.postal_codes_for(municipality.code)
        assert codes, municipality
        default = geo.derive_postal_code(municipality.code)
        assert default in {p.code for p in codes}
        assert geo.validate_postal_code(municipality.code, default) == default


def test_postal_codes_are_six_digits_with_the_department_prefix() -> None:
    for municipality in geo.municipalities("76"):
        for postal in geo.postal_codes_for(municipality.code):
            assert re.fullmatch(r"76\d{4}", postal.code)
            assert postal.area in (geo.URBAN, geo.RURAL)


def test_medellin_derives_its_lowest_urban_code() -> None:
    codes = geo.postal_codes_for(MEDELLIN)
    urban = sorted(p.code for p in codes if p.area == geo.URBAN)
    assert geo.derive_postal_code(MEDELLIN) == urban[0] == "050001"
    assert geo.has_several_urban_codes(MEDELLIN)
    assert not geo.has_several_urban_codes("05002")


@pytest.mark.parametrize(
    ("neighborhood", "expected"),
    [
        ("El Poblado", "050021"),
        ("el poblado", "050021"),
        ("LA ESPERANZA NO 2", "050002"),
        ("Guayabal", "050023"),
        ("Aguas Frías", "050027"),  # a vereda: rural code
        ("Barrio que no existe", "050001"),  # unknown: the default
        ("   ", "050001"),
    ],
)
def test_neighborhood_picks_its_code(neighborhood: str, expected: str) -> None:
    assert geo.derive_postal_code(MEDELLIN, neighborhood) == expected


def test_a_hyphenated_name_is_one_neighborhood() -> None:
    assert "Bermejal-Los Alamos" in geo.neighborhoods(MEDELLIN)
    assert geo.derive_postal_code(MEDELLIN, "bermejal-los alamos") == "050004"


def test_neighborhoods_are_sorted_unique_and_without_placeholders() -> None:
    places = geo.neighborhoods(MEDELLIN)
    keys = [geo.fold(p) for p in places]
    assert keys == sorted(set(keys))
    assert not [p for p in places if "sin informacion" in geo.fold(p)]
    assert {"El Poblado", "Aguas Frías"} <= set(places)


def test_municipality_without_urban_code_defaults_to_its_lowest_rural_code() -> None:
    codes = geo.postal_codes_for("91430")
    assert all(p.area == geo.RURAL for p in codes)
    assert geo.derive_postal_code("91430") == min(p.code for p in codes)


def test_override_with_another_code_of_the_same_municipality_is_accepted() -> None:
    assert geo.validate_postal_code(MEDELLIN, "050022") == "050022"
    assert geo.validate_postal_code(MEDELLIN, " 050 022 ") == "050022"


def test_code_of_another_municipality_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        geo.validate_postal_code(MEDELLIN, "110111")
    message = caught.value.errors["postal_code"]
    assert message.startswith(
        "El código postal 110111 no pertenece a Medellín (Antioquia). Códigos válidos: "
        "050001, 050002,"
    )


@pytest.mark.parametrize("typed", ["0500", "05000A", "", "0500011"])
def test_malformed_code_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        geo.validate_postal_code("05002", typed)
    assert caught.value.errors == {
        "postal_code": f"«{typed}» no es un código postal: debe tener 6 dígitos. "
        "Códigos válidos para Abejorral (Antioquia): 055030, 055037, 055038."
    }


@pytest.mark.parametrize("module", ["geo", "nit", "email"])
def test_reference_modules_are_pure(module: str) -> None:
    path = Path(geo.__file__).with_name(f"{module}.py")
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"reflex", "sqlmodel", "sqlalchemy", "httpx", "socket", "urllib"}
