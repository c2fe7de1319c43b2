"""Documents consumed and bought per calendar month (Bogotá), for the chart on Inicio."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from loggro_app.core.clock import BOGOTA
from loggro_app.core.quota import PACK_CONSUME, PACK_CREDIT, PLAN_CONSUME, Movement

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


def monthly_consumption(movements: Iterable[Movement], now: datetime,
                        count: int = 6) -> list[tuple[str, int]]:
    """[("jun 2026", 12), ...]: each document counted once, in the month it was finalized."""
    seen: set[str] = set()

    def consumed(movement: Movement) -> int:
        if movement.kind not in (PLAN_CONSUME, PACK_CONSUME) or movement.document_key in seen:
            return 0
        seen.add(movement.document_key or "")
        return 1

    return _per_month(movements, now, count, consumed)


def monthly_purchases(movements: Iterable[Movement], now: datetime,
                      count: int = 6) -> list[tuple[str, int]]:
    """[("jun 2026", 100), ...]: documents of the packs credited in each month."""
    return _per_month(movements, now, count,
                      lambda m: m.quantity if m.kind == PACK_CREDIT else 0)


def _per_month(movements: Iterable[Movement], now: datetime, count: int,
               value: Callable[[Movement], int]) -> list[tuple[str, int]]:
    months = last_months(now, count)
    totals = dict.fromkeys(months, 0)
    for movement in movements:
        amount = value(movement)
        local = movement.at.astimezone(BOGOTA)
        key = (local.year, local.month)
        if amount and key in totals:
            totals[key] += amount
    return [(f"{MONTH_NAMES[m - 1]} {y}", totals[(y, m)]) for y, m in months]


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
