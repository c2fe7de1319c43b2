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
