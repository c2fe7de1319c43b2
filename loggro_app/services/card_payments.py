"""Confirming a card payment with the token Stripe.js made from Stripe's card element.

The card number never reaches us: the page hands us Stripe's token, we attach it to the
purchase's PaymentIntent and confirm it. The pack is still credited only by the signed
`payment_intent.succeeded` webhook.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass

from sqlmodel import Session

from loggro_app.core.clock import Clock, aware, system_clock, to_utc
from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.models import PackPurchase
from loggro_app.payments.gateway import CardDeclined, PaymentRequest, PaymentStatus
from loggro_app.payments.stripe_gateway import StripeGateway
from loggro_app.services import purchases
from loggro_app.services.payment_gateways import stripe_gateway
from loggro_app.services.scope import Scope


@dataclass(frozen=True)
class CardOutcome:
    requires_action: bool
    message: str
    client_secret: str = ""  # set when the bank asks Stripe.js to confirm (3-D Secure)


# A declined attempt leaves Stripe's intent waiting for another card: the payer may retry
# in the same dialog until the purchase's deadline (gateway.next_status lets it succeed).
RETRYABLE = {PaymentStatus.PENDING.value, PaymentStatus.DECLINED.value}


def confirm_card(*, session: Session, scope: Scope, reference: str, token: str,
                 gateway: StripeGateway | None = None,
                 clock: Clock = system_clock) -> CardOutcome:
    purchase = purchases.purchase_by_reference(session=session, scope=scope, reference=reference)
    if purchase.method != "card" or purchase.status not in RETRYABLE \
            or aware(purchase.expires_at) <= to_utc(clock()):
        raise ValidationError({"reference": (
            "Esta compra ya no espera un pago con tarjeta: cierra y empieza una compra nueva.")})
    if not token.startswith("tok_"):
        raise ValidationError({"card": "Stripe no entregó una tarjeta válida."})
    card_gateway = gateway or stripe_gateway()
    try:
        result = card_gateway.confirm_with_token(purchase.provider_payment_id or "", token)
    except CardDeclined as exc:
        _fresh_intent(session, purchase, card_gateway)
        return CardOutcome(False, f"{exc.message} Puedes intentarlo de nuevo con otra tarjeta.")
    if result == "requires_action":
        return CardOutcome(True, "", client_secret=card_gateway.client_secret(
            purchase.provider_payment_id or ""))
    return CardOutcome(False, "Pago enviado. Esperando la confirmación de Stripe…")


def renew_card_intent(*, session: Session, purchase: PackPurchase,
                      gateway: StripeGateway | None = None) -> str:
    """Pick up a pending card checkout again; returns the new intent's client secret."""
    if purchase.method != "card" or purchase.status != PaymentStatus.PENDING.value:
        raise ValidationError({"reference": "Esta compra ya no espera un pago con tarjeta."})
    return _fresh_intent(session, purchase, gateway or stripe_gateway())


def _fresh_intent(session: Session, purchase: PackPurchase, gateway: StripeGateway) -> str:
    """Give the purchase a new PaymentIntent after a decline; returns its client secret.

    Stripe lets a declined intent be confirmed again, localstripe does not; a new intent
    works with both. The old one is cancelled, and its late `payment_failed` webhook no
    longer matches the purchase.
    """
    old = purchase.provider_payment_id or ""
    start = gateway.start(PaymentRequest(
        reference=purchase.reference, amount=purchase.total, currency="COP",
        description=purchases.description_of(purchase), method="card", return_url="",
        notify_url="", expires_at=aware(purchase.expires_at),
        idempotency_key=f"{purchase.reference}-{secrets.token_hex(4)}"))
    with contextlib.suppress(PaymentError):
        gateway.cancel(old)
    purchase.provider_payment_id = purchase.payment_code = start.provider_payment_id
    purchase.status = PaymentStatus.PENDING.value
    session.add(purchase)
    session.commit()
    return start.client_secret or ""
