"""The buyer's side of RADIAN events about a received invoice: order, the 3-business-day
term for 031/033 counted over Colombian holidays, events waiting for DIAN, the reminder."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from loggro_app.core.clock import BOGOTA
from loggro_app.core.purchase_events import (
    allowed_next,
    claim_term_closing,
    claim_term_ends,
    refusal,
)

# Thursday 3 December 2026, 10:00 in Bogotá; 8 December (Tuesday) is a holiday
RECEIPT = datetime(2026, 12, 3, 10, 0, tzinfo=BOGOTA)
AT = {"030": RECEIPT, "032": RECEIPT}


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=BOGOTA)


def test_the_term_skips_the_weekend_and_the_holiday() -> None:
    # Fri 4, Mon 7, (Tue 8 holiday), Wed 9: the term ends at midnight after Wednesday
    assert claim_term_ends(RECEIPT) == datetime(2026, 12, 10, 0, 0, tzinfo=BOGOTA)


def test_nothing_is_allowed_out_of_order() -> None:
    now = at(3)
    assert allowed_next({}, now) == ["030"]
    assert "requiere antes el acuse de recibo (030)" in (refusal({}, "032", now) or "")
    assert "requiere antes el recibo del bien" in (refusal({"030": RECEIPT}, "031", now) or "")
    assert allowed_next({"030": RECEIPT}, now) == ["032"]
    assert allowed_next(AT, now) == ["033", "031"]


def test_after_an_ending_nothing_more() -> None:
    for ending in ("031", "033"):
        done = {**AT, ending: RECEIPT}
        assert allowed_next(done, at(4)) == []
        assert "no admite" in (refusal(done, "033" if ending == "031" else "031", at(4)) or "")
        assert "ya estaba registrado" in (refusal(done, ending, at(4)) or "")


def test_claim_and_acceptance_only_within_the_term() -> None:
    last_moment = datetime(2026, 12, 9, 23, 59, tzinfo=BOGOTA)
    assert refusal(AT, "031", last_moment) is None
    assert refusal(AT, "033", last_moment) is None
    late = refusal(AT, "031", at(10, 0))
    assert late is not None and "venció el 09/12/2026" in late and "(032, del 03/12/2026)" in late
    assert allowed_next(AT, at(10, 0)) == []


def test_a_pending_event_blocks_the_next() -> None:
    assert "espera la respuesta" in (refusal({}, "030", at(3), pending=("030",)) or "")
    assert refusal({"030": RECEIPT}, "032", at(3), pending=("032",)) is not None
    blocked = refusal({}, "032", at(3), pending=("030",))
    assert blocked is not None and blocked.startswith("Espera la respuesta de la DIAN al acuse")
    assert allowed_next({}, at(3), pending=("030",)) == []


@pytest.mark.parametrize(("now", "warned"), [
    (at(3, 11), False),  # receipt day: Wednesday is three business days away
    (at(4), False),  # Friday: Monday, then Wednesday
    (at(7), True),  # Monday: the next business day (after the holiday) is the last
    (at(9, 18), True),  # the last day itself
    (at(10, 0), False),  # over: tacitly accepted, no reminder
])
def test_the_reminder_shows_one_business_day_before_the_end(now: datetime,
                                                           warned: bool) -> None:
    expected = date(2026, 12, 9) if warned else None
    assert claim_term_closing(AT, now) == expected


def test_no_reminder_without_receipt_or_after_an_ending() -> None:
    assert claim_term_closing({"030": RECEIPT}, at(9)) is None
    assert claim_term_closing({**AT, "033": RECEIPT}, at(9)) is None


def test_unknown_codes_are_refused() -> None:
    assert "no es un evento que envíe el comprador" in (refusal(AT, "034", at(4)) or "")
