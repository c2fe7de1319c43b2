"""Mailing accepted documents to the buyer: who receives them, one message per recipient,
each SMTP answer recorded, and resends.

Recipients are the customer's notification emails (when *Recibir e-mail con documentación
electrónica en formato XML* is on) and the reception mailbox the buyer registered at DIAN
(GetAcquirer, cached on the customer and refreshed on each issue). A round is the first
delivery (`entrega`) or a resend (`reenvio-N`); within a round each recipient has one row,
and once the server accepted or refused it, it is never mailed again.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage

from sqlmodel import Session, col, func, select

from loggro_app.core.buyer_events import STATUS_LABELS as BUYER_LABELS
from loggro_app.core.clock import Clock, local_text, system_clock, to_utc
from loggro_app.core.email import parse_emails
from loggro_app.core.errors import ConflictError, LoggroError, PermissionDenied, ValidationError
from loggro_app.mail import (
    DocumentSubject,
    MailSettings,
    MailTemplate,
    build_document_mail,
    send_message,
)
from loggro_app.mail.message import body_text
from loggro_app.models import (
    Customer,
    CustomerEmail,
    MailDelivery,
    Organization,
    SalesDocument,
    User,
)
from loggro_app.services import history
from loggro_app.services.dian_link import DianLink
from loggro_app.services.owned import save_changes
from loggro_app.services.sales import document_of, get_document
from loggro_app.services.scope import Scope

log = logging.getLogger(__name__)

FIRST_ROUND = "entrega"
MAILED_KINDS = ("FE", "NC", "ND")  # a documento soporte stays with the one who issues it
TYPE_CODES = {"NC": "91", "ND": "92"}
MAX_RESEND = 5
MOVEMENT = {"accepted": "mail_sent", "refused": "mail_refused", "deferred": "mail_deferred"}


def template_of(org: Organization) -> MailTemplate:
    defaults = MailTemplate()
    return MailTemplate(greeting=org.mail_greeting.strip() or defaults.greeting,
                        text=org.mail_text.strip() or defaults.text,
                        closing=org.mail_closing.strip() or defaults.closing)


def dian_mailbox(session: Session, customer: Customer, link: DianLink,
                 clock: Clock = system_clock) -> str:
    """The buyer's DIAN reception mailbox: asked again on each issue, the last answer kept
    when DIAN cannot be reached."""
    try:
        with link.client(session=session, organization_id=customer.organization_id) as client:
            found = client.get_acquirer(customer.identification_type,
                                        customer.identification_number)
    except LoggroError as exc:
        log.warning("GetAcquirer %s: %s", customer.id, exc.message)
        return customer.dian_email
    customer.dian_email = (found.email or "").strip().lower()[:254]
    customer.dian_email_checked_at = to_utc(clock())
    save_changes(session, customer)
    session.commit()
    return customer.dian_email


def recipients(session: Session, document: SalesDocument, link: DianLink) -> list[tuple[str,
                                                                                        str]]:
    """(email, source) of everyone who receives the document; no address twice."""
    customer = session.exec(select(Customer).where(
        Customer.id == document.customer_id,
        Customer.organization_id == document.organization_id,
    )).first() if document.customer_id else None
    if customer is None:
        return []
    found: dict[str, str] = {}
    if customer.send_xml_email:
        for row in session.exec(select(CustomerEmail).where(
                CustomerEmail.organization_id == document.organization_id,
                CustomerEmail.customer_id == customer.id)
                .order_by(col(CustomerEmail.position))).all():
            found.setdefault(row.email.strip().lower(), "cliente")
    registered = dian_mailbox(session, customer, link)
    if registered:
        found.setdefault(registered, "dian")
    return list(found.items())


def open_round(session: Session, document: SalesDocument, round_name: str,
               addresses: list[tuple[str, str]], clock: Clock = system_clock) -> list[str]:
    """One pending row per recipient of the round (kept when already there); returns the
    addresses still to be mailed."""
    assert document.id is not None
    existing = {r.email: r for r in session.exec(select(MailDelivery).where(
        MailDelivery.organization_id == document.organization_id,
        MailDelivery.document_id == document.id, MailDelivery.round_name == round_name)).all()}
    for email, source in addresses:
        if email not in existing:
            row = MailDelivery(organization_id=document.organization_id,
                               document_id=document.id, round_name=round_name, email=email,
                               source=source, updated_at=to_utc(clock()))
            session.add(row)
            existing[email] = row
    session.commit()
    return [e for e, r in existing.items() if r.status in ("pending", "deferred")]


def _attached_xml(document: SalesDocument) -> tuple[str, bytes]:
    if document.attached_document is None:
        raise ConflictError("El documento aún no tiene su AttachedDocument.")
    with zipfile.ZipFile(io.BytesIO(document.attached_document)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".xml"))
        return name, archive.read(name)


def message_for(session: Session, document: SalesDocument, email: str):  # type: ignore[no-untyped-def]
    org = session.get(Organization, document.organization_id)
    assert org is not None and document.number is not None
    xml_name, xml = _attached_xml(document)
    subject = DocumentSubject(
        issuer_nit=org.nit, issuer_name=org.legal_name,
        number=f"{document.prefix}{document.number}",
        type_code=TYPE_CODES.get(document.kind, document.invoice_type),
        trade_name=org.trade_name)
    return build_document_mail(recipient=email, subject=subject, attached_xml=xml,
                               xml_name=xml_name, pdf=document.pdf,
                               template=template_of(org), events_mailbox=org.email)


def deliver_one(*, session: Session, organization_id: int, document_id: int, round_name: str,
                email: str, settings: MailSettings, clock: Clock = system_clock) -> str:
    """Mail one recipient unless the server already answered for it in this round; the
    answer and its history movement are stored together. Returns the row's status."""
    row = session.exec(select(MailDelivery).where(
        MailDelivery.organization_id == organization_id,
        MailDelivery.document_id == document_id, MailDelivery.round_name == round_name,
        MailDelivery.email == email)).one()
    if row.status in ("accepted", "refused"):
        return row.status
    document = document_of(session, organization_id, document_id)
    assert document is not None
    try:
        message = message_for(session, document, email)
    except ValidationError as exc:  # an address or a size DIAN's rule refuses: final
        row.status, row.code, row.reply = "refused", None, " ".join(exc.errors.values())[:500]
    else:
        sent = send_message(message, email, settings=settings, clock=clock)
        row.status, row.code, row.reply = sent.status, sent.code, sent.text[:500]
    row.attempts += 1
    row.updated_at = to_utc(clock())
    save_changes(session, row)
    detail = f"{row.code or ''} {row.reply}".strip()
    history.record(session, document, MOVEMENT[row.status], email=email, detail=detail,
                   clock=clock)
    session.commit()
    return row.status


