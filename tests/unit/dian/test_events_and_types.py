"""Events 030-034, invoice types 02/03/04, foreign currency."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo, samples
from loggro_app.dian.build import build_document
from loggro_app.dian.build_events import build_attached_document, build_event
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.ubl.events import event_fields
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT

CUFE = "0" * 96


def _event(**changes: object):  # type: ignore[no-untyped-def]
    return dataclasses.replace(samples.receipt_acknowledgement(ISSUED_AT, CUFE), **changes)


def test_event_cude_string_follows_annex_composition() -> None:
    fields = event_fields(_event())
    assert fields.input() == (
        "AR12026-11-2210:30:00-05:00800199436900123456030SETP99000000101" + demo.SOFTWARE_PIN
    )


def test_claim_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="motivo de reclamo"):
        _event(code="031", person=None)


def test_receipt_needs_the_receiving_person() -> None:
    with pytest.raises(ValidationError, match="persona que recibió"):
        _event(person=None)


def test_unknown_event_code() -> None:
    with pytest.raises(ValidationError, match="'035' no es un código de evento"):
        _event(code="035")


def test_claim_event_builds_with_reason(signer: Signer) -> None:
    event = _event(code="031", claim_reason="02", person=None)
    built = build_event(event, signer=signer, clock=FixedClock(ISSUED_AT))
    root = etree.fromstring(built.xml_bytes)
    code = root.xpath("//cac:DocumentResponse/cac:Response/cbc:ResponseCode", namespaces=XPATH_NS)[
        0
    ]
    assert (code.text, code.get("listID")) == ("031", "02")
    assert verify_xml(built.xml_bytes, secret=demo.SOFTWARE_PIN).errors == []


def test_tacit_acceptance_carries_sworn_statement(signer: Signer) -> None:
    event = _event(code="034", sender=samples.issuer(), receiver_party=samples.buyer(), person=None)
    built = build_event(event, signer=signer, clock=FixedClock(ISSUED_AT))
    note = etree.fromstring(built.xml_bytes).findtext(f"{{{XPATH_NS['cbc']}}}Note")
    assert note is not None and note.startswith("Manifiesto bajo la gravedad de juramento")
    assert "800199436" in note


def test_event_signed_on_another_day_is_aad09e(signer: Signer) -> None:
    with pytest.raises(ValidationError, match="AAD09e"):
        build_event(_event(), signer=signer, clock=FixedClock(ISSUED_AT + timedelta(days=1)))


def test_attachment_without_dian_response_only_for_contingency(signer: Signer) -> None:
    clock = FixedClock(ISSUED_AT)
    invoice = samples.invoice(ISSUED_AT)
    built = build_document(invoice, signer=signer, clock=clock)
    with pytest.raises(ValidationError, match="contingencia"):
        build_attached_document(
            invoice, built, container_id="1", signer=signer, clock=clock, application_response=None
        )
    contingency = dataclasses.replace(invoice, invoice_type="04")
    built04 = build_document(contingency, signer=signer, clock=clock)
    attached = build_attached_document(
        contingency,
        built04,
        container_id="1",
        signer=signer,
        clock=clock,
        application_response=None,
    )
    assert b"ParentDocumentLineReference" not in attached.xml_bytes
    assert verify_xml(attached.xml_bytes, secret=None).errors == []


@pytest.mark.parametrize(
    ("invoice_type", "scheme", "secret"),
    [
        ("01", "CUFE-SHA384", demo.TECHNICAL_KEY),
        ("02", "CUFE-SHA384", demo.TECHNICAL_KEY),
        ("03", "CUDE-SHA384", demo.SOFTWARE_PIN),
        ("04", "CUFE-SHA384", demo.TECHNICAL_KEY),
    ],
)
def test_invoice_types_pick_key_or_pin(
    invoice_type: str, scheme: str, secret: str, signer: Signer
) -> None:
    if invoice_type == "02":  # an export needs a buyer abroad, USD, INCOTERMS, brand/model
        document = samples.export_invoice(ISSUED_AT)
    else:
        document = dataclasses.replace(samples.invoice(ISSUED_AT), invoice_type=invoice_type)
    built = build_document(document, signer=signer, clock=FixedClock(ISSUED_AT))
    assert built.scheme_name == scheme
    assert built.code_input.endswith(secret + "2")
    root = etree.fromstring(built.xml_bytes)
    assert root.findtext(f"{{{XPATH_NS['cbc']}}}InvoiceTypeCode") == invoice_type
    assert verify_xml(built.xml_bytes, secret=secret).errors == []


def test_foreign_currency_invoice(signer: Signer) -> None:
    document = dataclasses.replace(
        samples.invoice(ISSUED_AT),  # a domestic sale (01) invoiced in USD
        currency="USD",
        exchange_rate=Decimal("4012.35"),
    )
    built = build_document(document, signer=signer, clock=FixedClock(ISSUED_AT))
    root = etree.fromstring(built.xml_bytes)
    rate = root.xpath("cac:PaymentExchangeRate", namespaces=XPATH_NS)[0]
    assert rate.findtext(f"{{{XPATH_NS['cbc']}}}CalculationRate") == "4012.35"
    assert (
        root.xpath(
            "string(cac:LegalMonetaryTotal/cbc:PayableAmount/@currencyID)", namespaces=XPATH_NS
        )
        == "USD"
    )
    assert verify_xml(built.xml_bytes, secret=demo.TECHNICAL_KEY).errors == []


def test_credit_note_without_reference_uses_period_and_customization_22() -> None:
    note = samples.credit_note(ISSUED_AT, CUFE)
    unreferenced = dataclasses.replace(
        note, reference=None, period=(ISSUED_AT.date() - timedelta(days=30), ISSUED_AT.date())
    )
    root = build_unsigned(unreferenced).root
    assert root.findtext(f"{{{XPATH_NS['cbc']}}}CustomizationID") == "22"
    assert (
        root.xpath("string(cac:InvoicePeriod/cbc:StartDate)", namespaces=XPATH_NS) == "2026-10-23"
    )
    assert not root.xpath("cac:BillingReference", namespaces=XPATH_NS)


def test_support_document_swaps_roles() -> None:
    root = build_unsigned(samples.support_document(ISSUED_AT)).root
    supplier = root.xpath(
        "string(cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID)", namespaces=XPATH_NS
    )
    customer = root.xpath(
        "string(cac:AccountingCustomerParty//cac:PartyTaxScheme/cbc:CompanyID)", namespaces=XPATH_NS
    )
    assert (supplier, customer) == ("1020304050", demo.ISSUER_NIT)
    assert (
        root.xpath(
            "string(cac:InvoiceLine/cac:InvoicePeriod/cbc:DescriptionCode)", namespaces=XPATH_NS
        )
        == "1"
    )


def test_notes_refuse_withholdings() -> None:
    note = samples.credit_note(ISSUED_AT, CUFE)
    with pytest.raises(ValidationError, match="las notas no informan retenciones"):
        dataclasses.replace(note, lines=samples.lines(5))
