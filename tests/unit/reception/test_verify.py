"""A supplier's invoice as it arrives by mail: the genuine package verifies and yields its
data; each kind of forgery or mistake fails with its own Spanish reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.dian.codes import DIAN_NIT
from loggro_app.dian.xmlns import XPATH_NS
from loggro_app.reception import Verdict, verify_received
from loggro_app.reception.verify import identification
from tests.unit.dian.dian_response import dian_application_response, dian_test_signer
from tests.unit.dian.test_golden import xmlsec1_verify
from tests.unit.reception.package import (
    BUYER_NIT,
    PDF,
    attach,
    dian_answer,
    dian_signer,
    mailed,
    package,
    supplier_signer,
)


def verify(data: bytes, **options: object) -> Verdict:
    arguments: dict[str, object] = {"buyer_nit": BUYER_NIT, "known_cufes": set()}
    arguments.update(options)
    return verify_received(data, **arguments)  # type: ignore[arg-type]


def reattached(old: bytes, new: bytes) -> bytes:
    """The mailed package with the embedded invoice edited (its CDATA text, in place)."""
    xml = package().attached.xml_bytes
    assert xml.count(old) >= 1
    return mailed(xml.replace(old, new, 1))


@pytest.fixture(scope="module")
def genuine() -> Verdict:
    return verify(mailed(package().attached.xml_bytes))


def test_the_genuine_package_verifies(genuine: Verdict) -> None:
    assert genuine.ok, genuine.reasons
    assert genuine.reasons == [] and genuine.codes == []
    assert any("habilitación" in note for note in genuine.notes)  # the sample is environment 2


def test_the_genuine_package_yields_its_data(genuine: Verdict) -> None:
    invoice = genuine.invoice
    assert invoice is not None
    built = package()
    assert (invoice.root_name, invoice.type_code) == ("Invoice", "01")
    assert (invoice.number, invoice.prefix) == ("SETP990000001", "SETP")
    assert invoice.cufe == built.cufe and invoice.cufe_scheme == "CUFE-SHA384"
    assert (invoice.supplier_nit, invoice.supplier_dv) == ("900123456", "8")
    assert invoice.supplier_name == built.document.issuer.name
    assert (invoice.buyer_nit, invoice.buyer_name) == (BUYER_NIT, built.document.counterparty.name)
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 11, 22), date(2027, 1, 15))
    assert invoice.currency == "COP"
    totals = built.invoice.totals
    assert totals is not None
    assert invoice.line_extension == totals.line_extension
    assert invoice.payable == totals.payable == Decimal("362851.05")
    assert invoice.taxes == {"01": Decimal("35250.05"), "04": Decimal("4800.00")}
    assert invoice.withholdings == {"06": Decimal("4800.00")}
    assert len(invoice.lines) == len(built.document.lines)
    first = invoice.lines[0]
    assert (first.description, first.quantity, first.price, first.line_total) == (
        "Café molido 500 g", Decimal("3.00"), Decimal("18500.00"), Decimal("54000.00"))
    assert sum((line.line_total for line in invoice.lines), Decimal(0)) == invoice.line_extension
    answer = invoice.answer
    assert answer is not None
    assert (answer.response_code, answer.description) == ("02", "Documento validado por la DIAN")
    assert (answer.sender_nit, answer.document_uuid) == (DIAN_NIT, built.cufe)
    assert invoice.document_xml == built.invoice.xml_bytes  # byte for byte, to be kept
    assert invoice.response_xml == built.response
    assert invoice.pdf == PDF and invoice.pdf_name.endswith(".pdf")
    assert invoice.problems == []


def test_the_extracted_invoice_verifies_with_xmlsec1(genuine: Verdict, tmp_path: Path) -> None:
    assert genuine.invoice is not None
    cert = tmp_path / "supplier.pem"
    cert.write_bytes(supplier_signer().certificate.public_bytes(Encoding.PEM))
    path = tmp_path / "invoice.xml"
    path.write_bytes(genuine.invoice.document_xml)
    result = xmlsec1_verify(path, cert)
    assert result.returncode == 0, result.stderr.decode()
    assert b"SignedInfo References (ok/all): 3/3" in result.stderr


def test_a_changed_amount_breaks_the_supplier_signature() -> None:
    # A unit price: no total depends on it, so only the signature can tell.
    verdict = verify(reattached(b'<cbc:PriceAmount currencyID="COP">18500.00<',
                                b'<cbc:PriceAmount currencyID="COP">18.00<'))
    assert not verdict.ok
    assert verdict.codes == ["firma_proveedor"], verdict.reasons
    assert verdict.reasons[0].startswith("Firma del proveedor:")
    assert verdict.invoice is not None and verdict.invoice.lines[0].price == Decimal("18.00")


def test_a_changed_total_fails_the_signature_and_the_arithmetic() -> None:
    verdict = verify(reattached(b"<cbc:PayableAmount currencyID=\"COP\">362851.05<",
                                b"<cbc:PayableAmount currencyID=\"COP\">62851.05<"))
    assert set(verdict.codes) == {"firma_proveedor", "totales"}, verdict.reasons
    assert any("[FAU14]" in reason for reason in verdict.reasons)


def test_another_buyer_fails() -> None:
    verdict = verify(mailed(package().attached.xml_bytes), buyer_nit="900373115")
    assert verdict.codes == ["comprador"]
    assert verdict.reasons == [f"El documento está dirigido a {BUYER_NIT}, no a 900373115."]


@pytest.mark.parametrize("written", ["800199436", "800.199.436-4", " 800199436 ", "800199436-4"])
def test_the_buyer_nit_may_be_written_with_separators_or_dv(written: str) -> None:
    assert identification(written) == "800199436"
    assert verify(mailed(package().attached.xml_bytes), buyer_nit=written).ok


def test_a_known_cufe_is_a_duplicate() -> None:
    verdict = verify(mailed(package().attached.xml_bytes), known_cufes={package().cufe})
    assert verdict.codes == ["duplicado"] and verdict.duplicate
    assert "ya se había recibido" in verdict.reasons[0]
    assert verdict.invoice is not None  # the data is still there, to point at the first copy


def test_a_rejected_document_fails() -> None:
    """DIAN's 04 answer (the sandbox only signs 02s: another DIAN-NIT test signer does)."""
    def rejected(root: etree._Element) -> None:
        built = package()
        code = root.xpath("cac:DocumentResponse/cac:Response/cbc:ResponseCode",
                          namespaces=XPATH_NS)[0]
        code.text = "04"
        code.getnext().text = "Documento con errores en campos mandatorios."
        reference = root.xpath("cac:DocumentResponse/cac:DocumentReference", namespaces=XPATH_NS)[0]
        reference[0].text, reference[1].text = built.document.number_text, built.cufe
        root.xpath("cac:ReceiverParty//cbc:CompanyID", namespaces=XPATH_NS)[0].text = "900123456"

    built = package()
    answer = dian_application_response(change=rejected)
    verdict = verify(mailed(attach(built.document, built.invoice, answer).xml_bytes))
    assert verdict.codes == ["respuesta"], verdict.reasons
    assert "respuesta 04" in verdict.reasons[0] and "mandatorios" in verdict.reasons[0]


