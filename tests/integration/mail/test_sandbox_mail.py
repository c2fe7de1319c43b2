"""Correo de pruebas' service against the real local SMTP server: each organization reads
only what it sent, and only in the sandbox."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlmodel import Session

from loggro_app.core.errors import ConflictError, NotFoundError
from loggro_app.mail import DocumentSubject, build_document_mail, send_message
from loggro_app.services import sandbox_mail
from loggro_app.services.dian_link import DianLink
from tests.integration.conftest import signed_up
from tests.integration.mail.conftest import SmtpStandIn

pytestmark = pytest.mark.integration
SANDBOX = DianLink(environment="sandbox")
XML_NAME = "ad09012345670002600000003.xml"


def send(smtp: SmtpStandIn, nit: str, number: str, to: str) -> int:
    message = build_document_mail(
        recipient=to, attached_xml=b"<AttachedDocument/>", xml_name=XML_NAME, pdf=b"%PDF-1.7",
        subject=DocumentSubject(nit, f"Empresa {nit}", number, "01"))
    delivery = send_message(message, to, settings=smtp.settings)
    assert delivery.accepted
    return int(delivery.text.rsplit(" ", 1)[1])


def test_an_organization_sees_its_own_mail_newest_first(session: Session,
                                                        smtp: SmtpStandIn) -> None:
    scope = signed_up(session, "901234567", "marta@espiga.example")
    first = send(smtp, "901234567", "FE1", "compras@andina.co")
    foreign = send(smtp, "800199436", "OT1", "otro@andina.co")
    second = send(smtp, "901234567", "FE2", "pagos@andina.co")
    found = sandbox_mail.list_mail(session=session, scope=scope, link=SANDBOX,
                                   settings=smtp.settings)
    assert [m.id for m in found][:2] == [second, first]
    assert foreign not in [m.id for m in found]
    assert found[0].to == "pagos@andina.co"
    assert found[0].subject == "901234567;Empresa 901234567;FE2;01;Empresa 901234567;"
    assert found[0].attachments == ("z09012345670002600000003.zip",)
    assert found[0].received.count("/") == 2  # dd/mm/aaaa hh:mm, Bogotá

    detail = sandbox_mail.read_mail(session=session, scope=scope, link=SANDBOX,
                                    message_id=second, settings=smtp.settings)
    assert "Documento: factura electrónica de venta FE2" in detail.text
    assert [f.name for f in detail.files] == ["z09012345670002600000003.zip"]
    data = sandbox_mail.mail_attachment(session=session, scope=scope, link=SANDBOX,
                                        message_id=second, name=detail.files[0].name,
                                        settings=smtp.settings)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [XML_NAME, "ad09012345670002600000003.pdf"]

    with pytest.raises(NotFoundError):
        sandbox_mail.read_mail(session=session, scope=scope, link=SANDBOX,
                               message_id=foreign, settings=smtp.settings)
    with pytest.raises(NotFoundError):
        sandbox_mail.mail_attachment(session=session, scope=scope, link=SANDBOX,
                                     message_id=foreign, name="z09012345670002600000003.zip",
                                     settings=smtp.settings)


def test_only_in_the_sandbox(session: Session, smtp: SmtpStandIn) -> None:
    scope = signed_up(session, "901234567", "marta@espiga.example")
    with pytest.raises(ConflictError, match="solo existe con el sandbox"):
        sandbox_mail.list_mail(session=session, scope=scope,
                               link=DianLink(environment="habilitacion"),
                               settings=smtp.settings)
