"""PSE and cash through the real gateway simulator, with signed webhooks to a local receiver."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import PaymentError
from loggro_app.payments.colombian_gateway import ColombianGateway
from loggro_app.payments.gateway import (
    PaymentEvent,
    PaymentRequest,
    PaymentStart,
    PaymentStatus,
    WebhookRejected,
)
from loggro_app.payments.signing import SIGNATURE_HEADER
from loggro_app.standins.launcher import LocalServer

from .conftest import Delivery, WebhookReceiver

pytestmark = pytest.mark.integration


def _start(
    gateway: ColombianGateway, receiver: WebhookReceiver, method: str, seconds: float = 3600
) -> PaymentStart:
    request = PaymentRequest(
        reference=f"LG-{uuid.uuid4().hex[:10]}",
        amount=Decimal("168000"),
        currency="COP",
        description="2 paquetes de 50 documentos electrónicos",
        method=method,  # type: ignore[arg-type]
        return_url="http://127.0.0.1:3000/planes/pago",
        notify_url=receiver.url + "/gateway",
        expires_at=system_clock() + timedelta(seconds=seconds),
    )
    return gateway.start(request)


def _webhook(
    gateway: ColombianGateway, receiver: WebhookReceiver, payment_id: str, timeout: float = 15.0
) -> PaymentEvent:
    def accept(delivery: Delivery) -> bool:
        return bool(json.loads(delivery.body)["data"]["payment"]["id"] == payment_id)

    delivery = receiver.wait_for(accept, timeout)
    event = gateway.parse_webhook(delivery.body, delivery.headers[SIGNATURE_HEADER])
    assert event is not None
    return event


def _decide(url: str, decision: str) -> httpx.Response:
    return httpx.post(url, data={"decision": decision, "bank": "Bancolombia"})


def test_pse_approved_by_the_payer_sends_a_signed_approval(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver
) -> None:
    start = _start(colombian_gateway, receiver, "pse")
    assert start.redirect_url
    page = httpx.get(start.redirect_url)
    assert page.status_code == 200
    assert "Aprobar" in page.text and "Rechazar" in page.text and "$ 168.000" in page.text

    answer = _decide(start.redirect_url, "approve")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("http://127.0.0.1:3000/planes/pago?reference=")
    assert "status=approved" in answer.headers["location"]

    event = _webhook(colombian_gateway, receiver, start.provider_payment_id)
    assert event.status is PaymentStatus.APPROVED
    assert event.amount == Decimal("168000") and event.raw_type == "payment.approved"
    snapshot = colombian_gateway.retrieve(start.provider_payment_id)
    assert snapshot.status is PaymentStatus.APPROVED


def test_pse_rejected_is_declined_and_final(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver
) -> None:
    start = _start(colombian_gateway, receiver, "pse")
    assert start.redirect_url
    assert _decide(start.redirect_url, "reject").status_code == 303
    event = _webhook(colombian_gateway, receiver, start.provider_payment_id)
    assert event.status is PaymentStatus.DECLINED
    assert _decide(start.redirect_url, "approve").status_code == 409


def test_cash_stays_pending_until_the_back_office_marks_it_paid(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver, simulator: LocalServer
) -> None:
    start = _start(colombian_gateway, receiver, "cash")
    assert start.payment_code and start.payment_code.isdigit()
    assert colombian_gateway.retrieve(start.provider_payment_id).status is PaymentStatus.PENDING
    back_office = httpx.get(f"{simulator.url}/admin")
    assert start.payment_code in back_office.text and "Pagado" in back_office.text

    paid = httpx.post(f"{simulator.url}/admin/cash/{start.provider_payment_id}/paid")
    assert paid.status_code == 303

    event = _webhook(colombian_gateway, receiver, start.provider_payment_id)
    assert event.status is PaymentStatus.APPROVED
    assert start.payment_code not in httpx.get(f"{simulator.url}/admin").text


def test_an_unpaid_reference_expires_at_its_deadline(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver, simulator: LocalServer
) -> None:
    start = _start(colombian_gateway, receiver, "cash", seconds=1.0)
    event = _webhook(colombian_gateway, receiver, start.provider_payment_id)
    assert event.status is PaymentStatus.EXPIRED
    late = httpx.post(f"{simulator.url}/admin/cash/{start.provider_payment_id}/paid")
    assert late.status_code == 409


def test_cancel_expires_a_pending_payment_now(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver
) -> None:
    start = _start(colombian_gateway, receiver, "pse")
    assert colombian_gateway.cancel(start.provider_payment_id).status is PaymentStatus.EXPIRED
    assert _webhook(colombian_gateway, receiver, start.provider_payment_id).status is (
        PaymentStatus.EXPIRED
    )


def test_a_failed_delivery_is_retried(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver
) -> None:
    start = _start(colombian_gateway, receiver, "pse")
    assert start.redirect_url
    receiver.failures_left = 2
    _decide(start.redirect_url, "approve")

    def mine(delivery: Delivery) -> bool:
        return bool(json.loads(delivery.body)["data"]["payment"]["id"] == start.provider_payment_id)

    receiver.wait_for(lambda d: mine(d) and len(receiver.matching(mine)) >= 3, timeout=15)
    attempts = receiver.matching(mine)
    ids = {json.loads(d.body)["id"] for d in attempts}
    assert len(attempts) == 3 and len(ids) == 1  # same event id: the ledger credits once


def test_a_forged_webhook_is_rejected(
    colombian_gateway: ColombianGateway, receiver: WebhookReceiver
) -> None:
    start = _start(colombian_gateway, receiver, "pse")
    assert start.redirect_url
    _decide(start.redirect_url, "reject")
    _webhook(colombian_gateway, receiver, start.provider_payment_id)
    delivery = receiver.matching(
        lambda d: json.loads(d.body)["data"]["payment"]["id"] == start.provider_payment_id
    )[0]
    forged = delivery.body.replace(b"payment.declined", b"payment.approved")
    with pytest.raises(WebhookRejected):
        colombian_gateway.parse_webhook(forged, delivery.headers[SIGNATURE_HEADER])


def test_the_simulator_refuses_a_non_local_notify_url(colombian_gateway: ColombianGateway) -> None:
    request = PaymentRequest(
        reference="LG-remote", amount=Decimal("84000"), currency="COP", description="x",
        method="pse", return_url="http://127.0.0.1:3000/", notify_url="http://192.0.2.1/wh",
        expires_at=system_clock() + timedelta(hours=1),
    )
    with pytest.raises(PaymentError):
        colombian_gateway.start(request)


def test_the_api_requires_the_key(simulator: LocalServer) -> None:
    response = httpx.post(f"{simulator.url}/api/payments", json={})
    assert response.status_code == 401
