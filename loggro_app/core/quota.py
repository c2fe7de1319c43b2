"""The electronic-document quota as an append-only ledger of movements (pure).

Rules (Loggro's help page on extra document packs):
- a counted document may be issued while plan or purchased documents remain;
- one is deducted only when the document is finalized (accepted by DIAN), plan first;
- a new billing period restores the plan's allotment and keeps the purchased ones left;
- purchased documents survive *extracción* (nothing is recorded for it) and are lost on
  *inactividad* (`forfeit_on_inactivity`).

The movements are the truth: `standing` derives from them everything a rule needs, and
the rules themselves (`balance_given`, `reserve_given`, ...) read only that `Standing`.
The ledger service keeps two running counters of it (purchased left, units held) next to
the subscription, advanced by `Standing.after` in the transaction that appends each
movement, so that a decision does not replay years of movements; tests hold the counters
to the replay. The plan's allotment needs no "period opened" movement either: the
period is a function of the subscription's anchor date and the clock, so a missed batch job
cannot leave an organization without its documents.

Issuing flow, as the service drives it (one organization's movements read and appended
under a row lock, in the order they were recorded):
    reserve  -> holds one unit while the document is in flight (refused if none remains)
    commit   -> DIAN accepted it: the hold becomes a consumption (plan_consume/pack_consume)
    release  -> DIAN rejected it or it was abandoned: the unit is free again
Each returns the Movement to append, or None when there is nothing to record (the kind is
not counted, the document is already held/counted, the payment already credited), so that
retries are harmless. A document is counted at most once even if a log holds two
consumptions for it; a unique index on (organization, document_key) for consumptions is
the database's half of that promise.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from loggro_app.core.clock import BOGOTA
from loggro_app.core.errors import ConflictError
from loggro_app.core.plans import YEAR, Catalog, Plan, default_catalog, parse_pack_count

RESERVE = "reserve"
RELEASE = "release"
PLAN_CONSUME = "plan_consume"
PACK_CONSUME = "pack_consume"
PACK_CREDIT = "pack_credit"
PURCHASED_FORFEIT = "purchased_forfeit"
MOVEMENT_KINDS = frozenset(
    {RESERVE, RELEASE, PLAN_CONSUME, PACK_CONSUME, PACK_CREDIT, PURCHASED_FORFEIT}
)
_CONSUMPTIONS = frozenset({PLAN_CONSUME, PACK_CONSUME})
_DOCUMENT_MOVEMENTS = _CONSUMPTIONS | {RESERVE, RELEASE}

NO_DOCUMENTS_LEFT = (
    "No tienes documentos electrónicos disponibles: se agotaron los de tu plan en este "
    "periodo y los adquiridos. Compra un paquete adicional en Mis planes y pagos."
)


@dataclass(frozen=True)
class Movement:
    kind: str
    at: datetime
    quantity: int = 1
    document_key: str | None = None  # the document's stable identity (e.g. its CUFE or id)
    document_kind: str | None = None  # plans.INVOICE, plans.SUPPORT_DOCUMENT, ...
    payment_reference: str | None = None  # for pack credits: the confirmed payment
    reason: str = ""  # free text for the history, e.g. "Aceptado por la DIAN"

    def __post_init__(self) -> None:
        if self.kind not in MOVEMENT_KINDS:
            raise ValueError(f"unknown movement kind {self.kind!r}")
        if self.at.tzinfo is None:
            raise ValueError("movement time must be timezone-aware")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise ValueError("movement quantity must be an integer")
        if self.quantity < 1 or (self.kind in _DOCUMENT_MOVEMENTS and self.quantity != 1):
            raise ValueError(f"{self.kind} quantity {self.quantity} is not allowed")
        if self.kind in _DOCUMENT_MOVEMENTS and not self.document_key:
            raise ValueError(f"{self.kind} needs a document_key")
        if self.kind == PACK_CREDIT and not self.payment_reference:
            raise ValueError("pack_credit needs a payment_reference")


@dataclass(frozen=True)
class Subscription:
    plan: Plan
    anchor: date  # first day of the first billing period; later periods start on its day


@dataclass(frozen=True)
class Balance:
    plan_allotment: int
    plan_used: int
    plan_available: int
    purchased_available: int
    reserved: int  # units held by documents in flight
    available_total: int  # what may still be issued now
    period_start: datetime
    period_end: datetime  # exclusive: the plan's allotment is restored at this instant
    # documents counted beyond the allotment this period (mandatory receptions, `overdraw`)
    overdrawn: int = 0


@dataclass(frozen=True)
class Standing:
    """What the movements establish that the rules need, about one document or payment."""

    plan_used: int  # documents counted from the plan in the current period
    purchased: int  # purchased documents left
    held: int  # units held by documents in flight
    document_held: bool = False  # the document asked about holds a unit
    document_counted: bool = False  # ... was counted already
    payment_credited: bool = False  # the payment asked about was credited already

    def after(self, movement: Movement) -> Standing:
        """The standing once `movement` (about this document or payment) is appended."""
        plan_used, purchased, held = self.plan_used, self.purchased, self.held
        if movement.kind == RESERVE and not (self.document_counted or self.document_held):
            held += 1
        elif movement.kind == RELEASE and self.document_held:
            held -= 1
        elif movement.kind in _CONSUMPTIONS and not self.document_counted:
            held -= int(self.document_held)
            if movement.kind == PLAN_CONSUME:
                plan_used += 1
            else:
                purchased -= 1
        elif movement.kind == PACK_CREDIT and not self.payment_credited:
            purchased += movement.quantity
        elif movement.kind == PURCHASED_FORFEIT:
            purchased -= movement.quantity
        # Even a log corrupted by hand cannot show a negative purchased balance.
        return replace(self, plan_used=plan_used, purchased=max(0, purchased), held=held)


@dataclass
class _Ledger:
    """What a replay of the movements establishes (working state, never stored)."""

    consumed: dict[str, Movement] = field(default_factory=dict)  # first consumption per key
    reserved: set[str] = field(default_factory=set)
    credited: set[str] = field(default_factory=set)  # payment references already credited
    purchased: int = 0


def _replay(movements: Iterable[Movement]) -> _Ledger:
    ledger = _Ledger()
    for movement in movements:
        key = movement.document_key or ""
        if movement.kind == RESERVE and key not in ledger.consumed:
            ledger.reserved.add(key)
        elif movement.kind == RELEASE:
            ledger.reserved.discard(key)
        elif movement.kind in _CONSUMPTIONS and key not in ledger.consumed:
            ledger.consumed[key] = movement
            ledger.reserved.discard(key)
            if movement.kind == PACK_CONSUME:
                ledger.purchased -= 1
        elif movement.kind == PACK_CREDIT and movement.payment_reference not in ledger.credited:
            ledger.credited.add(movement.payment_reference or "")
            ledger.purchased += movement.quantity
        elif movement.kind == PURCHASED_FORFEIT:
            ledger.purchased -= movement.quantity
        # Even a log corrupted by hand cannot show a negative purchased balance.
        ledger.purchased = max(0, ledger.purchased)
    return ledger


def _add_months(anchor: date, months: int) -> date:
    """`anchor` moved by whole months, its day clamped to the month's end (31 -> 28 Feb)."""
    year, month_index = divmod(anchor.month - 1 + months, 12)
    year += anchor.year
    day = min(anchor.day, calendar.monthrange(year, month_index + 1)[1])
    return date(year, month_index + 1, day)


