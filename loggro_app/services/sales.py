"""*Ventas*: drafts of sales documents, their lists, and the checks DIAN would make, run
locally before anything is numbered."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from loggro_app.core import numbering as numbering_rules
from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.customer_rules import CustomerData, is_abroad
from loggro_app.core.errors import ConflictError, LoggroError, ValidationError
from loggro_app.core.export_sale import is_export
from loggro_app.core.money import format_cop
from loggro_app.core.nit import FINAL_CONSUMER_ID, NIT_TYPE, dv_matches
from loggro_app.core.sales import (
    KINDS,
    REFERENCED_KIND,
    CheckedForm,
    DocumentForm,
    LineInput,
    Withholdings,
    check_form,
)
from loggro_app.dian import codes, explain
from loggro_app.models import (
    Customer,
    CustomerEmail,
    DocumentMovement,
    Numbering,
    Organization,
    SalesDocument,
    TestSetRun,
)
from loggro_app.services import certificates, history, ledger
from loggro_app.services.numbering import state_of
from loggro_app.services.owned import get_owned, reload_owned
from loggro_app.services.scope import Scope

NOT_FOUND = "El documento no existe o no pertenece a tu organización."
EDITABLE = ("draft", "rejected")  # a rejected document has no legal existence: fix and resend
STATUS_LABELS = {
    "draft": "Borrador", "queued": "En proceso", "sending": "Enviando a la DIAN",
    "pending": "Pendiente de envío",
    "accepted": "Aceptada", "rejected": "Rechazada", "contingency": "Contingencia",
}
CHANNEL = "NO_POS"  # what Ventas issues; POS documents are another product


def form_json(form: DocumentForm) -> str:
    return json.dumps(asdict(form), ensure_ascii=False)


def form_of(document: SalesDocument) -> DocumentForm:
    raw = json.loads(document.form_json or "{}")
    return DocumentForm(
        kind=raw.get("kind", document.kind), customer_id=raw.get("customer_id"),
        lines=tuple(LineInput(**line) for line in raw.get("lines", ())),
        payment_form=raw.get("payment_form", "1"), payment_means=raw.get("payment_means", "10"),
        due_date=raw.get("due_date", ""), notes=raw.get("notes", ""),
        currency=raw.get("currency", "COP"), exchange_rate=raw.get("exchange_rate", ""),
        reference_id=raw.get("reference_id"), concept=raw.get("concept", ""),
        concept_description=raw.get("concept_description", ""),
        withholdings=Withholdings(**raw.get("withholdings", {})),
        incoterm=raw.get("incoterm", ""), delivery_place=raw.get("delivery_place", ""),
        tip=raw.get("tip", ""),
    )


def get_document(*, session: Session, scope: Scope, document_id: int) -> SalesDocument:
    return get_owned(session, SalesDocument, scope, document_id, NOT_FOUND)


def document_of(session: Session, organization_id: int,
                document_id: int) -> SalesDocument | None:
    """A document of the organization by its id, by a query that names the organization (a
    database distributed by organization reads one node for it). A document already loaded
    in the session is returned as it is there, and nothing is flushed before the query, as
    with `session.get`."""
    with session.no_autoflush:
        return session.exec(select(SalesDocument).where(
            SalesDocument.id == document_id,
            SalesDocument.organization_id == organization_id)).first()


def organization_of(session: Session, document_id: int,
                    organization_id: int | None = None) -> int:
    """The organization of a document: the one passed along, or, for durable work started
    before it carried it (recovered after an upgrade), the document's, read by key."""
    if organization_id is not None:
        return organization_id
    row = session.get(SalesDocument, document_id)
    if row is None:
        raise ConflictError(f"El documento {document_id} ya no existe.")
    return row.organization_id


