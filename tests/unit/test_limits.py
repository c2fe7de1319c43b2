"""Typed whole numbers: in range, or a Spanish message naming the field."""

from __future__ import annotations

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.core.limits import IntRange, parse_int

ALLOWED = IntRange(1, 999_999_999)


@pytest.mark.parametrize(("typed", "value"), [("1", 1), (" 42 ", 42), ("1.000", 1000),
                                              (999_999_999, 999_999_999), ("007", 7)])
def test_whole_numbers_in_range(typed: object, value: int) -> None:
    assert parse_int(typed, field="n", label="La numeración", allowed=ALLOWED) == value


@pytest.mark.parametrize(("typed", "message"), [
    ("9" * 20, "La numeración admite máximo 999.999.999."),
    ("1" + "0" * 5000, "La numeración admite máximo 999.999.999."),
    ("1000000000", "La numeración admite máximo 999.999.999."),
    ("0", "La numeración debe ser al menos 1."),
    ("-" + "9" * 30, "La numeración debe ser al menos 1."),
    ("1e5", "La numeración debe ser un número entero, sin letras."),
    ("1.5", "La numeración debe ser un número entero, sin letras."),
    ("", "Escribe la numeración."),
    (True, "Escribe la numeración."),
])
def test_out_of_range_or_not_a_number_is_a_field_error(typed: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_int(typed, field="n", label="La numeración", allowed=ALLOWED)
    assert caught.value.errors == {"n": message}


def test_the_hint_shows_the_range_as_written_in_colombia() -> None:
    assert ALLOWED.hint == "Entre 1 y 999.999.999"
