"""Login, logout and session checks.

Tokens are random; only their SHA-256 is stored, so a leaked table cannot be replayed.
A wrong password and an unknown email give the same message and take the same time.
Guessing is slowed per (account, address) and per address (see login_throttle).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import AuthError
from loggro_app.core.passwords import (
    MAX_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from loggro_app.models import LoginAttempt, Organization, User, UserSession
from loggro_app.services import login_throttle
from loggro_app.services.scope import Scope
from loggro_app.settings import Settings, get_settings

BAD_CREDENTIALS = "Correo o contraseña incorrectos."
MAX_EMAIL_LENGTH = 200  # the longest email a user or a login attempt can hold
SESSION_EXPIRED = "Tu sesión expiró. Ingresa de nuevo."

# scrypt takes 128 MiB per hash: at most as many at once as the machine has cores to run
# them, so a login flood queues instead of exhausting memory.
_HASHING = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@dataclass(frozen=True)
class SessionUser:
    """What the UI needs to know about the logged-in user."""

    scope: Scope
    email: str
    full_name: str
    organization_name: str


def hash_token(token: str) -> str:
    """What identifies a session in the database and in page state; not a credential."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest() if token else ""


def _check_password(user: User | None, password: str) -> bool:
    with _HASHING:
        ok = verify_password(password, user.password_hash if user else dummy_hash())
        if ok and user is not None and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)  # upgraded to today's cost
    return ok


def login(
    *, session: Session, email: str, password: str, address: str,
    clock: Clock = system_clock, settings: Settings | None = None,
) -> str:
    """Check credentials and open a session; returns the session token.

    Blocking (scrypt and the database): call it from a worker thread, never the event loop.
    """
    settings = settings or get_settings()
    email = email.strip().lower()
    now = to_utc(clock())
    login_throttle.check(session=session, email=email, address=address, now=now,
                         settings=settings)
    if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        # no account has such an email or password: refused (and counted) without hashing
        user, ok = None, False
    else:
        user = session.exec(select(User).where(User.email == email)).first()
        ok = _check_password(user, password) and user is not None and user.is_active
    session.add(LoginAttempt(email=email[:MAX_EMAIL_LENGTH], address=address, succeeded=ok,
                             at=now))
    if not ok or user is None or user.id is None:
        session.commit()  # the failed attempt must count even though we raise
        raise AuthError(BAD_CREDENTIALS)
    session.add(user)
    token = secrets.token_urlsafe(32)
    session.add(UserSession(
        token_hash=hash_token(token), user_id=user.id, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(minutes=settings.session_ttl_minutes),
    ))
    session.commit()
    return token


def current_user(
    *, session: Session, token_hash: str, clock: Clock = system_clock,
    settings: Settings | None = None, activity: bool = True,
) -> SessionUser:
    """The user behind a session (by its token's hash). Raises AuthError.

    Only a person's action (activity=True) refreshes the idle timer; background polling
    passes activity=False so an open page does not keep a session alive for ever.
    """
    settings = settings or get_settings()
    if not token_hash:
        raise AuthError(SESSION_EXPIRED)
    now = to_utc(clock())
    row = session.exec(select(UserSession).where(UserSession.token_hash == token_hash)).first()
    if row is None or row.revoked:
        raise AuthError(SESSION_EXPIRED)
    idle_limit = aware(row.last_seen_at) + timedelta(minutes=settings.session_idle_minutes)
    if now >= aware(row.expires_at) or now >= idle_limit:
        row.revoked = True
        session.add(row)
        session.commit()
        raise AuthError(SESSION_EXPIRED)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.id is None:
        raise AuthError(SESSION_EXPIRED)
    org = session.get(Organization, user.organization_id)
    if activity:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return SessionUser(
        scope=Scope(user.organization_id, user.id, user.role, user.is_principal),
        email=user.email, full_name=user.full_name,
        organization_name=org.legal_name if org else "",
    )


def logout(*, session: Session, token_hash: str) -> None:
    row = session.exec(select(UserSession).where(UserSession.token_hash == token_hash)).first()
    if row is not None:
        row.revoked = True
        session.add(row)
        session.commit()
