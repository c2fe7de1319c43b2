"""Card payments against a real localstripe: intent, confirmation, signed webhook, parse."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
import stripe
from sqlmodel import Session

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import ValidationError
from loggro_app.core.plans import purchase_total
from loggro_app.payments.gateway import (
    CardDeclined,
    PaymentRequest,
    PaymentStatus,
    WebhookRejected,
)
from loggro_app.payments.stripe_gateway import StripeGateway
from loggro_app.services import purchases
from loggro_app.services.card_payments import CardOutcome, confirm_card
from loggro_app.standins.launcher import LocalServer
from tests.factories import make_org

from .conftest import STRIPE_WEBHOOK_SECRET, Delivery, WebhookReceiver

pytestmark = pytest.mark.integration


def _card_request() -> PaymentRequest:
    return PaymentRequest(
        reference=f"LG-{uuid.uuid4().hex[:10]}",
        amount=purchase_total(50, 2),
        currency="COP",
        description="2 paquetes de 50 documentos electrónicos",
        method="card",
        return_url="http://127.0.0.1:3000/planes",
        notify_url="http://127.0.0.1:8000/webhooks/stripe",
        expires_at=system_clock() + timedelta(hours=1),
    )


def _event_for(payment_id: str, event_type: str) -> object:
    def accept(delivery: Delivery) -> bool:
        event = json.loads(delivery.body)
        return bool(event["type"] == event_type and event["data"]["object"]["id"] == payment_id)

    return accept


def test_two_fifty_packs_paid_by_card_are_approved_by_the_signed_webhook(
    stripe_gateway: StripeGateway, receiver: WebhookReceiver
) -> None:
    start = stripe_gateway.start(_card_request())
    assert start.status is PaymentStatus.PENDING and start.client_secret

    snapshot = stripe_gateway.confirm(start.provider_payment_id, "pm_card_visa")
    assert snapshot.status is PaymentStatus.APPROVED

    delivery = receiver.wait_for(
        _event_for(start.provider_payment_id, "payment_intent.succeeded")  # type: ignore[arg-type]
    )
    header = delivery.headers["Stripe-Signature"]
    # The SDK itself accepts localstripe's signature ...
    stripe.Webhook.construct_event(delivery.body, header, STRIPE_WEBHOOK_SECRET)
    # ... and our parser turns it into an approval of the right amount.
    event = stripe_gateway.parse_webhook(delivery.body, header)
    assert event is not None
    assert event.status is PaymentStatus.APPROVED
    assert event.provider_payment_id == start.provider_payment_id
    assert event.amount == Decimal("168000") and event.currency == "COP"
    assert event.event_id.startswith("evt_")


def test_a_forged_signature_on_a_real_event_is_rejected(
    stripe_gateway: StripeGateway, receiver: WebhookReceiver
) -> None:
    start = stripe_gateway.start(_card_request())
    stripe_gateway.confirm(start.provider_payment_id, "pm_card_visa")
    delivery = receiver.wait_for(
        _event_for(start.provider_payment_id, "payment_intent.succeeded")  # type: ignore[arg-type]
    )
    header = delivery.headers["Stripe-Signature"]
    timestamp = header.split(",")[0]
    with pytest.raises(WebhookRejected):
        stripe_gateway.parse_webhook(delivery.body, f"{timestamp},v1={'0' * 64}")
    with pytest.raises(WebhookRejected):
        stripe_gateway.parse_webhook(delivery.body.replace(b"16800000", b"99900000"), header)


def test_a_declined_card_gives_no_approval(
    stripe_gateway: StripeGateway, receiver: WebhookReceiver
) -> None:
    # localstripe declines 4000000000000341 when charging; it does NOT decline
    # 4000000000000002 (pm_card_visa_chargeDeclined) unless attached to a customer.
    start = stripe_gateway.start(_card_request())
    with pytest.raises(CardDeclined):
        stripe_gateway.confirm(start.provider_payment_id, "pm_card_chargeCustomerFail")

    failed = receiver.wait_for(
        _event_for(start.provider_payment_id, "payment_intent.payment_failed")  # type: ignore[arg-type]
    )
    event = stripe_gateway.parse_webhook(failed.body, failed.headers["Stripe-Signature"])
    assert event is not None and event.status is PaymentStatus.DECLINED
    assert stripe_gateway.retrieve(start.provider_payment_id).status is PaymentStatus.DECLINED
    succeeded = _event_for(start.provider_payment_id, "payment_intent.succeeded")
    assert receiver.matching(succeeded) == []  # type: ignore[arg-type]


def _browser_token(localstripe: LocalServer, number: str) -> str:
    """What localstripe-v3.js's createToken(cardElement) posts, with the publishable key."""
    card = {"card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2030",
            "card[cvc]": "123", "key": "pk_test_local"}
    token: str = httpx.post(f"{localstripe.url}/v1/tokens", data=card).json()["id"]
    return token


