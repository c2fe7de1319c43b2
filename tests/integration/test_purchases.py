"""Buying packs through the real local gateway simulator: webhooks credit exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from loggro_app.api import api
from loggro_app.core.clock import BOGOTA, aware
from loggro_app.core.errors import PermissionDenied, ValidationError
from loggro_app.local_stack import LocalStack
from loggro_app.models import PackPurchase, PaymentEventLog
from loggro_app.payments.colombian_gateway import ColombianGateway
from loggro_app.payments.config import PaymentSettings
from loggro_app.payments.gateway import WebhookRejected
from loggro_app.payments.signing import SIGNATURE_HEADER
from loggro_app.services import ledger, purchases
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings
from tests.factories import make_org

pytestmark = pytest.mark.integration


class Inbox(BaseHTTPRequestHandler):
    """Receives the gateway's webhooks as they are sent: raw body and signature header."""

    received: list[tuple[bytes, str]] = []
    arrived = threading.Condition()

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Inbox.arrived:
            Inbox.received.append((body, self.headers.get("Loggro-Signature", "")))
            Inbox.arrived.notify_all()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def inbox_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory, inbox_url: str) -> Iterator[ColombianGateway]:
    with LocalStack(log_dir=tmp_path_factory.mktemp("stack"), app_url=inbox_url) as stack:
        settings = PaymentSettings.from_env(
            {"LOGGRO_GATEWAY_URL": stack.env()["LOGGRO_GATEWAY_URL"]})
        gw = ColombianGateway(settings.gateway)
        yield gw
        gw.close()


def mark_cash_paid(gateway_url: str, purchase: PackPurchase) -> None:
    """What the back office does when the payer shows up at the bank with the reference."""
    answer = httpx.post(f"{gateway_url}/admin/cash/{purchase.provider_payment_id}/paid")
    assert answer.status_code < 400


def next_webhook(count_before: int, timeout: float = 10) -> tuple[bytes, str]:
    with Inbox.arrived:
        Inbox.arrived.wait_for(lambda: len(Inbox.received) > count_before, timeout=timeout)
        assert len(Inbox.received) > count_before, "the gateway sent no webhook"
        return Inbox.received[count_before]


@pytest.fixture
def principal(session: Session) -> Scope:
    scope = make_org(session, "900123456", "a@uno.co")
    ledger.create_subscription(session=session, organization_id=scope.organization_id,
                               plan_code="fe_estandar", anchor=datetime.now(BOGOTA).date())
    return scope


def buy(session: Session, scope: Scope, gateway: ColombianGateway, inbox_url: str,
        method: str = "cash") -> PackPurchase:
    purchase, start = purchases.start_purchase(
        session=session, scope=scope, pack_size="50", pack_count="2", method=method,
        terms_accepted=True, gateway=gateway, return_url="http://127.0.0.1/portal",
        notify_url=inbox_url)
    assert start.provider_payment_id == purchase.provider_payment_id
    return purchase


def test_quote_and_bad_input() -> None:
    q = purchases.quote("50", "2")
    assert (q.documents, q.total) == (100, Decimal("168000"))
    for size, count, field in [("50", "0", "pack_count"), ("50", "-1", "pack_count"),
                               ("50", "dos", "pack_count"), ("75", "1", "pack_size")]:
        with pytest.raises(ValidationError) as err:
            purchases.quote(size, count)
        assert field in err.value.errors


def test_refusals_charge_nothing(session: Session, principal: Scope,
                                 gateway: ColombianGateway, inbox_url: str) -> None:
    seller = Scope(principal.organization_id, principal.user_id, "seller", False)
    with pytest.raises(PermissionDenied):
        buy(session, seller, gateway, inbox_url)
    with pytest.raises(ValidationError) as err:
        purchases.start_purchase(
            session=session, scope=principal, pack_size="50", pack_count="1", method="cash",
            terms_accepted=False, gateway=gateway, return_url="x", notify_url=inbox_url)
    assert err.value.errors == {"terms": purchases.TERMS_REQUIRED}
    for count in ("9" * 20, "1000000"):  # beyond the database's INTEGER, and a million packs
        with pytest.raises(ValidationError) as err:
            purchases.start_purchase(
                session=session, scope=principal, pack_size="1000", pack_count=count,
                method="card", terms_accepted=True, gateway=gateway, return_url="x",
                notify_url=inbox_url)
        assert set(err.value.errors) == {"pack_count"}
    assert session.exec(select(PackPurchase)).all() == []


