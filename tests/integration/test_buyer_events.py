"""Buyer events end to end: invoices issued through the durable workflow to the real DIAN
sandbox, whose simulated buyer sends RADIAN events; the scheduled check reads them from
DIAN, verifies and records them; the aceptación tácita (034) is registered when the
sandbox clock passes 3 business days; forged, tampered and out-of-order events are refused."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import httpx
import pytest
from dbos import DBOS
from lxml import etree
from sqlmodel import Session, select

from loggro_app.core.business_days import is_business_day, tacit_acceptance_from
from loggro_app.core.clock import BOGOTA, FixedClock, bogota_now, system_clock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import build_event, create_dev_p12, samples
from loggro_app.dian.model.event import Event
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.events import build_event_unsigned
from loggro_app.dian.xmlns import XPATH_NS
from loggro_app.durable import buyer_events as work
from loggro_app.models import DocumentEvent, DocumentMovement, Organization, SalesDocument
from loggro_app.services import buyer_events
from loggro_app.services.dian_link import DianLink
from loggro_app.services.issuing import dian_document
from loggro_app.services.sandbox_portal import SandboxPortal
from tests.integration.issuing_env import customer_named, invoice_draft, issue

pytestmark = pytest.mark.integration

WAIT_SECONDS = 60  # the check runs every 10 s; DBOS polls its schedules every 5 s


def _wait_for(read: Callable[[], object], expected: object) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if read() == expected:
            return
        time.sleep(0.5)
    raise AssertionError(f"still {read()!r}, expected {expected!r}")


def _status(session: Session, document_id: int) -> Callable[[], str]:
    def read() -> str:
        session.expire_all()
        row = session.get(SalesDocument, document_id)
        assert row is not None
        return row.buyer_status
    return read


def _movements(session: Session, document_id: int) -> list[str]:
    session.expire_all()
    return [m.kind for m in session.exec(select(DocumentMovement).where(
        DocumentMovement.document_id == document_id).order_by(DocumentMovement.id)).all()]


def _accepted_invoice(session: Session, seller, customer: str = "Fogón") -> SalesDocument:  # type: ignore[no-untyped-def]
    row = issue(session, seller, invoice_draft(session, seller, customer_named(
        session, seller, customer)))
    assert row.status == "accepted", row.dian_messages
    return row


def _buyer(portal: SandboxPortal, row: SalesDocument, code: str, reason: str = "") -> dict:  # type: ignore[type-arg]
    answer = portal.buyer_event(row.document_key, code, reason)
    assert answer["accepted"], answer["errors"]
    return answer


@pytest.fixture
def portal(sandbox_base: str) -> SandboxPortal:
    return SandboxPortal(sandbox_base)


@pytest.fixture
def org_nit(session: Session, seller) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The seller's NIT; its sandbox clock is put back after the test (the sandbox is
    shared by the whole test session)."""
    org = session.get(Organization, seller.organization_id)
    assert org is not None
    yield org.nit


@pytest.fixture
def sandbox_clock(sandbox_base: str, org_nit: str) -> Iterator[Callable[[datetime], None]]:
    def set_to(moment: datetime) -> None:
        offset = (moment - system_clock()).total_seconds()
        body = {"nit": org_nit, "offset_seconds": offset}
        httpx.post(f"{sandbox_base}/admin/clock", json=body).raise_for_status()
    yield set_to
    httpx.post(f"{sandbox_base}/admin/clock", json={"nit": org_nit, "offset_seconds": 0})


def test_buyer_receives_and_accepts_expressly(session: Session, seller, portal: SandboxPortal,  # type: ignore[no-untyped-def]
                                              link: DianLink) -> None:
    row = _accepted_invoice(session, seller)
    assert row.id is not None and row.buyer_status == ""
    for code in ("030", "032", "033"):
        _buyer(portal, row, code)
    _wait_for(_status(session, row.id), "confirmado_cliente")
    assert _movements(session, row.id)[-3:] == ["event_030", "event_032", "event_033"]
    checked = session.get(SalesDocument, row.id)
    assert checked is not None and checked.events_checked_at is not None  # spaces the next
    assert row.id not in buyer_events.waiting_documents(session=session)  # the buyer ended
    stored = buyer_events.stored_events(session, row.id)
    assert [(e.code, e.source) for e in stored] == [("030", "dian"), ("032", "dian"),
                                                      ("033", "dian")]
    # the buyer cannot claim after accepting: DIAN (the sandbox) refuses it in order
    late = portal.buyer_event(row.document_key, "031", "01")
    assert not late["accepted"] and any("LGS07" in e for e in late["errors"])
    # nor send the same event twice (rule 90)
    again = portal.buyer_event(row.document_key, "030")
    assert not again["accepted"] and any("Regla: 90" in e for e in again["errors"])


