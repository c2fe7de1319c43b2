"""The document quota of an organization, persisted as append-only movements.

Every operation that may append runs `_lock` first: an UPDATE of the organization's
subscription row. On SQLite that takes the database write lock for the rest of the
transaction, on PostgreSQL the row lock; either way concurrent consumers of one
organization run one after another, so the balance they read is the balance they change.

A decision reads a `quota.Standing`, not the whole log: the subscription row carries the
running counters (purchased left, units held), this period's plan use is one indexed
count, and the document or payment asked about is looked up by its key. So issuing costs
the same for an organization with ten documents and one with a million. `standing_audit`
replays the full log to check the counters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from loggro_app.core import quota
from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import NotFoundError, ValidationError
from loggro_app.core.plans import plan as plan_by_code
from loggro_app.core.usage import month_windows
from loggro_app.models import LedgerMovement, Subscription
from loggro_app.services.owned import save_changes

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
    # populate_existing: the counters must be the database's, not a copy the session kept
    row = session.exec(
        select(Subscription).where(Subscription.organization_id == organization_id)
        .execution_options(populate_existing=True)
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
    """Grows with every ledger transaction: pages compare it to know when to refresh."""
    return subscription_row(session, organization_id).lock_version


def _plan_used(session: Session, organization_id: int, sub: quota.Subscription,
               now: datetime) -> int:
    """Plan consumptions in the current period (one per document: a unique index)."""
    start, end = quota.current_period(sub.plan, sub.anchor, now)
    return int(session.exec(select(func.count()).select_from(LedgerMovement).where(
        LedgerMovement.organization_id == organization_id,
        LedgerMovement.kind == quota.PLAN_CONSUME,
        col(LedgerMovement.at) >= to_utc(start), col(LedgerMovement.at) < to_utc(end),
    )).one())


def _document_flags(session: Session, organization_id: int,
                    document_key: str) -> tuple[bool, bool]:
    """(holds a unit, counted already) for one document, from its own movements."""
    kinds = session.exec(select(LedgerMovement.kind).where(
        LedgerMovement.organization_id == organization_id,
        LedgerMovement.document_key == document_key,
    ).order_by(col(LedgerMovement.id))).all()
    counted = any(k in (quota.PLAN_CONSUME, quota.PACK_CONSUME) for k in kinds)
    holds = [k for k in kinds if k in (quota.RESERVE, quota.RELEASE)]
    return (not counted and bool(holds) and holds[-1] == quota.RESERVE), counted


def _credited(session: Session, organization_id: int, payment_reference: str) -> bool:
    return session.exec(select(LedgerMovement.id).where(
        LedgerMovement.organization_id == organization_id,
        LedgerMovement.kind == quota.PACK_CREDIT,
        LedgerMovement.payment_reference == payment_reference,
    ).limit(1)).first() is not None


def _standing(session: Session, row: Subscription, sub: quota.Subscription, now: datetime,
              document_key: str | None = None,
              payment_reference: str | None = None) -> quota.Standing:
    held, counted = (_document_flags(session, row.organization_id, document_key)
                     if document_key else (False, False))
    return quota.Standing(
        plan_used=_plan_used(session, row.organization_id, sub, now),
        purchased=row.purchased, held=row.held,
        document_held=held, document_counted=counted,
        payment_credited=bool(payment_reference) and _credited(
            session, row.organization_id, payment_reference or ""),
    )


def standing_audit(*, session: Session, organization_id: int,
                   clock: Clock = system_clock) -> tuple[quota.Standing, quota.Standing]:
    """(what the counters say, what a replay of every movement says): equal unless the
    log was changed by hand, outside this module."""
    row = subscription_row(session, organization_id)
    sub, now = _domain(row), clock()
    return (_standing(session, row, sub, now),
            quota.standing(movements(session, organization_id), sub, now))


def monthly(*, session: Session, organization_id: int,
            now: datetime) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(documents counted, documents bought) per month of the chart, by indexed counts."""
    counted: list[tuple[str, int]] = []
    bought: list[tuple[str, int]] = []
    for label, start, end in month_windows(now):
        in_month = (LedgerMovement.organization_id == organization_id,
                    col(LedgerMovement.at) >= to_utc(start), col(LedgerMovement.at) < to_utc(end))
        counted.append((label, int(session.exec(
            select(func.count()).select_from(LedgerMovement).where(
                *in_month, col(LedgerMovement.kind).in_([quota.PLAN_CONSUME,
                                                         quota.PACK_CONSUME]))).one())))
        bought.append((label, int(session.exec(
            select(func.coalesce(func.sum(LedgerMovement.quantity), 0)).where(
                *in_month, LedgerMovement.kind == quota.PACK_CREDIT)).one())))
    return counted, bought


