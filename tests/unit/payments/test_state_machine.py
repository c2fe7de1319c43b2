"""The payment state machine: every transition, and properties over event sequences."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.payments.gateway import (
    IllegalTransition,
    PaymentRequest,
    PaymentStart,
    PaymentStatus,
    is_final,
    next_status,
)

P, A = PaymentStatus.PENDING, PaymentStatus.APPROVED
D, E = PaymentStatus.DECLINED, PaymentStatus.EXPIRED

ALLOWED = {
    (P, P): P, (P, A): A, (P, D): D, (P, E): E,
    (D, D): D, (D, A): A,
    (A, A): A,
    (E, E): E,
}  # fmt: skip


@pytest.mark.parametrize("current", list(PaymentStatus))
@pytest.mark.parametrize("event", list(PaymentStatus))
def test_every_pair_is_allowed_or_refused(current: PaymentStatus, event: PaymentStatus) -> None:
    if (current, event) in ALLOWED:
        assert next_status(current, event) is ALLOWED[current, event]
    else:
        with pytest.raises(IllegalTransition):
            next_status(current, event)


def test_refusals_named_in_the_brief() -> None:
    with pytest.raises(IllegalTransition, match="aprobado"):
        next_status(A, D)
    with pytest.raises(IllegalTransition, match="vencido"):
        next_status(E, A)


def test_illegal_transition_is_a_payment_error() -> None:
    assert issubclass(IllegalTransition, PaymentError)


def _apply(events: list[PaymentStatus]) -> list[PaymentStatus]:
    """Statuses visited when a ledger applies events and skips refused ones."""
    status, visited = P, [P]
    for event in events:
        try:
            status = next_status(status, event)
        except IllegalTransition:
            continue
        visited.append(status)
    return visited


@given(st.lists(st.sampled_from(list(PaymentStatus)), max_size=12))
def test_final_statuses_never_change(events: list[PaymentStatus]) -> None:
    visited = _apply(events)
    for before, after in zip(visited, visited[1:], strict=False):
        if is_final(before):
            assert after is before


@given(st.lists(st.sampled_from(list(PaymentStatus)), max_size=12))
def test_approval_is_entered_at_most_once(events: list[PaymentStatus]) -> None:
    visited = _apply(events)
    entries = sum(1 for a, b in zip(visited, visited[1:], strict=False) if b is A and a is not A)
    assert entries <= 1


@given(st.lists(st.sampled_from(list(PaymentStatus)), max_size=12))
def test_expired_payments_are_never_approved_later(events: list[PaymentStatus]) -> None:
    visited = _apply(events)
    if E in visited:
        assert A not in visited[visited.index(E):]


def _request(**overrides: object) -> PaymentRequest:
    values: dict[str, object] = {
        "reference": "LG-2026-0001",
        "amount": Decimal("168000"),
        "currency": "COP",
        "description": "2 paquetes de 50 documentos",
        "method": "card",
        "return_url": "http://127.0.0.1:3000/planes",
        "notify_url": "http://127.0.0.1:8000/webhooks/stripe",
        "expires_at": datetime(2026, 11, 23, tzinfo=UTC),
    }
    values.update(overrides)
    return PaymentRequest(**values)  # type: ignore[arg-type]


def test_a_valid_request_is_built() -> None:
    assert _request().amount == Decimal("168000")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", Decimal("0")),
        ("amount", Decimal("-5")),
        ("amount", Decimal("1.001")),
        ("amount", Decimal("NaN")),
        ("method", "bitcoin"),
        ("reference", " "),
        ("currency", "PESOS"),
        ("expires_at", datetime(2026, 11, 23)),
    ],
)
def test_invalid_requests_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        _request(**{field: value})
    assert field in caught.value.errors


def test_client_secret_is_not_in_repr() -> None:
    start = PaymentStart("stripe", "pi_1", P, client_secret="pi_1_secret_abc")
    assert "pi_1_secret_abc" not in repr(start)
    assert "pi_1" in repr(start)
