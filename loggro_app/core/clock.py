"""Time in Colombia, injected wherever the code needs "now".

A clock is any callable returning an aware datetime: `system_clock` in the running app,
`FixedClock` where output must be reproducible (tests, golden files, re-signing a known
document). Pure code never reads the wall clock itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(BOGOTA)


@dataclass(frozen=True)
class FixedClock:
    """Always the same instant."""

    instant: datetime

    def __call__(self) -> datetime:
        return self.instant


def bogota_now(clock: Clock) -> datetime:
    """The clock's instant in Colombian local time (-05:00), second precision."""
    return clock().astimezone(BOGOTA).replace(microsecond=0)


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


def spoken_text(value: datetime) -> str:
    """A moment as a person in Colombia reads it: '01/12/2026 6:52 p. m.'."""
    local = aware(value).astimezone(BOGOTA)
    half = "a. m." if local.hour < 12 else "p. m."
    return f"{local:%d/%m/%Y} {local.hour % 12 or 12}:{local:%M} {half}"


_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")


def readable_moments(message: str) -> str:
    """A message from another system with its ISO timestamps rewritten by spoken_text."""
    def rewrite(found: re.Match[str]) -> str:
        try:
            return spoken_text(datetime.fromisoformat(found.group(0).replace("Z", "+00:00")))
        except ValueError:
            return found.group(0)

    return _ISO_MOMENT.sub(rewrite, message)