def balance(*, session: Session, organization_id: int,
            clock: Clock = system_clock) -> quota.Balance:
    row = subscription_row(session, organization_id)
    sub, now = _domain(row), clock()
    return quota.balance_given(_standing(session, row, sub, now), sub, now)


def _lock(session: Session, organization_id: int) -> Subscription:
    session.execute(
        update(Subscription).where(col(Subscription.organization_id) == organization_id)
        .values(lock_version=Subscription.lock_version + 1)
    )
    return subscription_row(session, organization_id)


Operation = Callable[[quota.Standing, quota.Subscription, datetime],
                     "quota.Movement | None"]


def _append(session: Session, organization_id: int, operation: Operation, clock: Clock,
            document_key: str | None = None,
            payment_reference: str | None = None) -> quota.Movement | None:
    """Run one ledger operation under the lock and append what it returns, atomically,
    with the counters it moves."""
    try:
        row = _lock(session, organization_id)
        sub, now = _domain(row), clock()
        current = _standing(session, row, sub, now, document_key, payment_reference)
        movement = operation(current, sub, now)
        if movement is not None:
            session.add(_row(organization_id, movement))
            moved = current.after(movement)
            row.purchased, row.held = moved.purchased, moved.held
        save_changes(session, row)  # counters, and a status set_status changed
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return movement


def reserve(*, session: Session, organization_id: int, document_key: str, document_kind: str,
            clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda current, sub, now: quota.reserve_given(
        current, sub, document_key, document_kind, now), clock, document_key=document_key)


def commit(*, session: Session, organization_id: int, document_key: str, document_kind: str,
           reason: str = "", overdraw: bool = False,
           clock: Clock = system_clock) -> quota.Movement | None:
    """Count a finalized document; `overdraw` counts it even with none left (see quota)."""
    return _append(session, organization_id, lambda current, sub, now: quota.commit_given(
        current, sub, document_key, document_kind, now, reason, overdraw=overdraw), clock,
        document_key=document_key)


def release(*, session: Session, organization_id: int, document_key: str, reason: str = "",
            clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda current, _sub, now: quota.release_given(
        current, document_key, now, reason), clock, document_key=document_key)


def credit_pack(*, session: Session, organization_id: int, pack_size: int, pack_count: int,
                payment_reference: str, clock: Clock = system_clock) -> quota.Movement | None:
    return _append(session, organization_id, lambda current, _sub, now: quota.credit_pack_given(
        current, pack_size, pack_count, payment_reference, now), clock,
        payment_reference=payment_reference)


def set_status(*, session: Session, organization_id: int, status: str,
               clock: Clock = system_clock) -> quota.Movement | None:
    """Move the account to activa / extraccion / inactividad (the last forfeits packs)."""
    if status not in STATUSES:
        raise ValidationError({"status": f"Estado de cuenta desconocido: {status}."})

    def change(current: quota.Standing, sub: quota.Subscription,
               now: datetime) -> quota.Movement | None:
        row = subscription_row(session, organization_id)
        row.status = status
        return quota.forfeit_given(current, sub, now) if status == "inactividad" else None

    return _append(session, organization_id, change, clock)
