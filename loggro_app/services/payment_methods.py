"""Payment methods (*formas de pago*): DIAN payment form + payment means."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, col

from loggro_app.core.item_rules import PaymentMethodData
from loggro_app.models import PaymentMethod
from loggro_app.services.owned import get_owned, save_owned
from loggro_app.services.paging import Page, search_page
from loggro_app.services.references import ensure_unreferenced
from loggro_app.services.scope import Scope

NOT_FOUND = "La forma de pago no existe o no pertenece a tu organización."


def list_payment_methods(*, session: Session, scope: Scope, search: str = "", page: int = 1,
                         page_size: int = 10) -> Page[PaymentMethod]:
    return search_page(
        session=session, model=PaymentMethod, organization_id=scope.organization_id,
        search=search, fields=[PaymentMethod.name], order_by=col(PaymentMethod.name),
        page=page, page_size=page_size,
    )


def get_payment_method(*, session: Session, scope: Scope, method_id: int) -> PaymentMethod:
    return get_owned(session, PaymentMethod, scope, method_id, NOT_FOUND)


def save_payment_method(*, session: Session, scope: Scope, data: PaymentMethodData,
                        method_id: int | None = None) -> PaymentMethod:
    if method_id is None:
        row = PaymentMethod(organization_id=scope.organization_id, **asdict(data))
    else:
        row = get_payment_method(session=session, scope=scope, method_id=method_id)
    return save_owned(session, row, asdict(data), duplicate_field="name",
                      duplicate_message=f"Ya existe una forma de pago llamada {data.name}.")


def delete_payment_method(*, session: Session, scope: Scope, method_id: int) -> None:
    row = get_payment_method(session=session, scope=scope, method_id=method_id)
    ensure_unreferenced(session, row, f"la forma de pago {row.name}")
    session.delete(row)
    session.commit()
