"""The organization as buyer: the RADIAN events it sends about a received invoice.

*Acuse de recibo* (030), *Recibo del bien o servicio* (032), *Aceptación expresa* (033) and
*Reclamo* (031, with DIAN's reason 01-04). `request_event` checks the order and the legal
term (`core.purchase_events`) and records the event as pending; the durable workflow in
`durable/purchase_events.py` then runs `send_event`: the event is built, signed with the
organization's certificate and sent with SendEventUpdateStatus, and DIAN's answer is kept
on the row (accepted or rejected, its message, the signed XML). A rejected event may be
asked for again: the same row, a new attempt.

Terms run on `buyer_events.legal_clock`: the real clock, or the sandbox's business clock
for the supplier, which a demo or a test moves by days. Events consume nothing of the plan:
only the reception of the invoice did.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core import purchase_events as rules
from loggro_app.core.buyer_events import EVENT_NAMES
from loggro_app.core.clock import (
    BOGOTA,
    Clock,
    aware,
    bogota_now,
    system_clock,
    to_utc,
)
from loggro_app.core.errors import ConflictError, LoggroError, NotFoundError, ValidationError
from loggro_app.dian import (
    CUSTOMER,
    SUPPLIER,
    Event,
    Receiver,
    build_event,
    parse_untrusted,
    party_of,
    read_event,
)
from loggro_app.dian.client import DianClient
from loggro_app.dian.codes import CLAIM_REASONS
from loggro_app.models import Organization, PurchaseEvent, ReceivedInvoice, User
from loggro_app.services.buyer_events import legal_clock
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink
from loggro_app.services.owned import get_owned
from loggro_app.services.scope import Scope

log = logging.getLogger(__name__)

PREFIX = "EC"  # the events' own numbering: EC<row id>, unique per organization
INVOICE_TYPES = ("01", "02", "03", "04")  # notes get no events
PERSON_FIELDS = ("id_type", "id_number", "first_name", "family_name", "job_title",
                 "department")
PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
STATE_LABELS = {PENDING: "Enviando a la DIAN", ACCEPTED: "Registrado en la DIAN",
                REJECTED: "Rechazado por la DIAN"}
NOT_FOUND = "La factura recibida no existe o no pertenece a tu organización."
AUTOMATIC = "automático"
STUCK_AFTER = timedelta(minutes=5)  # the workflow's own retries are over by then


def timeline(session: Session, invoice_id: int) -> tuple[dict[str, datetime], tuple[str, ...]]:
    """(registered code -> when it was sent, codes waiting for DIAN's answer)."""
    rows = session.exec(select(PurchaseEvent).where(PurchaseEvent.invoice_id == invoice_id)
                        ).all()
    accepted = {r.code: aware(r.sent_at) for r in rows
                if r.state == ACCEPTED and r.sent_at is not None}
    return accepted, tuple(r.code for r in rows if r.state == PENDING)


def legal_now(link: DianLink, invoice: ReceivedInvoice) -> datetime:
    """The legal clock; the real one when the sandbox's cannot be read (a page must load)."""
    try:
        return legal_clock(link, invoice.supplier_nit)()
    except LoggroError:
        return system_clock()


def _receiver(person: dict[str, str]) -> Receiver:
    values = {k: str(person.get(k, "")).strip() for k in PERSON_FIELDS}
    missing = [k for k in PERSON_FIELDS if not values[k]]
    if missing:
        raise ValidationError({f"person_{k}": "Este dato de quien recibe es obligatorio."
                               for k in missing})
    return Receiver(**values)


def default_person(*, session: Session, scope: Scope) -> dict[str, str]:
    """Who receives: the person last named by the organization, else the acting user."""
    org = session.get(Organization, scope.organization_id)
    stored = json.loads(org.receiver_person) if org is not None and org.receiver_person else {}
    if stored:
        return {k: str(stored.get(k, "")) for k in PERSON_FIELDS}
    user = session.get(User, scope.user_id)
    first, _, family = (user.full_name if user is not None else "").strip().partition(" ")
    return {"id_type": "13", "id_number": "", "first_name": first, "family_name": family,
            "job_title": "", "department": "Compras"}


def request_event(*, session: Session, scope: Scope, invoice_id: int, code: str,
                  link: DianLink, person: dict[str, str] | None = None,
                  claim_reason: str = "", note: str = "", requested_by: str = "",
                  clock: Clock | None = None) -> PurchaseEvent:
    """Check that `code` may be sent now and record it as pending (the workflow sends it)."""
    invoice = get_owned(session, ReceivedInvoice, scope, invoice_id, NOT_FOUND)
    if invoice.type_code not in INVOICE_TYPES:
        raise ValidationError({"evento": "Los eventos de la DIAN se envían sobre facturas, "
                                         "no sobre notas crédito o débito."})
    accepted, pending = timeline(session, invoice_id)
    now = (clock or (lambda: legal_now(link, invoice)))()
    problem = rules.refusal(accepted, code, now, pending)
    if problem is not None:
        raise ValidationError({"evento": problem})
    if code == "031" and claim_reason not in CLAIM_REASONS:
        raise ValidationError({"claim_reason": "Elige el motivo del reclamo (01 a 04 de la "
                                               "DIAN)."})
    stored = ""
    if code in ("030", "032"):
        chosen = _receiver(person or default_person(session=session, scope=scope))
        stored = json.dumps({k: getattr(chosen, k) for k in PERSON_FIELDS}, ensure_ascii=False)
        org = session.get(Organization, scope.organization_id)
        assert org is not None
        org.receiver_person = stored  # the next event (and the automatic 030) name them
        session.add(org)
    return _pending(session, invoice, code, person=stored,
                    claim_reason=claim_reason if code == "031" else "", note=note,
                    requested_by=requested_by)


def _pending(session: Session, invoice: ReceivedInvoice, code: str, *, person: str,
             claim_reason: str, note: str, requested_by: str) -> PurchaseEvent:
    assert invoice.id is not None
    row = session.exec(select(PurchaseEvent).where(PurchaseEvent.invoice_id == invoice.id,
                                                   PurchaseEvent.code == code)).first()
    if row is None:
        row = PurchaseEvent(organization_id=invoice.organization_id, invoice_id=invoice.id,
                            code=code, requested_at=to_utc(system_clock()))
    else:  # refused before: the same event, a new attempt
        row.attempt += 1
        row.cude, row.dian_message, row.xml, row.sent_at, row.answered_at = "", "", None, \
            None, None
    row.state, row.person, row.claim_reason = PENDING, person, claim_reason
    row.note, row.requested_by = note[:2000], requested_by[:200]
    row.requested_at = to_utc(system_clock())
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # a double click: the other request won
        session.rollback()
        raise ConflictError(f"El {EVENT_NAMES[code]} ya se está enviando.") from None
    session.refresh(row)
    return row


def queue_auto_acknowledge(*, session: Session, invoice: ReceivedInvoice
                           ) -> PurchaseEvent | None:
    """The 030 of a just-registered invoice when the organization asked for it."""
    org = session.get(Organization, invoice.organization_id)
    if org is None or not org.auto_acknowledge or invoice.type_code not in INVOICE_TYPES:
        return None
    try:
        person = _receiver(json.loads(org.receiver_person or "{}"))
    except ValidationError:
        log.warning("acuse automático sin persona que recibe (organización %s)", org.id)
        return None
    stored = json.dumps({k: getattr(person, k) for k in PERSON_FIELDS}, ensure_ascii=False)
    return _pending(session, invoice, "030", person=stored, claim_reason="", note="",
                    requested_by=AUTOMATIC)


def auto_acknowledge(*, session: Session, scope: Scope) -> bool:
    org = session.get(Organization, scope.organization_id)
    return bool(org is not None and org.auto_acknowledge)


def set_auto_acknowledge(*, session: Session, scope: Scope, on: bool,
                         person: dict[str, str] | None = None) -> None:
    """Turn the automatic 030 on (naming who receives) or off."""
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    if on:
        chosen = _receiver(person or default_person(session=session, scope=scope))
        org.receiver_person = json.dumps({k: getattr(chosen, k) for k in PERSON_FIELDS},
                                         ensure_ascii=False)
    org.auto_acknowledge = on
    session.add(org)
    session.commit()


# -- sending ---------------------------------------------------------------------------
def _event(row: PurchaseEvent, invoice: ReceivedInvoice, link: DianLink,
           clock: Clock) -> Event:
    root = parse_untrusted(invoice.document_xml)
    person = json.loads(row.person) if row.person else None
    return Event(
        code=row.code, prefix=PREFIX, number=row.id or 0, issued_at=bogota_now(clock),
        sender=party_of(root, CUSTOMER), receiver_party=party_of(root, SUPPLIER),
        invoice_number=invoice.number, invoice_uuid=invoice.cufe, software=link.software,
        invoice_type=invoice.type_code, environment=int(link.dian_environment_code),
        claim_reason=row.claim_reason or None,
        person=Receiver(**person) if person else None, note=row.note or None)


def _answered(session: Session, row: PurchaseEvent, invoice: ReceivedInvoice, state: str,
              message: str, *, xml: bytes | None = None, cude: str = "",
              sent_at: datetime | None = None, clock: Clock) -> str:
    row.state, row.dian_message = state, message
    row.xml, row.cude = xml or row.xml, cude or row.cude
    row.sent_at = to_utc(sent_at) if sent_at is not None else row.sent_at
    row.answered_at = to_utc(clock())
    session.add(row)
    if state == ACCEPTED:
        invoice.status = rules.STATUS_BY_CODE[row.code]
        session.add(invoice)
    session.commit()
    log.info("evento %s de la factura recibida %s: %s", row.code, invoice.id, state)
    return state


def _held_by_dian(client: DianClient, invoice: ReceivedInvoice, code: str,
                  nit: str) -> bytes | None:
    """Our `code` as DIAN registered it (a crash after DIAN answered, then a resend)."""
    for answer in client.get_status_event(invoice.cufe):
        if answer.accepted and answer.application_response:
            _, read = read_event(answer.application_response)
            if read.code == code and read.sender_id == nit:
                return answer.application_response
    return None


def send_event(*, session: Session, event_id: int, link: DianLink,
               clock: Clock = system_clock) -> str:
    """Build, sign and send one pending event; its state after DIAN's answer.

    Safe to run again: an answered event is left as it is; when DIAN already registered
    ours (rule 90 after a crash), the event DIAN holds is recorded.
    """
    row = session.get(PurchaseEvent, event_id)
    if row is None:
        raise ConflictError(f"El evento {event_id} ya no existe.")
    if row.state != PENDING:
        return row.state
    invoice = session.get(ReceivedInvoice, row.invoice_id)
    org = session.get(Organization, row.organization_id)
    assert invoice is not None and org is not None
    try:
        event = _event(row, invoice, link, clock)
        signer = load_signer(session=session, organization_id=row.organization_id)
        built = build_event(event, signer=signer, clock=clock)
    except (ValidationError, NotFoundError) as exc:  # retrying would not help: say why
        return _answered(session, row, invoice, REJECTED, exc.message, clock=clock)
    with link.client(session=session, organization_id=row.organization_id) as client:
        answer = client.send_event_update_status(built.zip_bytes)
        if answer.accepted:
            return _answered(session, row, invoice, ACCEPTED, answer.status_description,
                             xml=built.xml_bytes, cude=built.unique_code,
                             sent_at=event.issued_at, clock=clock)
        held = (_held_by_dian(client, invoice, row.code, org.nit)
                if "90" in answer.rule_codes() else None)
    if held is not None:
        _, read = read_event(held)
        issued = read.issued_at if read.issued_at.tzinfo else read.issued_at.replace(
            tzinfo=BOGOTA)
        return _answered(session, row, invoice, ACCEPTED, "Registrado en la DIAN.", xml=held,
                         cude=read.event_key, sent_at=issued,
                         clock=clock)
    lines = [f"{m.code}: {m.text}" if m.code else m.text for m in answer.rejections]
    message = "\n".join([answer.status_description or "La DIAN no registró el evento.",
                         *lines])
    return _answered(session, row, invoice, REJECTED, message, xml=built.xml_bytes,
                     cude=built.unique_code, clock=clock)


def pending_events(*, session: Session, clock: Clock = system_clock
                   ) -> list[tuple[int, int, str, int, int, bool]]:
    """(organization, invoice, code, event id, attempt, late) of every event waiting to be
    sent; late: asked for more than STUCK_AFTER ago, its workflow gave up (DIAN down)."""
    rows = session.exec(select(PurchaseEvent).where(PurchaseEvent.state == PENDING)
                        .order_by(col(PurchaseEvent.id))).all()
    since = to_utc(clock()) - STUCK_AFTER
    return [(r.organization_id, r.invoice_id, r.code, r.id or 0, r.attempt,
             aware(r.requested_at) < since) for r in rows]
