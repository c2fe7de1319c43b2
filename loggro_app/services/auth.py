"""Login, logout and session checks.

Tokens are random; only their SHA-256 is stored, so a leaked table cannot be replayed.
A wrong password and an unknown email give the same message and take the same time.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, func, select

from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import AuthError
from loggro_app.core.passwords import DUMMY_HASH, verify_password
from loggro_app.models import LoginAttempt, Organization, User, UserSession
from loggro_app.services.scope import Scope
from loggro_app.settings import Settings, get_settings

BAD_CREDENTIALS = "Correo o contraseña incorrectos."
THROTTLED = (
    "Demasiados intentos fallidos para esta cuenta. Espera un minuto e inténtalo de nuevo."
)
SESSION_EXPIRED = "Tu sesión expiró. Ingresa de nuevo."


@dataclass(frozen=True)
class SessionUser:
    """What the UI needs to know about the logged-in user."""

    scope: Scope
    email: str
    full_name: str
    organization_name: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _recent_failures(session: Session, email: str, since_utc) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email,
        col(LoginAttempt.succeeded).is_(False),
        LoginAttempt.at >= since_utc,
    )
    return int(session.exec(query).one())


def login(
    *, session: Session, email: str, password: str, clock: Clock = system_clock,
    settings: Settings | None = None,
) -> str:
    """Check credentials and open a session; returns the session token."""
    settings = settings or get_settings()
    email = email.strip().lower()
    now = to_utc(clock())
    window_start = now - timedelta(seconds=settings.login_window_seconds)
    if _recent_failures(session, email, window_start) >= settings.login_max_failures:
        raise AuthError(THROTTLED)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    ok = ok and user is not None and user.is_active
    session.add(LoginAttempt(email=email, succeeded=ok, at=now))
    if not ok or user is None or user.id is None:
        session.commit()  # the failed attempt must count even though we raise
        raise AuthError(BAD_CREDENTIALS)
    token = secrets.token_urlsafe(32)
    session.add(UserSession(
        token_hash=_token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(minutes=settings.session_ttl_minutes),
    ))
    session.commit()
    return token


def current_user(
    *, session: Session, token: str, clock: Clock = system_clock,
    settings: Settings | None = None,
) -> SessionUser:
    """The user behind a session token; refreshes its idle timer. Raises AuthError."""
    settings = settings or get_settings()
    if not token:
        raise AuthError(SESSION_EXPIRED)
    now = to_utc(clock())
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    ).first()
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
    row.last_seen_at = now
    session.add(row)
    session.commit()
    return SessionUser(
        scope=Scope(user.organization_id, user.id, user.role, user.is_principal),
        email=user.email, full_name=user.full_name,
        organization_name=org.legal_name if org else "",
    )


def logout(*, session: Session, token: str) -> None:
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    ).first()
    if row is not None:
        row.revoked = True
        session.add(row)
        session.commit()
