"""Receiving suppliers' electronic invoices (*Compras → Facturas recibidas*).

`receive_package` keeps what arrived (a mail's attachment or a file uploaded by hand) as it
came, verifies it (`loggro_app.reception.verify_received`) and then either registers the
invoice, quarantines the message with its reasons, or records it as a duplicate.

Duplicates are decided by the database: UNIQUE(organization_id, cufe). The lookup that
`verify_received` makes only produces the friendlier reason; two deliveries of the same
invoice racing each other both pass it, and the loser's insert fails and is recorded as
duplicate.

Every registered CUFE consumes one document of the plan (`purchase_reception`), once: the
ledger is keyed by the CUFE and ignores a second consumption of the same key. Reception is
mandatory by law, so with no documents left the invoice is still registered and counted
beyond the allotment (`ledger.commit(overdraw=True)`): the counters show the overdraft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core import plans
from loggro_app.core import purchase_events as purchase_rules
from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.core.errors import ConflictError, NotFoundError, ValidationError
from loggro_app.core.nit import NIT_TYPE, validate_nit
from loggro_app.models import (
    Customer,
    Organization,
    PurchaseEvent,
    ReceivedInvoice,
    ReceivedMessage,
)
from loggro_app.reception import ReceivedInvoice as ReadInvoice
from loggro_app.reception import verify_received
from loggro_app.reception.verify import DUPLICATE
from loggro_app.services import ledger, purchase_events
from loggro_app.services.owned import get_owned
from loggro_app.services.paging import Page, like_pattern
from loggro_app.services.scope import Scope

SOURCES = {"correo": "Correo", "carga": "Carga manual"}
REGISTERED, QUARANTINED, DUPLICATED = "registered", "quarantined", "duplicate"
# a buyer's event about one of the organization's own invoices (services/buyer_events)
BUYER_EVENT = "buyer_event"
OUTCOMES = {REGISTERED: "Registrada", QUARANTINED: "En cuarentena", DUPLICATED: "Repetida",
            BUYER_EVENT: "Evento de un cliente"}
# validada on reception; then the last of our RADIAN events registered at DIAN
STATUSES = {"validada": "Validada DIAN", **purchase_rules.STATUS_LABELS}
TYPE_NAMES = {"01": "Factura", "02": "Factura de exportación", "03": "Factura (talonario)",
              "04": "Factura de contingencia", "91": "Nota crédito", "92": "Nota débito"}
# A supplier's mail is at most a few MB (the PDF included); far above is not an invoice.
MAX_PACKAGE_BYTES = 10 * 1024 * 1024
TOO_LARGE = "El archivo pesa más de 10 MB: no parece una factura electrónica."
NOT_FOUND = "La factura recibida no existe o no pertenece a tu organización."
SORTS = {
    "date": col(ReceivedInvoice.issued_on),
    "number": col(ReceivedInvoice.number),
    "supplier": col(ReceivedInvoice.supplier_name),
    "total": col(ReceivedInvoice.payable),
}
MAX_PAGE_SIZE = 100
MAX_RANGE_DAYS = 3700


@dataclass(frozen=True)
class Reception:
    """What became of one message."""

    outcome: str  # registered | quarantined | duplicate
    message_id: int
    reasons: list[str] = field(default_factory=list)  # Spanish: why not registered
    notes: list[str] = field(default_factory=list)
    invoice_id: int | None = None  # the registered invoice (or the earlier one, if duplicate)
    number: str = ""
    supplier: str = ""


class _KnownCufes:
    """`in` asks the database: only the CUFE at hand is looked up, never the whole list."""

    def __init__(self, session: Session, organization_id: int) -> None:
        self.session, self.organization_id = session, organization_id

    def __contains__(self, cufe: object) -> bool:
        return _invoice_by_cufe(self.session, self.organization_id, str(cufe)) is not None


def _invoice_by_cufe(session: Session, organization_id: int, cufe: str) -> ReceivedInvoice | None:
    return session.exec(select(ReceivedInvoice).where(
        ReceivedInvoice.organization_id == organization_id,
        ReceivedInvoice.cufe == cufe.lower())).first()


@dataclass(frozen=True)
class _Origin:
    """Where a package came from: kept with every message stored for it."""

    source: str
    sender: str
    subject: str
    mail_key: str | None
    evidence: bytes | None  # the whole mail, when the package is one of its attachments


def _message(organization_id: int, data: bytes, origin: _Origin,
             clock: Clock) -> ReceivedMessage:
    return ReceivedMessage(organization_id=organization_id, source=origin.source,
                           sender=origin.sender.strip()[:254],
                           subject=origin.subject.strip()[:300],
                           received_at=to_utc(clock()),
                           raw=origin.evidence if origin.evidence is not None else data,
                           outcome=QUARANTINED, mail_key=origin.mail_key)


def _amounts(values: dict[str, Decimal]) -> str:
    return json.dumps({k: str(v) for k, v in sorted(values.items())})


def _lines(read: ReadInvoice) -> str:
    return json.dumps([{"description": line.description, "quantity": str(line.quantity),
                        "unit_code": line.unit_code, "price": str(line.price),
                        "line_total": str(line.line_total)} for line in read.lines],
                      ensure_ascii=False)


def _supplier(session: Session, organization_id: int, read: ReadInvoice,
              clock: Clock) -> int | None:
    """The supplier as a contact, created from the invoice the first time it invoices us.

    A NIT whose DV does not check is left unlinked rather than stored wrong: the invoice
    keeps the supplier's data as written either way."""
    try:
        number, dv = validate_nit(read.supplier_nit, read.supplier_dv or None)
    except ValidationError:
        return None
    found = session.exec(select(Customer).where(
        Customer.organization_id == organization_id, Customer.identification_type == NIT_TYPE,
        Customer.identification_number == number)).first()
    if found is not None:
        return found.id
    # Only what the invoice proves: address and e-mails are completed in Contactos if the
    # supplier is ever invoiced too.
    row = Customer(organization_id=organization_id, identification_type=NIT_TYPE,
                   identification_number=number, dv=dv, person_type="1",
                   name=(read.supplier_name or number)[:200], municipality_code="",
                   postal_code="", send_xml_email=False, created_at=to_utc(clock()))
    session.add(row)
    session.flush()
    return row.id