def save_draft(*, session: Session, scope: Scope, form: DocumentForm,
               document_id: int | None = None, clock: Clock = system_clock) -> SalesDocument:
    """Keep the form as typed, even incomplete, so it can be resumed later."""
    if form.kind not in KINDS:
        raise ValidationError({"kind": "Elige el tipo de documento."})
    now = to_utc(clock())
    if document_id is None:
        row = SalesDocument(organization_id=scope.organization_id, kind=form.kind,
                            created_by=scope.user_id, created_at=now, updated_at=now)
    else:
        row = get_document(session=session, scope=scope, document_id=document_id)
        if row.status not in EDITABLE:
            raise ConflictError("Este documento ya se emitió: no se puede modificar.")
        if row.number is not None and form.kind != row.kind:
            raise ValidationError({"kind": "Un documento numerado no cambia de tipo."})
    if form.customer_id is not None:
        customer = get_owned(session, Customer, scope, form.customer_id,
                             "El cliente no existe o no pertenece a tu organización.")
        row.customer_name = customer.name
    row.kind, row.form_json, row.updated_at = form.kind, form_json(form), now
    row.customer_id, row.reference_id = form.customer_id, form.reference_id
    row.currency = form.currency if form.currency in ("COP", "USD", "EUR") else "COP"
    session.add(row)
    session.commit()
    row = reload_owned(session, row, scope.organization_id)
    if document_id is None:
        history.record(session, row, "created", clock=clock)
        session.commit()
    return row


def delete_draft(*, session: Session, scope: Scope, document_id: int) -> None:
    row = get_document(session=session, scope=scope, document_id=document_id)
    if row.status != "draft" or row.number is not None:
        raise ConflictError("Solo se pueden borrar borradores sin número.")
    # a draft never numbered has no legal existence: its "created" goes with it
    for movement in session.exec(select(DocumentMovement).where(
            DocumentMovement.document_id == row.id)).all():
        session.delete(movement)
    session.delete(row)
    session.commit()


def list_documents(*, session: Session, scope: Scope, kind: str = "", search: str = "",
                   status: str = "", limit: int = 50) -> list[SalesDocument]:
    query = select(SalesDocument).where(SalesDocument.organization_id == scope.organization_id)
    if kind:
        query = query.where(SalesDocument.kind == kind)
    if status:
        query = query.where(SalesDocument.status == status)
    if search.strip():
        like = f"%{search.strip()[:60]}%"
        query = query.where(col(SalesDocument.customer_name).ilike(like)
                            | col(SalesDocument.document_key).ilike(like))
    return list(session.exec(query.order_by(col(SalesDocument.id).desc())
                             .limit(max(1, min(limit, 200)))).all())


def references_for(*, session: Session, scope: Scope, kind: str) -> list[SalesDocument]:
    """The accepted documents a note of this kind may correct, newest first."""
    target = REFERENCED_KIND.get(kind)
    if target is None:
        return []
    return list(session.exec(select(SalesDocument).where(
        SalesDocument.organization_id == scope.organization_id,
        SalesDocument.kind == target, SalesDocument.status == "accepted",
    ).order_by(col(SalesDocument.id).desc()).limit(200)).all())


def lines_of(*, session: Session, scope: Scope, document_id: int) -> tuple[LineInput, ...]:
    """The lines of a document, to start a note from the invoice it corrects."""
    return form_of(get_document(session=session, scope=scope, document_id=document_id)).lines


# -- checks before numbering ---------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """Something that stops issuing, with where it is fixed."""

    message: str
    link: str
    action: str


class IssueBlocked(LoggroError):
    def __init__(self, blocks: list[Block]) -> None:
        super().__init__(" ".join(b.message for b in blocks))
        self.blocks = blocks


def active_numbering(session: Session, organization_id: int, kind: str,
                     clock: Clock = system_clock) -> tuple[Numbering | None, str]:
    """The consecutive to number a document of this kind with, or why there is none."""
    rows = list(session.exec(select(Numbering).where(
        Numbering.organization_id == organization_id, Numbering.document_kind == kind,
        Numbering.channel == CHANNEL).order_by(col(Numbering.id))).all())
    if not rows:
        return None, f"No tienes un consecutivo de {KINDS[kind].lower()} (No POS)."
    states = [(row, state_of(row, clock)[0]) for row in rows]
    for row, state in states:
        if state == numbering_rules.ACTIVE:
            return row, ""
    row, state = states[0]
    reasons = {
        numbering_rules.EXPIRED: f"La resolución del consecutivo {row.name} está vencida.",
        numbering_rules.EXHAUSTED: f"Se agotó la numeración del consecutivo {row.name}.",
        numbering_rules.PENDING: (f"El consecutivo {row.name} no está asociado en la DIAN: "
                                  "usa «Consultar DIAN»."),
        numbering_rules.NOT_STARTED: f"La resolución del consecutivo {row.name} aún no rige.",
    }
    return None, reasons.get(state, f"El consecutivo {row.name} no está activo ({state}).")


