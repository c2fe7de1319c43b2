"""Card payments with Stripe PaymentIntents; localstripe or real Stripe by configuration only.

The card number never reaches us: the payer types it into Stripe's card element and
Stripe.js confirms the PaymentIntent with the `client_secret` we hand to the page. The pack
is credited on the signed `payment_intent.succeeded` webhook, never on the browser's word.

Stripe has no deadline on a PaymentIntent, so the ledger calls `cancel` when ours passes;
if the payment succeeded meanwhile, `cancel` returns the APPROVED snapshot instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe

from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.payments.amounts import from_minor_units, to_minor_units
from loggro_app.payments.config import StripeSettings
from loggro_app.payments.gateway import (
    CardDeclined,
    GatewayUnavailable,
    PaymentEvent,
    PaymentRequest,
    PaymentSnapshot,
    PaymentStart,
    PaymentStatus,
    WebhookRejected,
)

log = logging.getLogger(__name__)

PROVIDER = "stripe"

# Webhook types that change a payment; any other type is acknowledged and ignored.
# `payment_failed` is one failed attempt (see gateway.next_status: a later success counts).
EVENT_STATUS = {
    "payment_intent.succeeded": PaymentStatus.APPROVED,
    "payment_intent.payment_failed": PaymentStatus.DECLINED,
    "payment_intent.canceled": PaymentStatus.EXPIRED,
}


@contextmanager
def _stripe_errors() -> Iterator[None]:
    """Stripe's exceptions as ours; only the error code is logged, never keys or secrets."""
    try:
        yield
    except stripe.CardError as error:
        log.info("stripe declined a card: %s", error.code)
        raise CardDeclined("El banco rechazó la tarjeta. Intenta con otra tarjeta.") from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        log.warning("stripe unreachable: %s", type(error).__name__)
        raise GatewayUnavailable("No fue posible comunicarse con Stripe.") from error
    except stripe.StripeError as error:
        log.warning("stripe error %s (%s)", error.http_status, error.code)
        if error.http_status is not None and error.http_status >= 500:
            raise GatewayUnavailable("Stripe no está disponible en este momento.") from error
        raise PaymentError("Stripe rechazó la solicitud de pago.") from error


def _status_of(intent: dict[str, Any]) -> PaymentStatus:
    status = intent["status"]
    if status == "succeeded":
        return PaymentStatus.APPROVED
    if status == "canceled":
        return PaymentStatus.EXPIRED
    if status == "requires_payment_method" and intent.get("last_payment_error"):
        return PaymentStatus.DECLINED
    return PaymentStatus.PENDING


