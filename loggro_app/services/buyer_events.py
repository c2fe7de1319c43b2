"""What buyers answer about the organization's invoices (RADIAN events 030-034).

Events arrive two ways: read from DIAN (GetStatusEvent) by the periodic check, or sent to
us by the buyer (mail, upload) and taken in by `intake`. Either way the event is verified
(`dian.event_check`: signature by the sender's certificate, CUDE, this invoice, its two
parties, a 031's reason), then checked against the events already recorded (order
030 → 032 → 033/031/034, `core.buyer_events`), and only then recorded: the event with
its XML, its history movement and the document's `buyer_status`, in one transaction.
An event that fails is logged with the reason and recorded nowhere.

When the buyer let 3 business days pass after the 032 without a 033 or 031, the
organization registers the aceptación tácita (034): `send_tacit_acceptance`, run by the
durable workflow in `durable/buyer_events.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core import buyer_events as rules
from loggro_app.core.business_days import tacit_acceptance_from
from loggro_app.core.clock import (
    BOGOTA,
    Clock,
    aware,
    bogota_now,
    local_text,
    system_clock,
    to_utc,
)
from loggro_app.core.errors import ConflictError, DianRejected, ValidationError
from loggro_app.dian import (
    Event,
    ReceivedEvent,
    build_event,
    check_event,
    expected_of_invoice,
    read_event,
    tacit_note,
)
from loggro_app.models import DocumentEvent, Organization, SalesDocument
from loggro_app.services import history
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink
from loggro_app.services.owned import save_changes
from loggro_app.services.sales import get_document
from loggro_app.services.scope import Scope

log = logging.getLogger(__name__)

CHECK_BATCH = 100  # invoices asked about per check at most; the rest wait for the next
MAX_EVENT_BYTES = 512 * 1024  # an event is a few kB; more is not an event
TACIT_PREFIX = "AT"  # the 034's own number: AT<document id>, unique per issuer
SOURCES = {"dian": "consultado en la DIAN", "carga": "cargado por el usuario",
           "correo": "recibido por correo", "enviado": "enviado por la organización"}


@dataclass(frozen=True)
class Recorded:
    document_id: int
    organization_id: int
    code: str


def stored_events(session: Session, document_id: int) -> list[DocumentEvent]:
    return list(session.exec(select(DocumentEvent).where(
        DocumentEvent.document_id == document_id).order_by(col(DocumentEvent.id))).all())


def _invoice(session: Session, document_id: int) -> SalesDocument:
    row = session.get(SalesDocument, document_id)
    if row is None:
        raise ConflictError(f"El documento {document_id} ya no existe.")
    if row.kind != "FE" or row.status != "accepted" or row.signed_xml is None:
        raise ConflictError("Solo una factura aceptada por la DIAN recibe eventos del "
                            "comprador.")
    return row


def _refused(row: SalesDocument, source: str, message: str) -> ValidationError:
    log.warning("evento rechazado (%s) para el documento %s de la organización %s: %s",
                source, row.id, row.organization_id, message)
    return ValidationError({"evento": message})


def accept(session: Session, row: SalesDocument, xml: bytes, *, link: DianLink,
           registered: Callable[[], set[str]], source: str,
           clock: Clock = system_clock) -> Recorded | None:
    """Verify one event and record it; None when it was already recorded.

    `registered` gives the CUDEs DIAN holds for the invoice: asked only when the CUDE
    cannot be recomputed here (the buyer's software PIN is not ours).
    """
    assert row.signed_xml is not None and row.id is not None
    try:
        event = check_event(xml, expected=expected_of_invoice(row.signed_xml),
                            pins={link.software_id: link.software_pin})
    except ValidationError as exc:
        raise _refused(row, source, exc.message) from None
    stored = stored_events(session, row.id)
    if any(e.event_key == event.event_key for e in stored):
        return None
    if not event.cude_checked and event.event_key not in registered():
        raise _refused(row, source, f"La DIAN no tiene registrado el evento {event.number} "
                                    f"(CUDE {event.event_key[:16]}…): un evento solo vale "
                                    "registrado en la DIAN.")
    problem = rules.order_error([e.code for e in stored], event.code)
    if problem is not None:
        raise _refused(row, source, problem)
    return _record(session, row, event, source=source, clock=clock)


def _record(session: Session, row: SalesDocument, event: ReceivedEvent, *, source: str,
            clock: Clock) -> Recorded | None:
    """The event, its movement and the status: one transaction."""
    assert row.id is not None
    session.add(DocumentEvent(
        organization_id=row.organization_id, document_id=row.id, code=event.code,
        event_key=event.event_key, sender_id=event.sender_id[:20],
        issued_at=to_utc(event.issued_at), recorded_at=to_utc(clock()), source=source,
        xml=event.xml))
    history.record(session, row, f"event_{event.code}", detail=event.summary(), clock=clock)
    row.buyer_status = rules.status_after(event.code)
    row.updated_at = to_utc(clock())
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same event recorded at the same moment by another check
        session.rollback()
        return None
    log.info("evento %s registrado para el documento %s", event.code, row.id)
    return Recorded(row.id, row.organization_id, event.code)


def waiting_documents(*, session: Session, clock: Clock = system_clock,
                      limit: int = CHECK_BATCH) -> list[int]:
    """Accepted invoices whose buyer has not ended its answer and whose next check is due
    (`rules.RECHECK_BY_AGE`), never asked first, then the longest unasked."""
    now = clock()
    checked = col(SalesDocument.events_checked_at)
    due = or_(*(and_(col(SalesDocument.accepted_at) > to_utc(now - up_to),
                     or_(checked.is_(None), checked <= to_utc(now - every)))
                for up_to, every in rules.RECHECK_BY_AGE))
    rows = session.exec(select(SalesDocument.id).where(
        SalesDocument.kind == "FE", SalesDocument.status == "accepted",
        col(SalesDocument.buyer_status).in_(rules.WAITING_STATUSES),
        col(SalesDocument.accepted_at) > to_utc(now - rules.CHECK_WINDOW), due,
    ).order_by(checked.is_not(None), checked, col(SalesDocument.id)).limit(limit)).all()
    return [int(i) for i in rows if i is not None]


def poll_document(*, session: Session, document_id: int, link: DianLink,
                  clock: Clock = system_clock) -> list[Recorded]:
    """Ask DIAN for the invoice's events and record the new, genuine ones, in order."""
    row = _invoice(session, document_id)
    with link.client(session=session, organization_id=row.organization_id) as client:
        answers = client.get_status_event(row.document_key)
    row.events_checked_at = to_utc(clock())
    save_changes(session, row)
    session.commit()
    found = [a.application_response for a in answers if a.accepted and a.application_response]
    keys = {a.document_key for a in answers if a.accepted}
    recorded = []
    for xml in found:
        try:
            done = accept(session, row, xml, link=link, registered=lambda: keys,
                          source="dian", clock=clock)
        except ValidationError:
            continue  # logged by accept; the next event may still be fine
        if done is not None:
            recorded.append(done)
    return recorded


def _registered_at_dian(session: Session, row: SalesDocument, link: DianLink) -> set[str]:
    with link.client(session=session, organization_id=row.organization_id) as client:
        return {a.document_key for a in client.get_status_event(row.document_key)
                if a.accepted}


def intake(*, session: Session, scope: Scope, document_id: int, xml: bytes, link: DianLink,
           clock: Clock = system_clock) -> Recorded:
    """An event the buyer sent us (mail, upload): verified like DIAN's, then recorded."""
    get_document(session=session, scope=scope, document_id=document_id)
    row = _invoice(session, document_id)
    if len(xml) > MAX_EVENT_BYTES:
        raise _refused(row, "carga", "El archivo es demasiado grande para ser un evento "
                                     f"(máximo {MAX_EVENT_BYTES // 1024} kB).")
    done = accept(session, row, xml, link=link, source="carga", clock=clock,
                  registered=lambda: _registered_at_dian(session, row, link))
    if done is None:
        raise ConflictError("Ese evento ya estaba registrado en el historial.")
    return done


def mailed(*, session: Session, organization_id: int, xml: bytes, link: DianLink,
           clock: Clock = system_clock) -> Recorded | None:
    """An event a buyer mailed to the reception address: verified like an upload, and
    recorded on the organization's invoice it names (None when it was recorded already)."""
    _, event = read_event(xml)
    row = session.exec(select(SalesDocument).where(
        SalesDocument.organization_id == organization_id,
        SalesDocument.document_key == event.document_key,
        col(SalesDocument.signed_xml).is_not(None))).first() if event.document_key else None
    if row is None:
        raise ValidationError({"evento": f"El evento {event.number} se refiere a la factura "
                                         f"{event.document_number or 'sin número'}, que no es "
                                         "de esta organización."})
    if len(xml) > MAX_EVENT_BYTES:
        raise _refused(row, "correo", "El archivo es demasiado grande para ser un evento.")
    return accept(session, row, xml, link=link, source="correo", clock=clock,
                  registered=lambda: _registered_at_dian(session, row, link))


# -- aceptación tácita (034) ---------------------------------------------------------------
def legal_clock(link: DianLink, nit: str) -> Clock:
    """The clock legal terms run on: the real one, or in the sandbox the sandbox's
    business clock for the organization (which a demo or a test moves by days), so both
    sides of the 3-day term agree."""
    if not link.is_sandbox:
        return system_clock
    from loggro_app.services.sandbox_portal import SandboxPortal

    portal = SandboxPortal.for_link(link)
    return lambda: portal.now_for(nit)


def tacit_due_at(session: Session, document_id: int) -> datetime | None:
    """When the 034 may be registered, or None when it does not apply (no 032 yet, or
    the buyer already accepted or claimed, or the 034 is done)."""
    stored = {e.code: e for e in stored_events(session, document_id)}
    if "032" not in stored or set(stored) & set(rules.ENDINGS):
        return None
    return tacit_acceptance_from(aware(stored["032"].issued_at))


def tacit_wait(*, session: Session, document_id: int, link: DianLink) -> float | None:
    """Seconds until the 034 is due on the legal clock (≤ 0: due now); None: not needed."""
    due = tacit_due_at(session, document_id)
    if due is None:
        return None
    row = _invoice(session, document_id)
    org = session.get(Organization, row.organization_id)
    assert org is not None
    return (due - legal_clock(link, org.nit)()).total_seconds()


def _tacit_event(session: Session, row: SalesDocument, link: DianLink, clock: Clock) -> Event:
    from loggro_app.services.issuing import dian_document

    assert row.id is not None
    receipt = next(e for e in stored_events(session, row.id) if e.code == "032")
    _, read = read_event(receipt.xml)
    document = dian_document(session, row, link)
    buyer = document.counterparty
    return Event(
        code="034", prefix=TACIT_PREFIX, number=row.id, issued_at=bogota_now(clock),
        sender=document.issuer, receiver_party=buyer,
        invoice_number=document.number_text, invoice_uuid=row.document_key,
        software=link.software, environment=int(link.dian_environment_code),
        note=tacit_note(receipt=read.number, receipt_cude=read.event_key, buyer=buyer.name,
                        nit=buyer.id_number))


def send_tacit_acceptance(*, session: Session, document_id: int, link: DianLink,
                          clock: Clock = system_clock) -> str:
    """Register the 034 at DIAN and record it: "sent", "not_needed" or "not_due".

    Safe to run again: once recorded it does nothing; when DIAN already holds our 034
    (a crash after it answered), its rule 90 is resolved by reading the 034 it holds.
    """
    row = _invoice(session, document_id)
    org = session.get(Organization, row.organization_id)
    assert org is not None and row.id is not None
    due = tacit_due_at(session, document_id)
    if due is None:
        return "not_needed"
    if legal_clock(link, org.nit)() < due:
        return "not_due"
    signer = load_signer(session=session, organization_id=row.organization_id)
    built = build_event(_tacit_event(session, row, link, clock), signer=signer, clock=clock)
    with link.client(session=session, organization_id=row.organization_id) as client:
        answer = client.send_event_update_status(built.zip_bytes)
        xml = built.xml_bytes
        if not answer.accepted:
            held = [a.application_response for a in client.get_status_event(row.document_key)
                    if a.accepted and a.application_response]
            ours = [x for x in held if read_event(x)[1].code == "034"]
            if "90" not in answer.rule_codes() or not ours:
                raise DianRejected(answer.status_description or "La DIAN no registró la "
                                   "aceptación tácita.", [(m.code, m.text) for m in
                                                          answer.rejections])
            xml = ours[0]
    _, event = read_event(xml)
    _record(session, row, event, source="enviado", clock=clock)
    return "sent"


@dataclass(frozen=True)
class BuyerView:
    """What the document page shows of the buyer's answer."""

    status: str
    label: str
    events: list[dict[str, str]]  # code, name, date, detail
    tacit_from: str  # "11/12/2026": when the 034 is due, while it is pending
    can_receive: bool  # an accepted invoice: events may arrive


def buyer_view(*, session: Session, scope: Scope, document_id: int) -> BuyerView:
    row = get_document(session=session, scope=scope, document_id=document_id)
    events = [{"code": e.code, "name": rules.EVENT_NAMES[e.code].capitalize(),
               "date": local_text(e.issued_at),
               "source": SOURCES.get(e.source, e.source)}
              for e in stored_events(session, document_id)]
    due = tacit_due_at(session, document_id)
    return BuyerView(row.buyer_status, rules.STATUS_LABELS.get(row.buyer_status, ""), events,
                     f"{due.astimezone(BOGOTA):%d/%m/%Y}" if due else "",
                     row.kind == "FE" and row.status == "accepted")