def current_period(plan: Plan, anchor_date: date, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the billing period containing `now`, midnight to midnight in Bogotá.

    Periods repeat on the anchor's day of the month (monthly plans) or its anniversary
    (yearly plans). Each boundary is computed from the anchor, not from the previous
    boundary, so an anchor on the 31st gives 28 Feb and then 31 Mar again.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(BOGOTA).date()
    if today < anchor_date:
        raise ValueError(f"{today} is before the subscription started ({anchor_date})")
    step = 12 if plan.period == YEAR else 1
    elapsed_months = (today.year - anchor_date.year) * 12 + today.month - anchor_date.month
    index = elapsed_months // step
    if _add_months(anchor_date, index * step) > today:
        index -= 1
    start = _add_months(anchor_date, index * step)
    end = _add_months(anchor_date, (index + 1) * step)
    return (datetime.combine(start, time(), BOGOTA), datetime.combine(end, time(), BOGOTA))


def standing(movements: Iterable[Movement], subscription: Subscription, now: datetime,
             document_key: str | None = None,
             payment_reference: str | None = None) -> Standing:
    """Replay every movement: the definition the ledger's counters are held to."""
    ledger = _replay(movements)
    start, end = current_period(subscription.plan, subscription.anchor, now)
    return Standing(
        plan_used=sum(1 for m in ledger.consumed.values()
                      if m.kind == PLAN_CONSUME and start <= m.at < end),
        purchased=ledger.purchased,
        held=len(ledger.reserved),
        document_held=document_key in ledger.reserved,
        document_counted=document_key in ledger.consumed,
        payment_credited=payment_reference in ledger.credited,
    )


def balance_given(current: Standing, subscription: Subscription, now: datetime) -> Balance:
    start, end = current_period(subscription.plan, subscription.anchor, now)
    allotment = subscription.plan.quota
    plan_available = max(0, allotment - current.plan_used)
    return Balance(
        plan_allotment=allotment,
        plan_used=current.plan_used,
        plan_available=plan_available,
        purchased_available=current.purchased,
        reserved=current.held,
        available_total=max(0, plan_available + current.purchased - current.held),
        period_start=start,
        period_end=end,
        overdrawn=max(0, current.plan_used - allotment),
    )


def balance(movements: Iterable[Movement], subscription: Subscription, now: datetime) -> Balance:
    return balance_given(standing(movements, subscription, now), subscription, now)


def reserve_given(current: Standing, subscription: Subscription, document_key: str,
                  document_kind: str, now: datetime) -> Movement | None:
    """Hold one unit for a document about to be sent; ConflictError if none remains."""
    if not subscription.plan.counts(document_kind):
        return None
    if current.document_counted or current.document_held:
        return None
    if balance_given(current, subscription, now).available_total < 1:
        raise ConflictError(NO_DOCUMENTS_LEFT)
    return Movement(RESERVE, now, document_key=document_key, document_kind=document_kind)


def reserve(movements: Iterable[Movement], subscription: Subscription, document_key: str,
            document_kind: str, now: datetime) -> Movement | None:
    return reserve_given(standing(movements, subscription, now, document_key), subscription,
                         document_key, document_kind, now)


def commit_given(current: Standing, subscription: Subscription, document_key: str,
                 document_kind: str, now: datetime, reason: str = "", *,
                 overdraw: bool = False) -> Movement | None:
    """Count a finalized document: from the plan while it lasts, then from purchased ones.

    A held unit is always honoured: the reservation guaranteed it when it was taken. (Only
    a plan downgrade in mid-period can leave no pool with room; the unit is then charged to
    the plan, whose available count shows 0, never less.) Without a hold, one must remain,
    unless `overdraw`: a document the law obliges to take (a supplier's invoice received)
    is counted even with nothing left, charged to the plan beyond its allotment so that
    `Balance.overdrawn` shows it; the next period's allotment starts afresh.
    """
    if not subscription.plan.counts(document_kind):
        return None
    if current.document_counted:
        return None
    now_balance = balance_given(current, subscription, now)
    exhausted = not current.document_held and now_balance.available_total < 1
    if exhausted and not overdraw:
        raise ConflictError(NO_DOCUMENTS_LEFT)
    # Overdrawn units go to the plan: purchased ones left are held by documents in flight.
    use_plan = (now_balance.plan_available >= 1 or now_balance.purchased_available < 1
                or exhausted)
    kind = PLAN_CONSUME if use_plan else PACK_CONSUME
    return Movement(
        kind, now, document_key=document_key, document_kind=document_kind, reason=reason
    )


def commit(movements: Iterable[Movement], subscription: Subscription, document_key: str,
           document_kind: str, now: datetime, reason: str = "", *,
           overdraw: bool = False) -> Movement | None:
    return commit_given(standing(movements, subscription, now, document_key), subscription,
                        document_key, document_kind, now, reason, overdraw=overdraw)


def release_given(current: Standing, document_key: str, now: datetime,
                  reason: str = "") -> Movement | None:
    """Free the unit held by a document that will not be finalized (None if none is held)."""
    if not current.document_held:
        return None
    return Movement(RELEASE, now, document_key=document_key, reason=reason)


def release(movements: Iterable[Movement], document_key: str, now: datetime,
            reason: str = "") -> Movement | None:
    return release_given(Standing(0, 0, 0, document_held=document_key in _replay(
        movements).reserved), document_key, now, reason)


def credit_pack_given(current: Standing, pack_size: int | str, pack_count: int | str,
                      payment_reference: str, now: datetime,
                      catalog: Catalog | None = None) -> Movement | None:
    """Add the documents of a confirmed purchase.

    None if that payment was credited already: payment gateways (Stripe webhooks, PSE
    callbacks) deliver the same confirmation more than once.
    """
    pack = (catalog or default_catalog()).pack(pack_size)
    count = parse_pack_count(pack_count)
    if current.payment_credited:
        return None
    reason = f"Compra de {count} paquete(s) de {pack.size} documentos"
    return Movement(
        PACK_CREDIT,
        now,
        quantity=pack.size * count,
        payment_reference=payment_reference,
        reason=reason,
    )


def credit_pack(movements: Iterable[Movement], pack_size: int | str, pack_count: int | str,
                payment_reference: str, now: datetime,
                catalog: Catalog | None = None) -> Movement | None:
    credited = payment_reference in _replay(movements).credited
    return credit_pack_given(Standing(0, 0, 0, payment_credited=credited), pack_size,
                             pack_count, payment_reference, now, catalog)


def forfeit_given(current: Standing, subscription: Subscription,
                  now: datetime) -> Movement | None:
    """Remove the purchased documents of an account that entered *inactividad*.

    Units held by documents already in flight are kept when the plan cannot cover them:
    DIAN may still accept those documents, and their consumption must find a unit.
    """
    now_balance = balance_given(current, subscription, now)
    held_by_purchased = max(0, now_balance.reserved - now_balance.plan_available)
    lost = now_balance.purchased_available - held_by_purchased
    if lost < 1:
        return None
    return Movement(
        PURCHASED_FORFEIT,
        now,
        quantity=lost,
        reason="Documentos adquiridos perdidos por inactividad",
    )


def forfeit_on_inactivity(movements: Iterable[Movement], subscription: Subscription,
                          now: datetime) -> Movement | None:
    return forfeit_given(standing(movements, subscription, now), subscription, now)