class StripeGateway:
    provider = PROVIDER

    def __init__(self, settings: StripeSettings, *, client: stripe.StripeClient | None = None):
        self._settings = settings
        # A client of our own instead of stripe.api_key/api_base: no global state, so
        # tests and the app can talk to different servers in one process.
        self._client = client or stripe.StripeClient(
            settings.secret_key,
            base_addresses={"api": settings.api_base},
            max_network_retries=2,
        )

    def start(self, request: PaymentRequest) -> PaymentStart:
        if request.method != "card":
            raise ValidationError({"method": "Stripe solo recibe pagos con tarjeta."})
        params: dict[str, Any] = {
            "amount": to_minor_units(request.amount, request.currency),
            "currency": request.currency.lower(),
            "payment_method_types": ["card"],
            # `description` would be nicer, but localstripe rejects that parameter; the
            # metadata carries it to the Stripe dashboard just as well.
            "metadata": {"reference": request.reference, "description": request.description},
        }
        with _stripe_errors():
            intent = self._client.v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key or request.reference},
            )
        return PaymentStart(
            provider=PROVIDER,
            provider_payment_id=intent.id,
            status=PaymentStatus.PENDING,
            client_secret=intent.client_secret,
            expires_at=request.expires_at,
        )

    def parse_webhook(self, raw_body: bytes, signature_header: str) -> PaymentEvent | None:
        """A verified event, or None for types we ignore; WebhookRejected if not authentic."""
        try:
            event = stripe.Webhook.construct_event(
                raw_body,
                signature_header,
                self._settings.webhook_secret,
                tolerance=self._settings.webhook_tolerance_seconds,
            )
        except stripe.SignatureVerificationError as error:
            raise WebhookRejected("La firma de la notificación de Stripe no es válida.") from error
        except ValueError as error:
            raise WebhookRejected("La notificación de Stripe no es JSON válido.") from error
        status = EVENT_STATUS.get(event.type)
        if status is None:
            return None
        # The verified raw body, read as plain JSON: simpler than the SDK's object graph.
        try:
            intent = json.loads(raw_body)["data"]["object"]
            currency = str(intent["currency"]).upper()
            return PaymentEvent(
                provider=PROVIDER,
                event_id=event.id,
                provider_payment_id=intent["id"],
                status=status,
                amount=from_minor_units(int(intent["amount"]), currency),
                raw_type=event.type,
                currency=currency,
                reference=(intent.get("metadata") or {}).get("reference"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise WebhookRejected("La notificación de Stripe no trae un pago.") from error

    def retrieve(self, provider_payment_id: str) -> PaymentSnapshot:
        with _stripe_errors():
            intent = self._client.v1.payment_intents.retrieve(provider_payment_id)
        return self._snapshot(intent)

    def client_secret(self, provider_payment_id: str) -> str:
        """The intent's client secret, for Stripe.js to finish a 3-D Secure confirmation: read
        when it is needed, so no page state has to keep it."""
        with _stripe_errors():
            intent = self._client.v1.payment_intents.retrieve(provider_payment_id)
        return str(intent.client_secret or "")

    def confirm(self, provider_payment_id: str, payment_method: str) -> PaymentSnapshot:
        """Confirm server-side with an existing payment method (pm_..., card_...).

        Raises CardDeclined. Tests use Stripe's test methods (pm_card_visa, ...).
        """
        with _stripe_errors():
            # Two calls because localstripe refuses `payment_method` on confirm; real
            # Stripe accepts both forms.
            self._client.v1.payment_intents.update(
                provider_payment_id, params={"payment_method": payment_method}
            )
            intent = self._client.v1.payment_intents.confirm(provider_payment_id)
        return self._snapshot(intent)

    def confirm_with_token(self, provider_payment_id: str, token: str) -> str:
        """Confirm with the token Stripe.js `createToken(cardElement)` made in the browser.

        Returns Stripe's intent status: "succeeded", "processing", or "requires_action"
        (the page then calls `stripe.confirmCardPayment(clientSecret)` for 3-D Secure).
        Raises CardDeclined. Crediting still waits for the webhook.
        """
        with _stripe_errors():
            if self._settings.is_local:
                # localstripe cannot build a payment method from a token, and its
                # Stripe.js stand-in cannot confirm a card element; the token's card can.
                card = self._client.v1.tokens.retrieve(token).card
                if card is None:
                    raise ValidationError({"card": "Stripe no entregó una tarjeta válida."})
                card_id = card.id
                self._client.v1.payment_intents.update(
                    provider_payment_id, params={"payment_method": card_id}
                )
                intent = self._client.v1.payment_intents.confirm(provider_payment_id)
            else:
                card_data: dict[str, Any] = {"type": "card", "card": {"token": token}}
                intent = self._client.v1.payment_intents.confirm(
                    provider_payment_id,
                    params={"payment_method_data": card_data},  # type: ignore[arg-type]
                )
        return str(intent.status)

    def cancel(self, provider_payment_id: str) -> PaymentSnapshot:
        """Close an intent whose deadline passed; a succeeded one is returned as APPROVED."""
        try:
            with _stripe_errors():
                intent = self._client.v1.payment_intents.cancel(provider_payment_id)
        except PaymentError as error:
            if isinstance(error, GatewayUnavailable):
                raise
            # Stripe refuses to cancel a succeeded intent: report what really happened.
            return self.retrieve(provider_payment_id)
        return self._snapshot(intent)

    @staticmethod
    def _snapshot(resource: stripe.PaymentIntent) -> PaymentSnapshot:
        # Plain dict: since stripe 15 its objects no longer behave as dicts.
        intent = resource.to_dict()
        currency = str(intent["currency"]).upper()
        metadata = intent.get("metadata") or {}
        return PaymentSnapshot(
            provider=PROVIDER,
            provider_payment_id=intent["id"],
            status=_status_of(intent),
            amount=from_minor_units(int(intent["amount"]), currency),
            currency=currency,
            reference=metadata.get("reference"),
        )
