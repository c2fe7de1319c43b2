"""Time in Colombia, injected wherever the code needs "now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(BOGOTA)


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes even for timezone columns; they were stored as UTC."""

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_utc(value: datetime) -> datetime:
    """Timestamps are stored in UTC: SQLite drops offsets, so only UTC round-trips."""

    return aware(value).astimezone(UTC)


def local_text(value: datetime | None) -> str:
    """A stored timestamp as Colombian local time, e.g. '22/11/2026 10:15'."""
    if value is None:
        return ""
    return aware(value).astimezone(BOGOTA).strftime("%d/%m/%Y %H:%M")


class ClockAdapter:
    """The app's callable clock as the DIAN core's `Clock` (an object with `now()`)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()
