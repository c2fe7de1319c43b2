"""Consecutivos de Facturación: numbering per document kind and channel, each under a DIAN
resolution whose data and technical key are confirmed with DIAN (GetNumberingRange)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core import numbering as rules
from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.errors import ConflictError, PermissionDenied, ValidationError
from loggro_app.models import Numbering
from loggro_app.services.owned import get_owned
from loggro_app.services.scope import Scope
from loggro_app.services.secrets import secret_box

NOT_FOUND = "El consecutivo no existe o no pertenece a tu organización."


@dataclass(frozen=True)
class DianRange:
    """What DIAN answers for one range of the organization (GetNumberingRange)."""

    resolution: rules.Resolution
    technical_key: str = field(repr=False)  # a secret: never printed or logged


def _resolution(row: Numbering) -> rules.Resolution:
    return rules.Resolution(row.resolution_number, row.prefix, row.range_from, row.range_to,
                            row.valid_from or date.min, row.valid_to or date.min)


def list_numberings(*, session: Session, scope: Scope) -> list[Numbering]:
    return list(session.exec(select(Numbering).where(
        Numbering.organization_id == scope.organization_id).order_by(col(Numbering.id))).all())


def get_numbering(*, session: Session, scope: Scope, numbering_id: int) -> Numbering:
    return get_owned(session, Numbering, scope, numbering_id, NOT_FOUND)


def save_numbering(*, session: Session, scope: Scope, name: str, document_kind: str,
                   channel: str, resolution: rules.Resolution,
                   numbering_id: int | None = None) -> Numbering:
    if scope.role != "admin":
        raise PermissionDenied("Solo un administrador puede configurar consecutivos.")
    errors = {}
    if not name.strip():
        errors["name"] = "Escribe un nombre para el consecutivo."
    if document_kind not in rules.KINDS:
        errors["document_kind"] = "Selecciona el tipo de documento."
    if channel not in rules.CHANNELS:
        errors["channel"] = "Selecciona el canal: POS, No POS o Venta Externa No POS."
    if errors:
        raise ValidationError(errors)
    if numbering_id is None:
        row = Numbering(organization_id=scope.organization_id, name=name.strip(),
                        document_kind=document_kind, channel=channel,
                        next_number=resolution.range_from)
    else:
        row = get_numbering(session=session, scope=scope, numbering_id=numbering_id)
        rules.check_edit(_resolution(row), resolution, row.next_number)
        if _resolution(row) != resolution:  # a changed resolution must be confirmed again
            row.dian_checked_at, row.technical_key_sealed = None, ""
    row.name, row.document_kind, row.channel = name.strip(), document_kind, channel
    row.resolution_number, row.prefix = resolution.number, resolution.prefix
    row.range_from, row.range_to = resolution.range_from, resolution.range_to
    row.valid_from, row.valid_to = resolution.valid_from, resolution.valid_to
    row.next_number = max(row.next_number, resolution.range_from)
    try:
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationError({"prefix": (
            "Ya existe un consecutivo con ese tipo, canal y prefijo.")}) from None
    return row


def verify_with_dian(*, session: Session, scope: Scope, numbering_id: int,
                     fetch_ranges: Callable[[], list[DianRange]],
                     clock: Clock = system_clock) -> Numbering:
    """Match the consecutive against DIAN's ranges; store the technical key when it matches.

    A mismatch is refused naming each field that differs, as DIAN would reject every
    document numbered under it.
    """
    row = get_numbering(session=session, scope=scope, numbering_id=numbering_id)
    mine = _resolution(row)
    ranges = fetch_ranges()
    same_resolution = [r for r in ranges if r.resolution.number == mine.number]
    if not same_resolution:
        found = ", ".join(sorted({r.resolution.number for r in ranges})) or "ninguna"
        raise ValidationError({"resolution_number": (
            f"La DIAN no tiene la resolución {mine.number} asociada al software de la "
            f"organización (resoluciones asociadas: {found}).")})
    best = min(same_resolution, key=lambda r: len(rules.mismatch(mine, r.resolution)))
    if differences := rules.mismatch(mine, best.resolution):
        raise ValidationError(differences)
    row.technical_key_sealed = secret_box().seal_text(best.technical_key)
    row.dian_checked_at = to_utc(clock())
    row.dian_message = "Resolución confirmada con la DIAN."
    session.add(row)
    session.commit()
    return row


def technical_key(row: Numbering) -> str:
    if not row.technical_key_sealed:
        raise ConflictError("El consecutivo aún no tiene la clave técnica de la DIAN.")
    return secret_box().open_text(row.technical_key_sealed)


def state_of(row: Numbering, clock: Clock = system_clock) -> tuple[str, list[str]]:
    today = clock().astimezone(BOGOTA).date()
    res = _resolution(row)
    state = rules.state(res, next_number=row.next_number,
                        verified=row.dian_checked_at is not None, today=today)
    return state, rules.warnings(res, next_number=row.next_number, today=today)


def allocate_number(*, session: Session, scope: Scope, numbering_id: int,
                    clock: Clock = system_clock) -> int:
    """Take the next number atomically: no two documents ever get the same one."""
    row = get_numbering(session=session, scope=scope, numbering_id=numbering_id)
    state, _ = state_of(row, clock)
    if state != rules.ACTIVE:
        raise ConflictError(f"El consecutivo {row.name} no está activo ({state}).")
    result = session.execute(
        update(Numbering).where(col(Numbering.id) == numbering_id,
                                col(Numbering.next_number) <= row.range_to)
        .values(next_number=Numbering.next_number + 1)
        .returning(col(Numbering.next_number)))
    new_next = result.scalar_one_or_none()
    session.commit()
    if new_next is None:
        raise ConflictError(f"Se agotó la numeración del consecutivo {row.name}.")
    return int(new_next) - 1


def advance_past(*, session: Session, organization_id: int, numbering_id: int,
                 number: int) -> None:
    """A number given elsewhere (the PMS numbers its own documents) moves the consecutive's
    next number past it, so its state and warnings count what was used. Not committed."""
    session.execute(update(Numbering).where(
        col(Numbering.id) == numbering_id, col(Numbering.organization_id) == organization_id,
        col(Numbering.next_number) <= number).values(next_number=number + 1))
