"""Issuing a sales document, one idempotent step at a time.

The durable workflow (`durable/issuing.py`) calls these in order; each reads what the
previous ones stored, so a step that runs again after a crash finds its work done:
number → reserve → build and sign → send → settle → container. The document and each
attempt are written before the network is touched, and the number is taken in the same
transaction that gives it to the document, so a crash can never leave a number unused.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from loggro_app.core import plans
from loggro_app.core.clock import BOGOTA, Clock, FixedClock, aware, system_clock, to_utc
from loggro_app.core.errors import (
    ConflictError,
    DianRejected,
    DianUnavailable,
    LoggroError,
    ValidationError,
)
from loggro_app.core.export_sale import is_export
from loggro_app.core.sales import CONCEPTS, DIAN_KIND, check_form
from loggro_app.dian import (
    EXPORT_TYPE,
    BillingReference,
    BuiltDocument,
    Correction,
    DeliveryTerms,
    Document,
    Payment,
    build_attached_document,
    build_document,
    stored_document,
)
from loggro_app.models import (
    Customer,
    CustomerEmail,
    IssueAttempt,
    Numbering,
    Organization,
    SalesDocument,
)
from loggro_app.representation import GraphicData, SoftwareProvider, render_html, render_pdf
from loggro_app.services import history, ledger
from loggro_app.services import numbering as numbering_service
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink, organization_party
from loggro_app.services.dian_mapping import customer_party, numbering_resolution
from loggro_app.services.owned import reload_owned, save_changes
from loggro_app.services.sales import (
    active_numbering,
    document_of,
    form_of,
    get_document,
    preflight,
)
from loggro_app.services.scope import Scope

log = logging.getLogger(__name__)

QUOTA_KIND = {"FE": plans.INVOICE, "NC": plans.CREDIT_NOTE, "ND": plans.DEBIT_NOTE,
              "DS": plans.SUPPORT_DOCUMENT, "NA": plans.SUPPORT_ADJUSTMENT_NOTE}

PROVIDER_NAME = "Loggro S.A.S."
SOFTWARE_NAME = "Loggro FE"
STEP_NUMBERING = "Numerando"
STEP_SIGNING = "Firmando"
STEP_SENDING = "Enviando a la DIAN"
STEP_PENDING = "Pendiente de envío"
STEP_ACCEPTED = "Aceptada"
STEP_REJECTED = "Rechazada"
STEP_CONTINGENCY = "Contingencia: por transmitir"
CONTINGENCY_TYPE = "04"
CONTINGENCY_WINDOW = timedelta(hours=48)  # to transmit once DIAN is back (SPEC §4.9)


@dataclass(frozen=True)
class SendOutcome:
    status: str  # accepted | rejected | unavailable
    detail: str = ""


def _row(session: Session, organization_id: int, document_id: int) -> SalesDocument:
    row = document_of(session, organization_id, document_id)
    if row is None:
        raise ConflictError(f"El documento {document_id} ya no existe.")
    return row


def _touch(session: Session, row: SalesDocument, clock: Clock, **values: object) -> None:
    """Store `values` and every other change made to the row, by an UPDATE that names its
    organization."""
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = to_utc(clock())
    save_changes(session, row)
    session.commit()


def ledger_key(row: SalesDocument) -> str:
    return f"{row.kind}-{row.numbering_id}-{row.number}"


def take_number(*, session: Session, organization_id: int, document_id: int,
                clock: Clock = system_clock) -> int:
    """Give the document the next number of its active consecutive, atomically."""
    row = _row(session, organization_id, document_id)
    if row.number is not None:
        if row.numbering_id is not None:  # numbered by the PMS: here, not in its intake,
            # where every intake of a property would queue on the consecutive's row lock
            numbering_service.advance_past(session=session, organization_id=row.organization_id,
                                           numbering_id=row.numbering_id, number=row.number)
            session.commit()
        return row.number
    numbering, reason = active_numbering(session, row.organization_id, row.kind, clock)
    if numbering is None:
        raise ConflictError(reason)
    taken = session.execute(
        update(Numbering).where(col(Numbering.id) == numbering.id,
                                col(Numbering.organization_id) == organization_id,
                                col(Numbering.next_number) <= numbering.range_to)
        .values(next_number=Numbering.next_number + 1).returning(col(Numbering.next_number)))
    new_next = taken.scalar_one_or_none()
    if new_next is None:
        session.rollback()
        raise ConflictError(f"Se agotó la numeración del consecutivo {numbering.name}.")
    now = clock().astimezone(BOGOTA).replace(microsecond=0)
    row.number, row.prefix, row.numbering_id = int(new_next) - 1, numbering.prefix, numbering.id
    row.issued_at, row.step = to_utc(now), STEP_SIGNING
    row.updated_at = to_utc(now)
    save_changes(session, row)
    history.record(session, row, "numbered", detail=f"{row.prefix}{row.number}", clock=clock)
    session.commit()  # one transaction: the number is the document's, or nobody's
    return row.number


def reserve(*, session: Session, organization_id: int, document_id: int,
            clock: Clock = system_clock) -> None:
    row = _row(session, organization_id, document_id)
    ledger.reserve(session=session, organization_id=row.organization_id,
                   document_key=ledger_key(row), document_kind=QUOTA_KIND[row.kind],
                   clock=clock)


def invoice_type_of(row: SalesDocument, customer: Customer) -> str:
    """01 a sale, 02 an export (an invoice to a customer abroad), 04 once switched to
    contingency (which keeps the export's data but is transmitted as a contingency)."""
    if row.kind != "FE":
        return "01"  # not read for notes and support documents
    if row.invoice_type == CONTINGENCY_TYPE:
        return CONTINGENCY_TYPE
    return EXPORT_TYPE if is_export(row.kind, customer.country_code, row.origin) else "01"


def dian_document(session: Session, row: SalesDocument, link: DianLink) -> Document:
    """The DIAN model of a numbered document, from its form and the rows it names."""
    form = form_of(row)
    assert row.number is not None and row.issued_at is not None
    issued_at = aware(row.issued_at).astimezone(BOGOTA)
    org = session.get(Organization, row.organization_id)
    # every read names the document's organization: a customer of another one is not found
    customer = session.exec(select(Customer).where(
        Customer.id == form.customer_id, Customer.organization_id == row.organization_id,
    )).first() if form.customer_id else None
    if org is None or customer is None:
        raise ConflictError("El cliente del documento ya no existe.")
    export = is_export(row.kind, customer.country_code, row.origin)
    checked = check_form(form, today=issued_at.date(), export=export)
    emails = [e.email for e in session.exec(select(CustomerEmail).where(
        CustomerEmail.organization_id == row.organization_id,
        CustomerEmail.customer_id == customer.id).order_by(col(CustomerEmail.position))).all()]
    numbering = session.exec(select(Numbering).where(
        Numbering.id == row.numbering_id, Numbering.organization_id == row.organization_id,
    )).first()
    assert numbering is not None
    kind = DIAN_KIND[row.kind]
    reference = correction = None
    if kind.is_note:
        ref = document_of(session, row.organization_id, form.reference_id) \
            if form.reference_id else None
        if ref is None or ref.issued_at is None or not ref.document_key:
            raise ConflictError("La nota no tiene el documento que corrige.")
        reference = BillingReference(
            f"{ref.prefix}{ref.number}", ref.document_key,
            aware(ref.issued_at).astimezone(BOGOTA).date(),
            "CUDS-SHA384" if ref.kind == "DS" else "CUFE-SHA384")
        correction = Correction(form.concept, form.concept_description.strip()
                                or CONCEPTS[row.kind][form.concept])
    party = customer_party(customer, emails)
    issuer = organization_party(org)
    return Document(
        kind=kind, prefix=row.prefix, number=row.number, issued_at=issued_at,
        # in a documento soporte too the organization issues it; the seller is the other party
        issuer=issuer, counterparty=party,
        lines=checked.lines, software=link.software,
        environment=int(link.dian_environment_code),
        resolution=None if kind.is_note else numbering_resolution(numbering),
        invoice_type=invoice_type_of(row, customer),
        payment=Payment(form.payment_form, form.payment_means, checked.due_date),
        currency=form.currency, exchange_rate=checked.exchange_rate,
        notes=(form.notes.strip(),) if form.notes.strip() else (),
        allowances=checked.charges, reference=reference, correction=correction,
        # an export names the INCOTERM and the place agreed with the buyer (cac:DeliveryTerms)
        delivery_terms=DeliveryTerms(form.incoterm, form.delivery_place.strip() or None)
        if export else None,
    )


def build_and_sign(*, session: Session, organization_id: int, document_id: int,
                   link: DianLink) -> str:
    """Build and sign once, storing the bytes before any send: a retry re-sends them."""
    row = _row(session, organization_id, document_id)
    if row.signed_zip is not None:
        return row.document_key
    document = dian_document(session, row, link)
    signer = load_signer(session=session, organization_id=row.organization_id)
    assert row.issued_at is not None
    built = build_document(document, signer=signer, clock=FixedClock(aware(row.issued_at)))
    assert built.totals is not None
    _touch(session, row, system_clock, signed_xml=built.xml_bytes, signed_zip=built.zip_bytes,
           zip_name=built.file_names.zip, document_key=built.unique_code,
           total=built.totals.payable, invoice_type=document.invoice_type, step=STEP_SENDING)
    return built.unique_code


def reject_locally(*, session: Session, organization_id: int, document_id: int,
                   error: LoggroError, clock: Clock = system_clock) -> None:
    """A local rule stopped the document before DIAN saw it: rejected, number kept."""
    row = _row(session, organization_id, document_id)
    rules = [[code, text] for code, text in _rules_of(error)]
    history.record(session, row, "rejected", clock=clock,
                   detail="Regla local: " + "; ".join(f"{c} {t}".strip() for c, t in rules))
    _touch(session, row, clock, status="rejected", step=STEP_REJECTED,
           dian_messages=json.dumps(rules, ensure_ascii=False))


def _rules_of(error: LoggroError) -> list[tuple[str, str]]:
    if isinstance(error, DianRejected) and error.rules:
        return list(error.rules)
    if isinstance(error, ValidationError):
        return [("", message) for message in error.errors.values()]
    return [("", error.message)]


def _claim_for_sending(session: Session, organization_id: int,
                       document_id: int) -> tuple[SalesDocument, str] | None:
    """Mark the document as being sent, unless it changed under us (a user switching it to
    contingency): the conditional UPDATE makes the two exclude each other."""
    for _ in range(3):
        row = _row(session, organization_id, document_id)
        prior = row.status
        if prior in ("accepted", "rejected"):
            return None
        claimed = session.execute(update(SalesDocument).where(
            col(SalesDocument.id) == document_id,
            col(SalesDocument.organization_id) == organization_id,
            col(SalesDocument.status) == prior,
        ).values(status="sending"))
        session.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            row = reload_owned(session, row, organization_id)
            # a crash mid-send leaves "sending": what it falls back to is decided by the type
            return row, ("contingency" if row.invoice_type == CONTINGENCY_TYPE else "pending")
    raise ConflictError("El documento cambió mientras se enviaba; se reintentará.")


def send(*, session: Session, organization_id: int, document_id: int, link: DianLink,
         clock: Clock = system_clock) -> SendOutcome:
    """One SendBillSync; the attempt is on record before the request leaves."""
    claimed = _claim_for_sending(session, organization_id, document_id)
    if claimed is None:
        return SendOutcome(_row(session, organization_id, document_id).status)
    row, fallback = claimed
    assert row.signed_zip is not None
    attempt = IssueAttempt(organization_id=row.organization_id, document_id=document_id,
                           started_at=to_utc(clock()))
    session.add(attempt)
    row.attempts += 1
    history.record(session, row, "sent", clock=clock, detail=f"Intento {row.attempts}")
    _touch(session, row, clock, step=STEP_SENDING)
    try:
        with link.client(session=session, organization_id=row.organization_id) as client:
            answer = client.send_bill_sync(row.zip_name, row.signed_zip)
            kept_xml = row.signed_xml
            if answer.previously_processed:  # rule 90: keep the XML DIAN holds
                held = client.get_xml_by_document_key(row.document_key)
                kept_xml = held.xml_bytes or kept_xml
    except DianUnavailable as exc:
        attempt.outcome, attempt.detail = "unavailable", exc.message[:500]
        save_changes(session, attempt)
        history.record(session, row, "unavailable", clock=clock, detail=exc.message)
        _touch(session, row, clock, status=fallback,
               step=STEP_CONTINGENCY if fallback == "contingency" else STEP_PENDING)
        return SendOutcome("unavailable", exc.message)
    except DianRejected as exc:  # a SOAP fault about the request itself
        attempt.outcome, attempt.detail = "rejected", exc.message[:500]
        save_changes(session, attempt)
        history.record(session, row, "rejected", clock=clock, detail=exc.message)
        _touch(session, row, clock, status="rejected", step=STEP_REJECTED,
               dian_messages=json.dumps(_rules_of(exc), ensure_ascii=False))
        return SendOutcome("rejected", exc.message)
    messages = [[m.code, m.text] for m in answer.messages]
    status = "accepted" if answer.accepted else "rejected"
    attempt.outcome = "duplicate" if answer.previously_processed else status
    attempt.detail = (answer.status_description or "")[:500]
    save_changes(session, attempt)
    history.record(session, row, status, clock=clock, detail="; ".join(
        [answer.status_description, *(f"{m.code} {m.text}".strip() for m in answer.messages)]))
    if answer.accepted and row.invoice_type == CONTINGENCY_TYPE:
        row.pdf = row.attached_document = None  # remade with DIAN's validation
    _touch(session, row, clock, status=status,
           step=STEP_ACCEPTED if answer.accepted else STEP_REJECTED,
           signed_xml=kept_xml, dian_response=answer.application_response,
           dian_messages=json.dumps(messages, ensure_ascii=False),
           accepted_at=to_utc(clock()) if answer.accepted else None)
    return SendOutcome(status, answer.status_description)


def settle(*, session: Session, organization_id: int, document_id: int,
           clock: Clock = system_clock) -> None:
    """Accepted: the reserved unit is consumed. Rejected: it goes back to the balance."""
    row = _row(session, organization_id, document_id)
    if row.status == "accepted":
        ledger.commit(session=session, organization_id=row.organization_id,
                      document_key=ledger_key(row), document_kind=QUOTA_KIND[row.kind],
                      clock=clock)
    elif row.status == "rejected":
        ledger.release(session=session, organization_id=row.organization_id,
                       document_key=ledger_key(row), reason="Rechazado", clock=clock)


def built_of(session: Session, row: SalesDocument, link: DianLink) -> tuple[Document,
                                                                          BuiltDocument]:
    document = dian_document(session, row, link)
    assert row.signed_xml is not None and row.signed_zip is not None
    return document, stored_document(document, xml_bytes=row.signed_xml,
                                     unique_code=row.document_key, zip_name=row.zip_name,
                                     zip_bytes=row.signed_zip)


def make_container(*, session: Session, organization_id: int, document_id: int,
                   link: DianLink, clock: Clock = system_clock) -> None:
    """The AttachedDocument the buyer receives: the signed XML plus DIAN's answer."""
    row = _row(session, organization_id, document_id)
    if row.attached_document is not None or row.status not in ("accepted", "contingency"):
        return
    document, built = built_of(session, row, link)
    signer = load_signer(session=session, organization_id=row.organization_id)
    validated = None
    if row.status == "accepted":
        moment = aware(row.accepted_at or row.updated_at).astimezone(BOGOTA)
        validated = (moment.date(), moment.time().replace(microsecond=0))
    attached = build_attached_document(
        document, built, container_id=f"{row.prefix}{row.number}", signer=signer,
        clock=clock, application_response=row.dian_response if validated else None,
        validated_at=validated)
    _touch(session, row, clock, attached_document=attached.zip_bytes)


def _graphic_data(session: Session, row: SalesDocument, link: DianLink) -> GraphicData:
    document, built = built_of(session, row, link)
    assert row.issued_at is not None
    return GraphicData.of(
        document, unique_code=built.unique_code, scheme_name=built.scheme_name,
        signed_at=aware(row.issued_at),
        dian_status="Aceptado por la DIAN" if row.status == "accepted"
        else "Contingencia: pendiente de transmitir a la DIAN",
        validated_at=aware(row.accepted_at) if row.accepted_at else None,
        provider=SoftwareProvider(nit=link.provider_nit, name=PROVIDER_NAME,
                                  software_name=SOFTWARE_NAME))


def make_pdf(*, session: Session, organization_id: int, document_id: int,
             link: DianLink) -> None:
    """The graphic representation, once DIAN has accepted the document."""
    row = _row(session, organization_id, document_id)
    if row.pdf is not None or row.status not in ("accepted", "contingency"):
        return
    _touch(session, row, system_clock, pdf=render_pdf(_graphic_data(session, row, link)))


def preview_html(*, session: Session, scope: Scope, document_id: int, link: DianLink) -> str:
    """The graphic representation as a page, readable on a phone."""
    row = get_document(session=session, scope=scope, document_id=document_id)
    if row.status not in ("accepted", "contingency") or row.signed_xml is None:
        raise ConflictError("La representación gráfica existe cuando el documento se emite.")
    return render_html(_graphic_data(session, row, link))


def retry_now(*, session: Session, scope: Scope, document_id: int,
              clock: Clock = system_clock) -> int:
    """Try to send a pending document now instead of waiting for the next try: a new round
    of its workflow (the bytes already signed are sent; the two rounds never send at once,
    see `_claim_for_sending`)."""
    row = get_document(session=session, scope=scope, document_id=document_id)
    if row.status not in ("pending", "contingency"):
        raise ConflictError("Solo se reintenta un documento pendiente de envío.")
    row.issue_round += 1
    _touch(session, row, clock)
    return row.issue_round


def contingency_offered(row: SalesDocument, failed_attempts: int) -> bool:
    """DIAN keeps failing (SPEC §4.9: a send and its retries all unavailable): an invoice
    may be issued as type 04 under the same number and delivered without DIAN's answer."""
    return row.kind == "FE" and row.status == "pending" and failed_attempts >= 1 \
        and row.invoice_type != CONTINGENCY_TYPE


def switch_to_contingency(*, session: Session, scope: Scope, document_id: int,
                          link: DianLink, clock: Clock = system_clock) -> SalesDocument:
    """Re-issue a pending invoice as type 04: same prefix and number, signed anew, its PDF
    and container made now for the buyer; the workflow transmits it when DIAN is back."""
    row = get_document(session=session, scope=scope, document_id=document_id)
    failed = len(session.exec(select(IssueAttempt).where(
        IssueAttempt.document_id == document_id,
        IssueAttempt.outcome == "unavailable")).all())
    if not contingency_offered(row, failed):
        raise ConflictError("La contingencia solo aplica a facturas que la DIAN no ha podido "
                            "recibir después de varios intentos.")
    taken = session.execute(update(SalesDocument).where(
        col(SalesDocument.id) == document_id,
        col(SalesDocument.organization_id) == scope.organization_id,
        col(SalesDocument.status) == "pending",
    ).values(status="contingency"))
    session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError("La app está enviando el documento en este momento: espera unos "
                            "segundos y vuelve a intentarlo.")
    row = reload_owned(session, row, scope.organization_id)
    now = clock().astimezone(BOGOTA).replace(microsecond=0)
    row.invoice_type, row.issued_at, row.contingency_since = CONTINGENCY_TYPE, to_utc(now), \
        to_utc(now)
    row.signed_xml = row.signed_zip = None
    row.document_key = ""
    history.record(session, row, "contingency", clock=clock,
                   detail="La DIAN no respondía: entregada sin su validación")
    _touch(session, row, clock, step=STEP_CONTINGENCY)
    org_id = scope.organization_id
    build_and_sign(session=session, organization_id=org_id, document_id=document_id, link=link)
    _touch(session, row, clock, step=STEP_CONTINGENCY)
    make_pdf(session=session, organization_id=org_id, document_id=document_id, link=link)
    make_container(session=session, organization_id=org_id, document_id=document_id,
                   link=link, clock=clock)
    return row


def transmit_before(row: SalesDocument) -> datetime | None:
    """The deadline to transmit a contingency invoice to DIAN."""
    if row.contingency_since is None:
        return None
    return aware(row.contingency_since) + CONTINGENCY_WINDOW


def retry_delay(attempt: int, base_seconds: float = 60.0) -> timedelta:
    """Minutes at first, then hours: 1, 2, 4, … minutes, at most 2 hours between tries."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempt - 1, 0), 7200.0))


def request_issue(*, session: Session, scope: Scope, document_id: int,
                  clock: Clock = system_clock) -> tuple[int, int]:
    """Run every local check, then hand the document to its workflow: (document, round).

    A rejected document is issued again under its own number with the corrected content
    (a rejected document has no legal existence), as a new round of its workflow.
    """
    checked_row = get_document(session=session, scope=scope, document_id=document_id)
    if checked_row.status in ("queued", "sending", "pending", "contingency"):
        return document_id, checked_row.issue_round  # already on its way: the same work
    if checked_row.status not in ("draft", "rejected"):
        raise ConflictError("Este documento ya fue emitido.")
    checked = preflight(session=session, scope=scope, document_id=document_id, clock=clock)
    row = checked_row
    row.total = checked.totals.payable  # known now: later notes count it before it is signed
    if row.status == "rejected":
        row.issue_round += 1
        row.signed_xml = row.signed_zip = row.dian_response = None
        row.document_key, row.dian_messages, row.zip_name = "", "[]", ""
        if row.number is not None:  # FAD09e: the new signature dates the document anew
            row.issued_at = to_utc(clock().astimezone(BOGOTA).replace(microsecond=0))
    _touch(session, row, clock, status="queued", step=STEP_NUMBERING)
    return document_id, row.issue_round


def give_up_at(issued_at: datetime) -> datetime:
    """Retries stop when the legal window closes (48 hours for contingency transmission)."""
    return aware(issued_at) + timedelta(hours=48)
