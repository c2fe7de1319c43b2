"""State of *Ventas*: the organization's documents, searched and filtered by kind."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.errors import LoggroError
from loggro_app.core.sales import KINDS
from loggro_app.services import sales as service
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.sales_view import document_row

ALL_KINDS = "TODOS"  # a select item cannot have an empty value
KIND_FILTERS = [{"code": ALL_KINDS, "name": "Todos los tipos"},
                *({"code": c, "name": n} for c, n in KINDS.items())]


class SalesListState(rx.State):
    search: str = ""
    kind: str = ALL_KINDS
    rows: list[dict[str, str]] = []
    delete_id: int = 0

    async def _refresh(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        found = await with_session(service.list_documents, scope=scope, search=self.search,
                                   kind="" if self.kind == ALL_KINDS else self.kind)
        self.rows = [document_row(r) for r in found]
        return None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        return await self._refresh()

    @rx.event
    async def set_search(self, value: str):  # type: ignore[no-untyped-def]
        self.search = value
        return await self._refresh()

    @rx.event
    async def set_kind(self, value: str):  # type: ignore[no-untyped-def]
        self.kind = value if value in KINDS else ALL_KINDS
        return await self._refresh()

    @rx.event
    async def delete_draft(self, document_id: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(service.delete_draft, scope=scope, document_id=int(document_id))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        await self._refresh()
        return rx.toast.success("Borrador eliminado.")
