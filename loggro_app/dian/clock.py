"""Injected time. The core never reads the wall clock; callers pass a Clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")


class Clock(Protocol):
    def now(self) -> datetime:
        """Current aware datetime."""
        ...


@dataclass(frozen=True)
class FixedClock:
    """Always the same instant (tests, golden files, re-signing a known document)."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def bogota_now(clock: Clock) -> datetime:
    """The clock's instant in Colombian local time (-05:00), second precision."""
    return clock.now().astimezone(BOGOTA).replace(microsecond=0)
