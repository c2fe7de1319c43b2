"""Picking from the catalog on the sales form: the customer (by name or identification, with
a quick pick for *consumidor final*) and items from Inventario."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.customer_rules import COLOMBIA
from loggro_app.core.nit import FINAL_CONSUMER_ID, IDENTIFICATION_TYPES
from loggro_app.models import Customer, Item
from loggro_app.services import customers as customer_service
from loggro_app.services import items as item_service
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.sales_view import money

SHOWN = 6  # matches listed under a search box: enough on a phone without scrolling away


def customer_option(row: Customer) -> dict[str, str]:
    kind = IDENTIFICATION_TYPES.get(row.identification_type, "")
    ident = f"{kind} {row.identification_number}"
    if row.dv is not None:
        ident += f"-{row.dv}"
    return {"id": str(row.id), "name": row.name, "identification": ident,
            "country": row.country_code}


def item_option(row: Item) -> dict[str, str]:
    return {"id": str(row.id), "code": row.code, "name": row.name, "unit_code": row.unit_code,
            "price": f"{row.price:.2f}", "price_label": money(row.price), "tax": row.tax_code}


class SalesCatalogMixin(rx.State, mixin=True):
    customer_id: str = ""
    customer_label: str = ""
    customer_country: str = ""  # abroad (not CO): an invoice to them is an export
    customer_search: str = ""
    customer_options: list[dict[str, str]] = []
    final_consumer_id: str = ""
    item_search: str = ""
    item_options: list[dict[str, str]] = []

    async def _customer_rows(self, scope: Scope, search: str) -> list[Customer]:
        page = await with_session(customer_service.list_customers, scope=scope, search=search,
                                  page_size=SHOWN)
        return page.rows

    async def _customers(self, scope: Scope, search: str) -> list[dict[str, str]]:
        return [customer_option(r) for r in await self._customer_rows(scope, search)]

    async def _items(self, scope: Scope, search: str) -> list[dict[str, str]]:
        page = await with_session(item_service.list_items, scope=scope, search=search,
                                  page_size=SHOWN)
        return [item_option(r) for r in page.rows]

    async def _load_catalog(self, scope: Scope) -> None:
        self.customer_options = await self._customers(scope, self.customer_search)
        self.item_options = await self._items(scope, self.item_search)
        final = [c for c in await self._customer_rows(scope, FINAL_CONSUMER_ID)
                 if c.identification_number == FINAL_CONSUMER_ID]
        self.final_consumer_id = str(final[0].id) if final else ""

    @rx.event
    async def search_customers(self, value: str):  # type: ignore[no-untyped-def]
        self.customer_search = value
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.customer_options = await self._customers(scope, value)
        return None

    def _customer_chosen(self) -> None:
        """What the form adapts when the customer changes (the form state says)."""

    @rx.event
    def pick_customer(self, customer_id: str, label: str, country: str = COLOMBIA) -> None:
        self.customer_id, self.customer_label = str(customer_id), label
        self.customer_country = str(country)
        self.errors = {k: v for k, v in self.errors.items() if k != "customer_id"}  # type: ignore[attr-defined]
        self._customer_chosen()

    @rx.event
    def pick_final_consumer(self) -> None:
        if self.final_consumer_id:
            self.customer_id, self.customer_label = self.final_consumer_id, "Consumidor final"
            self.customer_country = COLOMBIA
            self._customer_chosen()

    @rx.event
    def change_customer(self) -> None:
        self.customer_id = self.customer_label = self.customer_country = ""

    @rx.event
    async def search_items(self, value: str):  # type: ignore[no-untyped-def]
        self.item_search = value
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.item_options = await self._items(scope, value)
        return None

    @rx.event
    def pick_item(self, item: dict[str, str]) -> None:
        self._add_item(item)  # type: ignore[attr-defined]
