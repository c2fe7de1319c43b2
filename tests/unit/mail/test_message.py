"""The DIAN delivery message (SPEC §6.2), built without network."""

from __future__ import annotations

import io
import zipfile
from email import policy
from email.parser import BytesParser

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.mail import (
    MAX_MESSAGE_BYTES,
    AttachmentNames,
    DocumentSubject,
    MailTemplate,
    build_document_mail,
)

XML_NAME = "ad09001234560002600000001.xml"
XML = b'<?xml version="1.0"?><AttachedDocument>...</AttachedDocument>'
PDF = b"%PDF-1.7 representation grafica"
SUBJECT = DocumentSubject("900123456", "MI EMPRESA SAS", "SETP990000001", "01", "MI EMPRESA")


def build(**changes: object):  # type: ignore[no-untyped-def]
    arguments: dict[str, object] = {"recipient": "compras@andina.co", "subject": SUBJECT,
                                    "attached_xml": XML, "xml_name": XML_NAME, "pdf": PDF}
    return build_document_mail(**{**arguments, **changes})  # type: ignore[arg-type]


def reparsed(message):  # type: ignore[no-untyped-def]
    return BytesParser(policy=policy.default).parsebytes(message.as_bytes())


def body_of(message) -> str:  # type: ignore[no-untyped-def]
    """The text as the buyer reads it (the wire form has CRLF line ends)."""
    text = reparsed(message).get_body(preferencelist=("plain",)).get_content()
    return str(text).replace("\r\n", "\n")


def test_subject_is_the_spec_example() -> None:
    assert SUBJECT.text == "900123456;MI EMPRESA SAS;SETP990000001;01;MI EMPRESA;"
    assert reparsed(build())["Subject"] == SUBJECT.text


def test_subject_fields_in_order_with_business_line_and_legal_name_as_default() -> None:
    subject = DocumentSubject("800199436", "Andina S.A.S.", "FE25", "91",
                              business_line="Ferretería")
    assert subject.text.split(";") == ["800199436", "Andina S.A.S.", "FE25", "91",
                                       "Andina S.A.S.", "Ferretería"]


def test_a_semicolon_or_line_break_in_a_name_cannot_add_a_field() -> None:
    subject = DocumentSubject("900123456", "Pérez; Hijos\nLtda", "FE1", "01", "P;H")
    assert subject.text == "900123456;Pérez, Hijos Ltda;FE1;01;P,H;"
    assert len(subject.text.split(";")) == 6


@pytest.mark.parametrize(("nit", "code"), [("90012345-6", "01"), ("12345678901", "01"),
                                           ("900123456", "05"), ("900123456", "1")])
def test_subject_refuses_a_bad_nit_or_a_type_not_mailed(nit: str, code: str) -> None:
    with pytest.raises(ValidationError):
        DocumentSubject(nit, "X", "FE1", code)


def test_one_zip_attachment_named_after_the_attached_document_holding_xml_and_pdf() -> None:
    message = reparsed(build())
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["z09001234560002600000001.zip"]
    assert attachments[0].get_content_type() == "application/zip"
    with zipfile.ZipFile(io.BytesIO(attachments[0].get_payload(decode=True))) as archive:
        assert archive.namelist() == [XML_NAME, "ad09001234560002600000001.pdf"]
        assert archive.read(XML_NAME) == XML
        assert archive.read("ad09001234560002600000001.pdf") == PDF


def test_without_pdf_the_zip_holds_only_the_xml() -> None:
    attachment = next(reparsed(build(pdf=None)).iter_attachments())
    with zipfile.ZipFile(io.BytesIO(attachment.get_payload(decode=True))) as archive:
        assert archive.namelist() == [XML_NAME]


@pytest.mark.parametrize("name", ["fv09001234560002600000001.xml", "ad0900123456000260000001.xml",
                                  "ad09001234560002600000001.zip", "ad../../etc/passwd.xml"])
def test_attachment_names_need_an_attached_document_name(name: str) -> None:
    with pytest.raises(ValidationError, match="AttachedDocument"):
        AttachmentNames.of(name)


def test_body_is_spanish_by_default_and_names_the_document() -> None:
    body = body_of(build())
    assert body.startswith("Hola,\n\nTe enviamos el documento electrónico")
    assert "Documento: factura electrónica de venta SETP990000001" in body
    assert "Emisor: MI EMPRESA SAS (NIT 900123456)" in body
    assert body.rstrip().endswith("Cordialmente,\nMI EMPRESA")
    assert "eventos" not in body


def test_the_organization_personalises_greeting_text_and_closing() -> None:
    template = MailTemplate("Buen día, estimado cliente:", "Gracias por su compra.",
                            "Un saludo del equipo,")
    body = body_of(build(template=template))
    assert body.startswith("Buen día, estimado cliente:\n\nGracias por su compra.\n")
    assert "Un saludo del equipo,\nMI EMPRESA" in body
    assert "Documento: factura electrónica de venta SETP990000001" in body  # always there


def test_template_lengths_have_a_limit() -> None:
    MailTemplate(text="x" * 2_000)
    with pytest.raises(ValidationError, match="hasta 2000 caracteres"):
        MailTemplate(text="x" * 2_001)


def test_events_mailbox_goes_to_reply_to_and_the_body() -> None:
    message = build(events_mailbox="Eventos@MiEmpresa.co")
    assert reparsed(message)["Reply-To"] == "eventos@miempresa.co"
    assert "responde a eventos@miempresa.co" in body_of(message)


@pytest.mark.parametrize("address", ["compras andina.co", "compras@andina", "compras@andína.co",
                                     "", "a@b@c.co"])
def test_invalid_recipient_is_a_spanish_field_error(address: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build(recipient=address)
    assert set(caught.value.errors) == {"correo"}
    assert "correo" in caught.value.message


def test_recipient_is_normalized() -> None:
    assert reparsed(build(recipient="  Compras@Andina.CO "))["To"] == "compras@andina.co"


def incompressible(size: int) -> bytes:
    import random

    return random.Random(7).randbytes(size)


def test_message_over_two_megabytes_is_refused_in_spanish() -> None:
    with pytest.raises(ValidationError) as caught:
        build(pdf=incompressible(1_600_000))  # base64 makes it ~2.16 MB
    message = caught.value.errors["adjunto"]
    assert "compras@andina.co" in message
    assert "hasta 2,00 MB por correo" in message
    assert "el PDF pesa 1,60 MB" in message


def test_message_just_under_two_megabytes_is_built() -> None:
    message = build(pdf=incompressible(1_400_000))
    assert len(message.as_bytes()) < MAX_MESSAGE_BYTES


def test_same_input_same_bytes() -> None:
    assert build().as_bytes() == build().as_bytes()