def _place_problems(customer: Customer) -> list[str]:
    """Colombian: DIVIPOLA municipality and postal code; abroad: country, city and a foreign
    identification (what an export invoice's buyer carries, SPEC §2.6)."""
    if not is_abroad(customer.country_code):
        problems = []
        if customer.municipality_code not in codes.municipalities():
            problems.append(f"El municipio de {customer.name} no es un código DIVIPOLA válido.")
        if not (customer.postal_code.isdigit() and len(customer.postal_code) == 6):
            problems.append(f"El código postal de {customer.name} debe tener 6 dígitos.")
        return problems
    try:
        CustomerData.parse(identification_type=customer.identification_type,
                           identification_number=customer.identification_number,
                           name=customer.name, address=customer.address,
                           country_code=customer.country_code, city_name=customer.city_name,
                           send_xml_email=False)
    except ValidationError as exc:
        return [f"{customer.name}: {exc.errors[key]}" for key in
                ("country_code", "city_name", "identification_type") if key in exc.errors]
    return []


def _customer_blocks(session: Session, customer: Customer | None, kind: str,
                     has_email: bool | None = None) -> list[Block]:
    fix, action = (f"/contactos?editar={customer.id}" if customer else "/contactos",
                   "Corregir el contacto")
    if customer is None:
        return [Block("Elige el cliente del documento.", "/ventas", "Volver al formulario")]
    problems = []
    if customer.identification_type == NIT_TYPE and (
            customer.dv is None or not dv_matches(customer.identification_number, customer.dv)):
        problems.append(f"El NIT {customer.identification_number} de {customer.name} tiene un "
                        "dígito de verificación que la DIAN rechazaría (regla FAK24).")
    final_consumer = customer.identification_number == FINAL_CONSUMER_ID
    if kind in ("DS", "NA") and customer.identification_type != NIT_TYPE \
            and not customer.identification_number.strip():
        problems.append(f"El proveedor {customer.name} no tiene identificación.")
    if not final_consumer:
        if not customer.address.strip():
            problems.append(f"Falta la dirección de {customer.name}.")
        problems += _place_problems(customer)
        if customer.send_xml_email and has_email is None:
            has_email = session.exec(select(CustomerEmail).where(
                CustomerEmail.organization_id == customer.organization_id,
                CustomerEmail.customer_id == customer.id)).first() is not None
        if customer.send_xml_email and not has_email:
            problems.append(f"{customer.name} no tiene correo para recibir la factura "
                            "electrónica (XML).")
    return [Block(p, fix, action) for p in problems]


def credit_left(session: Session, reference: SalesDocument, *,
                except_id: int | None = None) -> Decimal:
    """What may still be credited against a document: its total less the accepted (or
    in-flight) credit notes and adjustment notes that correct it."""
    notes = session.exec(select(SalesDocument).where(
        SalesDocument.reference_id == reference.id,
        col(SalesDocument.kind).in_(["NC", "NA"]),
        col(SalesDocument.status).in_(["queued", "sending", "pending", "accepted"]))).all()
    credited = sum((n.total for n in notes if n.id != except_id), Decimal("0.00"))
    return reference.total - credited


