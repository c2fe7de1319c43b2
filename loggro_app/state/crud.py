"""Shared list/search/paginate/edit/delete behaviour for the catalog pages.

Each page state supplies the service calls; this mixin turns service errors into
Spanish messages next to the fields and never leaves a half-saved row.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx
from sqlmodel import Session

from loggro_app.core.errors import (
    ConflictError,
    LoggroError,
    NotFoundError,
    ValidationError,
    not_saved,
)
from loggro_app.db import session_scope
from loggro_app.services.paging import Page
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope

UNEXPECTED = "No se pudo completar la operación. Inténtalo de nuevo en unos segundos."


class CrudMixin(rx.State, mixin=True):
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    form_open: bool = False
    editing_id: int = 0
    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    delete_open: bool = False
    delete_id: int = 0
    delete_message: str = ""

    # -- hooks the page state implements -------------------------------------------------
    def _list(self, session: Session, scope: Scope) -> Page[Any]:
        raise NotImplementedError

    def _row_view(self, session: Session, scope: Scope, row: Any) -> dict[str, str]:
        raise NotImplementedError

    def _reset_form(self) -> None:
        raise NotImplementedError

    def _fill_form(self, session: Session, scope: Scope, row_id: int) -> None:
        raise NotImplementedError

    def _save(self, session: Session, scope: Scope) -> str:
        """Save the form; returns the toast text."""
        raise NotImplementedError

    def _delete(self, session: Session, scope: Scope, row_id: int) -> str:
        raise NotImplementedError

    def _field_labels(self) -> dict[str, str]:
        """Field name -> label on the form, to say which fields stopped a save."""
        return {}

    # -- behaviour -----------------------------------------------------------------------
    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    def _refresh(self, session: Session, scope: Scope) -> None:
        result = self._list(session, scope)
        if result.rows == [] and result.page > 1 and result.total:
            self.page = result.pages
            result = self._list(session, scope)
        self.rows = [self._row_view(session, scope, r) for r in result.rows]
        self.total, self.pages, self.page = result.total, result.pages, result.page

    async def _run(self, action) -> Any:  # type: ignore[no-untyped-def]
        """Run `action(session, scope)`; a lost session goes back to the login page."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)

        def work() -> Any:
            with session_scope() as session:
                return action(session, scope)

        return await asyncio.to_thread(work)  # database work never blocks the shared loop

    @property
    def _page_size(self) -> int:
        return get_settings().page_size

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        return await self._run(self._refresh)

    @rx.event
    async def set_search(self, value: str):  # type: ignore[no-untyped-def]
        self.search, self.page = value, 1
        return await self._run(self._refresh)

    @rx.event
    async def next_page(self):  # type: ignore[no-untyped-def]
        self.page = min(self.page + 1, self.pages)
        return await self._run(self._refresh)

    @rx.event
    async def prev_page(self):  # type: ignore[no-untyped-def]
        self.page = max(1, self.page - 1)
        return await self._run(self._refresh)

    @rx.event
    def open_new(self) -> None:
        self._reset_form()
        self.editing_id, self.errors, self.form_error = 0, {}, ""
        self.form_open = True

    @rx.event
    async def open_edit(self, row_id: int):  # type: ignore[no-untyped-def]
        self._reset_form()
        self.errors, self.form_error = {}, ""

        def fill(session: Session, scope: Scope) -> Any:
            try:
                self._fill_form(session, scope, int(row_id))
            except NotFoundError as exc:
                return rx.toast.error(exc.message)
            self.editing_id, self.form_open = int(row_id), True
            return None

        return await self._run(fill)

    @rx.event
    def set_form_open(self, value: bool) -> None:
        self.form_open = value

    @rx.event
    async def save(self):  # type: ignore[no-untyped-def]
        self.errors, self.form_error, self.saving = {}, "", True
        try:
            return await self._run(self._save_and_close)
        finally:
            self.saving = False

    def _save_and_close(self, session: Session, scope: Scope) -> Any:
        try:
            message = self._save(session, scope)
        except ValidationError as exc:
            self.errors = exc.errors
            self.form_error = exc.errors.get("__all__") or not_saved(exc.errors,
                                                                      self._field_labels())
            return None
        except LoggroError as exc:
            self.form_error = exc.message
            return None
        self.form_open = False
        self._refresh(session, scope)
        return rx.toast.success(message)

    @rx.event
    def ask_delete(self, row_id: int, label: str) -> None:
        self.delete_id = int(row_id)
        self.delete_message = f"¿Eliminar {label}? Esta acción no se puede deshacer."
        self.delete_open = True

    @rx.event
    def set_delete_open(self, value: bool) -> None:
        self.delete_open = value

    @rx.event
    async def confirm_delete(self):  # type: ignore[no-untyped-def]
        def remove(session: Session, scope: Scope) -> Any:
            self.delete_open = False
            try:
                message = self._delete(session, scope, self.delete_id)
            except (ConflictError, NotFoundError) as exc:
                return rx.toast.error(exc.message, id="delete-error")
            self._refresh(session, scope)
            return rx.toast.success(message)

        return await self._run(remove)