def _holiday_ahead() -> date:
    """A business day whose 3-business-day term crosses a Colombian holiday."""
    day = system_clock().astimezone(BOGOTA).date() + timedelta(days=1)
    while not (is_business_day(day) and any(
            not is_business_day(day + timedelta(days=n)) and (day + timedelta(days=n))
            .weekday() < 5 for n in range(1, 4))):
        day += timedelta(days=1)
    return day


def test_silence_after_receipt_is_tacit_acceptance(session: Session, seller,  # type: ignore[no-untyped-def]
                                                   portal: SandboxPortal,
                                                   sandbox_clock: Callable[[datetime], None],
                                                   link: DianLink) -> None:
    row = _accepted_invoice(session, seller)
    assert row.id is not None
    receipt_day = _holiday_ahead()
    sandbox_clock(datetime.combine(receipt_day, datetime.min.time(), BOGOTA)
                  + timedelta(hours=10))
    _buyer(portal, row, "030")
    _buyer(portal, row, "032")
    _wait_for(_status(session, row.id), "recibido")
    due = tacit_acceptance_from(datetime.combine(receipt_day, datetime.min.time(), BOGOTA))
    assert (due.date() - receipt_day).days > 4  # a weekend or a holiday lies in the term
    # a day short of the term: the check runs and nothing is sent
    sandbox_clock(due - timedelta(hours=2))
    time.sleep(12)
    assert _status(session, row.id)() == "recibido"
    assert buyer_events.send_tacit_acceptance(session=session, document_id=row.id,
                                              link=link) == "not_due"
    early = _early_tacit_answer(session, row, link)  # DIAN's side refuses it too
    assert not early.accepted and "LGS09" in early.rule_codes()
    # the delayed workflow woken early re-enqueues itself, delayed, for the rest of the term
    probe = work.enqueue_tacit(row.organization_id, row.id, 0.2, "-probe")
    assert DBOS.retrieve_workflow(probe).get_result() == "rescheduled"
    later = [w for w in DBOS.list_workflows(workflow_id_prefix=work.tacit_workflow_id(
        row.organization_id, row.id, "-at"))]
    assert [w.status for w in later] == ["DELAYED"]
    # past the term on the sandbox clock: the 034 goes out and DIAN registers it
    sandbox_clock(due + timedelta(minutes=5))
    _wait_for(_status(session, row.id), "confirmado_auto")
    assert _movements(session, row.id)[-3:] == ["event_030", "event_032", "event_034"]
    registered = httpx.get(f"{portal.base_url}/admin/documents/{row.document_key}/events")
    assert [e["code"] for e in registered.json()["events"]] == ["030", "032", "034"]
    sent = [e for e in buyer_events.stored_events(session, row.id) if e.code == "034"][0]
    receipt = [e for e in buyer_events.stored_events(session, row.id) if e.code == "032"][0]
    note = etree.fromstring(sent.xml).findtext("cbc:Note", namespaces=XPATH_NS) or ""
    assert note.startswith("Manifiesto bajo la gravedad de juramento")
    assert receipt.event_key in note and sent.source == "enviado"
    # running it again sends nothing (the 034 is recorded; DIAN would answer rule 90)
    assert buyer_events.send_tacit_acceptance(session=session, document_id=row.id,
                                              link=link) == "not_needed"


def _early_tacit_answer(session: Session, row: SalesDocument, link: DianLink):  # type: ignore[no-untyped-def]
    from loggro_app.services.certificates import load_signer

    event = buyer_events._tacit_event(session, row, link, system_clock)
    signer = load_signer(session=session, organization_id=row.organization_id)
    built = build_event(event, signer=signer, clock=system_clock)
    with link.client(session=session, organization_id=row.organization_id) as client:
        return client.send_event_update_status(built.zip_bytes)


def _buyer_signed(session: Session, row: SalesDocument, link: DianLink, code: str,
                  strip_reason: bool = False) -> bytes:
    """An event about our invoice signed by its buyer's own certificate, made here (as a
    buyer's software would) with our provider's software, so its CUDE is checkable."""
    document = dian_document(session, row, link)
    now = bogota_now(system_clock)
    buyer = document.counterparty
    p12 = create_dev_p12(nit=buyer.id_number, organization=buyer.name[:60], password=b"x",
                         not_before=now - timedelta(days=1))
    signer = Signer.from_pkcs12(p12, b"x")
    event = Event(code=code, prefix="EXT", number=int(time.time()) % 10**6, issued_at=now,
                  sender=buyer, receiver_party=document.issuer,
                  invoice_number=document.number_text, invoice_uuid=row.document_key,
                  software=link.software, claim_reason="01" if code == "031" else None,
                  person=samples.receipt_acknowledgement(now, row.document_key).person
                  if code in ("030", "032") else None)
    if not strip_reason:
        return build_event(event, signer=signer, clock=FixedClock(now)).xml_bytes
    root, _ = build_event_unsigned(event)
    response = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode",
                         namespaces=XPATH_NS)
    assert response is not None
    del response.attrib["listID"], response.attrib["name"]
    return bytes(etree.tostring(signer.sign(root, clock=FixedClock(now), id_seed="claim")))


