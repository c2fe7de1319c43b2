"""Documents consumed and bought per calendar month (Bogotá), for the chart on Inicio."""

from __future__ import annotations

from datetime import datetime

from loggro_app.core.clock import BOGOTA

MONTH_NAMES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov",
               "dic")


def last_months(now: datetime, count: int) -> list[tuple[int, int]]:
    """The `count` months ending with now's month (Bogotá), oldest first."""
    local = now.astimezone(BOGOTA)
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def month_windows(now: datetime, count: int = 6) -> list[tuple[str, datetime, datetime]]:
    """("jun 2026", start, end) of the `count` months ending with now's, Bogotá midnights,
    end exclusive: the chart's bars, each counted in the month its movement happened."""
    windows = []
    for year, month in last_months(now, count):
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        windows.append((f"{MONTH_NAMES[month - 1]} {year}",
                        datetime(year, month, 1, tzinfo=BOGOTA),
                        datetime(*following, 1, tzinfo=BOGOTA)))
    return windows


def remaining_per_pack(pack_documents: list[int], purchased_available: int) -> list[int]:
    """Split what is left of purchased documents over the approved packs, oldest first.

    Consumption takes from the oldest pack first, so what remains sits in the newest ones.
    """
    left = max(0, purchased_available)
    remaining = [0] * len(pack_documents)
    for index in range(len(pack_documents) - 1, -1, -1):
        remaining[index] = min(pack_documents[index], left)
        left -= remaining[index]
    return remaining
