"""The organization as buyer sends its RADIAN events about a received invoice to the real
DIAN sandbox: La Ceiba invoices El Fogón through the issuing workflow; El Fogón registers
the AttachedDocument it got and sends 030, 032 and 031 through the durable workflow, each
signed with its certificate; the sandbox records them. Out of order, duplicated and late
events are refused before anything is sent; the automatic 030 goes out on reception."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from email.header import decode_header, make_header
from time import monotonic, sleep

import httpx
import pytest
from dbos import DBOS
from sqlmodel import Session, select

from loggro_app.core import purchase_events as rules
from loggro_app.core.clock import BOGOTA, aware, system_clock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import read_event
from loggro_app.durable import purchase_events as work
from loggro_app.models import Organization, OrgCertificate, PurchaseEvent, ReceivedInvoice
from loggro_app.services import certificates, ledger, purchase_events, reception
from loggro_app.services import purchase_event_views as views
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from tests.integration.conftest import signed_up
from tests.integration.issuing_env import customer_named, invoice_draft, issue

pytestmark = pytest.mark.integration

FOGON_NIT = "830054320"  # La Ceiba's customer Restaurante El Fogón, in the demo data
PERSON = {"id_type": "13", "id_number": "52345678", "first_name": "Camila",
          "family_name": "Ortiz", "job_title": "Jefe de compras", "department": "Compras"}


@pytest.fixture
def fast_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduled check every 2 s (asked for before `seller` launches DBOS)."""
    monkeypatch.setenv("LOGGRO_PURCHASE_EVENTS_SCHEDULE", "*/2 * * * * *")


@pytest.fixture
def fogon(session: Session, seller: Scope) -> Scope:  # noqa: ARG001  (DBOS runs for it)
    return signed_up(session, FOGON_NIT, "compras@fogon.example")


@pytest.fixture
def supplier_clock(sandbox_base: str, session: Session, seller: Scope
                   ) -> Iterator[Callable[[float], None]]:
    """Moves the sandbox's business clock of La Ceiba (the term runs on it), put back after."""
    org = session.get(Organization, seller.organization_id)
    assert org is not None

    def advance(days: float) -> None:
        httpx.post(f"{sandbox_base}/admin/clock", json={
            "nit": org.nit, "offset_seconds": timedelta(days=days).total_seconds()}
        ).raise_for_status()
    yield advance
    advance(0)


def _received_invoice(session: Session, seller: Scope, buyer: Scope) -> ReceivedInvoice:
    sold = issue(session, seller, invoice_draft(session, seller, customer_named(
        session, seller, "Fogón")))
    assert sold.status == "accepted" and sold.attached_document, sold.dian_messages
    done = reception.receive_package(session=session, organization_id=buyer.organization_id,
                                     data=sold.attached_document, source="carga")
    assert done.outcome == reception.REGISTERED, done.reasons
    assert done.invoice_id is not None
    row = session.get(ReceivedInvoice, done.invoice_id)
    assert row is not None
    return row


def _send(session: Session, buyer: Scope, invoice: ReceivedInvoice, code: str,
          link: DianLink, **kwargs: object) -> PurchaseEvent:
    assert invoice.id is not None
    row = purchase_events.request_event(session=session, scope=buyer, invoice_id=invoice.id,
                                        code=code, link=link, **kwargs)  # type: ignore[arg-type]
    assert row.id is not None and row.state == "pending"
    wid = work.start_sync(buyer.organization_id, invoice.id, code, row.id, row.attempt)
    suffix = f"-a{row.attempt}" if row.attempt > 1 else ""
    assert wid == f"org{buyer.organization_id}-purchase-event-{invoice.id}-{code}{suffix}"
    DBOS.retrieve_workflow(wid).get_result()
    session.expire_all()
    sent = session.get(PurchaseEvent, row.id)
    assert sent is not None
    return sent


def _registered(sandbox_base: str, cufe: str) -> list[tuple[str, str]]:
    events = httpx.get(f"{sandbox_base}/admin/documents/{cufe}/events").json()["events"]
    return [(e["code"], e["sender_nit"]) for e in events]


def _mailed(stack_env: dict[str, str], recipient: str) -> list[str]:
    """The subjects (decoded: an accented one travels encoded) mailed to `recipient`."""
    admin = stack_env["LOGGRO_SMTP_ADMIN_URL"]
    found = httpx.get(f"{admin}/admin/messages", params={"limit": 500}).json()["messages"]
    return [str(make_header(decode_header(m["subject"]))).strip() for m in found
            if recipient in m["to"]]


