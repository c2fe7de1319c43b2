"""The reception mailbox read over IMAP from a real Dovecot server (TLS, self-signed
certificate trusted through LOGGRO_IMAP_CA_FILE): a supplier's mail becomes a registered
invoice, the mail is flagged Seen only after that, and reading again adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from sqlmodel import Session, func, select

from loggro_app.dian import demo_enabled
from loggro_app.models import ReceivedInvoice, ReceivedMessage, ReceptionMailbox, User
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services import imap_poll, reception_mailbox
from loggro_app.services.scope import Scope
from tests.integration.imap_server import (
    DOVECOT_FOUND,
    PASSWORD,
    USER,
    ImapServer,
    dovecot_server,
)
from tests.unit.reception.package import addressed_to

pytestmark = pytest.mark.skipif(not DOVECOT_FOUND,
                                reason="dovecot-imapd no está instalado")


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    with dovecot_server() as server:
        yield server


@pytest.fixture
def ceiba(session: Session, imap: ImapServer, monkeypatch: pytest.MonkeyPatch) -> Scope:
    assert load_enabled_demo(session, password="Demo2026*")
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    monkeypatch.setenv("LOGGRO_IMAP_CA_FILE", str(imap.ca_file))
    reception_mailbox.save_mailbox(
        session=session, organization_id=user.organization_id,
        address="recepcion@laceiba.example.co", host="127.0.0.1", port=imap.port,
        user=USER, password=PASSWORD)
    # The module's server outlives each test's database: start from an empty INBOX.
    imap.empty()
    assert user.id is not None
    return Scope(user.organization_id, user.id, user.role, user.is_principal)


def supplier_mail(package: bytes | None, message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Proveedor <facturas@proveedor.example.co>"
    message["To"] = "recepcion@laceiba.example.co"
    message["Subject"] = "900123456;Proveedor;SETP990000001;01;Proveedor;"
    message["Message-ID"] = message_id
    message.set_content("Adjuntamos la factura electrónica.")
    if package is not None:
        message.add_attachment(package, maintype="application", subtype="zip",
                               filename="z0900123456000260000001.zip")
    return message.as_bytes()


def genuine() -> bytes:
    return addressed_to(demo_enabled.NIT, demo_enabled.DV, demo_enabled.LEGAL_NAME)


def count(session: Session, model: type, scope: Scope) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(
        model.organization_id == scope.organization_id)).one())  # type: ignore[attr-defined]


def poll(session: Session, scope: Scope) -> imap_poll.Poll:
    return imap_poll.poll_mailbox(session=session, organization_id=scope.organization_id)


def test_a_mailed_invoice_is_registered_once_and_flagged_seen(
        session: Session, ceiba: Scope, imap: ImapServer) -> None:
    imap.append(supplier_mail(genuine(), "<fv-1@proveedor.example.co>"))
    assert len(imap.unseen()) == 1

    first = poll(session, ceiba)

    assert first.read == 1 and [r.outcome for r in first.receptions] == ["registered"]
    assert imap.unseen() == []
    invoice = session.exec(select(ReceivedInvoice).where(
        ReceivedInvoice.organization_id == ceiba.organization_id)).one()
    message = session.get(ReceivedMessage, invoice.message_id)
    assert message is not None and message.source == "correo"
    assert message.sender == "facturas@proveedor.example.co"
    assert message.mail_key == "<fv-1@proveedor.example.co>#0"
    assert b"Message-ID: <fv-1@proveedor.example.co>" in message.raw  # the whole mail

    second = poll(session, ceiba)
    assert second.read == 0 and second.receptions == []
    assert count(session, ReceivedInvoice, ceiba) == 1
    assert count(session, ReceivedMessage, ceiba) == 1


def test_a_mail_read_again_after_a_crash_before_the_flag_adds_nothing(
        session: Session, ceiba: Scope, imap: ImapServer) -> None:
    raw = supplier_mail(genuine(), "<fv-2@proveedor.example.co>")
    imap.append(raw)
    # What a crash between the commit and the flag leaves: stored, still unread.
    reception_mailbox.deliver_mail(session=session, organization_id=ceiba.organization_id,
                                   raw=raw)

    done = poll(session, ceiba)

    assert done.read == 1 and done.receptions == []
    assert imap.unseen() == []
    assert count(session, ReceivedMessage, ceiba) == 1


def test_a_mail_without_an_invoice_is_kept_in_quarantine(
        session: Session, ceiba: Scope, imap: ImapServer) -> None:
    imap.append(supplier_mail(None, "<hola@proveedor.example.co>"))

    done = poll(session, ceiba)

    assert [r.outcome for r in done.receptions] == ["quarantined"]
    assert imap.unseen() == []
    assert count(session, ReceivedInvoice, ceiba) == 0


def test_an_untrusted_certificate_reads_nothing_and_says_why(
        session: Session, ceiba: Scope, imap: ImapServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGGRO_IMAP_CA_FILE")  # the system's CAs do not know the test's
    imap.append(supplier_mail(genuine(), "<fv-3@proveedor.example.co>"))

    done = poll(session, ceiba)

    assert done.read == 0
    assert len(imap.unseen()) == 1  # left for the next poll
    row = session.exec(select(ReceptionMailbox).where(
        ReceptionMailbox.organization_id == ceiba.organization_id)).one()
    assert "certificado" in row.last_error
    assert row.last_polled_at is not None
    assert count(session, ReceivedMessage, ceiba) == 0


def test_the_poll_stops_at_its_bound(session: Session, ceiba: Scope,
                                     imap: ImapServer) -> None:
    for n in range(3):
        imap.append(supplier_mail(None, f"<aviso-{n}@proveedor.example.co>"))

    done = imap_poll.poll_mailbox(session=session, organization_id=ceiba.organization_id,
                                  max_messages=2)

    assert done.read == 2 and len(imap.unseen()) == 1


def test_a_mail_above_the_size_bound_is_left_for_a_person(
        session: Session, ceiba: Scope, imap: ImapServer) -> None:
    imap.append(supplier_mail(genuine(), "<grande@proveedor.example.co>"))  # tens of KB
    imap.append(supplier_mail(None, "<corto@proveedor.example.co>"))  # under 1 KB

    done = imap_poll.poll_mailbox(session=session, organization_id=ceiba.organization_id,
                                  max_bytes=4000)

    assert done.read == 1 and [r.outcome for r in done.receptions] == ["quarantined"]
    assert len(imap.unseen()) == 1
    assert count(session, ReceivedInvoice, ceiba) == 0


def test_what_must_not_be_registered_is_quarantined_with_its_reasons(
        session: Session, ceiba: Scope, imap: ImapServer) -> None:
    """Read from the real mailbox like any supplier's mail: each one kept, none registered,
    each with the reason a person reads in the quarantine."""
    from tests.unit.reception.package import tampered, zipped
    from tests.unit.reception.test_hostile import zeros

    mails = {
        "<alterada@proveedor.example.co>": (tampered(genuine()),
                                            "el contenido cambió después de firmado"),
        "<otro-nit@proveedor.example.co>": (
            addressed_to("900373115", 3, "Otra Empresa S.A.S.", number=990000031),
            "dirigido a 900373115"),
        "<bomba@proveedor.example.co>": (zeros("ad.xml", 5), "bomba ZIP"),
        "<rutas@proveedor.example.co>": (zipped(("../../ad.xml", b"<x/>")), "ruta"),
    }
    for message_id, (package, _) in mails.items():
        imap.append(supplier_mail(package, message_id))

    done = poll(session, ceiba)

    assert done.read == 4 and [r.outcome for r in done.receptions] == ["quarantined"] * 4
    assert imap.unseen() == []
    assert count(session, ReceivedInvoice, ceiba) == 0
    for message_id, (_, reason) in mails.items():
        kept = session.exec(select(ReceivedMessage).where(
            ReceivedMessage.mail_key == f"{message_id}#0")).one()
        assert kept.outcome == "quarantined" and reason.lower() in kept.reasons.lower(), (
            message_id, kept.reasons)
