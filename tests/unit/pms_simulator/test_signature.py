"""The simulator checks webhooks exactly as docs/pms-api.md section 4 tells a PMS to; the
expected signatures here are computed with the standard library, not with the code tested."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from loggro_app.standins.pms.signature import Refused, verify

SECRET = "whs_test_secret"
WEBHOOK_ID = "org7-pmshook-42-accepted"
NOW = 1_796_212_800
BODY = b'{"id": "org7-pmshook-42-accepted", "type": "document.accepted", "data": {}}'


def header(secret: str = SECRET, webhook_id: str = WEBHOOK_ID, timestamp: int = NOW,
           body: bytes = BODY) -> str:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def check(signature: str, *, body: bytes = BODY, timestamp: str = str(NOW),
          webhook_id: str = WEBHOOK_ID, now: float = NOW) -> None:
    verify(SECRET, webhook_id, timestamp, signature, body, now=now)


def test_a_correct_signature_passes() -> None:
    check(header())


@pytest.mark.parametrize("skew", [-300, 300])
def test_a_timestamp_at_the_edge_of_five_minutes_passes(skew: int) -> None:
    check(header(), now=NOW + skew)


def test_one_of_several_listed_signatures_may_match() -> None:
    check(f"v1={'0' * 64}, {header()}")


def test_a_changed_body_fails() -> None:
    with pytest.raises(Refused, match="firma no corresponde"):
        check(header(), body=BODY.replace(b"accepted", b"rejected"))


def test_re_serialised_json_is_not_the_raw_body() -> None:
    with pytest.raises(Refused):
        check(header(), body=BODY.replace(b", ", b","))


def test_a_wrong_secret_fails() -> None:
    with pytest.raises(Refused, match="firma no corresponde"):
        check(header(secret="whs_other"))


def test_the_id_is_signed() -> None:
    with pytest.raises(Refused):
        check(header(), webhook_id="org7-pmshook-43-accepted")


def test_the_timestamp_is_signed() -> None:
    with pytest.raises(Refused, match="firma no corresponde"):
        check(header(), timestamp=str(NOW + 1), now=NOW + 1)


@pytest.mark.parametrize("skew", [-301, 301, 3600])
def test_a_timestamp_over_five_minutes_away_fails(skew: int) -> None:
    # Signed correctly for its own timestamp: only the clock refuses it.
    with pytest.raises(Refused, match="5 minutos"):
        check(header(timestamp=NOW - skew), timestamp=str(NOW - skew))


@pytest.mark.parametrize("signature", [
    "", "v1=", "v0=" + "a" * 64, "sha256=" + "a" * 64, "v1=" + "a" * 63, "v1=" + "G" * 64,
    "v1=" + "A" * 64, "a" * 64,
])
def test_a_malformed_signature_header_fails(signature: str) -> None:
    with pytest.raises(Refused):
        check(signature)


@pytest.mark.parametrize("timestamp", ["", "abc", "1796212800.5", "-1796212800"])
def test_a_malformed_timestamp_fails(timestamp: str) -> None:
    with pytest.raises(Refused, match="segundos"):
        check(header(), timestamp=timestamp)


def test_a_missing_id_fails() -> None:
    with pytest.raises(Refused, match="Webhook-Id"):
        check(header(webhook_id=""), webhook_id="")
