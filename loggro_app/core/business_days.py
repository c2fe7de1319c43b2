"""Colombian business days, for legal terms such as the buyer's 3 days to claim.

Holidays come from the `holidays` package (Ley Emiliani moves most of them to Monday every
year; a hand-kept list would go stale). Saturdays and Sundays are not business days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from loggro_app.core.clock import BOGOTA

TACIT_ACCEPTANCE_DAYS = 3  # Código de Comercio art. 773; Decreto 1074/2015 art. 2.2.2.53.4


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("CO", years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_business_days(start: date, days: int) -> date:
    """The `days`-th business day after `start` (the start day itself is not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


def tacit_acceptance_from(received_at: datetime, days: int = TACIT_ACCEPTANCE_DAYS) -> datetime:
    """The first moment the issuer may register the aceptación tácita (034).

    The buyer has `days` business days *following* the receipt of the goods (event 032) to
    accept or claim; the term runs until the end of the last of them, so the 034 is due
    from midnight (Bogotá) after that day.
    """
    local = received_at.astimezone(BOGOTA)
    last = add_business_days(local.date(), days)
    return datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=BOGOTA)