def _invoice_row(organization_id: int, message_id: int, supplier_id: int | None,
                 read: ReadInvoice, clock: Clock) -> ReceivedInvoice:
    assert read.issued_on is not None  # verify_received refuses a document without its date
    return ReceivedInvoice(
        organization_id=organization_id, message_id=message_id,
        supplier_customer_id=supplier_id, supplier_nit=read.supplier_nit[:20],
        supplier_dv=read.supplier_dv[:1], supplier_name=read.supplier_name[:450],
        number=read.number[:40], prefix=read.prefix[:10], type_code=read.type_code[:2],
        cufe=read.cufe.lower(), environment=read.environment[:1] or "1",
        issued_on=read.issued_on, due_on=read.due_on, currency=read.currency[:3] or "COP",
        line_extension=read.line_extension, tax_exclusive=read.tax_exclusive,
        tax_inclusive=read.tax_inclusive, allowances=read.allowances, charges=read.charges,
        prepaid=read.prepaid, payable=read.payable,
        tax_total=sum(read.taxes.values(), Decimal("0")),
        taxes=_amounts(read.taxes), withholdings=_amounts(read.withholdings),
        lines=_lines(read), document_xml=read.document_xml, response_xml=read.response_xml,
        container_xml=read.container_xml, pdf=read.pdf, pdf_name=read.pdf_name[:200],
        registered_at=to_utc(clock()))


def _consume(session: Session, organization_id: int, cufe: str, number: str,
             clock: Clock) -> None:
    """One document of the plan for this CUFE; again for the same CUFE, nothing."""
    reason = f"Factura recibida {number}"
    try:
        ledger.reserve(session=session, organization_id=organization_id, document_key=cufe,
                       document_kind=plans.PURCHASE_RECEPTION, clock=clock)
    except ConflictError:
        # None left: reception is mandatory, so it is counted beyond the allotment.
        ledger.commit(session=session, organization_id=organization_id, document_key=cufe,
                      document_kind=plans.PURCHASE_RECEPTION, overdraw=True,
                      reason=f"{reason} (sin documentos disponibles)", clock=clock)
        return
    ledger.commit(session=session, organization_id=organization_id, document_key=cufe,
                  document_kind=plans.PURCHASE_RECEPTION, reason=reason, clock=clock)


