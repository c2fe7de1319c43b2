"""Buying extra document packs: quote, start the payment, apply the gateway's events.

A pack is credited exactly once, only when its payment is confirmed: the credit and the
purchase's new status are written in one transaction keyed by the purchase reference, and
every webhook is logged by (provider, event id) so a repeated one changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import PaymentError, PermissionDenied, ValidationError
from loggro_app.core.plans import default_catalog
from loggro_app.models import PackPurchase, PaymentEventLog
from loggro_app.payments.gateway import (
    METHODS,
    GatewayUnavailable,
    IllegalTransition,
    PaymentEvent,
    PaymentGateway,
    PaymentRequest,
    PaymentSnapshot,
    PaymentStart,
    PaymentStatus,
    next_status,
)
from loggro_app.services import ledger
from loggro_app.services.scope import Scope

CURRENCY = "COP"  # packs are priced and paid in Colombian pesos only
ONLY_PRINCIPAL = "Solo el usuario principal de la organización puede comprar paquetes."
TERMS_REQUIRED = "Debes aceptar los Términos y condiciones para continuar con el pago."
# How long a started payment may be completed: card and PSE within the session, cash at a bank.
VALIDITY = {"card": timedelta(minutes=30), "pse": timedelta(minutes=30),
            "cash": timedelta(days=3)}


@dataclass(frozen=True)
class Quote:
    pack_size: int
    pack_count: int
    documents: int
    unit_price: Decimal
    total: Decimal


def quote(pack_size: int | str, pack_count: int | str) -> Quote:
    """Price of `pack_count` packs of `pack_size`; precise errors for bad input."""
    errors: dict[str, str] = {}
    catalog = default_catalog()
    try:
        size = int(str(pack_size).strip())
        pack = catalog.pack(size)
    except (ValueError, ValidationError):
        sizes = ", ".join(str(p.size) for p in catalog.packs)
        errors["pack_size"] = f"Selecciona un paquete de {sizes} documentos."
    try:
        count = catalog.pack_count(pack_count)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return Quote(pack.size, count, pack.size * count, pack.price, pack.price * count)


def start_purchase(
    *, session: Session, scope: Scope, pack_size: int | str, pack_count: int | str,
    method: str, terms_accepted: bool, gateway: PaymentGateway, return_url: str,
    notify_url: str, clock: Clock = system_clock,
    new_reference: Callable[[], str] = lambda: secrets.token_hex(5).upper(),
) -> tuple[PackPurchase, PaymentStart]:
    if not scope.is_principal:
        raise PermissionDenied(ONLY_PRINCIPAL)
    errors: dict[str, str] = {}
    try:
        priced = quote(pack_size, pack_count)
    except ValidationError as exc:
        errors.update(exc.errors)
    if method not in METHODS:
        errors["method"] = "Selecciona el medio de pago: tarjeta, PSE o efectivo."
    if not terms_accepted:
        errors["terms"] = TERMS_REQUIRED
    if errors:
        raise ValidationError(errors)
    now = to_utc(clock())
    purchase = PackPurchase(
        organization_id=scope.organization_id, user_id=scope.user_id,
        reference=f"LGP-{scope.organization_id}-{new_reference()}", pack_size=priced.pack_size,
        pack_count=priced.pack_count, documents=priced.documents, unit_price=priced.unit_price,
        total=priced.total, method=method, provider=gateway.provider, terms_accepted_at=now,
        created_at=now, expires_at=now + VALIDITY[method],
    )
    session.add(purchase)
    session.commit()  # recorded before any money moves: nothing is lost if the gateway fails
    request = PaymentRequest(
        reference=purchase.reference, amount=priced.total, currency=CURRENCY,
        description=description_of(purchase),
        method=method, return_url=return_url, notify_url=notify_url,  # type: ignore[arg-type]
        expires_at=aware(purchase.expires_at),
    )
    try:
        start = gateway.start(request)
    except PaymentError:
        purchase.status = PaymentStatus.DECLINED.value
        session.add(purchase)
        session.commit()
        raise
    purchase.provider_payment_id = start.provider_payment_id
    purchase.payment_code = getattr(start, "payment_code", None) or start.provider_payment_id
    session.add(purchase)
    session.commit()
    return purchase, start


def description_of(purchase: PackPurchase) -> str:
    return f"{purchase.pack_count} paquete(s) de {purchase.pack_size} documentos"


def _log(session: Session, event: PaymentEvent, outcome: str, clock: Clock) -> None:
    session.add(PaymentEventLog(
        provider=event.provider, event_id=event.event_id,
        provider_payment_id=event.provider_payment_id, status=event.status.value,
        outcome=outcome, received_at=to_utc(clock()),
    ))


def _seen(session: Session, event: PaymentEvent) -> bool:
    return session.exec(select(PaymentEventLog).where(
        PaymentEventLog.provider == event.provider, PaymentEventLog.event_id == event.event_id,
    )).first() is not None


def apply_event(*, session: Session, event: PaymentEvent, clock: Clock = system_clock) -> str:
    """Apply one verified gateway event; returns what happened (also logged)."""
    if _seen(session, event):
        return "duplicate"
    purchase = session.exec(select(PackPurchase).where(
        PackPurchase.provider == event.provider,
        PackPurchase.provider_payment_id == event.provider_payment_id,
    )).first()
    if purchase is not None and purchase.status == PaymentStatus.PENDING.value \
            and aware(purchase.expires_at) <= to_utc(clock()):
        purchase.status = PaymentStatus.EXPIRED.value  # paid too late: a person refunds it
        session.add(purchase)
    outcome = _outcome(purchase, event)
    if outcome == "apply" and purchase is not None:
        return _apply(session, purchase, event, clock)
    _log(session, event, outcome, clock)
    try:
        session.commit()
    except IntegrityError:  # the same event, delivered twice at the same moment
        session.rollback()
        return "duplicate"
    return outcome


def _mismatch(purchase: PackPurchase, currency: str, reference: str | None,
              amount: Decimal, status: PaymentStatus) -> str:
    """Why the gateway's payment is not this purchase's payment ("" when it is)."""
    if currency.upper() != CURRENCY:
        return "currency_mismatch"
    if reference != purchase.reference:  # both gateways echo our reference back
        return "reference_mismatch"
    if amount != purchase.total and status == PaymentStatus.APPROVED:
        return "amount_mismatch"
    return ""


def _outcome(purchase: PackPurchase | None, event: PaymentEvent) -> str:
    if purchase is None:
        return "unknown_payment"
    if purchase.status == PaymentStatus.EXPIRED.value:
        return "expired_payment"
    mismatch = _mismatch(purchase, event.currency, event.reference, event.amount, event.status)
    if mismatch:
        return mismatch
    try:
        next_status(PaymentStatus(purchase.status), event.status)
    except IllegalTransition:
        return "illegal_transition"
    return "apply"


def _apply(session: Session, purchase: PackPurchase, event: PaymentEvent, clock: Clock) -> str:
    previous = purchase.status
    purchase.status = event.status.value
    credit = event.status == PaymentStatus.APPROVED and previous != PaymentStatus.APPROVED
    outcome = "credited" if credit else f"status_{event.status.value}"
    if credit:
        purchase.confirmed_at = to_utc(clock())
    session.add(purchase)
    _log(session, event, outcome, clock)
    if credit:
        # commits the purchase, the event log and the credit together
        ledger.credit_pack(session=session, organization_id=purchase.organization_id,
                           pack_size=purchase.pack_size, pack_count=purchase.pack_count,
                           payment_reference=purchase.reference, clock=clock)
    else:
        session.commit()
    return outcome


def expire_overdue(*, session: Session, organization_id: int,
                   gateways: Callable[[str], PaymentGateway] | None = None,
                   clock: Clock = system_clock) -> int:
    """Close pending purchases past their deadline; returns how many expired.

    With `gateways`, each payment is cancelled at its gateway first: Stripe has no
    deadline of its own, and a payment that went through while its webhook was lost is
    credited (money received) instead of expired. An unreachable gateway leaves the
    purchase pending for the next try; a gateway that does not know the payment (it
    refuses to cancel or show it) can never be paid, so the purchase expires.
    """
    now = to_utc(clock())
    rows = session.exec(select(PackPurchase).where(
        PackPurchase.organization_id == organization_id,
        PackPurchase.status == PaymentStatus.PENDING.value,
    )).all()
    expired = 0
    for row in [r for r in rows if aware(r.expires_at) <= now]:
        expired += _close(session, row, gateways, clock) == PaymentStatus.EXPIRED.value
    return expired


# A webhook normally arrives within seconds; a pending payment quiet for longer is asked about.
WEBHOOK_GRACE = timedelta(minutes=2)


def reconcile_pending(*, session: Session, gateways: Callable[[str], PaymentGateway],
                      clock: Clock = system_clock, grace: timedelta = WEBHOOK_GRACE) -> int:
    """Ask the gateways about pending purchases whose webhook is late, in every organization;
    returns how many changed.

    A payment approved while its webhook was lost is credited long before the deadline; a
    payment the gateway does not know can never be paid and expires; past the deadline the
    purchase is closed at the gateway (`_close`). An unreachable gateway is asked next time.
    """
    now = to_utc(clock())
    rows = session.exec(select(PackPurchase).where(
        PackPurchase.status == PaymentStatus.PENDING.value,
        col(PackPurchase.provider_payment_id).is_not(None),
    )).all()
    changed = 0
    for row in rows:
        if aware(row.created_at) > now - grace:
            continue
        if aware(row.expires_at) <= now:
            changed += _close(session, row, gateways, clock) != PaymentStatus.PENDING.value
            continue
        try:
            snapshot = gateways(row.provider).retrieve(row.provider_payment_id or "")
        except GatewayUnavailable:
            continue
        except PaymentError:
            snapshot = None
        if snapshot is None:  # the gateway has no such payment: nothing will ever be paid
            row.status = PaymentStatus.EXPIRED.value
            session.add(row)
            session.commit()
            changed += 1
        elif snapshot.status == PaymentStatus.APPROVED:
            outcome = apply_event(session=session, clock=clock, event=PaymentEvent(
                provider=row.provider, event_id=f"reconcile-{row.reference}",
                provider_payment_id=row.provider_payment_id or "",
                status=PaymentStatus.APPROVED, amount=snapshot.amount,
                raw_type="reconciliation", currency=snapshot.currency,
                reference=snapshot.reference))
            changed += outcome == "credited"
    return changed


def _close(session: Session, row: PackPurchase,
           gateways: Callable[[str], PaymentGateway] | None, clock: Clock) -> str:
    """Close a pending purchase at its gateway, then here; returns its final status.

    A payment that went through meanwhile is credited (money received), and an
    unreachable gateway leaves the purchase pending for the next try.
    """
    if gateways is not None and row.provider_payment_id:
        try:
            snapshot: PaymentSnapshot | None = \
                gateways(row.provider).cancel(row.provider_payment_id)
        except GatewayUnavailable:
            return row.status
        except PaymentError:
            snapshot = None  # the gateway no longer knows the payment: nothing to credit
        if snapshot is not None and snapshot.status == PaymentStatus.APPROVED and not \
                _mismatch(row, snapshot.currency, snapshot.reference, snapshot.amount,
                          snapshot.status):
            _apply(session, row, PaymentEvent(
                provider=row.provider, event_id=f"reconcile-{row.reference}",
                provider_payment_id=row.provider_payment_id,
                status=PaymentStatus.APPROVED, amount=snapshot.amount,
                raw_type="reconciliation", currency=snapshot.currency,
                reference=snapshot.reference), clock)
            return row.status
    row.status = PaymentStatus.EXPIRED.value
    session.add(row)
    session.commit()
    return row.status


def cancel_purchase(*, session: Session, scope: Scope, reference: str,
                    gateways: Callable[[str], PaymentGateway],
                    clock: Clock = system_clock) -> PackPurchase:
    """Abandon a pending checkout: closed at its gateway so it can no longer be paid."""
    if not scope.is_principal:
        raise PermissionDenied(ONLY_PRINCIPAL)
    row = purchase_by_reference(session=session, scope=scope, reference=reference)
    if row.status != PaymentStatus.PENDING.value:
        raise ValidationError({"reference": "Esta compra ya no está pendiente de pago."})
    if _close(session, row, gateways, clock) == PaymentStatus.PENDING.value:
        raise PaymentError("No se pudo contactar la pasarela de pago: intenta cancelar de "
                           "nuevo en unos minutos.")
    return row


def list_purchases(*, session: Session, scope: Scope) -> list[PackPurchase]:
    return list(session.exec(select(PackPurchase).where(
        PackPurchase.organization_id == scope.organization_id,
    ).order_by(col(PackPurchase.id).desc())).all())


def purchase_by_reference(*, session: Session, scope: Scope, reference: str) -> PackPurchase:
    row = session.exec(select(PackPurchase).where(
        PackPurchase.organization_id == scope.organization_id,
        PackPurchase.reference == reference,
    )).first()
    if row is None:
        raise ValidationError({"reference": "La compra no existe en tu organización."})
    return row
