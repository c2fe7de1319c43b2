"""The document quota of an organization, persisted as append-only movements.

Every operation that may append runs `_lock` first: an UPDATE of the organization's
subscription row. On SQLite that takes the database write lock for the rest of the
transaction, on PostgreSQL the row lock; either way concurrent consumers of one
organization run one after another, so the balance they read is the balance they change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from loggro_app.core import quota
from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import NotFoundError, ValidationError
from loggro_app.core.plans import plan as plan_by_code
from loggro_app.models import LedgerMovement, Subscription

STATUSES = {"activa": "Activa", "extraccion": "Extracción", "inactividad": "Inactividad"}


def _row(organization_id: int, movement: quota.Movement) -> LedgerMovement:
    return LedgerMovement(
        organization_id=organization_id, kind=movement.kind, at=to_utc(movement.at),
        quantity=movement.quantity, document_key=movement.document_key,
        document_kind=movement.document_kind, payment_reference=movement.payment_reference,
        reason=movement.reason,
    )


def _movement(row: LedgerMovement) -> quota.Movement:
    return quota.Movement(
        kind=row.kind, at=aware(row.at), quantity=row.quantity, document_key=row.document_key,
        document_kind=row.document_kind, payment_reference=row.payment_reference,
        reason=row.reason,
    )


def create_subscription(*, session: Session, organization_id: int, plan_code: str,
                        anchor: date) -> Subscription:
    plan_by_code(plan_code)  # refuses unknown plans
    row = Subscription(organization_id=organization_id, plan_code=plan_code, anchor_date=anchor)
    session.add(row)
    session.commit()
    return row


def subscription_row(session: Session, organization_id: int) -> Subscription:
    row = session.exec(
        select(Subscription).where(Subscription.organization_id == organization_id)
    ).first()
    if row is None:
        raise NotFoundError("Tu organización no tiene un plan activo.")
    return row


def _domain(row: Subscription) -> quota.Subscription:
    return quota.Subscription(plan=plan_by_code(row.plan_code), anchor=row.anchor_date)


def movements(session: Session, organization_id: int) -> list[quota.Movement]:
    rows = session.exec(
        select(LedgerMovement).where(LedgerMovement.organization_id == organization_id)
        .order_by(col(LedgerMovement.id))
    ).all()
    return [_movement(r) for r in rows]


def ledger_version(*, session: Session, organization_id: int) -> int:
    """Grows with every movement: pages compare it to know when to refresh their counters."""
    last = session.exec(
        select(LedgerMovement.id).where(LedgerMovement.organization_id == organization_id)
        .order_by(col(LedgerMovement.id).desc()).limit(1)
    ).first()
    return int(last or 0)


def balance(*, session: Session, organization_id: int,
            clock: Clock = system_clock) -> quota.Balance:
    sub = _domain(subscription_row(session, organization_id))
    return quota.balance(movements(session, organization_id), sub, clock())


def _lock(session: Session, organization_id: int) -> Subscription:
    session.execute(
        update(Subscription).where(col(Subscription.organization_id) == organization_id)
        .values(lock_version=Subscription.lock_version + 1)
    )
    return subscription_row(session, organization_id)


Operation = Callable[[list[quota.Movement], quota.Subscription, datetime],
                     "quota.Movement | None"]


def _append(session: Session, organization_id: int, operation: Operation,
            clock: Clock) -> quota.Movement | None:
    """Run one ledger operation under the lock and append what it returns, atomically."""
    try:
        sub = _domain(_lock(session, organization_id))
        movement = operation(movements(session, organization_id), sub, clock())
        if movement is not None:
            session.add(_row(organization_id, movement))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return movement


def reserve(*, session: Session, organization_id: int, document_key: str, document_kind: str,
            clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda ms, sub, now: quota.reserve(
        ms, sub, document_key, document_kind, now), clock)


def commit(*, session: Session, organization_id: int, document_key: str, document_kind: str,
           reason: str = "", overdraw: bool = False,
           clock: Clock = system_clock) -> quota.Movement | None:
    """Count a finalized document; `overdraw` counts it even with none left (see quota)."""
    return _append(session, organization_id, lambda ms, sub, now: quota.commit(
        ms, sub, document_key, document_kind, now, reason, overdraw=overdraw), clock)


def release(*, session: Session, organization_id: int, document_key: str, reason: str = "",
            clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda ms, _sub, now: quota.release(
        ms, document_key, now, reason), clock)


def credit_pack(*, session: Session, organization_id: int, pack_size: int, pack_count: int,
                payment_reference: str, clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda ms, _sub, now: quota.credit_pack(
        ms, pack_size, pack_count, payment_reference, now), clock)


def set_status(*, session: Session, organization_id: int, status: str,
               clock: Clock = system_clock) -> quota.Movement | None:
    """Move the account to activa / extraccion / inactividad (the last forfeits packs)."""
    if status not in STATUSES:
        raise ValidationError({"status": f"Estado de cuenta desconocido: {status}."})

    def change(ms: list[quota.Movement], sub: quota.Subscription,
               now: datetime) -> quota.Movement | None:
        row = subscription_row(session, organization_id)
        row.status = status
        session.add(row)
        return quota.forfeit_on_inactivity(ms, sub, now) if status == "inactividad" else None

    return _append(session, organization_id, change, clock)