def organization_blocks(session: Session, organization_id: int,
                        clock: Clock = system_clock) -> list[Block]:
    """What stops the organization from issuing any document: enablement, documents left
    in its plan, a valid signing certificate."""
    org = session.get(Organization, organization_id)
    assert org is not None
    blocks: list[Block] = []
    accepted_run = session.exec(select(TestSetRun).where(
        TestSetRun.organization_id == org.id, TestSetRun.status == "accepted")).first()
    if not org.e_invoicing_enabled or accepted_run is None:
        blocks.append(Block("Tu organización aún no está habilitada para facturar "
                            "electrónicamente.", "/habilitacion", "Ver la habilitación"))
    try:
        if ledger.balance(session=session, organization_id=organization_id,
                          clock=clock).available_total < 1:
            blocks.append(Block("No te quedan documentos en tu plan.", "/portal", "Comprar"))
    except LoggroError as exc:
        blocks.append(Block(exc.message, "/portal", "Ver planes"))
    cert = certificates.certificate_info(session=session, organization_id=organization_id,
                                         clock=clock)
    if cert is None:
        blocks.append(Block("Falta el certificado de firma de la organización.",
                            "/configuracion/organizacion", "Subir certificado"))
    elif cert.days_left < 0:
        blocks.append(Block("El certificado de firma está vencido: sube uno vigente.",
                            "/configuracion/organizacion", "Subir certificado"))
    return blocks


OrganizationCheck = Callable[[Session, int, Clock], list[Block]]


def preflight(*, session: Session, scope: Scope, document_id: int,
              clock: Clock = system_clock,
              organization_check: OrganizationCheck = organization_blocks) -> CheckedForm:
    """The checks DIAN makes, run locally: every block at once, each with where to fix it.
    `organization_check` may answer from a short-lived cache (the PMS intake does): issuing
    runs the full check again before it numbers or signs anything."""
    row = get_document(session=session, scope=scope, document_id=document_id)
    return check_document(session=session, scope=scope, row=row, clock=clock,
                          organization_check=organization_check)


def check_document(*, session: Session, scope: Scope, row: SalesDocument,
                   clock: Clock = system_clock,
                   organization_check: OrganizationCheck = organization_blocks,
                   customer_has_email: bool | None = None) -> CheckedForm:
    """`preflight` of a document of the scope's organization, stored or not yet.
    `customer_has_email`: known by a caller that has just created the customer (not read)."""
    form = form_of(row)
    customer = session.get(Customer, form.customer_id) if form.customer_id else None
    if customer is not None and customer.organization_id != scope.organization_id:
        customer = None
    export = customer is not None and is_export(row.kind, customer.country_code, row.origin)
    checked = check_form(form, today=clock().astimezone(BOGOTA).date(),  # field errors first
                         export=export)
    blocks = organization_check(session, scope.organization_id, clock)
    if row.number is None:  # a document numbered elsewhere (the PMS) brings its number
        numbering, reason = active_numbering(session, scope.organization_id, row.kind, clock)
        if numbering is None:
            blocks.append(Block(reason, "/configuracion/consecutivos", "Ver consecutivos"))
    blocks += _customer_blocks(session, customer, row.kind, customer_has_email)
    if row.kind in REFERENCED_KIND:
        ref = session.get(SalesDocument, form.reference_id) if form.reference_id else None
        if ref is None or ref.organization_id != scope.organization_id \
                or ref.kind != REFERENCED_KIND[row.kind]:
            blocks.append(Block("La nota debe corregir un documento de tu organización.",
                                "/ventas", "Elegir el documento"))
        elif ref.status != "accepted":
            blocks.append(Block(f"El documento {ref.prefix}{ref.number or ''} no fue aceptado "
                                "por la DIAN: una nota solo corrige documentos aceptados.",
                                f"/ventas/documento/{ref.id}", "Ver el documento"))
        elif row.kind in ("NC", "NA") and checked.totals.payable > (
                left := credit_left(session, ref, except_id=row.id)):
            blocks.append(Block(
                f"La nota supera lo que queda por acreditar de {ref.prefix}{ref.number}: "
                f"{format_cop(left)} (su total menos las notas crédito ya aceptadas).",
                f"/ventas/documento/{ref.id}", "Ver el documento"))
    if blocks:
        raise IssueBlocked(blocks)
    return checked


@dataclass(frozen=True)
class RuleView:
    """A DIAN rule of a rejection, in plain Spanish, with where to fix it."""

    code: str
    text: str
    dian_text: str
    field: str


def rejection_rules(document: SalesDocument) -> list[RuleView]:
    found = []
    for code, dian_text in json.loads(document.dian_messages or "[]"):
        if not code:
            found.append(RuleView("", dian_text, dian_text, ""))
            continue
        explained = explain(code, dian_text)
        found.append(RuleView(code, explained.text, dian_text, explained.field or ""))
    return found
