"""The reminder that the term to claim or accept a received invoice is ending: which
invoices (the scheduled check's list) and one mail per term to the organization."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session, select

from loggro_app.core import purchase_events as rules
from loggro_app.core.errors import ValidationError
from loggro_app.mail import MailSettings, send_message
from loggro_app.mail.reminder import build_claim_reminder
from loggro_app.models import Organization, PurchaseEvent, ReceivedInvoice
from loggro_app.services.dian_link import DianLink
from loggro_app.services.purchase_events import ACCEPTED, legal_now, timeline

log = logging.getLogger(__name__)


def send_claim_reminders(*, session: Session, link: DianLink, settings: MailSettings,
                         app_url: str) -> int:
    """Mail the organization once per term whose end is within one business day; the
    number of reminders mailed. A refused or deferred mail is tried on the next check."""
    mailed = 0
    for organization_id, invoice_id, number, last in closing_soon(session=session, link=link):
        receipt = session.exec(select(PurchaseEvent).where(
            PurchaseEvent.invoice_id == invoice_id, PurchaseEvent.code == "032")).one()
        last_day = datetime.strptime(last, "%d/%m/%Y").date()
        org = session.get(Organization, organization_id)
        invoice = session.get(ReceivedInvoice, invoice_id)
        if receipt.reminded_for == last_day or org is None or not org.email or invoice is None:
            continue
        try:
            message = build_claim_reminder(
                recipient=org.email, number=number, supplier=invoice.supplier_name,
                last_day=last, page_url=f"{app_url.rstrip('/')}/compras/recibidas/{invoice_id}")
        except ValidationError:
            log.warning("recordatorio sin correo válido (organización %s)", organization_id)
            continue
        delivery = send_message(message, org.email, settings=settings)
        if not delivery.accepted:
            log.warning("recordatorio de la factura recibida %s no entregado: %s %s",
                        invoice_id, delivery.code, delivery.text)
            continue
        receipt.reminded_for = last_day
        session.add(receipt)
        session.commit()
        mailed += 1
    return mailed


def closing_soon(*, session: Session, link: DianLink) -> list[tuple[int, int, str, str]]:
    """(organization, invoice, number, last day) of the received invoices whose term to
    claim or accept ends within one business day (the reminder's list)."""
    receipts = session.exec(select(PurchaseEvent).where(
        PurchaseEvent.code == "032", PurchaseEvent.state == ACCEPTED)).all()
    found = []
    for receipt in receipts:
        invoice = session.get(ReceivedInvoice, receipt.invoice_id)
        assert invoice is not None
        accepted, _ = timeline(session, receipt.invoice_id)
        last = rules.claim_term_closing(accepted, legal_now(link, invoice))
        if last is not None:
            found.append((invoice.organization_id, receipt.invoice_id, invoice.number,
                          f"{last:%d/%m/%Y}"))
    return found