def request_resend(*, session: Session, scope: Scope, document_id: int, emails: list[str],
                   clock: Clock = system_clock) -> tuple[str, list[str]]:
    """*Reenviar Notificación*: a new round to the chosen (or typed) addresses."""
    document = get_document(session=session, scope=scope, document_id=document_id)
    if document.status != "accepted" or document.kind not in MAILED_KINDS:
        raise ConflictError("Solo se reenvían facturas y notas aceptadas por la DIAN.")
    if document.attached_document is None:
        raise ConflictError("El documento aún se está preparando: intenta en unos segundos.")
    addresses = list(parse_emails(emails, field="emails"))
    if not addresses:
        raise ValidationError({"emails": "Elige o escribe al menos un correo."})
    if len(addresses) > MAX_RESEND:
        raise ValidationError({"emails": f"Reenvía a máximo {MAX_RESEND} correos a la vez."})
    rounds = session.exec(select(func.count(func.distinct(MailDelivery.round_name))).where(
        MailDelivery.document_id == document_id,
        col(MailDelivery.round_name).startswith("reenvio-"))).one()
    round_name = f"reenvio-{int(rounds) + 1}"
    open_round(session, document, round_name, [(a, "manual") for a in addresses], clock)
    history.record(session, document, "resent", email=", ".join(addresses), clock=clock)
    session.commit()
    return round_name, addresses


def known_addresses(*, session: Session, scope: Scope, document_id: int) -> list[str]:
    """The addresses a resend may pick from: the customer's and the DIAN mailbox."""
    document = get_document(session=session, scope=scope, document_id=document_id)
    customer = session.get(Customer, document.customer_id) if document.customer_id else None
    if customer is None:
        return []
    emails = [r.email for r in session.exec(select(CustomerEmail).where(
        CustomerEmail.customer_id == customer.id).order_by(col(CustomerEmail.position))).all()]
    if customer.dian_email and customer.dian_email not in emails:
        emails.append(customer.dian_email)
    return emails


