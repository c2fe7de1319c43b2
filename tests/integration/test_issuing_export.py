"""An export invoice (factura de exportación, type 02) from Ventas end to end: a customer
abroad is registered in Contactos, the form carries brand, model, INCOTERM, USD and the
exchange rate, and the real DIAN sandbox accepts what the workflow signs and sends."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlmodel import Session

from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.sales import DocumentForm, LineInput
from loggro_app.dian import verify_xml
from loggro_app.dian.xmlns import XPATH_NS as NS
from loggro_app.models import Customer, Numbering
from loggro_app.services import customers, issuing, sales
from loggro_app.services.numbering import technical_key
from tests.integration.issuing_env import issue

pytestmark = pytest.mark.integration

RATE = Decimal("4012.35")
LINES = (
    LineInput("Café verde excelso, saco de 70 kg", "40", "315,50", "IVA_0",
              item_code="CAF-EXP-70", brand="La Ceiba Origen", model="Excelso EP 70 kg"),
    LineInput("Mochila arhuaca tejida a mano", "25", "48,75", "IVA_0", discount="60",
              brand="Tejidos de la Sierra", model="Arhuaca mediana"),
)


def importer(session: Session, scope) -> int:  # type: ignore[no-untyped-def]
    data = CustomerData.parse(
        identification_type="50", identification_number="98-1234567",
        name="Andes Coffee Importers LLC", address="350 Fifth Avenue, Suite 5400",
        country_code="US", city_name="New York", emails=["ap@andes-coffee.example.com"])
    row = customers.save_customer(session=session, scope=scope, data=data)
    assert row.id is not None
    return row.id


def text_of(root: etree._Element, path: str) -> list[str]:
    return [node.text or "" for node in root.findall(path, NS)]


def test_an_export_invoice_in_usd_is_accepted_with_its_cop_equivalents(  # type: ignore[no-untyped-def]
        session: Session, seller) -> None:
    customer_id = importer(session, seller)
    draft = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "FE", customer_id, LINES, payment_form="2", due_date="2099-01-15",
        payment_means="47", currency="USD", exchange_rate="4.012,35", incoterm="FOB",
        delivery_place="Puerto de Cartagena, Colombia"))
    assert draft.id is not None
    row = issue(session, seller, draft.id)
    assert row.status == "accepted", row.dian_messages
    assert row.invoice_type == "02" and row.currency == "USD"
    assert row.signed_xml and row.attached_document
    numbering = session.get(Numbering, row.numbering_id)
    assert numbering is not None
    assert verify_xml(row.signed_xml, secret=technical_key(numbering)).ok

    root = etree.fromstring(row.signed_xml)
    assert text_of(root, "cbc:InvoiceTypeCode") == ["02"]
    assert text_of(root, "cbc:DocumentCurrencyCode") == ["USD"]
    # 40 x 315.50 = 12620.00; 25 x 48.75 - 60 = 1158.75; IVA 0 %: payable 13778.75 USD
    assert text_of(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["13778.75"]
    assert text_of(root, "cac:PaymentExchangeRate/cbc:CalculationRate") == [str(RATE)]
    assert text_of(root, "cac:PaymentExchangeRate/cbc:TargetCurrencyCode") == ["COP"]
    cop = Decimal("13778.75") * RATE  # 55285167.5625 -> 55285167.56
    note = next(n for n in text_of(root, "cbc:Note") if "pesos colombianos" in n)
    assert f"total a pagar {cop.quantize(Decimal('0.01'))}" in note
    assert text_of(root, "cac:DeliveryTerms/cbc:LossRiskResponsibilityCode") == ["FOB"]
    assert text_of(root, "cac:DeliveryTerms/cbc:SpecialTerms") == [
        "Puerto de Cartagena, Colombia"]
    assert text_of(root, "cac:InvoiceLine/cac:Item/cbc:BrandName") == [
        "La Ceiba Origen", "Tejidos de la Sierra"]
    assert text_of(root, "cac:InvoiceLine/cac:Item/cbc:ModelName") == [
        "Excelso EP 70 kg", "Arhuaca mediana"]
    buyer = "cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation/cac:Address/"
    assert text_of(root, buyer + "cac:Country/cbc:IdentificationCode") == ["US"]
    assert text_of(root, buyer + "cbc:CityName") == ["New York"]
    assert text_of(root, buyer + "cbc:ID") == [] and text_of(root, buyer + "cbc:PostalZone") == []

    assert row.pdf is not None and row.pdf.startswith(b"%PDF")
    pdf_text = "".join(page.extract_text() for page in PdfReader(BytesIO(row.pdf)).pages)
    assert "exportación" in pdf_text.lower() and row.document_key in pdf_text.replace("\n", "")


def test_an_export_is_refused_before_numbering_until_the_form_is_complete(  # type: ignore[no-untyped-def]
        session: Session, seller) -> None:
    from loggro_app.core.errors import ValidationError

    customer_id = importer(session, seller)
    incomplete = (LineInput("Café verde", "1", "300", "IVA_0", brand="La Ceiba Origen"),)
    draft = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "FE", customer_id, incomplete))
    assert draft.id is not None
    with pytest.raises(ValidationError) as err:
        issuing.request_issue(session=session, scope=seller, document_id=draft.id)
    assert set(err.value.errors) == {"lines.0.model", "currency", "incoterm"}
    session.refresh(draft)
    assert draft.number is None and draft.status == "draft"


def test_a_buyer_abroad_is_blocked_for_its_city_and_identification_not_divipola(  # type: ignore[no-untyped-def]
        session: Session, seller) -> None:
    customer = session.get(Customer, importer(session, seller))
    assert customer is not None
    customer.identification_type, customer.city_name = "13", ""  # edited behind the form
    session.add(customer)
    session.commit()
    draft = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "FE", customer.id, LINES, currency="USD", exchange_rate="4012,35", incoterm="EXW"))
    assert draft.id is not None
    with pytest.raises(sales.IssueBlocked) as blocked:
        issuing.request_issue(session=session, scope=seller, document_id=draft.id)
    messages = [b.message for b in blocked.value.blocks]
    assert messages == [
        "Andes Coffee Importers LLC: Escribe la ciudad del cliente en el exterior.",
        "Andes Coffee Importers LLC: Un cliente del exterior se identifica con NIT de otro "
        "país, documento de identificación extranjero o pasaporte; la DIAN no acepta cédula "
        "de ciudadanía para un comprador del exterior.",
    ]  # and nothing about a municipality or a postal code it does not have
    assert all(b.link == f"/contactos?editar={customer.id}" for b in blocked.value.blocks)
