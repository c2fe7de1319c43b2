"""What the pages show of the organization's events as buyer about received invoices:
the events with DIAN's answer, the ones allowed next and the term (the invoice page), and
the grid's column and reminder badge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from loggro_app.core import purchase_events as rules
from loggro_app.core.buyer_events import EVENT_NAMES
from loggro_app.core.clock import local_text
from loggro_app.dian.codes import CLAIM_REASONS
from loggro_app.models import PurchaseEvent, ReceivedInvoice
from loggro_app.services.dian_link import DianLink
from loggro_app.services.owned import get_owned
from loggro_app.services.purchase_events import (
    ACCEPTED,
    INVOICE_TYPES,
    NOT_FOUND,
    PENDING,
    REJECTED,
    STATE_LABELS,
    legal_now,
    timeline,
)
from loggro_app.services.scope import Scope


def events_of(*, session: Session, invoice_id: int) -> list[PurchaseEvent]:
    return list(session.exec(select(PurchaseEvent).where(
        PurchaseEvent.invoice_id == invoice_id).order_by(col(PurchaseEvent.id))).all())


@dataclass(frozen=True)
class PurchaseView:
    """What the received-invoice page shows of our events."""

    events: list[dict[str, str]]  # code, name, state, label, date, cude, message, reason
    allowed: list[str]  # the codes that may be sent now
    sending: bool  # one waits for DIAN
    closing_on: str  # "09/12/2026": the last day to claim or accept, when it is near
    term_text: str  # "Puedes reclamar o aceptar hasta el 09/12/2026."
    status: str  # the invoice's status label, as our last registered event left it


def purchase_view(*, session: Session, scope: Scope, invoice_id: int,
                  link: DianLink) -> PurchaseView:
    invoice = get_owned(session, ReceivedInvoice, scope, invoice_id, NOT_FOUND)
    rows = events_of(session=session, invoice_id=invoice_id)
    accepted, pending = timeline(session, invoice_id)
    now = legal_now(link, invoice)
    events = [{"code": r.code, "name": EVENT_NAMES[r.code].capitalize(), "state": r.state,
               "label": STATE_LABELS[r.state], "date": local_text(r.sent_at or r.requested_at),
               "cude": r.cude, "message": r.dian_message,
               "reason": CLAIM_REASONS.get(r.claim_reason, ""),
               "by": r.requested_by} for r in rows]
    allowed = (rules.allowed_next(accepted, now, pending)
               if invoice.type_code in INVOICE_TYPES else [])
    closing = rules.claim_term_closing(accepted, now)
    term = ""
    if "032" in accepted and not set(accepted) & set(rules.ENDINGS):
        last = rules.last_claim_day(accepted["032"])
        term = (f"Puedes reclamar o aceptar expresamente hasta el {last:%d/%m/%Y}."
                if now < rules.claim_term_ends(accepted["032"]) else
                f"El plazo para reclamar venció el {last:%d/%m/%Y}: la factura quedó "
                "aceptada tácitamente.")
    return PurchaseView(events, allowed, bool(pending),
                        f"{closing:%d/%m/%Y}" if closing else "", term,
                        rules.STATUS_LABELS.get(invoice.status, "Validada DIAN"))


def events_by_invoice(*, session: Session, scope: Scope,
                      invoice_ids: Iterable[int]) -> dict[int, str]:
    """The grid's "our events" column: "030 ✓ · 032 …" per invoice."""
    marks = {PENDING: " …", ACCEPTED: " ✓", REJECTED: " ✗"}
    found: dict[int, list[str]] = {}
    ids = list(invoice_ids)
    if not ids:
        return {}
    rows = session.exec(select(PurchaseEvent).where(
        PurchaseEvent.organization_id == scope.organization_id,
        col(PurchaseEvent.invoice_id).in_(ids)).order_by(col(PurchaseEvent.id))).all()
    for r in rows:
        found.setdefault(r.invoice_id, []).append(r.code + marks[r.state])
    return {k: " · ".join(v) for k, v in found.items()}


def closing_by_invoice(*, session: Session, scope: Scope, invoice_ids: Iterable[int],
                       link: DianLink) -> dict[int, str]:
    """The grid's reminder: the last day to claim, for the invoices where it is near."""
    ids = list(invoice_ids)
    if not ids:
        return {}
    receipts = session.exec(select(PurchaseEvent.invoice_id).where(
        PurchaseEvent.organization_id == scope.organization_id, PurchaseEvent.code == "032",
        PurchaseEvent.state == ACCEPTED, col(PurchaseEvent.invoice_id).in_(ids))).all()
    found = {}
    for invoice_id in receipts:
        invoice = session.get(ReceivedInvoice, invoice_id)
        assert invoice is not None
        last = rules.claim_term_closing(timeline(session, invoice_id)[0],
                                        legal_now(link, invoice))
        if last is not None:
            found[invoice_id] = f"{last:%d/%m/%Y}"
    return found
