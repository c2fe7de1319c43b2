"""Confirming a card payment with the token Stripe.js made from Stripe's card element.

The card number never reaches us: the page hands us Stripe's token, we attach it to the
purchase's PaymentIntent and confirm it. The pack is still credited only by the signed
`payment_intent.succeeded` webhook.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from loggro_app.core.errors import ValidationError
from loggro_app.payments.gateway import PaymentStatus
from loggro_app.services import purchases
from loggro_app.services.payment_gateways import stripe_gateway
from loggro_app.services.scope import Scope


@dataclass(frozen=True)
class CardOutcome:
    requires_action: bool
    message: str


def confirm_card(*, session: Session, scope: Scope, reference: str, token: str) -> CardOutcome:
    purchase = purchases.purchase_by_reference(session=session, scope=scope, reference=reference)
    if purchase.method != "card" or purchase.status != PaymentStatus.PENDING.value:
        raise ValidationError({"reference": "Esta compra ya no espera un pago con tarjeta."})
    if not token.startswith("tok_"):
        raise ValidationError({"card": "Stripe no entregó una tarjeta válida."})
    result = stripe_gateway().confirm_with_token(purchase.provider_payment_id, token)
    if result == "requires_action":
        return CardOutcome(True, "")
    return CardOutcome(False, "Pago enviado. Esperando la confirmación de Stripe…")
