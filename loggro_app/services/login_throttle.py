"""Slowing password guessing without locking the real owner out.

Failures are counted per (account, address) and per address, never per account alone:
a flood from one address cannot keep the owner out from another address, and spraying
one password over many accounts from one address is slowed all the same. Past the free
failures each further one doubles the wait (backoff), up to an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from loggro_app.core.clock import aware
from loggro_app.core.errors import AuthError
from loggro_app.models import LoginAttempt
from loggro_app.settings import Settings

MAX_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Key:
    """Which attempts count together, and how many failures are free."""

    conditions: tuple[Any, ...]
    free_failures: int


def _failures(session: Session, key: Key, now: datetime) -> tuple[int, datetime | None]:
    """Failures in the last hour after the key's last success, and the latest one."""
    recent = (*key.conditions, LoginAttempt.at >= now - MAX_WAIT)
    last_success = session.exec(select(func.max(LoginAttempt.id)).where(
        *recent, col(LoginAttempt.succeeded).is_(True))).one() or 0
    count, latest = session.exec(select(func.count(), func.max(LoginAttempt.at)).where(
        *recent, col(LoginAttempt.succeeded).is_(False), col(LoginAttempt.id) > last_success,
    )).one()
    return int(count), aware(latest) if latest is not None else None


def wait_left(session: Session, key: Key, now: datetime, base: timedelta) -> timedelta:
    count, latest = _failures(session, key, now)
    if count < key.free_failures or latest is None:
        return timedelta(0)
    wait: timedelta = min(base * 2 ** (count - key.free_failures), MAX_WAIT)
    left: timedelta = latest + wait - now
    return max(left, timedelta(0))


def _spanish_wait(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 120:
        return f"{seconds} segundos"
    return f"{(seconds + 59) // 60} minutos"


def check(*, session: Session, email: str, address: str, now: datetime,
          settings: Settings) -> None:
    """Raise AuthError when this account from this address, or this address, must wait."""
    base = timedelta(seconds=settings.login_window_seconds)
    keys = (
        Key((LoginAttempt.email == email, LoginAttempt.address == address),
            settings.login_max_failures),
        Key((LoginAttempt.address == address,), settings.login_address_max_failures),
    )
    wait = max(wait_left(session, key, now, base) for key in keys)
    if wait > timedelta(0):
        raise AuthError("Demasiados intentos fallidos desde esta conexión. Espera "
                        f"{_spanish_wait(wait)} e inténtalo de nuevo.")
