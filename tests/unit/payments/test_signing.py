"""Sign -> verify -> tamper -> expect failure, with a pinned clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from loggro_app.payments.gateway import WebhookRejected
from loggro_app.payments.signing import sign, verify

SECRET = "test-secret-not-real"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
BODY = b'{"id":"evt_1","type":"payment.approved"}'


def test_a_valid_signature_is_accepted() -> None:
    verify(BODY, sign(BODY, SECRET, NOW), SECRET, NOW)


def test_header_carries_timestamp_and_signature() -> None:
    header = sign(BODY, SECRET, NOW)
    assert header.startswith(f"t={int(NOW.timestamp())},v1=")


def test_a_forged_body_is_rejected() -> None:
    header = sign(BODY, SECRET, NOW)
    with pytest.raises(WebhookRejected, match="no es válida"):
        verify(BODY.replace(b"approved", b"declined"), header, SECRET, NOW)


def test_a_signature_made_with_another_secret_is_rejected() -> None:
    header = sign(BODY, "attacker-guess", NOW)
    with pytest.raises(WebhookRejected, match="no es válida"):
        verify(BODY, header, SECRET, NOW)


def test_a_signature_moved_to_another_timestamp_is_rejected() -> None:
    header = sign(BODY, SECRET, NOW)
    signature = header.split(",v1=")[1]
    moved = f"t={int(NOW.timestamp()) + 1},v1={signature}"
    with pytest.raises(WebhookRejected):
        verify(BODY, moved, SECRET, NOW)


@pytest.mark.parametrize("age", [timedelta(seconds=301), timedelta(seconds=-301)])
def test_a_stale_or_future_timestamp_is_rejected(age: timedelta) -> None:
    header = sign(BODY, SECRET, NOW - age)
    with pytest.raises(WebhookRejected, match="antigua"):
        verify(BODY, header, SECRET, NOW)


def test_a_timestamp_inside_the_tolerance_is_accepted() -> None:
    verify(BODY, sign(BODY, SECRET, NOW - timedelta(seconds=299)), SECRET, NOW)


@pytest.mark.parametrize("header", [None, "", "v1=abc", "t=123", "t=abc,v1=def", "garbage"])
def test_missing_or_malformed_headers_are_rejected(header: str | None) -> None:
    with pytest.raises(WebhookRejected):
        verify(BODY, header, SECRET, NOW)


def test_an_empty_secret_verifies_nothing() -> None:
    with pytest.raises(WebhookRejected):
        verify(BODY, sign(BODY, "", NOW), "", NOW)


def test_one_good_signature_among_several_is_enough() -> None:
    """As in Stripe's scheme, during a secret rotation the sender may sign twice."""
    good = sign(BODY, SECRET, NOW).split(",v1=")[1]
    header = f"t={int(NOW.timestamp())},v1={'0' * 64},v1={good}"
    verify(BODY, header, SECRET, NOW)
