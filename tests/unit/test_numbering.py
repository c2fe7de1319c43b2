import dataclasses
from datetime import date

import pytest

from loggro_app.core import numbering as n
from loggro_app.core.errors import ValidationError

RES = n.Resolution("18760000001", "SETP", 990000000, 995000000, date(2026, 1, 1),
                   date(2027, 1, 1))


def parse(**changes):  # type: ignore[no-untyped-def]
    spec = dict(number="18760000001", prefix="setp", range_from="990000000",
                range_to="995000000", valid_from="2026-01-01", valid_to="2027-01-01")
    return n.parse_resolution(**{**spec, **changes})


def test_parse_normalizes_prefix() -> None:
    assert parse() == RES


def test_every_bad_field_is_named() -> None:
    with pytest.raises(ValidationError) as err:
        parse(number="18A", prefix="SET P", range_from="0", range_to="x", valid_from="ayer",
              valid_to="2026-13-01")
    assert set(err.value.errors) == {"resolution_number", "prefix", "range_from", "range_to",
                                     "valid_from", "valid_to"}
    with pytest.raises(ValidationError) as err:
        parse(range_from="10", range_to="5", valid_from="2026-05-01", valid_to="2026-04-01")
    assert set(err.value.errors) == {"range_to", "valid_to"}


def test_states() -> None:
    today = date(2026, 6, 1)
    assert n.state(RES, next_number=990000000, verified=False, today=today) == n.PENDING
    assert n.state(RES, next_number=990000000, verified=True, today=today) == n.ACTIVE
    assert n.state(RES, next_number=995000001, verified=True, today=today) == n.EXHAUSTED
    assert n.state(RES, next_number=990000000, verified=True, today=date(2027, 1, 2)) == n.EXPIRED


def test_warnings_at_90_percent_and_30_days() -> None:
    small = n.Resolution("1", "A", 1, 100, date(2026, 1, 1), date(2026, 12, 31))
    assert n.warnings(small, next_number=90, today=date(2026, 6, 1)) == []
    assert n.warnings(small, next_number=91, today=date(2026, 6, 1)) == [
        "Se ha usado el 90 % de la numeración: quedan 10."]
    assert n.warnings(small, next_number=1, today=date(2026, 12, 11)) == [
        "La resolución vence en 20 días (31/12/2026)."]


def test_issued_numbers_cannot_be_reused_by_editing() -> None:
    issued_up_to = 990000010
    with pytest.raises(ValidationError) as err:
        n.check_edit(RES, parse(prefix="SETT"), issued_up_to + 1)
    assert "prefix" in err.value.errors
    with pytest.raises(ValidationError) as err:
        n.check_edit(RES, parse(range_to="990000005"), issued_up_to + 1)
    assert err.value.errors["range_to"].startswith("Ya se emitió hasta el número 990000010")
    n.check_edit(RES, parse(range_to="990000010"), issued_up_to + 1)
    n.check_edit(RES, parse(prefix="OTRO"), RES.range_from)  # nothing issued: free to edit


def test_mismatch_names_the_field() -> None:
    assert n.mismatch(RES, RES) == {}
    other = n.Resolution("18760000001", "SETP", 990000000, 994000000, RES.valid_from,
                         RES.valid_to)
    assert list(n.mismatch(RES, other)) == ["range_to"]
    assert "995000000" in n.mismatch(RES, other)["range_to"]


def test_numbers_beyond_their_range_are_field_errors_not_crashes() -> None:
    with pytest.raises(ValidationError) as err:
        parse(number="1" * 30, range_from="1", range_to="9" * 20)
    assert set(err.value.errors) == {"resolution_number", "range_to"}
    assert "999.999.999" in err.value.errors["range_to"]
    assert "máximo 20 dígitos" in err.value.errors["resolution_number"]


def test_a_long_prefix_is_refused_not_cut() -> None:
    with pytest.raises(ValidationError) as err:
        parse(prefix="SETPX")
    assert "«SETPX»" in err.value.errors["prefix"]


# --- edges: every comparison at its exact boundary ----------------------------------------


def test_a_range_may_start_at_one_but_not_at_zero() -> None:
    assert parse(range_from="1", range_to="1").range_from == 1
    with pytest.raises(ValidationError) as err:
        parse(range_from="0")
    assert err.value.errors == {"range_from": "La numeración inicial debe ser al menos 1."}


def test_a_one_number_range_and_a_one_day_validity_are_valid() -> None:
    one = parse(range_from="7", range_to="7", valid_from="2026-03-01", valid_to="2026-03-01")
    assert (one.range_from, one.range_to, one.valid_from, one.valid_to) == (
        7, 7, date(2026, 3, 1), date(2026, 3, 1))
    with pytest.raises(ValidationError) as err:
        parse(range_from="8", range_to="7", valid_from="2026-03-02", valid_to="2026-03-01")
    assert err.value.errors == {
        "range_to": "La numeración final debe ser mayor o igual que la inicial.",
        "valid_to": "La vigencia debe terminar después de empezar."}


def test_the_prefix_has_at_most_four_characters() -> None:
    assert parse(prefix="ab12").prefix == "AB12"
    assert parse(prefix="").prefix == ""
    with pytest.raises(ValidationError) as err:
        parse(prefix="ABCDE")
    assert err.value.errors == {
        "prefix": "El prefijo tiene máximo 4 letras o dígitos, sin espacios ni símbolos; "
                  "escribiste «ABCDE»."}


