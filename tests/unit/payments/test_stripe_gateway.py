"""StripeGateway without a network: a recording HTTP client for the SDK, signed payloads.

Stripe's SDK checks webhook timestamps against the real clock, so these tests sign with the
current time (the one place a clock cannot be injected).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import stripe

from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.payments.config import StripeSettings
from loggro_app.payments.gateway import CardDeclined, PaymentRequest, PaymentStatus, WebhookRejected
from loggro_app.payments.stripe_gateway import StripeGateway

WEBHOOK_SECRET = "whsec_unit_test"


class RecordingClient(stripe.HTTPClient):
    """Answers every SDK request with one canned response and remembers what was sent."""

    name = "recording"

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__()
        self.answer = (json.dumps(body), status, {})
        self.calls: list[tuple[str, str, dict[str, str], Any]] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[no-untyped-def]
        self.calls.append((method, url, dict(headers or {}), post_data))
        return self.answer

    def close(self) -> None:
        pass


def _intent(**overrides: Any) -> dict[str, Any]:
    intent = {
        "id": "pi_123", "object": "payment_intent", "amount": 16_800_000, "currency": "cop",
        "status": "requires_payment_method", "client_secret": "pi_123_secret_xyz",
        "metadata": {"reference": "LG-9"}, "last_payment_error": None,
    }
    intent.update(overrides)
    return intent


def _gateway(http: RecordingClient | None = None) -> StripeGateway:
    settings = StripeSettings(webhook_secret=WEBHOOK_SECRET)
    client = stripe.StripeClient(
        "sk_test_local", base_addresses={"api": "http://stripe.test"},
        http_client=http or RecordingClient(200, _intent()), max_network_retries=0,
    )
    return StripeGateway(settings, client=client)


def _request(method: str = "card") -> PaymentRequest:
    return PaymentRequest(
        reference="LG-9", amount=Decimal("168000"), currency="COP",
        description="2 paquetes de 50 documentos", method=method,  # type: ignore[arg-type]
        return_url="http://127.0.0.1:3000/planes", notify_url="http://127.0.0.1:8000/wh",
        expires_at=datetime(2026, 11, 23, tzinfo=UTC),
    )


def test_start_creates_an_intent_in_centavos_with_reference_and_idempotency_key() -> None:
    http = RecordingClient(200, _intent())
    start = _gateway(http).start(_request())
    method, url, headers, body = http.calls[0]
    form = parse_qs(body)
    assert (method, url) == ("post", "http://stripe.test/v1/payment_intents")
    assert form["amount"] == ["16800000"] and form["currency"] == ["cop"]
    assert form["metadata[reference]"] == ["LG-9"]
    assert headers["Idempotency-Key"] == "LG-9"
    assert start.provider_payment_id == "pi_123"
    assert start.client_secret == "pi_123_secret_xyz"
    assert start.status is PaymentStatus.PENDING


def test_only_cards_go_to_stripe() -> None:
    with pytest.raises(ValidationError):
        _gateway().start(_request("pse"))


def test_a_card_error_becomes_card_declined() -> None:
    error = {"error": {"type": "card_error", "code": "card_declined", "message": "declined"}}
    with pytest.raises(CardDeclined):
        _gateway(RecordingClient(402, error)).confirm("pi_123", "pm_card_visa")


def test_with_real_stripe_a_token_is_confirmed_as_payment_method_data() -> None:
    http = RecordingClient(200, _intent(status="succeeded"))
    settings = StripeSettings(
        api_base="https://api.stripe.com", secret_key="sk_test_realistic",
        webhook_secret="whsec_realistic",
    )
    client = stripe.StripeClient(
        settings.secret_key, base_addresses={"api": settings.api_base}, http_client=http,
        max_network_retries=0,
    )
    status = StripeGateway(settings, client=client).confirm_with_token("pi_123", "tok_visa")
    method, url, _, body = http.calls[0]
    assert (method, url) == ("post", "https://api.stripe.com/v1/payment_intents/pi_123/confirm")
    form = parse_qs(body)
    assert form["payment_method_data[type]"] == ["card"]
    assert form["payment_method_data[card][token]"] == ["tok_visa"]
    assert status == "succeeded" and len(http.calls) == 1


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"status": "succeeded"}, PaymentStatus.APPROVED),
     ({"status": "canceled"}, PaymentStatus.EXPIRED),
     ({"status": "processing"}, PaymentStatus.PENDING),
     ({"last_payment_error": {"code": "card_declined"}}, PaymentStatus.DECLINED)],
)
def test_retrieve_maps_intent_status(fields: dict[str, Any], status: PaymentStatus) -> None:
    snapshot = _gateway(RecordingClient(200, _intent(**fields))).retrieve("pi_123")
    assert snapshot.status is status
    assert snapshot.amount == Decimal("168000") and snapshot.reference == "LG-9"


def _signed(
    event_type: str, secret: str = WEBHOOK_SECRET, at: int | None = None
) -> tuple[bytes, str]:
    at = int(time.time()) if at is None else at
    event = {"id": "evt_1", "object": "event", "type": event_type, "created": at,
             "data": {"object": _intent(status="succeeded")}}
    body = json.dumps(event).encode()
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={at},v1={mac}"


@pytest.mark.parametrize(
    ("event_type", "status"),
    [("payment_intent.succeeded", PaymentStatus.APPROVED),
     ("payment_intent.payment_failed", PaymentStatus.DECLINED),
     ("payment_intent.canceled", PaymentStatus.EXPIRED)],
)
def test_valid_webhooks_are_parsed(event_type: str, status: PaymentStatus) -> None:
    event = _gateway().parse_webhook(*_signed(event_type))
    assert event is not None
    assert (event.provider, event.event_id) == ("stripe", "evt_1")
    assert event.provider_payment_id == "pi_123"
    assert event.status is status and event.raw_type == event_type
    assert event.amount == Decimal("168000") and event.currency == "COP"
    assert event.reference == "LG-9"


def test_other_event_types_are_ignored() -> None:
    assert _gateway().parse_webhook(*_signed("customer.created")) is None


def test_a_forged_signature_is_rejected() -> None:
    with pytest.raises(WebhookRejected):
        _gateway().parse_webhook(*_signed("payment_intent.succeeded", secret="whsec_forged"))


def test_a_forged_body_is_rejected() -> None:
    body, header = _signed("payment_intent.succeeded")
    with pytest.raises(WebhookRejected):
        _gateway().parse_webhook(body.replace(b"16800000", b"99900000"), header)


def test_a_stale_timestamp_is_rejected() -> None:
    with pytest.raises(WebhookRejected):
        _gateway().parse_webhook(*_signed("payment_intent.succeeded", at=int(time.time()) - 600))


def test_a_missing_header_is_rejected() -> None:
    body, _ = _signed("payment_intent.succeeded")
    with pytest.raises(WebhookRejected):
        _gateway().parse_webhook(body, "")


def test_errors_are_logged_without_keys(caplog: pytest.LogCaptureFixture) -> None:
    error = {"error": {"type": "invalid_request_error", "code": "resource_missing"}}
    with caplog.at_level("DEBUG"), pytest.raises(PaymentError) as caught:
        _gateway(RecordingClient(404, error)).retrieve("pi_404")
    assert "sk_test_local" not in caplog.text and WEBHOOK_SECRET not in caplog.text
    assert "sk_test_local" not in caught.value.message