def test_forged_tampered_and_out_of_order_events_are_refused(  # type: ignore[no-untyped-def]
        session: Session, seller, portal: SandboxPortal, link: DianLink) -> None:
    row = _accepted_invoice(session, seller)
    assert row.id is not None
    acknowledgement = _buyer(portal, row, "030")
    _wait_for(_status(session, row.id), "acuse")
    before = (_movements(session, row.id), len(buyer_events.stored_events(session, row.id)))

    def refused(xml: bytes, message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            buyer_events.intake(session=session, scope=seller, document_id=row.id, xml=xml,
                                link=link)
        session.rollback()
        assert (_movements(session, row.id), len(buyer_events.stored_events(
            session, row.id))) == before
        assert _status(session, row.id)() == "acuse"

    # an event about another organization's invoice (the demo issuer's, to its buyer)
    other_signer = Signer.from_pkcs12(create_dev_p12(
        nit=samples.buyer().id_number, organization="Andina", password=b"x",
        not_before=bogota_now(system_clock) - timedelta(days=1)), b"x")
    now = bogota_now(system_clock)
    foreign = build_event(dataclasses.replace(
        samples.receipt_acknowledgement(now, "9" * 96), software=link.software),
        signer=other_signer, clock=FixedClock(now)).xml_bytes
    refused(foreign, "se refiere a otra factura")
    # an express acceptance without the receipt of the goods (032)
    refused(_buyer_signed(session, row, link, "033"),
            r"requiere antes el recibo del bien o servicio \(032\)")
    # DIAN's own 030, altered after the buyer signed it
    tampered = acknowledgement["xml"].replace("Lucía", "Lucio").encode()
    refused(tampered, "firma digital del evento no es válida")
    # a claim without its reason (validly signed by the buyer)
    refused(_buyer_signed(session, row, link, "031", strip_reason=True),
            "no indica su motivo")
    assert session.exec(select(DocumentEvent).where(
        DocumentEvent.document_id == row.id, DocumentEvent.code != "030")).all() == []


def _mail_with(xml: bytes, name: str) -> bytes:
    """What a buyer's mail client sends: a short text and the event as an attachment."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"] = "compras@elfogon.example", "recepcion@laceiba.loggro.co"
    message["Subject"], message["Message-ID"] = f"Evento {name}", f"<{name}@elfogon.example>"
    message.set_content("Adjunto el evento de la factura.")
    message.add_attachment(xml, maintype="application", subtype="xml", filename=f"{name}.xml")
    return bytes(message)


def test_events_mailed_to_the_reception_address_reach_their_invoice(  # type: ignore[no-untyped-def]
        session: Session, seller, link: DianLink) -> None:
    from loggro_app.models import ReceivedMessage
    from loggro_app.services import reception, reception_mailbox

    row = _accepted_invoice(session, seller)
    assert row.id is not None

    def deliver(raw: bytes) -> None:
        reception_mailbox.deliver_mail(session=session, organization_id=seller.organization_id,
                                       raw=raw, link=link)

    def kept(name: str) -> ReceivedMessage:
        session.expire_all()
        return session.exec(select(ReceivedMessage).where(
            ReceivedMessage.mail_key == f"<{name}@elfogon.example>#0")).one()

    # the buyer's acuse arrives by mail, signed by the buyer: recorded on the invoice
    acuse = _mail_with(_buyer_signed(session, row, link, "030"), "acuse")
    deliver(acuse)
    deliver(acuse)  # the same mail read again: nothing twice
    assert _status(session, row.id)() == "acuse"
    events = buyer_events.stored_events(session, row.id)
    assert [(e.code, e.source) for e in events] == [("030", "correo")]
    assert "event_030" in _movements(session, row.id)
    assert kept("acuse").outcome == reception.BUYER_EVENT
    # an express acceptance before the receipt of the goods: quarantined with the reason
    deliver(_mail_with(_buyer_signed(session, row, link, "033"), "aceptacion"))
    early = kept("aceptacion")
    assert early.outcome == reception.QUARANTINED and "(032)" in early.reasons
    # an event about another organization's invoice
    other = Signer.from_pkcs12(create_dev_p12(
        nit=samples.buyer().id_number, organization="Andina", password=b"x",
        not_before=bogota_now(system_clock) - timedelta(days=1)), b"x")
    now = bogota_now(system_clock)
    foreign = build_event(dataclasses.replace(
        samples.receipt_acknowledgement(now, "9" * 96), software=link.software),
        signer=other, clock=FixedClock(now)).xml_bytes
    deliver(_mail_with(foreign, "ajeno"))
    assert "no es de esta organización" in kept("ajeno").reasons
    assert [e.code for e in buyer_events.stored_events(session, row.id)] == ["030"]
    # nothing of this became a received invoice
    assert session.exec(select(ReceivedMessage).where(
        ReceivedMessage.outcome == reception.REGISTERED)).all() == []
