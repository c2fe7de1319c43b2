"""The cross-checks one by one, on data a signature would not let through whole: each
finds its own problem and stays quiet on the genuine package."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.dian.codes import DIAN_NIT
from loggro_app.reception import ReceivedInvoice, verify_received
from loggro_app.reception.attached import embedded, read_document
from loggro_app.reception.checks import (
    answer_problems,
    container_problems,
    unique_code_problems,
)
from tests.unit.reception.package import BUYER_NIT, mailed, package


@pytest.fixture(scope="module")
def invoice() -> ReceivedInvoice:
    verdict = verify_received(mailed(package().attached.xml_bytes), buyer_nit=BUYER_NIT,
                              known_cufes=set())
    assert verdict.ok and verdict.invoice is not None
    return verdict.invoice


def test_the_genuine_data_passes_every_check(invoice: ReceivedInvoice) -> None:
    assert unique_code_problems(invoice) == []
    assert invoice.answer is not None
    assert answer_problems(invoice.answer, invoice, DIAN_NIT) == []
    assert container_problems(etree.fromstring(package().attached.xml_bytes), invoice) == []


@pytest.mark.parametrize(
    ("cufe", "qr", "words"),
    [
        ("", None, "no trae CUFE"),
        ("abc", None, "no es un SHA-384"),
        ("G" * 96, None, "no es un SHA-384"),
        (None, "NumFac: SETP990000001\nCUFE: " + "0" * 96, "QR del documento no contiene"),
    ],
)
def test_unique_code(invoice: ReceivedInvoice, cufe: str | None, qr: str | None,
                     words: str) -> None:
    changed = replace(invoice, cufe=invoice.cufe if cufe is None else cufe.lower(),
                      qr=invoice.qr if qr is None else qr)
    (problem,) = unique_code_problems(changed)
    assert words in problem


def test_dians_answer_from_someone_else(invoice: ReceivedInvoice) -> None:
    assert invoice.answer is not None
    answer = replace(invoice.answer, sender_nit="900373115", receiver_nit="900000001")
    problems = answer_problems(answer, invoice, DIAN_NIT)
    assert len(problems) == 2
    assert "no la emite la DIAN" in problems[0] and "no al proveedor 900123456" in problems[1]


def test_dians_answer_about_another_number(invoice: ReceivedInvoice) -> None:
    assert invoice.answer is not None
    answer = replace(invoice.answer, document_id="SETP990000002")
    assert answer_problems(answer, invoice, DIAN_NIT) == [
        "La respuesta de la DIAN es del documento SETP990000002, no del SETP990000001."
    ]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (b"<cbc:ParentDocumentID>SETP990000001<", b"<cbc:ParentDocumentID>SETP990000009<",
         "dice llevar el documento SETP990000009"),
        (b"<cbc:ValidationResultCode>02<", b"<cbc:ValidationResultCode>04<",
         "resultado de validación 04"),
        (b'<cbc:UUID schemeName="CUFE-SHA384">', b'<cbc:UUID schemeName="CUFE-SHA384">f',
         "cita un CUFE distinto"),
    ],
)
def test_what_the_container_says(old: bytes, new: bytes, words: str) -> None:
    """The container's own fields (its signature is not what is checked): each mismatch is
    reported by the whole verification under "contenedor"."""
    xml = package().attached.xml_bytes
    changed = xml.replace(old, new, 1)  # the first: the container's own field

    assert changed != xml  # and the two documents it carries stay as they were:
    assert embedded(etree.fromstring(changed)) == embedded(etree.fromstring(xml))
    verdict = verify_received(mailed(changed), buyer_nit=BUYER_NIT, known_cufes=set())
    assert verdict.codes == ["contenedor"], verdict.reasons
    assert words in verdict.reasons[0]


def test_unreadable_amounts_and_dates_are_named(invoice: ReceivedInvoice) -> None:
    xml = invoice.document_xml.replace(b'PayableAmount currencyID="COP">362851.05<',
                                       b'PayableAmount currencyID="COP">muchos<').replace(
        b"<cbc:DueDate>2027-01-15<", b"<cbc:DueDate>2027-02-30<")
    root = etree.fromstring(xml)
    read = read_document(root, document_xml=xml, container_xml=b"", response_xml=None,
                         answer=None)
    assert read.payable == Decimal(0) and read.due_on is None
    assert read.problems == [
        "La fecha de vencimiento no es válida: «2027-02-30».",
        "El valor PayableAmount no es un número: «muchos».",
    ]