def test_cash_pending_until_paid_then_credited_once(session: Session, principal: Scope,
                                                    gateway: ColombianGateway,
                                                    inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url)
    org = principal.organization_id
    assert ledger.balance(session=session, organization_id=org).purchased_available == 0
    seen = len(Inbox.received)
    base = gateway._settings.base_url  # noqa: SLF001  (the simulator's back office)
    mark_cash_paid(base, purchase)
    body, signature = next_webhook(seen)
    event = gateway.parse_webhook(body, signature)
    assert event is not None
    assert purchases.apply_event(session=session, event=event) == "credited"
    assert purchases.apply_event(session=session, event=event) == "duplicate"
    assert ledger.balance(session=session, organization_id=org).purchased_available == 100
    session.refresh(purchase)
    assert purchase.status == "approved"
    forged = body.replace(b'"amount"', b'"amount" ', 1)
    with pytest.raises(WebhookRejected):
        gateway.parse_webhook(forged, signature)


def test_the_webhook_endpoint_credits_a_signed_event_once(
        session: Session, principal: Scope, gateway: ColombianGateway, inbox_url: str,
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway's own webhook, forwarded byte for byte to POST /api/payments/gateway/
    webhook (in-process): the raw-body signature check passes and the purchase is credited."""
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    purchase = buy(session, principal, gateway, inbox_url)
    seen = len(Inbox.received)
    mark_cash_paid(gateway._settings.base_url, purchase)  # noqa: SLF001
    body, signature = next_webhook(seen)
    client = TestClient(api)

    def post(content: bytes) -> httpx2.Response:
        return client.post("/api/payments/gateway/webhook", content=content,
                           headers={SIGNATURE_HEADER: signature,
                                    "content-type": "application/json"})

    try:
        assert post(body).json() == {"outcome": "credited"}
        assert post(body).json() == {"outcome": "duplicate"}
        forged = post(body.replace(b'"amount"', b'"amount" ', 1))
        assert forged.status_code == 400
        assert forged.headers["content-type"] == "application/problem+json"
    finally:
        get_settings.cache_clear()
    assert ledger.balance(session=session, organization_id=principal.organization_id
                          ).purchased_available == 100


def test_pse_rejected_credits_nothing(session: Session, principal: Scope,
                                      gateway: ColombianGateway, inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url, method="pse")
    seen = len(Inbox.received)
    base = gateway._settings.base_url  # noqa: SLF001
    answer = httpx.post(f"{base}/checkout/{purchase.provider_payment_id}",
                        data={"decision": "reject", "bank": "Bancolombia"})
    assert answer.status_code < 400  # it sends the payer back to our return URL
    event = gateway.parse_webhook(*next_webhook(seen))
    assert event is not None
    assert purchases.apply_event(session=session, event=event) == "status_declined"
    assert ledger.balance(session=session, organization_id=principal.organization_id
                          ).purchased_available == 0


def test_unknown_and_expired_payments_are_recorded_not_credited(
        session: Session, principal: Scope, gateway: ColombianGateway, inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url)
    seen = len(Inbox.received)
    base = gateway._settings.base_url  # noqa: SLF001
    mark_cash_paid(base, purchase)
    event = gateway.parse_webhook(*next_webhook(seen))
    assert event is not None
    late = aware(purchase.expires_at) + timedelta(minutes=1)
    assert purchases.apply_event(session=session, event=event,
                                 clock=lambda: late) == "expired_payment"
    unknown = replace(event, event_id="evt-x", provider_payment_id="sim_no_existe")
    assert purchases.apply_event(session=session, event=unknown) == "unknown_payment"
    logged = {row.outcome for row in session.exec(select(PaymentEventLog)).all()}
    assert {"expired_payment", "unknown_payment"} <= logged
    assert ledger.balance(session=session, organization_id=principal.organization_id
                          ).purchased_available == 0


def test_overdue_payments_are_cancelled_at_the_gateway(session: Session, principal: Scope,
                                                       gateway: ColombianGateway,
                                                       inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url, method="pse")
    later = aware(purchase.expires_at) + timedelta(minutes=1)
    assert purchases.expire_overdue(session=session, organization_id=principal.organization_id,
                                    gateways=lambda _p: gateway, clock=lambda: later) == 1
    session.refresh(purchase)
    assert purchase.status == "expired"
    assert gateway.retrieve(purchase.provider_payment_id).status == "expired"


def test_a_payment_in_another_currency_or_for_another_purchase_credits_nothing(
        session: Session, principal: Scope, gateway: ColombianGateway, inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url)
    other = buy(session, principal, gateway, inbox_url)
    seen = len(Inbox.received)
    mark_cash_paid(gateway._settings.base_url, purchase)  # noqa: SLF001
    event = gateway.parse_webhook(*next_webhook(seen))
    assert event is not None and event.reference == purchase.reference
    in_dollars = replace(event, event_id="evt-usd", currency="USD")
    assert purchases.apply_event(session=session, event=in_dollars) == "currency_mismatch"
    misrouted = replace(event, event_id="evt-ref", reference=other.reference)
    assert purchases.apply_event(session=session, event=misrouted) == "reference_mismatch"
    unreferenced = replace(event, event_id="evt-none", reference=None)
    assert purchases.apply_event(session=session, event=unreferenced) == "reference_mismatch"
    balance = ledger.balance(session=session, organization_id=principal.organization_id)
    assert balance.purchased_available == 0
    session.refresh(purchase)
    assert purchase.status == "pending"
    assert purchases.apply_event(session=session, event=event) == "credited"


def test_a_payment_the_gateway_forgot_expires_instead_of_staying_pending(
        session: Session, principal: Scope, gateway: ColombianGateway, inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url, method="pse")
    purchase.provider_payment_id = "sim_olvidado"  # the gateway has no record of it
    session.add(purchase)
    session.commit()
    later = aware(purchase.expires_at) + timedelta(minutes=1)
    assert purchases.expire_overdue(session=session, organization_id=principal.organization_id,
                                    gateways=lambda _p: gateway, clock=lambda: later) == 1
    session.refresh(purchase)
    assert purchase.status == "expired"


def test_an_abandoned_checkout_can_be_cancelled(session: Session, principal: Scope,
                                               gateway: ColombianGateway,
                                               inbox_url: str) -> None:
    purchase = buy(session, principal, gateway, inbox_url)
    seller = Scope(principal.organization_id, principal.user_id, "seller", False)
    with pytest.raises(PermissionDenied):
        purchases.cancel_purchase(session=session, scope=seller, reference=purchase.reference,
                                  gateways=lambda _name: gateway)
    closed = purchases.cancel_purchase(session=session, scope=principal,
                                       reference=purchase.reference,
                                       gateways=lambda _name: gateway)
    assert closed.status == "expired"
    assert gateway.retrieve(purchase.provider_payment_id or "").status.value == "expired"
    with pytest.raises(ValidationError):  # only a pending checkout can be cancelled
        purchases.cancel_purchase(session=session, scope=principal,
                                  reference=purchase.reference, gateways=lambda _name: gateway)


def test_a_late_webhook_is_reconciled_with_the_gateway_before_the_deadline(
        session: Session, principal: Scope, gateway: ColombianGateway, inbox_url: str) -> None:
    paid = buy(session, principal, gateway, inbox_url)
    forgotten = buy(session, principal, gateway, inbox_url, method="pse")
    forgotten.provider_payment_id = "sim_olvidado"  # the gateway has no record of it
    session.add(forgotten)
    session.commit()
    waiting = buy(session, principal, gateway, inbox_url, method="pse")
    mark_cash_paid(gateway._settings.base_url, paid)  # noqa: SLF001  (its webhook is lost)
    soon = aware(paid.created_at) + timedelta(seconds=30)
    assert purchases.reconcile_pending(session=session, gateways=lambda _p: gateway,
                                       clock=lambda: soon) == 0  # webhooks may still come
    later = aware(paid.created_at) + purchases.WEBHOOK_GRACE + timedelta(seconds=1)
    assert later < aware(paid.expires_at)
    assert purchases.reconcile_pending(session=session, gateways=lambda _p: gateway,
                                       clock=lambda: later) == 2
    for row in (paid, forgotten, waiting):
        session.refresh(row)
    assert (paid.status, forgotten.status, waiting.status) == ("approved", "expired", "pending")
    balance = ledger.balance(session=session, organization_id=principal.organization_id)
    assert balance.purchased_available == paid.documents
    assert purchases.reconcile_pending(session=session, gateways=lambda _p: gateway,
                                       clock=lambda: later) == 0  # credited once
