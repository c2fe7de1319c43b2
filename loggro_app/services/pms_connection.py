"""The organization's connection to its hotel PMS: the requirements to turn it on, the
property's token (created, shown once, pushed, rotated, revoked) and its authentication.

A token is 32 random bytes: its SHA-256 is enough to look it up safely. The current token
and the webhook secret are also kept encrypted, because *Reenviar token* must push the very
same token again; authentication never decrypts them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import AuthError, LoggroError, PermissionDenied, ValidationError
from loggro_app.core.plans import plan as plan_by_code
from loggro_app.models import (
    CashRegister,
    Organization,
    PmsConnection,
    PmsToken,
    Subscription,
    User,
)
from loggro_app.services.scope import Scope
from loggro_app.services.secrets import secret_box

ROTATION_OVERLAP = timedelta(hours=48)  # a rotated token keeps working this long
TOKEN_PREFIX = "lgp_"
SECRET_PREFIX = "whs_"
MAX_URL = 300
PARAMETERS_LINK = "/configuracion/organizacion?tab=parametros"
PUSH_LABELS = {"": "Sin enviar", "pending": "Enviando al PMS", "delivered": "Entregado al PMS",
               "failed": "No se pudo entregar", "revoked": "Revocado"}


@dataclass(frozen=True)
class Missing:
    """A requirement the organization does not meet, and where to fix it."""

    message: str
    link: str
    link_text: str


class RequirementsMissing(LoggroError):
    def __init__(self, missing: list[Missing]) -> None:
        super().__init__(" ".join(m.message for m in missing))
        self.missing = missing


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _principal(session: Session, organization_id: int) -> User | None:
    return session.exec(select(User).where(User.organization_id == organization_id,
                                           col(User.is_principal).is_(True))).first()


def requirements(*, session: Session, organization_id: int) -> list[Missing]:
    """What seed 001 asks before the integration may be turned on, each still missing."""
    missing = []
    sub = session.exec(select(Subscription).where(
        Subscription.organization_id == organization_id)).first()
    try:
        allowed = sub is not None and plan_by_code(sub.plan_code).hotel_integration
    except ValidationError:  # a plan no longer in the catalog
        allowed = False
    if sub is None or sub.status != "activa" or not allowed:
        missing.append(Missing("Necesitas un plan activo de Loggro Pymes o POS.", "/portal",
                               "Ver planes"))
    principal = _principal(session, organization_id)
    has_register = principal is not None and session.exec(select(CashRegister).where(
        CashRegister.organization_id == organization_id, CashRegister.user_id == principal.id,
        col(CashRegister.is_active).is_(True))).first() is not None
    if not has_register:
        missing.append(Missing("El usuario administrador principal no tiene una caja asignada.",
                               f"{PARAMETERS_LINK}#caja", "Asignar caja"))
    org = session.get(Organization, organization_id)
    if org is None or not org.e_invoicing_enabled or not org.provider_confirmed:
        missing.append(Missing("La facturación electrónica debe estar activa con Loggro como "
                               "proveedor tecnológico.", PARAMETERS_LINK,
                               "Activar facturación electrónica"))
    return missing


def assign_principal_register(*, session: Session, scope: Scope) -> CashRegister:
    """Give the principal user a *caja*: theirs if one exists, else a new *Caja principal*."""
    _check_principal(scope)
    principal = _principal(session, scope.organization_id)
    if principal is None:
        raise PermissionDenied("La organización no tiene usuario principal.")
    register = session.exec(select(CashRegister).where(
        CashRegister.organization_id == scope.organization_id,
        col(CashRegister.is_active).is_(True)).order_by(
        col(CashRegister.user_id).is_(None), col(CashRegister.id))).first()
    if register is None:
        register = CashRegister(organization_id=scope.organization_id, code="CAJA-1",
                                name="Caja principal")
    register.user_id = principal.id
    session.add(register)
    session.commit()
    session.refresh(register)
    return register


def _check_principal(scope: Scope) -> None:
    if not scope.is_principal:
        raise PermissionDenied("Solo el usuario principal configura la integración con "
                               "Alojamientos.")


def check_url(raw: str) -> str:
    url = (raw or "").strip().rstrip("/")
    parts = urlsplit(url)
    if not url:
        raise ValidationError({"pms_url": "Escribe la dirección del PMS (https://…)."})
    if len(url) > MAX_URL:
        raise ValidationError({"pms_url": f"La dirección admite máximo {MAX_URL} caracteres."})
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise ValidationError({"pms_url": "Escribe la dirección del PMS como "
                                          "https://servidor, sin usuario ni parámetros."})
    return url


def connection_of(session: Session, organization_id: int) -> PmsConnection | None:
    return session.exec(select(PmsConnection).where(
        PmsConnection.organization_id == organization_id)).first()


def _new_token(session: Session, connection: PmsConnection, now: datetime) -> str:
    """A new current token and webhook secret; the previous token keeps working for 48 h."""
    assert connection.id is not None
    for old in session.exec(select(PmsToken).where(
            PmsToken.connection_id == connection.id, col(PmsToken.valid_until).is_(None),
            col(PmsToken.revoked).is_(False))).all():
        old.valid_until = now + ROTATION_OVERLAP
        session.add(old)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    box = secret_box()
    connection.token_sealed = box.seal_text(token)
    connection.webhook_secret_sealed = box.seal_text(SECRET_PREFIX + secrets.token_urlsafe(32))
    session.add(PmsToken(connection_id=connection.id, token_hash=hash_token(token),
                         created_at=now))
    return token


def _push(connection: PmsConnection) -> None:
    """Mark a new push round: the workflow of this round delivers it."""
    connection.push_round += 1
    connection.push_state, connection.push_attempts, connection.push_error = "pending", 0, ""


@dataclass(frozen=True)
class Saved:
    connection: PmsConnection
    token: str | None  # a new token, to show once; None when the token did not change
    push_round: int | None  # the round to start, None when nothing is pushed


def save_settings(*, session: Session, scope: Scope, enabled: bool, pms_url: str,
                  clock: Clock = system_clock) -> Saved:
    """*Sí* turns the integration on (a token, pushed to the PMS) once every requirement
    holds; *No* revokes every token at once."""
    _check_principal(scope)
    now = to_utc(clock())
    connection = connection_of(session, scope.organization_id)
    if not enabled:
        if connection is None or not connection.enabled:
            return Saved(connection or PmsConnection(organization_id=scope.organization_id,
                                                     property_id=""), None, None)
        for row in session.exec(select(PmsToken).where(
                PmsToken.connection_id == connection.id)).all():
            row.revoked = True
            session.add(row)
        connection.enabled = False
        connection.token_sealed = connection.webhook_secret_sealed = ""
        _push(connection)
        connection.updated_at = now
        session.add(connection)
        session.commit()
        session.refresh(connection)
        return Saved(connection, None, connection.push_round)
    url = check_url(pms_url)
    missing = requirements(session=session, organization_id=scope.organization_id)
    if missing:
        raise RequirementsMissing(missing)
    token = None
    if connection is None:
        connection = PmsConnection(organization_id=scope.organization_id,
                                   property_id=f"p{scope.organization_id}-"
                                               f"{secrets.token_hex(4)}", updated_at=now)
        session.add(connection)
        session.flush()
    if not connection.enabled:
        token = _new_token(session, connection, now)
    elif connection.pms_url == url:
        return Saved(connection, None, None)  # nothing changed: nothing to push
    connection.enabled, connection.pms_url, connection.updated_at = True, url, now
    _push(connection)
    session.add(connection)
    session.commit()
    session.refresh(connection)
    return Saved(connection, token, connection.push_round)


def _enabled(session: Session, scope: Scope) -> PmsConnection:
    _check_principal(scope)
    connection = connection_of(session, scope.organization_id)
    if connection is None or not connection.enabled:
        raise ValidationError({"pms_enabled": "Activa primero la integración con Alojamientos."})
    return connection


def rotate(*, session: Session, scope: Scope, clock: Clock = system_clock) -> Saved:
    connection = _enabled(session, scope)
    token = _new_token(session, connection, to_utc(clock()))
    _push(connection)
    connection.updated_at = to_utc(clock())
    session.add(connection)
    session.commit()
    session.refresh(connection)
    return Saved(connection, token, connection.push_round)


def resend(*, session: Session, scope: Scope, clock: Clock = system_clock) -> Saved:
    connection = _enabled(session, scope)
    _push(connection)
    connection.updated_at = to_utc(clock())
    session.add(connection)
    session.commit()
    session.refresh(connection)
    return Saved(connection, None, connection.push_round)


# One query, run by every request of the PMS: built once, its values bound per call
_BY_TOKEN = select(PmsToken, PmsConnection).join(
    PmsConnection, col(PmsConnection.id) == PmsToken.connection_id).where(
    PmsToken.token_hash == bindparam("token_hash"))


def authenticate(*, session: Session, token: str, clock: Clock = system_clock) -> PmsConnection:
    """The connection a bearer token belongs to; AuthError for anything else (unknown,
    revoked, past its 48 hours after a rotation, or an integration turned off)."""
    refused = AuthError("Token de conexión inválido, revocado o vencido.")
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        raise refused
    found = session.exec(_BY_TOKEN, params={"token_hash": hash_token(token)}).first()
    if found is None:
        raise refused
    row, connection = found
    if row.revoked or (row.valid_until is not None and aware(row.valid_until) <= clock()) \
            or not connection.enabled:
        raise refused
    return connection


def webhook_secret(connection: PmsConnection) -> str:
    return secret_box().open_text(connection.webhook_secret_sealed)


def api_base_url(public_url: str) -> str:
    return f"{public_url.rstrip('/')}/api/pms/v1"


def push_event_id(connection: PmsConnection, push_round: int) -> str:
    """Unique for ever, not only in this database: the PMS keeps the ids it has seen."""
    return f"org{connection.organization_id}-pmstoken-{connection.property_id}-{push_round}"


def push_message(*, session: Session, connection_id: int, push_round: int,
                 public_url: str) -> tuple[str, dict[str, object]] | None:
    """Where and what to push for this round; None when a newer round replaced it."""
    connection = session.get(PmsConnection, connection_id)
    if connection is None or connection.push_round != push_round:
        return None
    org = session.get(Organization, connection.organization_id)
    assert org is not None
    message: dict[str, object] = {
        "event_id": push_event_id(connection, push_round),
        "property_id": connection.property_id,
        "status": "active" if connection.enabled else "revoked",
        "organization": {"nit": org.nit, "dv": org.dv, "name": org.legal_name},
        "api_base_url": api_base_url(public_url),
    }
    if connection.enabled:
        box = secret_box()
        message["token"] = box.open_text(connection.token_sealed)
        message["webhook_secret"] = box.open_text(connection.webhook_secret_sealed)
        previous = session.exec(select(PmsToken).where(
            PmsToken.connection_id == connection_id, col(PmsToken.valid_until).is_not(None),
            col(PmsToken.revoked).is_(False)).order_by(col(PmsToken.id).desc())).first()
        message["previous_token_valid_until"] = (
            aware(previous.valid_until).isoformat()
            if previous is not None and previous.valid_until is not None else None)
    return connection.pms_url, message


def record_push(*, session: Session, connection_id: int, push_round: int, delivered: bool,
                error: str = "", final: bool = False, clock: Clock = system_clock) -> None:
    connection = session.get(PmsConnection, connection_id)
    if connection is None or connection.push_round != push_round:
        return
    connection.push_attempts += 1
    if delivered:
        connection.push_state = "delivered" if connection.enabled else "revoked"
        connection.push_error, connection.pushed_at = "", to_utc(clock())
    else:
        connection.push_error = error[:300]
        connection.push_state = "failed" if final else "pending"
    session.add(connection)
    session.commit()
