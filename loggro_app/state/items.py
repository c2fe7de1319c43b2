"""State of the Inventario page (items) and the Formas de Pago page."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from loggro_app.core.geo import fold
from loggro_app.core.item_rules import ItemData, PaymentMethodData
from loggro_app.core.money import format_cop
from loggro_app.dian.codes import (
    PAYMENT_FORMS,
    TAX_OPTIONS,
    common_units,
    payment_means_labels,
    units,
)
from loggro_app.services import items as item_service
from loggro_app.services import payment_methods as method_service
from loggro_app.services.paging import Page
from loggro_app.services.scope import Scope
from loggro_app.state.crud import CrudMixin

UNIT_OPTIONS = [{"code": c, "name": f"{n} ({c})"} for c, n in common_units().items()]
TAX_CHOICES = [{"code": c, "name": label} for c, (label, _, _) in TAX_OPTIONS.items()]
FORM_CHOICES = [{"code": c, "name": n} for c, n in PAYMENT_FORMS.items()]
MEANS_CHOICES = [{"code": c, "name": f"{c} · {n}"} for c, n in payment_means_labels().items()]


class ItemsState(CrudMixin, rx.State):
    code: str = ""
    name: str = ""
    unit_code: str = "94"
    price: str = ""
    tax_code: str = "IVA_19"

    def _list(self, session: Session, scope: Scope) -> Page[Any]:
        return item_service.list_items(session=session, scope=scope, search=self.search,
                                       page=self.page, page_size=self._page_size)

    def _row_view(self, session: Session, scope: Scope, row: Any) -> dict[str, str]:
        return {"id": str(row.id), "code": row.code, "name": row.name,
                "unit": units().get(row.unit_code, row.unit_code),
                "price": format_cop(row.price), "tax": TAX_OPTIONS[row.tax_code][0]}

    def _reset_form(self) -> None:
        self.code = self.name = self.price = ""
        self.unit_code, self.tax_code = "94", "IVA_19"

    def _fill_form(self, session: Session, scope: Scope, row_id: int) -> None:
        row = item_service.get_item(session=session, scope=scope, item_id=row_id)
        self.code, self.name, self.unit_code = row.code, row.name, row.unit_code
        self.price, self.tax_code = f"{row.price:.2f}", row.tax_code

    def _field_labels(self) -> dict[str, str]:
        return {"name": "Nombre", "form_code": "Forma de pago", "means_code": "Medio de pago"}

    def _field_labels(self) -> dict[str, str]:
        return {"code": "Código", "name": "Nombre", "unit_code": "Unidad", "price": "Precio",
                "tax_code": "Impuesto"}

    def _save(self, session: Session, scope: Scope) -> str:
        data = ItemData.parse(code=self.code, name=self.name, unit_code=self.unit_code,
                              price=self.price, tax_code=self.tax_code)
        row = item_service.save_item(session=session, scope=scope, data=data,
                                     item_id=self.editing_id or None)
        return f"Producto {row.name} guardado."

    def _delete(self, session: Session, scope: Scope, row_id: int) -> str:
        item_service.delete_item(session=session, scope=scope, item_id=row_id)
        return "Producto eliminado."

    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in {"code", "name", "unit_code", "price", "tax_code"}:
            setattr(self, field, value)


class PaymentMethodsState(CrudMixin, rx.State):
    name: str = ""
    form_code: str = "1"
    means_code: str = "10"
    means_search: str = ""

    @rx.var
    def means_options(self) -> list[dict[str, str]]:
        """The DIAN means matching every typed word (code or label); the chosen one stays."""
        words = fold(self.means_search).split()
        return [o for o in MEANS_CHOICES if o["code"] == self.means_code
                or all(w in fold(o["name"]) for w in words)]

    @rx.event
    def set_means_search(self, value: str) -> None:
        self.means_search = value

    def _list(self, session: Session, scope: Scope) -> Page[Any]:
        return method_service.list_payment_methods(
            session=session, scope=scope, search=self.search, page=self.page,
            page_size=self._page_size)

    def _row_view(self, session: Session, scope: Scope, row: Any) -> dict[str, str]:
        return {"id": str(row.id), "name": row.name,
                "form": PAYMENT_FORMS.get(row.form_code, row.form_code),
                "means": f"{row.means_code} · {payment_means_labels().get(row.means_code, '')}"}

    def _reset_form(self) -> None:
        self.name, self.form_code, self.means_code = "", "1", "10"
        self.means_search = ""

    def _fill_form(self, session: Session, scope: Scope, row_id: int) -> None:
        row = method_service.get_payment_method(session=session, scope=scope, method_id=row_id)
        self.name, self.form_code, self.means_code = row.name, row.form_code, row.means_code

    def _save(self, session: Session, scope: Scope) -> str:
        data = PaymentMethodData.parse(name=self.name, form_code=self.form_code,
                                       means_code=self.means_code)
        row = method_service.save_payment_method(session=session, scope=scope, data=data,
                                                 method_id=self.editing_id or None)
        return f"Forma de pago {row.name} guardada."

    def _delete(self, session: Session, scope: Scope, row_id: int) -> str:
        method_service.delete_payment_method(session=session, scope=scope, method_id=row_id)
        return "Forma de pago eliminada."

    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in {"name", "form_code", "means_code"}:
            setattr(self, field, value)
