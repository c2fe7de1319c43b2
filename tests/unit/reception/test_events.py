"""Telling a buyer's event mailed to the reception address from a supplier's invoice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loggro_app.dian import samples
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.reception.events import buyer_event
from tests.unit.dian.conftest import ISSUED_AT
from tests.unit.dian.test_event_check import _xml
from tests.unit.reception.package import mailed, package, zipped


@pytest.fixture(scope="module")
def signer() -> Signer:
    """The buyer's own certificate, as its software signs an event."""
    p12 = create_dev_p12(nit=samples.buyer().id_number, organization="Comercializadora Andina",
                         password=b"x", not_before=ISSUED_AT - timedelta(days=1))
    return Signer.from_pkcs12(p12, b"x")


def test_a_bare_or_zipped_buyer_event_is_recognised(signer: Signer) -> None:
    event = _xml(signer)
    assert buyer_event(event) == event
    assert buyer_event(zipped(("evento030.xml", event))) == event
    claim = _xml(signer, code="031", claim_reason="02", person=None)
    assert buyer_event(claim) == claim


def test_invoices_dian_answers_and_other_files_are_not_events(signer: Signer) -> None:
    sample = package()
    assert buyer_event(mailed(sample.attached.xml_bytes)) is None  # a supplier's invoice
    assert buyer_event(sample.response) is None  # DIAN's answer (02) alone
    event = _xml(signer)
    assert buyer_event(zipped(("a.xml", event), ("b.xml", event))) is None  # not one event
    assert buyer_event(b"%PDF-1.7 not xml") is None
    assert buyer_event(b"<ApplicationResponse") is None  # broken XML
