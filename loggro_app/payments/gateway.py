"""One interface for every payment gateway, and the payment state machine (pure).

A payment starts PENDING and ends APPROVED, DECLINED or EXPIRED. Gateways report outcomes
as `PaymentEvent`s parsed from signed webhooks; the ledger applies them with `next_status`
and credits a pack only on the transition into APPROVED, so a repeated event credits
nothing.

Exceptions raised by this package (all under the project's tree in `core/errors.py`):

    LoggroError
    ├── ValidationError            a PaymentRequest that cannot be sent (amount, method, dates)
    └── PaymentError               a payment gateway refused or failed
        ├── WebhookRejected        bad signature, stale timestamp or malformed webhook body:
        │                          answer 400 and credit nothing
        ├── IllegalTransition      an event that would move a payment backwards
        │                          (approved → declined, expired → approved, ...)
        ├── GatewayUnavailable     the gateway could not be reached or answered 5xx;
        │                          the caller may retry later
        └── CardDeclined           Stripe refused a server-side confirmation
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Protocol

from loggro_app.core.errors import PaymentError, ValidationError

Method = Literal["card", "pse", "cash"]
METHODS: frozenset[str] = frozenset({"card", "pse", "cash"})


class WebhookRejected(PaymentError):
    pass


class IllegalTransition(PaymentError):
    pass


class GatewayUnavailable(PaymentError):
    pass


class CardDeclined(PaymentError):
    pass


class PaymentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


_P, _A, _D, _E = (
    PaymentStatus.PENDING,
    PaymentStatus.APPROVED,
    PaymentStatus.DECLINED,
    PaymentStatus.EXPIRED,
)

# Reaching the same status again is allowed and means "nothing new" (repeated webhooks).
# DECLINED -> APPROVED is allowed on purpose: a declined card attempt leaves a Stripe
# PaymentIntent open and the payer may succeed with another card; money received must be
# credited. Everything else after a final status is refused, in particular a payment that
# is approved after it expired: the ledger records it and a person refunds it.
_ALLOWED: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    _P: frozenset({_P, _A, _D, _E}),
    _D: frozenset({_D, _A}),
    _A: frozenset({_A}),
    _E: frozenset({_E}),
}


def next_status(current: PaymentStatus, event_status: PaymentStatus) -> PaymentStatus:
    """The status after applying an event; raises IllegalTransition when it is not allowed."""
    if event_status not in _ALLOWED[current]:
        raise IllegalTransition(
            f"El pago está {LABELS[current]} y no puede pasar a {LABELS[event_status]}."
        )
    return event_status


def is_final(status: PaymentStatus) -> bool:
    return status in (_A, _E)


LABELS: dict[PaymentStatus, str] = {
    _P: "pendiente",
    _A: "aprobado",
    _D: "rechazado",
    _E: "vencido",
}


@dataclass(frozen=True)
class PaymentRequest:
    reference: str  # ours, unique per purchase; also the idempotency key
    amount: Decimal  # in currency units (pesos), not cents
    currency: str
    description: str
    method: Method
    return_url: str
    notify_url: str
    expires_at: datetime
    idempotency_key: str = ""  # another attempt at the same purchase needs its own

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if not self.reference.strip() or len(self.reference) > 64:
            errors["reference"] = "La referencia del pago debe tener entre 1 y 64 caracteres."
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            errors["amount"] = "El valor del pago no es válido."
        elif self.amount <= 0 or self.amount != self.amount.quantize(Decimal("0.01")):
            errors["amount"] = "El valor del pago debe ser positivo y tener máximo dos decimales."
        if self.method not in METHODS:
            errors["method"] = "Selecciona un medio de pago: tarjeta, PSE o efectivo."
        if self.expires_at.tzinfo is None:
            errors["expires_at"] = "La fecha de vencimiento debe tener zona horaria."
        if len(self.currency) != 3:
            errors["currency"] = "La moneda debe ser un código ISO de tres letras."
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class PaymentStart:
    provider: str
    provider_payment_id: str
    status: PaymentStatus
    client_secret: str | None = None  # Stripe.js only; never logged
    redirect_url: str | None = None  # PSE checkout / cash reference page
    expires_at: datetime | None = None
    payment_code: str | None = None  # cash: the number the payer quotes at the cash desk

    def __repr__(self) -> str:
        hidden = "***" if self.client_secret else None
        return (
            f"PaymentStart(provider={self.provider!r}, "
            f"provider_payment_id={self.provider_payment_id!r}, status={self.status!r}, "
            f"client_secret={hidden!r}, redirect_url={self.redirect_url!r}, "
            f"expires_at={self.expires_at!r}, payment_code={self.payment_code!r})"
        )


@dataclass(frozen=True)
class PaymentEvent:
    provider: str
    event_id: str  # unique per provider: the ledger's idempotency key
    provider_payment_id: str
    status: PaymentStatus
    amount: Decimal  # currency units, as the gateway reports it
    raw_type: str
    currency: str = "COP"
    reference: str | None = None  # ours, when the gateway echoes it back


@dataclass(frozen=True)
class PaymentSnapshot:
    """What the gateway says about a payment now, for reconciliation."""

    provider: str
    provider_payment_id: str
    status: PaymentStatus
    amount: Decimal
    currency: str
    reference: str | None = None


class PaymentGateway(Protocol):
    provider: str

    def start(self, request: PaymentRequest) -> PaymentStart: ...

    def parse_webhook(self, raw_body: bytes, signature_header: str) -> PaymentEvent | None: ...

    def retrieve(self, provider_payment_id: str) -> PaymentSnapshot: ...

    def cancel(self, provider_payment_id: str) -> PaymentSnapshot: ...
