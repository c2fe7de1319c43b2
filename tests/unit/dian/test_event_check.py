"""Checking an event someone sends us: genuine, about this invoice, between its parties."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo, samples
from loggro_app.dian.build_events import build_event
from loggro_app.dian.event_check import Expected, check_event
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.events import build_event_unsigned
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT

CUFE = "ab" * 48
BUYER_NIT = samples.buyer().id_number
PINS = {demo.SOFTWARE_ID: demo.SOFTWARE_PIN}
EXPECTED = Expected(f"{demo.RESOLUTION_PREFIX}990000001", CUFE, samples.issuer().id_number,
                    BUYER_NIT)


@pytest.fixture(scope="module")
def buyer_signer() -> Signer:
    p12 = create_dev_p12(nit=BUYER_NIT, organization="Comercializadora Andina",
                         password=b"x", not_before=ISSUED_AT - timedelta(days=1))
    return Signer.from_pkcs12(p12, b"x")


def _event(**changes: object):  # type: ignore[no-untyped-def]
    return dataclasses.replace(samples.receipt_acknowledgement(ISSUED_AT, CUFE), **changes)


def _xml(signer: Signer, **changes: object) -> bytes:
    return build_event(_event(**changes), signer=signer, clock=FixedClock(ISSUED_AT)).xml_bytes


def test_a_genuine_event_is_read_with_its_cude_recomputed(buyer_signer: Signer) -> None:
    event = check_event(_xml(buyer_signer), expected=EXPECTED, pins=PINS)
    assert (event.code, event.sender_id, event.cude_checked) == ("030", BUYER_NIT, True)
    assert "Ana María Gómez (79123456)" in event.summary()


def test_without_the_software_pin_the_cude_is_left_to_dian(buyer_signer: Signer) -> None:
    assert not check_event(_xml(buyer_signer), expected=EXPECTED, pins={}).cude_checked


def test_an_event_altered_after_signing_is_refused(buyer_signer: Signer) -> None:
    tampered = _xml(buyer_signer).replace(b"Ana Mar", b"Eva Mar")
    with pytest.raises(ValidationError, match="firma digital del evento no es válida"):
        check_event(tampered, expected=EXPECTED, pins=PINS)


def test_an_event_signed_by_someone_else_is_refused(signer: Signer) -> None:
    # the demo certificate is the issuer's: a forged "buyer" event
    with pytest.raises(ValidationError, match="lo firmó el certificado de 900123456"):
        check_event(_xml(signer), expected=EXPECTED, pins=PINS)


def test_an_event_about_another_invoice_is_refused(buyer_signer: Signer) -> None:
    other = dataclasses.replace(EXPECTED, document_key="cd" * 48)
    with pytest.raises(ValidationError, match="se refiere a otra factura"):
        check_event(_xml(buyer_signer), expected=other, pins=PINS)


def test_an_event_for_another_organization_is_refused(buyer_signer: Signer) -> None:
    other = dataclasses.replace(EXPECTED, issuer_nit="901234567")
    with pytest.raises(ValidationError, match="no a esta organización"):
        check_event(_xml(buyer_signer), expected=other, pins=PINS)


def test_a_wrong_cude_is_refused_when_the_pin_is_known(buyer_signer: Signer) -> None:
    root, _ = build_event_unsigned(_event())
    uuid = root.find("cbc:UUID", namespaces=XPATH_NS)
    assert uuid is not None
    uuid.text = "f" * 96
    xml = etree.tostring(buyer_signer.sign(root, clock=FixedClock(ISSUED_AT), id_seed="x"))
    with pytest.raises(ValidationError, match="AAD06"):
        check_event(xml, expected=EXPECTED, pins=PINS)


def test_a_claim_without_its_reason_is_refused(buyer_signer: Signer) -> None:
    root, _ = build_event_unsigned(_event(code="031", claim_reason="02", person=None))
    code = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode",
                     namespaces=XPATH_NS)
    assert code is not None
    del code.attrib["listID"], code.attrib["name"]
    xml = etree.tostring(buyer_signer.sign(root, clock=FixedClock(ISSUED_AT), id_seed="x"))
    with pytest.raises(ValidationError, match="no indica su motivo"):
        check_event(xml, expected=EXPECTED, pins=PINS)


def test_what_is_not_an_event_is_refused() -> None:
    with pytest.raises(ValidationError, match="no es un XML válido"):
        check_event(b"<a", expected=EXPECTED, pins=PINS)
    with pytest.raises(ValidationError, match="no es un evento"):
        check_event(b"<Invoice/>", expected=EXPECTED, pins=PINS)
