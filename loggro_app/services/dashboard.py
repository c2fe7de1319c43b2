"""Figures for Inicio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from loggro_app.models import Customer, Item, PaymentMethod, ReceivedInvoice, SalesDocument
from loggro_app.services.sales_grid import ISSUED, day_bounds
from loggro_app.services.scope import Scope


@dataclass(frozen=True)
class CatalogCounts:
    customers: int
    items: int
    payment_methods: int


def catalog_counts(*, session: Session, scope: Scope) -> CatalogCounts:
    def count(model: type) -> int:
        query = select(func.count()).select_from(model).where(
            model.organization_id == scope.organization_id  # type: ignore[attr-defined]
        )
        return int(session.exec(query).one())

    return CatalogCounts(count(Customer), count(Item), count(PaymentMethod))


# What the buyer may still answer: anything short of a final acceptance or a claim.
WAITING_FOR_BUYER = ("", "acuse", "recibido")


def month_documents(*, session: Session, scope: Scope, today: date) -> dict[str, int]:
    """This month's issued documents by state (accepted, rejected, pending...)."""
    start, end = day_bounds(today.replace(day=1), today)
    rows = session.exec(select(SalesDocument.status, func.count()).where(
        SalesDocument.organization_id == scope.organization_id,
        col(SalesDocument.issued_at) >= start, col(SalesDocument.issued_at) < end,
        col(SalesDocument.status).in_(ISSUED)).group_by(SalesDocument.status)).all()
    return {status: int(count) for status, count in rows}


def waiting_for_buyer(*, session: Session, scope: Scope,
                      limit: int = 5) -> tuple[int, list[SalesDocument]]:
    """Accepted invoices the buyer has not finally answered: how many, and the oldest."""
    query = select(SalesDocument).where(
        SalesDocument.organization_id == scope.organization_id, SalesDocument.kind == "FE",
        SalesDocument.status == "accepted",
        col(SalesDocument.buyer_status).in_(WAITING_FOR_BUYER))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    oldest = list(session.exec(query.order_by(col(SalesDocument.issued_at))
                               .limit(limit)).all())
    return total, oldest


def month_received(*, session: Session, scope: Scope, today: date) -> int:
    """Suppliers' invoices registered this month (Bogotá calendar), by the day they
    arrived: what reception consumed of the plan this month."""
    start, end = day_bounds(today.replace(day=1), today)
    return int(session.exec(select(func.count()).select_from(ReceivedInvoice).where(
        ReceivedInvoice.organization_id == scope.organization_id,
        col(ReceivedInvoice.registered_at) >= start,
        col(ReceivedInvoice.registered_at) < end)).one())