def test_a_non_numeric_range_and_a_bad_date_have_their_own_messages() -> None:
    with pytest.raises(ValidationError) as err:
        parse(range_from="x", valid_to="")
    assert err.value.errors == {
        "range_from": "La numeración inicial debe ser un número entero, sin letras.",
        "valid_to": "Elige en el calendario la fecha final de la vigencia (día, mes y año)."}
    with pytest.raises(ValidationError) as err:
        parse(range_to="0", valid_from="1/3/2026")
    assert err.value.errors == {
        "range_to": "La numeración final debe ser al menos 1.",
        "valid_from": "Elige en el calendario la fecha de inicio de la vigencia (día, mes y año)."}


ONE_TO_TEN = n.Resolution("1", "", 1, 10, date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("next_number", "today", "expected"),
    [
        (1, date(2026, 3, 1), n.ACTIVE),  # first day of the validity
        (1, date(2026, 2, 28), n.NOT_STARTED),  # the day before
        (1, date(2026, 3, 31), n.ACTIVE),  # last day of the validity
        (1, date(2026, 4, 1), n.EXPIRED),  # the day after
        (10, date(2026, 3, 15), n.ACTIVE),  # the last number is still available
        (11, date(2026, 3, 15), n.EXHAUSTED),  # one beyond it
        (11, date(2026, 4, 1), n.EXPIRED),  # expired wins over exhausted
    ],
)
def test_state_at_each_edge(next_number: int, today: date, expected: str) -> None:
    assert n.state(ONE_TO_TEN, next_number=next_number, verified=True, today=today) == expected


def test_usage_warning_edges_and_percent() -> None:
    far = date(2026, 3, 1)
    # 30 numbers from 11: 27 used is exactly 90 %; 26 used is not yet.
    thirty = n.Resolution("1", "", 11, 40, date(2026, 1, 1), date(2026, 12, 31))
    assert n.warnings(thirty, next_number=37, today=far) == []
    assert n.warnings(thirty, next_number=38, today=far) == [
        "Se ha usado el 90 % de la numeración: quedan 3."]
    assert n.warnings(thirty, next_number=39, today=far) == [
        "Se ha usado el 93 % de la numeración: quedan 2."]
    assert n.warnings(thirty, next_number=40, today=far) == [
        "Se ha usado el 96 % de la numeración: quedan 1."]
    assert n.warnings(thirty, next_number=41, today=far) == []  # exhausted: its own state
    single = n.Resolution("1", "", 5, 5, date(2026, 1, 1), date(2026, 12, 31))
    assert n.warnings(single, next_number=5, today=far) == []  # nothing used yet
    assert n.warnings(single, next_number=4, today=far) == []


def test_expiry_warning_starts_thirty_days_before() -> None:
    res = n.Resolution("1", "", 1, 1000, date(2026, 1, 1), date(2026, 12, 31))
    assert n.warnings(res, next_number=1, today=date(2026, 11, 30)) == []  # 31 days left
    assert n.warnings(res, next_number=1, today=date(2026, 12, 1)) == [
        "La resolución vence en 30 días (31/12/2026)."]
    assert n.warnings(res, next_number=1, today=date(2026, 12, 31)) == [
        "La resolución vence en 0 días (31/12/2026)."]
    assert n.warnings(res, next_number=1, today=date(2027, 1, 1)) == []  # already expired


def test_edit_edges() -> None:
    # Nothing issued while the next number is the first one; the first number issued
    # fixes the prefix and the lowest possible end of the range.
    n.check_edit(ONE_TO_TEN, dataclasses.replace(ONE_TO_TEN, prefix="X", range_to=1), 1)
    n.check_edit(ONE_TO_TEN, dataclasses.replace(ONE_TO_TEN, range_to=1), 2)
    with pytest.raises(ValidationError) as err:
        n.check_edit(ONE_TO_TEN, dataclasses.replace(ONE_TO_TEN, range_to=1), 3)
    assert err.value.errors == {"range_to": (
        "Ya se emitió hasta el número 2: la numeración final no puede ser menor.")}
    with pytest.raises(ValidationError) as err:
        n.check_edit(ONE_TO_TEN, dataclasses.replace(ONE_TO_TEN, prefix="X"), 2)
    assert err.value.errors == {"prefix": (
        "Ya se emitieron documentos con el prefijo (sin prefijo): "
        "crea un consecutivo nuevo para otro prefijo.")}


def test_mismatch_names_every_field() -> None:
    dian = n.Resolution("2", "B", 2, 11, date(2026, 3, 2), date(2026, 4, 1))
    assert n.mismatch(ONE_TO_TEN, dian) == {
        "resolution_number": "No coincide el número de resolución con la DIAN: registraste 1, "
                             "la DIAN tiene 2.",
        "prefix": "No coincide el prefijo con la DIAN: registraste , la DIAN tiene B.",
        "range_from": "No coincide la numeración inicial con la DIAN: registraste 1, "
                      "la DIAN tiene 2.",
        "range_to": "No coincide la numeración final con la DIAN: registraste 10, "
                    "la DIAN tiene 11.",
        "valid_from": "No coincide el inicio de la vigencia con la DIAN: registraste "
                      "2026-03-01, la DIAN tiene 2026-03-02.",
        "valid_to": "No coincide el final de la vigencia con la DIAN: registraste "
                    "2026-03-31, la DIAN tiene 2026-04-01.",
    }


def test_a_resolution_number_has_at_most_twenty_digits() -> None:
    assert parse(number="9" * 20).number == "9" * 20  # the longest DIAN number fits
    with pytest.raises(ValidationError) as err:
        parse(number="9" * 21)
    assert set(err.value.errors) == {"resolution_number"}