def _refused(session: Session, buyer: Scope, invoice: ReceivedInvoice, code: str,
             link: DianLink, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as caught:
        purchase_events.request_event(session=session, scope=buyer, invoice_id=invoice.id or 0,
                                      code=code, link=link, **kwargs)  # type: ignore[arg-type]
    return caught.value.message


def test_the_buyer_acknowledges_receives_and_claims(session: Session, seller: Scope,
                                                    fogon: Scope, link: DianLink,
                                                    sandbox_base: str,
                                                    supplier_clock: Callable[[float], None],
                                                    stack_env: dict[str, str]) -> None:
    invoice = _received_invoice(session, seller, fogon)
    used = ledger.balance(session=session, organization_id=fogon.organization_id).plan_used
    assert "requiere antes el acuse de recibo (030)" in _refused(
        session, fogon, invoice, "032", link, person=PERSON)
    missing = _refused(session, fogon, invoice, "030", link,
                       person={**PERSON, "job_title": ""})
    assert "obligatorio" in missing

    version = reception.received_version(session=session, scope=fogon)
    acuse = _send(session, fogon, invoice, "030", link, person=PERSON)
    assert acuse.state == "accepted", acuse.dian_message
    # an open grid reads its rows again: the events column changed
    assert reception.received_version(session=session, scope=fogon) != version
    assert acuse.xml is not None and len(acuse.cude) == 96
    _, read = read_event(acuse.xml)
    assert (read.code, read.sender_id, read.event_key) == ("030", FOGON_NIT, acuse.cude)
    assert "Camila Ortiz (52345678)" == read.person
    assert "ya estaba registrado" in _refused(session, fogon, invoice, "030", link,
                                              person=PERSON)
    assert "requiere antes el recibo del bien" in _refused(
        session, fogon, invoice, "031", link, claim_reason="02")

    receipt = _send(session, fogon, invoice, "032", link)  # the person named last time
    assert receipt.state == "accepted", receipt.dian_message
    session.refresh(invoice)
    assert invoice.status == "recibido"
    view = views.purchase_view(session=session, scope=fogon,
                                         invoice_id=invoice.id or 0, link=link)
    assert view.allowed == ["033", "031"] and "Puedes reclamar" in view.term_text

    # On the last day of the term the page warns and the scheduled check lists it
    receipt_at = aware(receipt.sent_at or system_clock())
    last = rules.last_claim_day(receipt_at)
    noon = datetime.combine(last, time(12, 0), BOGOTA)
    supplier_clock((noon - system_clock()).total_seconds() / 86400)
    view = views.purchase_view(session=session, scope=fogon,
                                         invoice_id=invoice.id or 0, link=link)
    assert view.closing_on == f"{last:%d/%m/%Y}" and view.allowed == ["033", "031"]
    _, closing, _ = work.check()
    assert (fogon.organization_id, invoice.id, invoice.number, view.closing_on) in closing
    # one reminder mail to the organization per term, however many checks run
    work.check()
    reminders = [m for m in _mailed(stack_env, "compras@fogon.example")
                 if m.startswith("Vence el plazo") and invoice.number in m]
    assert reminders == [f"Vence el plazo para reclamar la factura {invoice.number}"]
    assert views.closing_by_invoice(
        session=session, scope=fogon, invoice_ids=[invoice.id or 0], link=link) == {
        invoice.id: view.closing_on}
    supplier_clock(0)
    # the day of the receipt is three business days away: no warning yet
    assert views.purchase_view(session=session, scope=fogon,
                                         invoice_id=invoice.id or 0,
                                         link=link).closing_on == ""

    # Ten days later on the legal clock the term is over: no claim, no express acceptance
    supplier_clock(10)
    late = _refused(session, fogon, invoice, "031", link, claim_reason="02")
    assert "venció" in late and "aceptada tácitamente" in late
    assert _refused(session, fogon, invoice, "033", link).startswith("El plazo")
    supplier_clock(0)

    assert "motivo del reclamo" in _refused(session, fogon, invoice, "031", link,
                                            claim_reason="09")
    claim = _send(session, fogon, invoice, "031", link, claim_reason="02")
    assert claim.state == "accepted", claim.dian_message
    assert claim.xml is not None and read_event(claim.xml)[1].claim_reason == "02"
    assert "no admite" in _refused(session, fogon, invoice, "033", link)
    session.refresh(invoice)
    assert invoice.status == "reclamada"

    # DIAN (the sandbox) registered the three, from El Fogón, in order
    assert _registered(sandbox_base, invoice.cufe) == [
        ("030", FOGON_NIT), ("032", FOGON_NIT), ("031", FOGON_NIT)]
    # the events consumed nothing of the plan (only the reception did)
    assert ledger.balance(session=session,
                          organization_id=fogon.organization_id).plan_used == used
    shown = views.events_by_invoice(session=session, scope=fogon,
                                              invoice_ids=[invoice.id or 0])
    assert shown == {invoice.id: "030 ✓ · 032 ✓ · 031 ✓"}

    # The seller's side of the same invoice: La Ceiba reads El Fogón's answers from DIAN
    from loggro_app.models import SalesDocument
    from loggro_app.services import buyer_events

    sold = session.exec(select(SalesDocument).where(
        SalesDocument.organization_id == seller.organization_id,
        SalesDocument.document_key == invoice.cufe)).one()
    assert sold.id is not None
    buyer_events.poll_document(session=session, document_id=sold.id, link=link)
    session.expire_all()
    assert [(e.code, e.sender_id) for e in buyer_events.stored_events(session, sold.id)] == [
        ("030", FOGON_NIT), ("032", FOGON_NIT), ("031", FOGON_NIT)]
    assert session.get(SalesDocument, sold.id).buyer_status == "reclamado"  # type: ignore[union-attr]


def test_a_workflow_id_sends_once(session: Session, seller: Scope, fogon: Scope,
                                  link: DianLink, sandbox_base: str) -> None:
    invoice = _received_invoice(session, seller, fogon)
    acuse = _send(session, fogon, invoice, "030", link, person=PERSON)
    assert acuse.state == "accepted"
    # the same workflow started again (a double click, a restart): nothing more is sent
    wid = work.start_sync(fogon.organization_id, invoice.id or 0, "030", acuse.id or 0)
    assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
    # and the step itself, run again, leaves the answered event as it is
    assert purchase_events.send_event(session=session, event_id=acuse.id or 0,
                                      link=link) == "accepted"
    assert _registered(sandbox_base, invoice.cufe) == [("030", FOGON_NIT)]


def test_the_acuse_goes_out_on_reception_when_asked_for(fast_check: None, session: Session,
                                                        seller: Scope, fogon: Scope,
                                                        link: DianLink,
                                                        sandbox_base: str) -> None:
    purchase_events.set_auto_acknowledge(session=session, scope=fogon, on=True, person=PERSON)
    invoice = _received_invoice(session, seller, fogon)

    def first() -> PurchaseEvent:
        session.expire_all()
        return views.events_of(session=session, invoice_id=invoice.id or 0)[0]

    rows = views.events_of(session=session, invoice_id=invoice.id or 0)
    assert [(r.code, r.state, r.requested_by) for r in rows] == [("030", "pending",
                                                                 "automático")]
    deadline = monotonic() + 60
    while monotonic() < deadline and first().state == "pending":
        sleep(0.5)
    sent = first()
    assert sent.state == "accepted", sent.dian_message
    assert _registered(sandbox_base, invoice.cufe) == [("030", FOGON_NIT)]


def test_a_refused_event_says_why_and_may_be_sent_again(session: Session, seller: Scope,
                                                        fogon: Scope, link: DianLink,
                                                        sandbox_base: str) -> None:
    invoice = _received_invoice(session, seller, fogon)
    installed = session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == fogon.organization_id)).all()
    for row in installed:
        session.delete(row)
    session.commit()
    refused = _send(session, fogon, invoice, "030", link, person=PERSON)
    assert (refused.state, refused.attempt) == ("rejected", 1)
    assert "no tiene certificado" in refused.dian_message
    assert _registered(sandbox_base, invoice.cufe) == []
    view = views.purchase_view(session=session, scope=fogon,
                                         invoice_id=invoice.id or 0, link=link)
    assert view.allowed == ["030"] and view.events[0]["label"] == "Rechazado por la DIAN"

    certificates.install_development_certificate(session=session, scope=fogon)
    again = _send(session, fogon, invoice, "030", link, person=PERSON)
    assert (again.id, again.state, again.attempt) == (refused.id, "accepted", 2)
    assert again.dian_message and "certificado" not in again.dian_message
    assert _registered(sandbox_base, invoice.cufe) == [("030", FOGON_NIT)]
