"""Figures for Inicio."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from loggro_app.models import Customer, Item, PaymentMethod
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