def keep_buyer_event_mail(*, session: Session, organization_id: int, raw: bytes, sender: str,
                          subject: str, mail_key: str, reasons: list[str],
                          clock: Clock = system_clock) -> ReceivedMessage:
    """The mail that carried a buyer's event, kept like any other: recorded on its invoice,
    or quarantined with the reasons when the event was refused."""
    message = ReceivedMessage(organization_id=organization_id, source="correo",
                              sender=sender[:254], subject=subject[:300],
                              received_at=to_utc(clock()), raw=raw, mail_key=mail_key,
                              outcome=BUYER_EVENT)
    _store(session, message, QUARANTINED if reasons else BUYER_EVENT, reasons, [], None)
    session.commit()
    return message


def _store(session: Session, message: ReceivedMessage, outcome: str, reasons: list[str],
           notes: list[str], read: ReadInvoice | None) -> ReceivedMessage:
    message.outcome = outcome
    message.reasons = json.dumps(reasons, ensure_ascii=False)
    message.notes = json.dumps(notes, ensure_ascii=False)
    if read is not None:
        message.document_number = read.number[:40]
        message.supplier_name = read.supplier_name[:450]
    session.add(message)
    session.flush()
    return message


def _duplicate(session: Session, organization_id: int, data: bytes, origin: _Origin,
               read: ReadInvoice, notes: list[str], clock: Clock) -> Reception:
    earlier = _invoice_by_cufe(session, organization_id, read.cufe)
    reason = (f"La factura {read.number} (CUFE {read.cufe[:12]}…) ya se había recibido.")
    message = _store(session, _message(organization_id, data, origin, clock),
                     DUPLICATED, [reason], notes, read)
    session.commit()
    assert message.id is not None
    if earlier is not None:
        # A crash after registering but before counting is made good by the next delivery.
        _consume(session, organization_id, earlier.cufe, earlier.number, clock)
    return Reception(DUPLICATED, message.id, [reason], notes,
                     earlier.id if earlier is not None else None, read.number,
                     read.supplier_name)


