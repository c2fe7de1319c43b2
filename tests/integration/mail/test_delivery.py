"""The mail adapter against the real local SMTP server: accepted, refused, deferred."""

from __future__ import annotations

import io
import itertools
import socket
import zipfile
from collections.abc import Iterator

import pytest

from loggro_app.local_stack import free_port
from loggro_app.mail import (
    DocumentSubject,
    MailConnection,
    MailSettings,
    build_document_mail,
    send_message,
)
from tests.integration.mail.conftest import SmtpStandIn

pytestmark = pytest.mark.integration

XML_NAME = "ad09001234560002600000007.xml"
XML = ('<?xml version="1.0" encoding="UTF-8"?><AttachedDocument>'
       '<cbc:ID>FE-7</cbc:ID><ñandú/></AttachedDocument>').encode()
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF"
_numbers = itertools.count(1)


def message_for(recipient: str):  # type: ignore[no-untyped-def]
    number = f"FE{next(_numbers)}"
    subject = DocumentSubject("900123456", "MI EMPRESA SAS", number, "01", "MI EMPRESA")
    return build_document_mail(recipient=recipient, subject=subject, attached_xml=XML,
                               xml_name=XML_NAME, pdf=PDF)


def queued_id(text: str) -> int:
    return int(text.rsplit(" ", 1)[1])  # "2.0.0 Ok: queued as 12"


def test_accepted_message_is_stored_with_its_zip(smtp: SmtpStandIn) -> None:
    message = message_for("compras@andina.co")
    delivery = send_message(message, "compras@andina.co", settings=smtp.settings)
    assert (delivery.status, delivery.code, delivery.recipient) == (
        "accepted", 250, "compras@andina.co")
    assert "queued as" in delivery.text
    stored = smtp.get(f"/admin/messages/{queued_id(delivery.text)}").json()
    assert stored["to"] == ["compras@andina.co"]
    assert stored["from"] == "facturacion@loggro.local"
    assert stored["subject"] == message["Subject"]
    assert stored["attachments"] == ["z09001234560002600000007.zip"]
    assert stored["headers"]["Message-ID"].endswith("@loggro.local>")
    assert "Documento: factura electrónica de venta" in stored["text"]
    assert message["Date"] is None  # the caller's message is left as built
    zipped = smtp.get(f"/admin/messages/{stored['id']}/attachments/{stored['attachments'][0]}")
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert archive.namelist() == [XML_NAME, "ad09001234560002600000007.pdf"]
        assert archive.read(XML_NAME) == XML
        assert archive.read("ad09001234560002600000007.pdf") == PDF
    newest = smtp.get("/admin/messages?limit=1").json()["messages"][0]
    assert newest["id"] == stored["id"]


def test_refused_recipient_gets_the_servers_code_and_text(smtp: SmtpStandIn) -> None:
    smtp.fault("nadie@andina.co", "refuse", "5.1.1 El buzón nadie@andina.co no existe")
    before = smtp.get("/admin/messages?limit=1").json()["messages"]
    delivery = send_message(message_for("nadie@andina.co"), "nadie@andina.co",
                            settings=smtp.settings)
    assert (delivery.status, delivery.code) == ("refused", 550)
    assert delivery.text == "5.1.1 El buzón nadie@andina.co no existe"
    assert delivery.refused and not delivery.accepted
    assert smtp.get("/admin/messages?limit=1").json()["messages"] == before


def test_deferred_twice_then_accepted(smtp: SmtpStandIn) -> None:
    smtp.fault("lleno@andina.co", "defer", "4.2.2 Buzón lleno, intente más tarde", count=2)
    outcomes = [send_message(message_for("lleno@andina.co"), "lleno@andina.co",
                             settings=smtp.settings) for _ in range(3)]
    assert [d.status for d in outcomes] == ["deferred", "deferred", "accepted"]
    assert [d.code for d in outcomes] == [451, 451, 250]
    assert outcomes[0].text == "4.2.2 Buzón lleno, intente más tarde"


def test_one_connection_for_several_messages_survives_a_refusal(smtp: SmtpStandIn) -> None:
    smtp.fault("rechazo@andina.co", "refuse", "No")
    with MailConnection(smtp.settings) as connection:
        statuses = [connection.send(message_for(to), to).status for to in
                    ("uno@andina.co", "rechazo@andina.co", "dos@andina.co")]
    assert statuses == ["accepted", "refused", "accepted"]
    recent = smtp.get("/admin/messages?limit=2").json()["messages"]
    assert [m["to"] for m in recent] == [["dos@andina.co"], ["uno@andina.co"]]


def test_listing_one_issuers_messages(smtp: SmtpStandIn) -> None:
    other = build_document_mail(
        recipient="x@andina.co", attached_xml=XML, xml_name=XML_NAME, pdf=None,
        subject=DocumentSubject("800199436", "OTRA SAS", "OT1", "01"))
    assert send_message(other, "x@andina.co", settings=smtp.settings).accepted
    send_message(message_for("y@andina.co"), "y@andina.co", settings=smtp.settings)
    mine = smtp.get("/admin/messages?subject_prefix=900123456;").json()["messages"]
    assert mine and all(m["subject"].startswith("900123456;") for m in mine)
    theirs = smtp.get("/admin/messages?subject_prefix=800199436;").json()["messages"]
    assert [m["subject"] for m in theirs] == ["800199436;OTRA SAS;OT1;01;OTRA SAS;"]


def test_no_server_listening_is_deferred_without_code() -> None:
    settings = MailSettings(port=free_port(), timeout_seconds=2)
    delivery = send_message(message_for("a@andina.co"), "a@andina.co", settings=settings)
    assert (delivery.status, delivery.code) == ("deferred", None)
    assert "rechazó la conexión" in delivery.text


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()[1]


def test_a_server_that_never_answers_is_deferred_after_the_timeout(silent_port: int) -> None:
    settings = MailSettings(port=silent_port, timeout_seconds=1)
    delivery = send_message(message_for("a@andina.co"), "a@andina.co", settings=settings)
    assert (delivery.status, delivery.code) == ("deferred", None)
    assert "no respondió en 1 s" in delivery.text


def test_admin_refuses_a_bad_fault(smtp: SmtpStandIn) -> None:
    import httpx

    answer = httpx.post(f"{smtp.admin}/admin/faults",
                        json={"address": "a@b.co", "kind": "refuse", "code": 451}, timeout=5)
    assert answer.status_code == 400
    assert "5xx" in answer.json()["error"]


def test_the_shared_stack_includes_the_smtp_server(mail_settings: MailSettings) -> None:
    delivery = send_message(message_for("pila@andina.co"), "pila@andina.co",
                            settings=mail_settings)
    assert delivery.accepted, delivery
