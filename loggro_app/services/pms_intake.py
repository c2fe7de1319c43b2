"""Documents sent by the PMS: checked like DIAN would, stored once per (property, PMS id,
kind), and handed to the issuing workflow every other document goes through.

Nothing is stored unless everything passes: a refused document leaves no customer, no
document and no number behind, so the PMS fixes it and sends the same id again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from loggro_app.core import numbering as numbering_rules
from loggro_app.core.clock import BOGOTA, Clock, aware, system_clock, to_utc
from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.errors import ValidationError
from loggro_app.models import (
    Customer,
    CustomerEmail,
    Numbering,
    PmsConnection,
    PmsIntake,
    SalesDocument,
    User,
)
from loggro_app.pms import mapping
from loggro_app.pms.rules import FieldError, content_errors, numbering_errors
from loggro_app.pms.schema import (
    KIND_CODES,
    LinksOut,
    PmsDocumentIn,
    PmsDocumentStatus,
    RuleOut,
)
from loggro_app.services import history
from loggro_app.services.inserts import insert_rows
from loggro_app.services.issuing import STEP_NUMBERING, give_up_at
from loggro_app.services.numbering import state_of
from loggro_app.services.sales import (
    Block,
    IssueBlocked,
    OrganizationCheck,
    check_document,
    form_json,
    organization_blocks,
    rejection_rules,
)
from loggro_app.services.scope import Scope

CHANNEL = "EXTERNA"
CHANNEL_NAME = numbering_rules.CHANNELS[CHANNEL]
# The form's field names as the PMS knows them
FORM_FIELDS = {"due_date": "payment.due_date", "payment_form": "payment.form",
               "payment_means": "payment.means", "customer_id": "customer",
               "reference_id": "reference.pms_document_id", "concept": "reference.concept",
               "concept_description": "reference.description"}
CUSTOMER_FIELDS = {"identification_type": "customer.id_type",
                   "identification_number": "customer.id_number", "dv": "customer.dv",
                   "name": "customer.name", "address": "customer.address",
                   "country_code": "customer.country_code", "city_name": "customer.city",
                   "municipality_code": "customer.municipality_code",
                   "postal_code": "customer.municipality_code", "phone": "customer.phone",
                   "emails": "customer.email"}


class Refused(Exception):
    """The document breaks rules (HTTP 422): every error at once, each naming its field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class Conflict(Exception):
    """The same id with another body, or a number another document has (HTTP 409)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message, self.field = message, field


def body_hash(document: PmsDocumentIn) -> str:
    """The same document, however its JSON was spaced or ordered, hashes the same."""
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Received:
    status: PmsDocumentStatus
    created: bool  # False: the same document again
    document_id: int
    organization_id: int
    queued: bool = False  # its issuing was queued in the transaction that stored it


# Queues a stored document's issuing in the session's transaction: (session, organization,
# document) → False when it cannot, and the caller queues it after the commit.
QueueIssue = Callable[[Session, int, int], bool]


# The lookups every intake makes, built once (building one costs more than binding its
# values); each on the index that fits it (migration 0019).
_INTAKE = select(PmsIntake).where(
    PmsIntake.connection_id == bindparam("connection_id"),
    PmsIntake.pms_document_id == bindparam("pms_document_id"),
    PmsIntake.kind == bindparam("kind"))
_CONSECUTIVE = select(Numbering).where(
    Numbering.organization_id == bindparam("organization_id"),
    Numbering.document_kind == bindparam("kind"),
    Numbering.channel == CHANNEL).order_by(col(Numbering.id))
_GUEST = select(Customer).where(
    Customer.organization_id == bindparam("organization_id"),
    Customer.identification_type == bindparam("id_type"),
    Customer.identification_number == bindparam("id_number"))


def find_intake(session: Session, connection_id: int, pms_document_id: str,
                kind: str) -> PmsIntake | None:
    return session.exec(_INTAKE, params={"connection_id": connection_id,
                                         "pms_document_id": pms_document_id,
                                         "kind": kind}).first()


def _again(session: Session, intake: PmsIntake, digest: str, base_url: str) -> Received:
    if intake.body_hash != digest:
        raise Conflict(f"El documento {intake.pms_document_id} ({intake.kind}) ya se recibió "
                       "con otro contenido: no se emite dos veces. Usa otro identificador o "
                       "una nota para corregirlo.", "pms_document_id")
    return Received(status_of(session, intake, base_url), False, intake.document_id,
                    intake.organization_id)


def _consecutive(session: Session, organization_id: int, kind: str) -> Numbering | None:
    return session.exec(_CONSECUTIVE, params={"organization_id": organization_id,
                                              "kind": kind}).first()


def _numbering_errors(row: Numbering | None, document: PmsDocumentIn, today: datetime,
                      clock: Clock) -> list[FieldError]:
    kind_name = numbering_rules.KINDS[KIND_CODES[document.kind]].lower()
    if row is None:
        return [FieldError("kind", f"La organización no tiene un consecutivo {CHANNEL_NAME} "
                                   f"de {kind_name}: créalo en Configuración → Consecutivos "
                                   "de Facturación.")]
    if row.valid_from is None or row.valid_to is None:
        return [FieldError("kind", f"El consecutivo {row.name} no tiene resolución: defínela "
                                   "en Configuración → Consecutivos de Facturación.")]
    errors = numbering_errors(
        numbering_rules.Resolution(row.resolution_number, row.prefix, row.range_from,
                                   row.range_to, row.valid_from, row.valid_to),
        prefix=document.prefix, number=document.number, issue_date=document.issue_date,
        today=today.date(), consecutive=f"{row.name} ({CHANNEL_NAME})")
    if not errors and state_of(row, clock)[0] == numbering_rules.PENDING:
        errors.append(FieldError("prefix", f"El consecutivo {row.name} no está asociado en la "
                                           "DIAN: usa «Consultar DIAN» en Consecutivos.",
                                 "FAB05b"))
    return errors


def _customer(session: Session, organization_id: int, document: PmsDocumentIn,
              now: datetime) -> tuple[Customer, bool | None]:
    """The guest as a customer of the organization: found by identification, else created
    (its data as the PMS sent it, checked by the same rules as the Contactos form). With
    whether it has an email when it was just created (None: found, not known)."""
    guest = mapping.customer_of(document)
    found = session.exec(_GUEST, params={"organization_id": organization_id,
                                         "id_type": guest.id_type,
                                         "id_number": guest.id_number}).first()
    if found is not None:
        return found, None
    final = guest.id_number == mapping.FINAL_CONSUMER.id_number
    try:
        data = CustomerData.parse(
            identification_type=guest.id_type, identification_number=guest.id_number,
            dv="" if guest.dv is None else str(guest.dv), name=guest.name,
            address=guest.address or ("Sin dirección" if final else ""),
            country_code=guest.country_code, city_name=guest.city,
            municipality_code=guest.municipality_code or ("11001" if final else ""),
            phone=guest.phone, send_xml_email=bool(guest.email),
            emails=[guest.email] if guest.email else [])
    except ValidationError as exc:
        raise Refused([FieldError(CUSTOMER_FIELDS.get(key, f"customer.{key}"), message)
                       for key, message in exc.errors.items()]) from None
    row = Customer(organization_id=organization_id, created_at=to_utc(now),
                   **{k: getattr(data, k) for k in (
                       "identification_type", "identification_number", "dv", "person_type",
                       "name", "address", "country_code", "city_name", "municipality_code",
                       "postal_code", "phone", "send_xml_email")})
    insert_rows(session, [row])
    insert_rows(session, [CustomerEmail(organization_id=organization_id,
                                        customer_id=row.id or 0, email=email, position=position)
                          for position, email in enumerate(data.emails)])
    return row, bool(data.emails)


def _reference(session: Session, connection: PmsConnection,
               document: PmsDocumentIn) -> int | None:
    if document.reference is None:
        return None
    referenced = find_intake(session, connection.id or 0, document.reference.pms_document_id,
                             "invoice")
    if referenced is None:
        raise Refused([FieldError("reference.pms_document_id", (
            f"No recibimos la factura {document.reference.pms_document_id} de este PMS: una "
            "nota corrige una factura enviada antes."))])
    return referenced.document_id


def _principal_scope(session: Session, organization_id: int) -> Scope:
    user = session.exec(select(User).where(User.organization_id == organization_id,
                                           col(User.is_principal).is_(True))).first()
    assert user is not None and user.id is not None
    return Scope(organization_id, user.id, user.role, True)


# An organization found ready to issue (enabled, documents left, certificate valid) is not
# asked again for a few seconds: a PMS pushing a burst gets the same answer hundreds of times,
# and it costs a third of an intake. Issuing runs the full check again before it numbers or
# signs, so a plan that runs out meanwhile rejects those documents with the reason, and the
# PMS hears it by webhook (document.rejected).
READY_SECONDS = 5.0
_ready: dict[int, tuple[float, Scope]] = {}  # organization → (valid until, principal's scope)


def _ready_scope(organization_id: int) -> Scope | None:
    found = _ready.get(organization_id)
    return found[1] if found is not None and found[0] > time.monotonic() else None


def _remembering_check(scope: Scope) -> OrganizationCheck:
    def check(session: Session, organization_id: int, clock: Clock) -> list[Block]:
        if _ready_scope(organization_id) is not None:
            return []
        blocks = organization_blocks(session, organization_id, clock)
        if blocks:
            _ready.pop(organization_id, None)
        else:
            _ready[organization_id] = (time.monotonic() + READY_SECONDS, scope)
        return blocks
    return check


def receive(*, session: Session, connection: PmsConnection, document: PmsDocumentIn,
            idempotency_key: str | None, base_url: str, clock: Clock = system_clock,
            queue_issue: QueueIssue | None = None) -> Received:
    """Store the document and queue it for issuing, or say why not (Refused, Conflict).
    With `queue_issue`, its issuing is queued in the same transaction; the caller starts
    it when `created` and not `queued`."""
    assert connection.id is not None
    digest = body_hash(document)
    existing = find_intake(session, connection.id, document.pms_document_id, document.kind)
    if existing is not None:
        return _again(session, existing, digest, base_url)
    if idempotency_key is not None:
        keyed = session.exec(select(PmsIntake).where(
            PmsIntake.connection_id == connection.id,
            PmsIntake.idempotency_key == idempotency_key)).first()
        if keyed is not None:
            if keyed.body_hash != digest:
                raise Conflict("Esa Idempotency-Key ya se usó con otro documento.")
            return _again(session, keyed, digest, base_url)
    now = clock().astimezone(BOGOTA).replace(microsecond=0)
    org_id = connection.organization_id
    kind = KIND_CODES[document.kind]
    consecutive = _consecutive(session, org_id, kind)
    errors = _numbering_errors(consecutive, document, now, clock)
    errors += content_errors(document, today=now.date())
    if errors:
        raise Refused(errors)
    assert consecutive is not None and consecutive.id is not None
    # The number is claimed by the unique (consecutive, number) index, not a read before it
    for attempt in (1, 2):
        try:
            return _store(session, connection, document, consecutive, digest,
                          idempotency_key, now, base_url, clock, queue_issue)
        except IntegrityError:
            # Another request stored the same document, took the number, or created the
            # same guest first (then storing again finds the guest).
            session.rollback()
            existing = find_intake(session, connection.id, document.pms_document_id,
                                   document.kind)
            if existing is not None:
                return _again(session, existing, digest, base_url)
            if attempt == 2 or _number_taken(session, consecutive, document.number):
                raise Conflict(f"El número {document.prefix}{document.number} ya es de otro "
                               "documento.", "number") from None
        except (Refused, IssueBlocked, ValidationError):
            session.rollback()  # nothing of a refused document stays
            raise
    raise AssertionError("unreachable")


def _number_taken(session: Session, consecutive: Numbering, number: int) -> bool:
    return session.exec(select(SalesDocument.id).where(
        SalesDocument.organization_id == consecutive.organization_id,
        SalesDocument.numbering_id == consecutive.id,
        SalesDocument.number == number)).first() is not None


def _store(session: Session, connection: PmsConnection, document: PmsDocumentIn,
           consecutive: Numbering, digest: str, idempotency_key: str | None, now: datetime,
           base_url: str, clock: Clock, queue_issue: QueueIssue | None) -> Received:
    org_id = connection.organization_id
    reference_id = _reference(session, connection, document)
    customer, has_email = _customer(session, org_id, document, now)
    assert customer.id is not None
    form = mapping.form_of(document, customer_id=customer.id, reference_id=reference_id)
    row = SalesDocument(
        organization_id=org_id, kind=KIND_CODES[document.kind], origin=mapping.ORIGIN,
        customer_id=customer.id, reference_id=reference_id, form_json=form_json(form),
        numbering_id=consecutive.id, prefix=document.prefix, number=document.number,
        issued_at=to_utc(now), currency=document.currency, customer_name=customer.name,
        created_at=to_utc(now), updated_at=to_utc(now))
    scope = _ready_scope(org_id) or _principal_scope(session, org_id)
    try:  # checked before it is stored: one INSERT with its total and state, no UPDATE
        checked = check_document(session=session, scope=scope, row=row, clock=clock,
                                 organization_check=_remembering_check(scope),
                                 customer_has_email=has_email)
    except ValidationError as exc:
        raise Refused([FieldError(FORM_FIELDS.get(key, key), message)
                       for key, message in exc.errors.items()]) from None
    except IssueBlocked as exc:
        raise Refused([FieldError("", block.message) for block in exc.blocks]) from None
    row.total, row.status, row.step = checked.totals.payable, "queued", STEP_NUMBERING
    insert_rows(session, [row])
    assert row.id is not None
    intake = PmsIntake(organization_id=org_id, connection_id=connection.id or 0,
                       pms_document_id=document.pms_document_id, kind=document.kind,
                       idempotency_key=idempotency_key, body_hash=digest, document_id=row.id,
                       received_at=to_utc(now))
    insert_rows(session, [intake])
    insert_rows(session, [
        history.movement(row, "created", detail="Recibido de Alojamientos", clock=clock),
        history.movement(row, "numbered", detail=f"{row.prefix}{row.number}", clock=clock)])
    queued = queue_issue is not None and queue_issue(session, org_id, row.id)
    session.commit()
    # The answer is built from what was just written: no query after the commit
    return Received(status_for(row, intake, base_url, clock()), True, row.id, org_id, queued)


STATES = {"draft": "received", "queued": "issuing", "sending": "issuing",
          "pending": "issuing", "contingency": "issuing", "accepted": "accepted",
          "rejected": "rejected"}
DIAN_STATES = {"received": "Recibido, por emitir", "issuing": "En proceso de emisión",
               "accepted": "Aceptado por la DIAN", "rejected": "Rechazado",
               "failed": "No se pudo enviar a la DIAN"}


def state_of_document(row: SalesDocument, now: datetime) -> str:
    """`failed`: DIAN could not be reached before the 48-hour window closed."""
    if row.status == "pending" and row.issued_at is not None and now >= give_up_at(
            row.issued_at):
        return "failed"
    return STATES.get(row.status, "issuing")


def status_of(session: Session, intake: PmsIntake, base_url: str,
              clock: Clock = system_clock) -> PmsDocumentStatus:
    row = session.get(SalesDocument, intake.document_id)
    assert row is not None
    return status_for(row, intake, base_url, clock())


def status_for(row: SalesDocument, intake: PmsIntake, base_url: str,
               now: datetime) -> PmsDocumentStatus:
    state = state_of_document(row, now)
    dian_state = row.step if state == "issuing" and row.step else DIAN_STATES[state]
    link = f"{base_url}/documents/{intake.pms_document_id}"
    query = f"?kind={intake.kind}"
    accepted = row.status == "accepted"
    return PmsDocumentStatus(
        pms_document_id=intake.pms_document_id, kind=intake.kind, state=state,  # type: ignore[arg-type]
        dian_state=dian_state, prefix=row.prefix, number=row.number or 0,
        cufe=row.document_key or None, total=row.total,
        rules=[RuleOut(code=r.code, message=r.text) for r in rejection_rules(row)]
        if row.status == "rejected" else [],
        links=LinksOut(status=link + query,
                       xml=f"{link}/xml{query}" if accepted and row.signed_xml else None,
                       pdf=f"{link}/pdf{query}" if accepted and row.pdf else None),
        received_at=aware(intake.received_at), updated_at=aware(row.updated_at))


def intake_of(*, session: Session, connection: PmsConnection, pms_document_id: str,
              kind: str) -> PmsIntake | None:
    """A document of this property (another property's is not found)."""
    if kind not in KIND_CODES:
        return None
    return find_intake(session, connection.id or 0, pms_document_id, kind)
