"""Reading a received mail: its key, sender, subject and the attachments that may be an
invoice; the local SMTP server's store finds the mail of one reception address."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

from loggro_app.reception.mail import MAX_ATTACHMENTS, read_mail
from loggro_app.services.reception_mailbox import expected_parts
from loggro_app.standins.smtp.store import MailStore


def mail(*attachments: tuple[str, str, bytes], message_id: str | None = "<a@b.co>") -> bytes:
    message = EmailMessage()
    message["From"] = "Proveedor S.A.S. <facturas@proveedor.co>"
    message["To"] = "recepcion@laceiba.co"
    message["Subject"] = "900123456;Proveedor;SETP1;01;;"
    if message_id is not None:
        message["Message-ID"] = message_id
    message.set_content("Factura adjunta.")
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_the_zip_and_xml_attachments_are_read_the_rest_is_not() -> None:
    read = read_mail(mail(("z1.zip", "application/zip", b"PK\x03\x04zip"),
                          ("logo.png", "image/png", b"\x89PNG"),
                          ("ad1.xml", "application/xml", b"<AttachedDocument/>"),
                          ("sin-extension", "application/zip", b"PK\x03\x04otro")))
    assert [(a.name, a.data) for a in read.attachments] == [
        ("z1.zip", b"PK\x03\x04zip"), ("ad1.xml", b"<AttachedDocument/>"),
        ("sin-extension", b"PK\x03\x04otro")]
    assert read.key == "<a@b.co>"
    assert read.sender == "facturas@proveedor.co"
    assert read.subject.startswith("900123456;")


def test_without_a_message_id_the_bytes_are_the_key() -> None:
    raw = mail(message_id=None)
    assert read_mail(raw).key == read_mail(raw).key
    assert read_mail(raw).key.startswith("sha256:")
    assert read_mail(raw).key != read_mail(mail(("x.zip", "application/zip", b"1"),
                                                message_id=None)).key


def test_attachments_are_bounded() -> None:
    many = [(f"z{n}.zip", "application/zip", b"PK") for n in range(MAX_ATTACHMENTS + 5)]
    assert len(read_mail(mail(*many)).attachments) == MAX_ATTACHMENTS
    assert expected_parts([n for n, _, _ in many]) == MAX_ATTACHMENTS
    assert expected_parts(["logo.png"]) == 1  # kept whole and quarantined
    assert expected_parts(["a.ZIP", "b.xml", "c.pdf"]) == 2


def test_garbage_is_a_mail_without_attachments() -> None:
    read = read_mail(b"\x00\xff not a mail at all")
    assert read.attachments == ()


def test_the_local_server_lists_the_mail_of_one_address(tmp_path: Path) -> None:
    store = MailStore(tmp_path)
    store.save(mail(), "a@b.co", ["recepcion@laceiba.co"])
    store.save(mail(), "a@b.co", ["Otro@Cliente.co", "copia@laceiba.co"])
    store.save(mail(), "a@b.co", ["recepcion_x@laceiba.co"])  # LIKE's _ is not a wildcard

    def to(address: str) -> list[list[str]]:
        return [row["to"] for row in store.list(recipient=address)]

    assert to("recepcion@laceiba.co") == [["recepcion@laceiba.co"]]
    assert to("otro@cliente.co") == [["Otro@Cliente.co", "copia@laceiba.co"]]
    assert to("laceiba.co") == []  # the whole address, not a part of it
    assert len(store.list()) == 3
    assert json.dumps(store.list(recipient="recepcion_x@laceiba.co")[0]["to"]) == (
        '["recepcion_x@laceiba.co"]')
