"""The PSE/cash adapter against httpx.MockTransport: requests sent, answers and webhooks read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.payments.colombian_gateway import ColombianGateway
from loggro_app.payments.config import GatewaySettings
from loggro_app.payments.gateway import (
    GatewayUnavailable,
    PaymentRequest,
    PaymentStatus,
    WebhookRejected,
)
from loggro_app.payments.signing import sign

SECRET = "unit-gateway-secret"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(hours=48)


def _gateway(handler: httpx.MockTransport | None = None) -> ColombianGateway:
    settings = GatewaySettings(base_url="http://sim.test", webhook_secret=SECRET, api_key="k1")
    transport = handler or httpx.MockTransport(lambda r: httpx.Response(500))
    http = httpx.Client(base_url=settings.base_url, transport=transport,
                        headers={"Authorization": "Bearer k1"})
    return ColombianGateway(settings, http=http, clock=lambda: NOW)


def _request(method: str = "pse") -> PaymentRequest:
    return PaymentRequest(
        reference="LG-7", amount=Decimal("168000"), currency="COP",
        description="2 paquetes de 50 documentos", method=method,  # type: ignore[arg-type]
        return_url="http://127.0.0.1:3000/planes", notify_url="http://127.0.0.1:8000/wh",
        expires_at=EXPIRES,
    )


def _payment_json(status: str = "pending") -> dict[str, object]:
    return {
        "id": "sim_1", "reference": "LG-7", "amount": "168000", "currency": "COP",
        "method": "cash", "status": status, "bank": None, "payment_code": "123456789012",
        "expires_at": EXPIRES.isoformat(),
    }


def test_start_posts_the_payment_and_returns_the_checkout() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {**_payment_json(), "checkout_url": "http://sim.test/checkout/sim_1"}
        return httpx.Response(201, json=body)

    start = _gateway(httpx.MockTransport(handler)).start(_request("cash"))
    sent = json.loads(seen[0].content)
    assert seen[0].url.path == "/api/payments"
    assert seen[0].headers["Authorization"] == "Bearer k1"
    assert sent["amount"] == "168000" and sent["method"] == "cash"
    assert sent["expires_at"] == EXPIRES.isoformat()
    assert start.provider_payment_id == "sim_1"
    assert start.status is PaymentStatus.PENDING
    assert start.redirect_url == "http://sim.test/checkout/sim_1"
    assert start.payment_code == "123456789012"
    assert start.client_secret is None


def test_card_payments_are_not_for_this_gateway() -> None:
    with pytest.raises(ValidationError):
        _gateway().start(_request("card"))


@pytest.mark.parametrize(
    ("answer", "error"),
    [(httpx.Response(422, json={"error": "x"}), PaymentError),
     (httpx.Response(503), GatewayUnavailable)],
)
def test_refusals_and_outages_become_payment_errors(
    answer: httpx.Response, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _gateway(httpx.MockTransport(lambda r: answer)).start(_request())


def test_an_unreachable_gateway_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(GatewayUnavailable):
        _gateway(httpx.MockTransport(handler)).retrieve("sim_1")


def test_cancel_of_a_settled_payment_reports_how_it_ended() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            return httpx.Response(409, json={"error": "El pago ya está aprobado."})
        return httpx.Response(200, json=_payment_json("approved"))

    snapshot = _gateway(httpx.MockTransport(handler)).cancel("sim_1")
    assert snapshot.status is PaymentStatus.APPROVED
    assert snapshot.amount == Decimal("168000")


def _event(kind: str = "payment.approved") -> bytes:
    body = {"id": "evt_sim_1", "type": kind, "created": int(NOW.timestamp()),
            "data": {"payment": _payment_json(kind.split(".")[1])}}
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("kind", "status"),
    [("payment.approved", PaymentStatus.APPROVED), ("payment.declined", PaymentStatus.DECLINED),
     ("payment.expired", PaymentStatus.EXPIRED)],
)
def test_signed_webhooks_are_parsed(kind: str, status: PaymentStatus) -> None:
    body = _event(kind)
    event = _gateway().parse_webhook(body, sign(body, SECRET, NOW))
    assert event is not None
    assert (event.event_id, event.provider_payment_id) == ("evt_sim_1", "sim_1")
    assert event.status is status and event.raw_type == kind
    assert event.amount == Decimal("168000") and event.reference == "LG-7"


def test_unknown_event_types_are_ignored() -> None:
    body = _event("payment.created")
    assert _gateway().parse_webhook(body, sign(body, SECRET, NOW)) is None


def test_forged_body_signature_and_stale_webhooks_are_rejected() -> None:
    body = _event()
    gateway = _gateway()
    with pytest.raises(WebhookRejected):
        gateway.parse_webhook(body.replace(b"168000", b"999999"), sign(body, SECRET, NOW))
    with pytest.raises(WebhookRejected):
        gateway.parse_webhook(body, sign(body, "forged", NOW))
    with pytest.raises(WebhookRejected):
        gateway.parse_webhook(body, sign(body, SECRET, NOW - timedelta(minutes=10)))


def test_a_signed_but_malformed_body_is_rejected() -> None:
    body = b'{"id": "evt_x", "type": "payment.approved", "data": {}}'
    with pytest.raises(WebhookRejected, match="mal formada"):
        _gateway().parse_webhook(body, sign(body, SECRET, NOW))