def receive_package(*, session: Session, organization_id: int, data: bytes, source: str,
                    sender: str = "", subject: str = "", mail_key: str | None = None,
                    evidence: bytes | None = None,
                    clock: Clock = system_clock) -> Reception:
    """Keep, verify and register (or quarantine) one received ZIP or XML.

    `mail_key` names the mail and attachment it came from (a second message with the same
    key in the organization is refused by the database); `evidence` is the whole mail,
    kept instead of the bare attachment."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    origin = _Origin(source, sender, subject, mail_key, evidence)
    if len(data) > MAX_PACKAGE_BYTES:
        raise ValidationError({"file": TOO_LARGE})
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFoundError("La organización no existe.")
    verdict = verify_received(data, buyer_nit=organization.nit,
                              known_cufes=_KnownCufes(session, organization_id))
    read = verdict.invoice
    if not verdict.ok:
        if read is not None and set(verdict.codes) == {DUPLICATE}:
            return _duplicate(session, organization_id, data, origin, read, verdict.notes,
                              clock)
        message = _store(session, _message(organization_id, data, origin, clock),
                         QUARANTINED, verdict.reasons, verdict.notes, read)
        session.commit()
        assert message.id is not None
        return Reception(QUARANTINED, message.id, verdict.reasons, verdict.notes, None,
                         read.number if read else "", read.supplier_name if read else "")
    assert read is not None
    for attempt in (1, 2):
        try:
            message = _store(session, _message(organization_id, data, origin, clock),
                             REGISTERED, [], verdict.notes, read)
            assert message.id is not None
            supplier_id = _supplier(session, organization_id, read, clock)
            row = _invoice_row(organization_id, message.id, supplier_id, read, clock)
            session.add(row)
            session.commit()
            break
        except IntegrityError:
            session.rollback()
            if _invoice_by_cufe(session, organization_id, read.cufe) is not None:
                return _duplicate(session, organization_id, data, origin, read,
                                  verdict.notes, clock)
            if attempt == 2:  # not the CUFE: a constraint the second try should have met
                raise
            # The supplier was created meanwhile by another delivery: the retry finds it.
    assert row.id is not None and message.id is not None
    _consume(session, organization_id, row.cufe, row.number, clock)
    # The scheduled check sends it (durable/purchase_events.py): no network here.
    purchase_events.queue_auto_acknowledge(session=session, invoice=row)
    return Reception(REGISTERED, message.id, [], verdict.notes, row.id, row.number,
                     row.supplier_name)


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedFilter:
    date_from: date | None = None
    date_to: date | None = None
    supplier: str = ""  # name or NIT, any part
    status: str = ""

    def __post_init__(self) -> None:
        problems = {}
        if self.date_from and self.date_to:
            if self.date_to < self.date_from:
                problems["date_to"] = "La fecha final no puede ser anterior a la inicial."
            elif (self.date_to - self.date_from).days > MAX_RANGE_DAYS:
                problems["date_to"] = "Elige un rango de máximo diez años."
        if self.status and self.status not in STATUSES:
            problems["status"] = "Estado desconocido."
        if problems:
            raise ValidationError(problems)


def list_received(*, session: Session, scope: Scope, filters: ReceivedFilter | None = None,
                  sort: str = "date", descending: bool = True, page: int = 1,
                  page_size: int = 20) -> Page[ReceivedInvoice]:
    """The organization's received invoices, filtered, sorted and paged by the database."""
    if sort not in SORTS:
        raise ValidationError({"sort": "Orden desconocido."})
    filters = filters or ReceivedFilter()
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    query = select(ReceivedInvoice).where(
        ReceivedInvoice.organization_id == scope.organization_id)
    if filters.date_from:
        query = query.where(col(ReceivedInvoice.issued_on) >= filters.date_from)
    if filters.date_to:
        query = query.where(col(ReceivedInvoice.issued_on) <= filters.date_to)
    if filters.status:
        query = query.where(ReceivedInvoice.status == filters.status)
    if filters.supplier.strip():
        pattern = like_pattern(filters.supplier)
        query = query.where(or_(col(ReceivedInvoice.supplier_name).ilike(pattern, escape="\\"),
                                col(ReceivedInvoice.supplier_nit).ilike(pattern, escape="\\")))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    order = SORTS[sort].desc() if descending else SORTS[sort].asc()
    page = max(1, min(page, max(1, -(-total // page_size))))
    rows = list(session.exec(query.order_by(order, col(ReceivedInvoice.id).desc())
                             .offset((page - 1) * page_size).limit(page_size)).all())
    return Page(rows=rows, total=total, page=page, page_size=page_size)


def list_quarantined(*, session: Session, scope: Scope, page: int = 1,
                     page_size: int = 10) -> Page[ReceivedMessage]:
    """Messages that were not registered, newest first, with their reasons."""
    query = select(ReceivedMessage).where(
        ReceivedMessage.organization_id == scope.organization_id,
        ReceivedMessage.outcome == QUARANTINED)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, min(page, max(1, -(-total // page_size))))
    rows = list(session.exec(query.order_by(col(ReceivedMessage.received_at).desc(),
                                            col(ReceivedMessage.id).desc())
                             .offset((page - 1) * page_size).limit(page_size)).all())
    return Page(rows=rows, total=total, page=page, page_size=page_size)


def get_received(*, session: Session, scope: Scope, invoice_id: int) -> ReceivedInvoice:
    return get_owned(session, ReceivedInvoice, scope, invoice_id, NOT_FOUND)


def reasons_of(message: ReceivedMessage) -> list[str]:
    return [str(r) for r in json.loads(message.reasons or "[]")]


def received_version(*, session: Session, scope: Scope) -> str:
    """Changes whenever a message arrives or one of our events is asked for, sent or
    answered: an open page compares it to read again."""
    latest = session.exec(select(func.max(ReceivedMessage.id), func.count()).where(
        ReceivedMessage.organization_id == scope.organization_id)).one()
    events = session.exec(select(
        func.count(), func.max(PurchaseEvent.id), func.max(PurchaseEvent.answered_at),
        func.max(PurchaseEvent.sent_at)).where(
        PurchaseEvent.organization_id == scope.organization_id)).one()
    return "|".join(str(v) for v in (*latest, *events))


# file -> (column, media type, file name suffix)
FILES = {
    "xml": ("document_xml", "application/xml", ".xml"),
    "respuesta": ("response_xml", "application/xml", "-respuesta-dian.xml"),
    "adjunto": ("container_xml", "application/xml", "-attached.xml"),
    "pdf": ("pdf", "application/pdf", ".pdf"),
}


def received_file(*, session: Session, scope: Scope, invoice_id: int,
                  file: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of one original file of a received invoice."""
    if file not in FILES:
        raise NotFoundError("Archivo desconocido.")
    row = get_received(session=session, scope=scope, invoice_id=invoice_id)
    column, media_type, suffix = FILES[file]
    content = getattr(row, column)
    if content is None:
        raise NotFoundError("La factura no trae este archivo.")
    safe = "".join(ch for ch in f"{row.supplier_nit}-{row.number}" if ch.isalnum() or ch in "-_")
    return content, media_type, f"{safe}{suffix}"
