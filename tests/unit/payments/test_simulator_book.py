"""The simulator's rules with a pinned clock and a notifier that records instead of sending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from loggro_app.payments.gateway import IllegalTransition, PaymentStatus
from loggro_app.standins.gateway.server import BadPayment, _new_payment
from loggro_app.standins.gateway.store import Notifier, PaymentBook, SimPayment

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


class RecordingNotifier(Notifier):
    def __init__(self) -> None:
        super().__init__("s", lambda: NOW)
        self.sent: list[SimPayment] = []

    def notify(self, payment: SimPayment) -> None:
        self.sent.append(payment)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _payment(method: str = "pse", minutes: int = 30) -> SimPayment:
    return SimPayment(
        id=f"sim_{method}", reference="LG-1", amount=Decimal("168000"), currency="COP",
        method=method, description="2 paquetes", return_url="http://127.0.0.1/r",
        notify_url="http://127.0.0.1/n", expires_at=NOW + timedelta(minutes=minutes),
        payment_code="000111222333",
    )


def _book() -> tuple[PaymentBook, RecordingNotifier, Clock]:
    notifier, clock = RecordingNotifier(), Clock()
    return PaymentBook(notifier, clock), notifier, clock


def test_a_decision_is_notified_once() -> None:
    book, notifier, _ = _book()
    book.add(_payment())
    book.settle("sim_pse", PaymentStatus.APPROVED, bank="Nequi")
    book.settle("sim_pse", PaymentStatus.APPROVED)
    assert [p.status for p in notifier.sent] == [PaymentStatus.APPROVED]
    assert notifier.sent[0].bank == "Nequi"


def test_a_rejected_pse_cannot_be_approved_afterwards() -> None:
    book, _, _ = _book()
    book.add(_payment())
    book.settle("sim_pse", PaymentStatus.DECLINED)
    with pytest.raises(IllegalTransition):
        book.settle("sim_pse", PaymentStatus.APPROVED)


def test_pending_payments_expire_at_their_deadline_and_cannot_be_paid_after() -> None:
    book, notifier, clock = _book()
    book.add(_payment("cash", minutes=30))
    clock.now = NOW + timedelta(minutes=29)
    assert [p.id for p in book.pending_cash()] == ["sim_cash"]
    clock.now = NOW + timedelta(minutes=30)
    assert book.pending_cash() == []
    assert [p.status for p in notifier.sent] == [PaymentStatus.EXPIRED]
    with pytest.raises(IllegalTransition):
        book.settle("sim_cash", PaymentStatus.APPROVED)


def test_event_bodies_carry_type_payment_and_time() -> None:
    notifier = RecordingNotifier()
    paid = SimPayment(**{**_payment().__dict__, "status": PaymentStatus.APPROVED})
    event_id, body = notifier.event_body(paid)
    assert event_id.startswith("evt_sim_")
    assert b'"type": "payment.approved"' in body
    assert f'"created": {int(NOW.timestamp())}'.encode() in body


def _api(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "amount": "168000", "currency": "COP", "reference": "LG-1", "method": "pse",
        "description": "x", "return_url": "https://app.example/r",
        "notify_url": "http://127.0.0.1:9/n", "expires_at": (NOW + timedelta(hours=1)).isoformat(),
    }
    data.update(overrides)
    return data


def test_api_payload_becomes_a_pending_payment() -> None:
    payment = _new_payment(_api(), lambda: NOW)
    assert payment.status is PaymentStatus.PENDING and payment.amount == Decimal("168000")
    assert len(payment.payment_code) == 12 and payment.payment_code.isdigit()


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": "-1"}, {"amount": "abc"}, {"method": "card"}, {"reference": ""},
        {"notify_url": "http://10.0.0.5/n"}, {"notify_url": "https://127.0.0.1/n"},
        {"return_url": "javascript:alert(1)"}, {"expires_at": NOW.isoformat()},
        {"expires_at": "2026-11-23T10:00:00"},
    ],
)
def test_api_refuses_bad_payloads(overrides: dict[str, object]) -> None:
    with pytest.raises(BadPayment):
        _new_payment(_api(**overrides), lambda: NOW)


def test_api_refuses_a_body_that_is_not_an_object() -> None:
    with pytest.raises(BadPayment):
        _new_payment([], lambda: NOW)  # type: ignore[arg-type]