def test_dians_answer_about_another_document_fails() -> None:
    built = package()
    answer = dian_answer(built.document, "f" * 96)
    verdict = verify(mailed(attach(built.document, built.invoice, answer).xml_bytes))
    assert verdict.codes == ["respuesta"]
    assert "otro documento" in verdict.reasons[0]


def test_a_tampered_dian_answer_fails_its_signature() -> None:
    built = package()
    tampered = built.response.replace(b"FAJ44b</cbc:ResponseCode>", b"FAJ44c</cbc:ResponseCode>")
    assert tampered != built.response
    verdict = verify(mailed(attach(built.document, built.invoice, tampered).xml_bytes))
    assert verdict.codes == ["firma_dian"], verdict.reasons


def test_pinned_dian_certificates() -> None:
    data = mailed(package().attached.xml_bytes)
    pinned = verify(data, dian_certificates=[dian_signer().certificate])
    assert pinned.ok and not any("certificados de la DIAN" in n for n in pinned.notes)
    other = verify(data, dian_certificates=[dian_test_signer().certificate])
    assert other.codes == ["firma_dian"]
    assert "certificado de la DIAN conocido" in other.reasons[0]


def test_the_environment_can_be_required() -> None:
    data = mailed(package().attached.xml_bytes)
    assert verify(data, environment="2").ok
    verdict = verify(data, environment="1")
    assert verdict.codes == ["ambiente"]
    assert verdict.reasons == ["El documento es del ambiente 2; se esperaba el ambiente 1."]


def test_a_bare_attached_document_is_accepted() -> None:
    assert verify(package().attached.xml_bytes).ok


def test_the_invoice_alone_is_not_enough() -> None:
    verdict = verify(package().invoice.xml_bytes)
    assert verdict.codes == ["contenedor"]
    assert "falta la respuesta de la DIAN" in verdict.reasons[0]


def test_a_container_without_dians_answer_fails() -> None:
    built = package()
    xml = built.attached.xml_bytes
    start = xml.index(b"<cac:ParentDocumentLineReference>")
    end = xml.index(b"</cac:ParentDocumentLineReference>") + len(
        b"</cac:ParentDocumentLineReference>")
    verdict = verify(mailed(xml[:start] + xml[end:]))
    assert verdict.codes == ["respuesta"]
    assert "no trae la respuesta de la DIAN" in verdict.reasons[0]


def test_every_problem_is_listed() -> None:
    """Another buyer, a duplicate and a forged amount: three reasons, none hiding another."""
    data = reattached(b'<cbc:PriceAmount currencyID="COP">18500.00<',
                      b'<cbc:PriceAmount currencyID="COP">18.00<')
    verdict = verify(data, buyer_nit="900373115", known_cufes={package().cufe})
    assert verdict.codes == ["firma_proveedor", "comprador", "duplicado"], verdict.reasons
