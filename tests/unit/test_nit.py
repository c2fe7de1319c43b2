"""NIT check digits and identification numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import (
    IDENTIFICATION_TYPES,
    compute_dv,
    dv_matches,
    identification_type,
    normalize_identification,
    validate_nit,
)

nits = st.from_regex(r"[1-9][0-9]{2,14}", fullmatch=True)


@pytest.mark.parametrize(
    ("nit", "dv"),
    [
        # Published NIT-DV pairs of well-known Colombian entities.
        ("800197268", 4),  # DIAN
        ("899999068", 1),  # Ecopetrol S.A.
        ("890903938", 8),  # Bancolombia S.A.
        ("860034313", 7),  # Banco Davivienda S.A.
        # Pairs computed by hand with the weights (the brief's examples).
        ("900123456", 8),
        ("860069804", 2),
    ],
)
def test_known_answers(nit: str, dv: int) -> None:
    assert compute_dv(nit) == dv


def test_hand_computation_of_one_nit() -> None:
    # 900123456 from the right: 6*3 + 5*7 + 4*13 + 3*17 + 2*19 + 1*23 + 0*29 + 0*37 + 9*41
    total = 18 + 35 + 52 + 51 + 38 + 23 + 0 + 0 + 369
    assert total % 11 == 3
    assert compute_dv("900123456") == 11 - 3


# DIAN's weights, from the rightmost digit, as published in the DV algorithm.
_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


@pytest.mark.parametrize(
    ("nit", "weighted_sum", "dv"),
    [
        # Sums worked out by hand from the weights; every digit from the 7th to the 15th is
        # non-zero somewhere, so a wrong weight for any of them changes some DV.
        ("1020304050", 289, 8),  # 289 % 11 == 3 -> 8 (a 10-digit cédula used as NIT)
        ("1234567890", 867, 2),  # 867 % 11 == 9 -> 2
        ("98765432101", 1620, 8),  # 1620 % 11 == 3 -> 8
        ("123456789012", 1278, 9),  # 1278 % 11 == 2 -> 9
        ("9876543210987", 2241, 3),  # 2241 % 11 == 8 -> 3
        ("12345678901234", 1767, 4),  # 1767 % 11 == 7 -> 4
        ("987654321098765", 2994, 9),  # 2994 % 11 == 2 -> 9
    ],
)
def test_long_nits_use_every_weight(nit: str, weighted_sum: int, dv: int) -> None:
    assert sum(int(d) * w for d, w in zip(reversed(nit), _WEIGHTS, strict=False)) == weighted_sum
    assert compute_dv(nit) == dv
    assert validate_nit(nit) == (nit, dv)


@pytest.mark.parametrize(
    ("nit", "weighted_sum", "dv"),
    [
        ("103", 3 * 3 + 0 * 7 + 1 * 13, 0),  # 22 % 11 == 0 -> DV 0
        ("107", 7 * 3 + 0 * 7 + 1 * 13, 1),  # 34 % 11 == 1 -> DV 1
        ("114", 4 * 3 + 1 * 7 + 1 * 13, 1),  # 32 % 11 == 10 -> DV 11 - 10 == 1
        ("1", 1 * 3, 8),  # 3 % 11 == 3 -> DV 8
    ],
)
def test_remainder_cases(nit: str, weighted_sum: int, dv: int) -> None:
    assert compute_dv(nit) == dv
    remainder = weighted_sum % 11
    assert dv == (remainder if remainder in (0, 1) else 11 - remainder)


def test_compute_dv_refuses_what_is_not_a_bare_nit() -> None:
    for bad in ["", "12a", "1" * 16, "١٢٣"]:
        with pytest.raises(ValueError):
            compute_dv(bad)


@given(nits)
def test_validate_accepts_the_computed_dv(nit: str) -> None:
    dv = compute_dv(nit)
    assert validate_nit(nit, dv) == (nit, dv)
    assert validate_nit(nit, str(dv)) == (nit, dv)
    assert validate_nit(f"{nit}-{dv}", None) == (nit, dv)


@given(nits, st.integers(min_value=0, max_value=9))
def test_validate_rejects_every_other_digit(nit: str, digit: int) -> None:
    right = compute_dv(nit)
    if digit == right:
        return
    with pytest.raises(ValidationError) as caught:
        validate_nit(nit, digit)
    assert caught.value.errors == {
        "dv": f"El dígito de verificación de {nit} es {right}, no {digit}."
    }


def test_separators_are_removed() -> None:
    assert validate_nit("900.123.456", "8") == ("900123456", 8)
    assert validate_nit(" 900 123 456 - 8 ") == ("900123456", 8)


def test_without_dv_the_right_one_is_returned() -> None:
    assert validate_nit("800197268") == ("800197268", 4)
    assert validate_nit("800197268", "") == ("800197268", 4)


@pytest.mark.parametrize(
    ("nit", "dv", "errors"),
    [
        ("900123456", 3, {"dv": "El dígito de verificación de 900123456 es 8, no 3."}),
        ("900.123.456-3", None, {"dv": "El dígito de verificación de 900123456 es 8, no 3."}),
        (
            "90012A456",
            None,
            {"nit": "El número de NIT solo puede tener dígitos; «90012A456» tiene «A»."},
        ),
        ("12", None, {"nit": "El número de NIT debe tener entre 3 y 15 dígitos; «12» tiene 2."}),
        ("", None, {"nit": "Escribe el número de NIT."}),
        (
            "900123456",
            "12",
            {"dv": "El dígito de verificación es un solo dígito (0 a 9); «12» no lo es."},
        ),
        (
            "900123456-8",
            "7",
            {"dv": "El NIT «900123456-8» trae el dígito de verificación 8, pero se indicó 7."},
        ),
    ],
)
def test_precise_messages(nit: str, dv: str | int | None, errors: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_nit(nit, dv)
    assert caught.value.errors == errors


def test_identification_types_are_dians_codes() -> None:
    assert set(IDENTIFICATION_TYPES) == {
        "11", "12", "13", "21", "22", "31", "41", "42", "47", "48", "50", "91",
    }  # fmt: skip
    assert IDENTIFICATION_TYPES["13"] == "Cédula de ciudadanía"
    assert IDENTIFICATION_TYPES["31"] == "NIT"


@pytest.mark.parametrize(
    ("kind", "code"),
    [("CC", "13"), ("cc", "13"), (" 13 ", "13"), ("NIT", "31"), ("PA", "41"), ("TE", "21"),
     ("DE", "42"), ("NIT_OTRO_PAIS", "50"), ("NUIP", "91"), ("RC", "11"), ("TI", "12")],
)  # fmt: skip
def test_aliases(kind: str, code: str) -> None:
    assert identification_type(kind) == code


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("CC", "1.020.304.050", "1020304050"),
        ("13", " 71 234 567 ", "71234567"),
        ("PA", "ab-123 456", "AB123456"),
        ("CE", "e12345", "E12345"),
        ("NIT", "900.123.456-8", "900123456"),
        ("31", "900123456", "900123456"),
        ("50", "us-12 3456789", "US123456789"),
    ],
)
def test_normalize_identification(kind: str, number: str, expected: str) -> None:
    assert normalize_identification(kind, number) == expected


@pytest.mark.parametrize(
    ("kind", "number", "errors"),
    [
        ("XX", "1", {"identification_type": "«XX» no es un tipo de identificación de la DIAN."}),
        (
            "CC",
            "12A45",
            {
                "identification_number": "El número de cédula de ciudadanía solo puede tener "
                "dígitos; «12A45» tiene «A»."
            },
        ),
        (
            "CC",
            "12345678901",
            {
                "identification_number": "El número de cédula de ciudadanía debe tener entre 3 "
                "y 10 dígitos; «12345678901» tiene 11."
            },
        ),
        (
            "PA",
            "AB#12",
            {
                "identification_number": "El número de pasaporte solo puede tener letras y "
                "dígitos; «AB#12» tiene «#»."
            },
        ),
        (
            "NIT",
            "900123456-1",
            {"identification_number": "El dígito de verificación de 900123456 es 8, no 1."},
        ),
    ],
)
def test_normalize_identification_messages(kind: str, number: str, errors: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_identification(kind, number)
    assert caught.value.errors == errors


def test_final_consumer_is_the_one_long_cedula() -> None:
    from loggro_app.core.nit import FINAL_CONSUMER_ID

    assert normalize_identification("13", "222.222.222.222") == FINAL_CONSUMER_ID
    with pytest.raises(ValidationError):
        normalize_identification("13", "222222222223")


def test_embedded_dv_is_only_a_single_digit_after_the_last_dash() -> None:
    assert validate_nit("900-123-456-8") == ("900123456", 8)
    assert validate_nit("900123456-12") == ("90012345612", compute_dv("90012345612"))
    with pytest.raises(ValidationError) as caught:
        validate_nit("900123456-x")
    assert list(caught.value.errors) == ["nit"]


def test_malformed_input_never_matches_and_says_why() -> None:
    assert dv_matches("12a", 1) is False
    with pytest.raises(ValueError) as caught:
        compute_dv("12a")
    assert str(caught.value) == "compute_dv needs 1 to 15 ASCII digits, got '12a'"


def test_messages_name_every_wrong_character_and_the_unit() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_identification("41", "A")
    assert caught.value.errors == {"identification_number": (
        "El número de pasaporte debe tener entre 3 y 20 caracteres; «A» tiene 1.")}
    with pytest.raises(ValidationError) as caught:
        validate_nit("90A12B")
    assert caught.value.errors == {
        "nit": "El número de NIT solo puede tener dígitos; «90A12B» tiene «AB»."}