def deliveries(*, session: Session, scope: Scope, document_id: int) -> list[MailDelivery]:
    get_document(session=session, scope=scope, document_id=document_id)
    return list(session.exec(select(MailDelivery).where(
        MailDelivery.document_id == document_id).order_by(col(MailDelivery.id))).all())


@dataclass(frozen=True)
class Acknowledgement:
    """*Ver Acuses de Recibo Cliente*: where the last notification went, and what the buyer
    said when it confirmed."""

    last_email: str
    last_at: str
    buyer_status: str
    buyer_messages: list[str]


def acknowledgement(*, session: Session, scope: Scope, document_id: int) -> Acknowledgement:
    get_document(session=session, scope=scope, document_id=document_id)
    moves = history.movements(session=session, scope=scope, document_id=document_id)
    sent = [m for m in moves if m.kind == "mail_sent"]
    answers = [f"{history.KINDS[m.kind]} ({local_text(m.at)})"
               + (f": {m.detail}" if m.detail else "")
               for m in moves if m.kind.startswith("event_")]
    document = session.get(SalesDocument, document_id)
    assert document is not None
    return Acknowledgement(
        last_email=sent[-1].email if sent else "", last_at=local_text(sent[-1].at) if sent
        else "", buyer_status=BUYER_LABELS.get(document.buyer_status, "Sin respuesta"),
        buyer_messages=answers)


def history_addresses(*, session: Session, scope: Scope, document_id: int) -> list[str]:
    """Where a history may be mailed: addresses the organization already trusts (its users'
    and the customer's registered ones), never one typed on the spot."""
    users = [u.email for u in session.exec(select(User).where(
        User.organization_id == scope.organization_id)).all()]
    return list(dict.fromkeys([*users, *known_addresses(session=session, scope=scope,
                                                        document_id=document_id)]))


def send_history(*, session: Session, scope: Scope, document_id: int, email: str,
                 settings: MailSettings, clock: Clock = system_clock) -> str:
    """*Enviar Detalle Historial*: every movement of a document, however old, by mail."""
    if email not in history_addresses(session=session, scope=scope, document_id=document_id):
        raise ValidationError({"email": "Elige uno de los correos confirmados de la lista."})
    document = get_document(session=session, scope=scope, document_id=document_id)
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    moves = history.movements(session=session, scope=scope, document_id=document_id)
    name = f"{document.kind} {document.prefix}{document.number or ''}".strip()
    lines = [f"Historial del documento {name} de {org.legal_name}", ""]
    lines += [f"{local_text(m.at)} · {history.KINDS.get(m.kind, m.kind)}"
              + (f" · {m.email}" if m.email else "") + (f" · {m.detail}" if m.detail else "")
              for m in moves]
    message = EmailMessage()
    message["Subject"] = f"Historial del documento {name}"
    message.set_content("\n".join(lines))
    sent = send_message(message, email, settings=settings, clock=clock)
    if not sent.accepted:
        raise ConflictError(f"El servidor de correo no aceptó el mensaje: {sent.code or ''} "
                            f"{sent.text}".strip())
    history.record(session, document, "history_sent", email=email, clock=clock)
    session.commit()
    return email


def mail_wording(*, session: Session, scope: Scope) -> MailTemplate:
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    return template_of(org)


def save_mail_wording(*, session: Session, scope: Scope, greeting: str, text: str,
                      closing: str) -> MailTemplate:
    """The organization's own words for the message that carries its documents."""
    if scope.role != "admin":
        raise PermissionDenied("Solo un administrador cambia el correo de los documentos.")
    wording = MailTemplate(greeting=greeting.strip(), text=text.strip(),
                           closing=closing.strip())  # refuses text over the limits
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    org.mail_greeting, org.mail_text, org.mail_closing = (wording.greeting, wording.text,
                                                          wording.closing)
    session.add(org)
    session.commit()
    return template_of(org)


def preview_text(*, session: Session, scope: Scope, wording: MailTemplate) -> str:
    """The body a buyer would read, with a sample invoice number."""
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    subject = DocumentSubject(issuer_nit=org.nit, issuer_name=org.legal_name, number="FE1",
                              type_code="01", trade_name=org.trade_name)
    return body_text(subject, wording, org.email)
