"""SOAP 1.2 + WS-Addressing + WS-Security envelopes (SPEC §4.2): built, verified, tampered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree

from loggro_app.dian.client.envelope import (
    ACTION_BASE,
    NS,
    WSU,
    Credentials,
    build_envelope,
)
from loggro_app.dian.client.wsverify import MalformedRequest, SecurityFault, parse_request
from tests.unit.dian_ws.conftest import NOW

URL = "https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc"


def _envelope(signer, clock, **kwargs) -> bytes:
    kwargs.setdefault("credentials", Credentials(signer.key, signer.certificate))
    return build_envelope(
        "GetStatus", [("trackId", "abc")], to=URL, clock=clock, new_id=lambda: "0001", **kwargs
    )


def test_layout_matches_what_dian_accepts(signer, clock) -> None:
    root = etree.fromstring(_envelope(signer, clock))
    xp = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert xp("string(soap:Header/wsa:Action)") == ACTION_BASE + "GetStatus"
    (to,) = xp("soap:Header/wsa:To")
    assert to.text == URL and to.get(f"{{{WSU}}}Id") == "id-0001"
    assert "wsu" in to.nsmap  # declared on wsa:To itself (siblings do not inherit)
    assert xp("string(//wsu:Timestamp/wsu:Created)") == "2026-11-22T15:30:00.000Z"
    assert xp("string(//wsu:Timestamp/wsu:Expires)") == "2026-11-22T15:35:00.000Z"
    (token,) = xp("//wsse:BinarySecurityToken")
    assert token.get("ValueType").endswith("#X509v3") and len(token.text) > 500
    # Only wsa:To is signed, exclusive C14N with the inclusive prefix lists (SPEC §4.2).
    (reference,) = xp("//ds:SignedInfo/ds:Reference")
    assert reference.get("URI") == "#id-0001"
    prefixes = root.xpath("//*[local-name()='InclusiveNamespaces']/@PrefixList")
    assert prefixes == ["wsa soap wcf", "soap wcf"]
    assert xp("string(//wsse:SecurityTokenReference/wsse:Reference/@URI)") == "#X509-0001"
    assert xp("string(soap:Body/wcf:GetStatus/wcf:trackId)") == "abc"


def test_deterministic_with_injected_clock_and_ids(signer, clock) -> None:
    assert _envelope(signer, clock) == _envelope(signer, clock)


def test_verifies_and_exposes_the_call(signer, clock) -> None:
    request = parse_request(_envelope(signer, clock), now=NOW + timedelta(minutes=1))
    assert request.operation == "GetStatus" and request.params == {"trackId": "abc"}
    assert request.certificate == signer.certificate and request.to == URL


def test_tampered_to_fails_the_digest(signer, clock) -> None:
    data = _envelope(signer, clock).replace(b"vpfe-hab.dian", b"vpfe-xxx.dian")
    with pytest.raises(SecurityFault) as caught:
        parse_request(data, now=NOW)
    assert caught.value.code == "WSS02"


def test_tampered_signature_value(signer, clock) -> None:
    root = etree.fromstring(_envelope(signer, clock))
    value = root.xpath("//ds:SignatureValue", namespaces=NS)[0]
    value.text = "A" + value.text[1:] if value.text[0] != "A" else "B" + value.text[1:]
    with pytest.raises(SecurityFault) as caught:
        parse_request(etree.tostring(root), now=NOW)
    assert caught.value.code == "WSS02"


def test_unsigned_envelope(signer, clock) -> None:
    with pytest.raises(SecurityFault) as caught:
        parse_request(_envelope(signer, clock, credentials=None), now=NOW)
    assert caught.value.code == "WSS01"


@pytest.mark.parametrize("minutes", [11, -11])
def test_expired_or_future_timestamp(signer, clock, minutes: int) -> None:
    # 5 minutes of validity + WCF's 5 minutes of clock skew.
    with pytest.raises(SecurityFault) as caught:
        parse_request(_envelope(signer, clock), now=NOW + timedelta(minutes=minutes))
    assert caught.value.code == "WSS03"


def test_action_must_match_the_body(signer, clock) -> None:
    data = _envelope(signer, clock).replace(b"Services/GetStatus<", b"Services/SendBillSync<")
    with pytest.raises(SecurityFault) as caught:
        parse_request(data, now=NOW)
    assert caught.value.code == "WSS05"


@pytest.mark.parametrize("data", [b"not xml", b"<a/>", b'<s:Envelope xmlns:s="x"/>'])
def test_malformed_requests(data: bytes) -> None:
    with pytest.raises(MalformedRequest):
        parse_request(data, now=NOW)