def test_a_token_from_the_stripe_js_stand_in_pays(
    stripe_gateway: StripeGateway, localstripe: LocalServer, receiver: WebhookReceiver
) -> None:
    start = stripe_gateway.start(_card_request())
    token = _browser_token(localstripe, "4242424242424242")
    assert stripe_gateway.confirm_with_token(start.provider_payment_id, token) == "succeeded"
    receiver.wait_for(
        _event_for(start.provider_payment_id, "payment_intent.succeeded")  # type: ignore[arg-type]
    )


def test_a_3d_secure_card_waits_for_the_browser_then_succeeds(
    stripe_gateway: StripeGateway, localstripe: LocalServer, receiver: WebhookReceiver
) -> None:
    start = stripe_gateway.start(_card_request())
    token = _browser_token(localstripe, "4000002500003155")
    status = stripe_gateway.confirm_with_token(start.provider_payment_id, token)
    assert status == "requires_action"
    assert stripe_gateway.retrieve(start.provider_payment_id).status is PaymentStatus.PENDING
    # The page asks for the secret only now (no page state keeps it): the same intent's.
    secret = stripe_gateway.client_secret(start.provider_payment_id)
    assert secret and secret == start.client_secret
    # What localstripe-v3.js's confirmCardPayment(clientSecret) posts after its 3DS modal.
    authenticated = httpx.post(
        f"{localstripe.url}/v1/payment_intents/{start.provider_payment_id}/_authenticate",
        params={"success": "true"},
        json={"key": "pk_test_local", "client_secret": secret},
    )
    assert authenticated.status_code == 200
    receiver.wait_for(
        _event_for(start.provider_payment_id, "payment_intent.succeeded")  # type: ignore[arg-type]
    )


def test_a_declined_token_raises_card_declined(
    stripe_gateway: StripeGateway, localstripe: LocalServer
) -> None:
    start = stripe_gateway.start(_card_request())
    token = _browser_token(localstripe, "4000000000000341")
    with pytest.raises(CardDeclined):
        stripe_gateway.confirm_with_token(start.provider_payment_id, token)


def test_cancel_expires_a_pending_intent_but_not_a_paid_one(stripe_gateway: StripeGateway) -> None:
    pending = stripe_gateway.start(_card_request())
    assert stripe_gateway.cancel(pending.provider_payment_id).status is PaymentStatus.EXPIRED

    paid = stripe_gateway.start(_card_request())
    stripe_gateway.confirm(paid.provider_payment_id, "pm_card_visa")
    assert stripe_gateway.cancel(paid.provider_payment_id).status is PaymentStatus.APPROVED


def test_retrieve_reports_amount_and_reference(stripe_gateway: StripeGateway) -> None:
    request = _card_request()
    start = stripe_gateway.start(request)
    snapshot = stripe_gateway.retrieve(start.provider_payment_id)
    assert snapshot.status is PaymentStatus.PENDING
    assert (snapshot.amount, snapshot.currency) == (Decimal("168000"), "COP")
    assert snapshot.reference == request.reference


def test_the_stripe_js_stand_in_is_served(localstripe: LocalServer) -> None:
    response = httpx.get(f"{localstripe.url}/js.stripe.com/v3/")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "localstripe" in response.text


def test_a_declined_card_can_be_retried_in_the_same_purchase(
    session: Session, stripe_gateway: StripeGateway, localstripe: LocalServer
) -> None:
    scope = make_org(session, "900373115", "compras@retry.example")
    purchase, _ = purchases.start_purchase(
        session=session, scope=scope, pack_size="50", pack_count="1", method="card",
        terms_accepted=True, gateway=stripe_gateway, return_url="x", notify_url="y")
    first_intent = purchase.provider_payment_id

    def pay(number: str, **changes: object) -> CardOutcome:
        return confirm_card(session=session, scope=scope, reference=purchase.reference,
                            token=_browser_token(localstripe, number), gateway=stripe_gateway,
                            **changes)  # type: ignore[arg-type]

    declined = pay("4000000000000341")
    assert "intentarlo de nuevo" in declined.message and not declined.requires_action
    assert purchase.provider_payment_id != first_intent
    purchase.status = PaymentStatus.DECLINED.value  # a payment_failed webhook arriving late
    session.add(purchase)
    session.commit()
    paid = pay("4242424242424242")
    assert not paid.requires_action and "Esperando la confirmación" in paid.message
    assert stripe_gateway.retrieve(purchase.provider_payment_id or "").status \
        is PaymentStatus.APPROVED
    with pytest.raises(ValidationError):  # past its deadline, a new purchase is needed
        pay("4242424242424242", clock=lambda: system_clock() + timedelta(hours=1))
