"""State of *Ventas*: the drafts in progress and the *Relación de Transacciones de Venta*
grid (filtered, sorted and paginated by the database), live while the page is open."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.core.sales import KINDS
from loggro_app.db import session_scope
from loggro_app.durable import delivery as mail_work
from loggro_app.mail import MailSettings
from loggro_app.services import delivery, history, sales_grid
from loggro_app.services import sales as service
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live
from loggro_app.state.sales_view import document_row

ALL = "TODOS"  # a select item cannot have an empty value
KIND_FILTERS = [{"code": ALL, "name": "Todos los tipos"},
                *({"code": c, "name": n} for c, n in KINDS.items())]
STATUS_FILTERS = [{"code": ALL, "name": "Todos los estados"},
                  *({"code": c, "name": service.STATUS_LABELS[c]}
                    for c in sales_grid.ISSUED)]
BUYER_FILTERS = [{"code": ALL, "name": "Cualquier respuesta del cliente"},
                 *({"code": c or "ninguna", "name": n}
                   for c, n in sales_grid.BUYER_STATUS.items())]
PAGE_SIZE = 20
POLL_SECONDS = 2.0
WATCH_LIMIT = 1800  # an hour of polling per visit; coming back starts again


def _version(scope: Scope) -> str:
    with session_scope() as session:
        return sales_grid.grid_version(session=session, scope=scope)


class SalesListState(rx.State):
    # drafts in progress
    drafts: list[dict[str, str]] = []
    # the grid
    date_from: str = ""
    date_to: str = ""
    kind: str = ALL
    status: str = ALL
    buyer: str = ALL
    customer: str = ""
    number: str = ""
    document_key: str = ""
    sort: str = "date"
    descending: bool = True
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    filters_open: bool = False  # on a phone the filters fold away
    # history dialog
    history_title: str = ""
    history: list[dict[str, str]] = []
    history_open: bool = False
    # row actions: Reenviar Notificación, Ver Acuses de Recibo Cliente, Enviar Detalle Historial
    action: str = ""  # resend | ack | history_mail ("" = no dialog)
    action_id: str = ""
    action_title: str = ""
    action_error: str = ""
    addresses: list[str] = []
    chosen: list[str] = []
    typed_email: str = ""
    ack_email: str = ""
    ack_at: str = ""
    ack_status: str = ""
    ack_messages: list[str] = []
    watching: bool = False
    _seen_version: str = ""

    def _filters(self) -> sales_grid.GridFilter:
        default_from, default_to = sales_grid.default_range(sales_grid.today_in_bogota())
        try:
            start = date.fromisoformat(self.date_from) if self.date_from else default_from
            end = date.fromisoformat(self.date_to) if self.date_to else default_to
        except ValueError:
            raise ValidationError({"date_from": "Escribe fechas válidas."}) from None
        return sales_grid.GridFilter(
            date_from=start, date_to=end, kind="" if self.kind == ALL else self.kind,
            status="" if self.status == ALL else self.status,
            buyer_status=None if self.buyer == ALL else (
                "" if self.buyer == "ninguna" else self.buyer),
            customer=self.customer, number=self.number, document_key=self.document_key)

    async def _refresh(self, scope: Scope | None = None):  # type: ignore[no-untyped-def]
        scope = scope or await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        drafts = await with_session(service.list_documents, scope=scope, status="draft",
                                    limit=20)
        self.drafts = [document_row(r) for r in drafts]
        try:
            found = await with_session(sales_grid.grid_page, scope=scope,
                                       filters=self._filters(), sort=self.sort,
                                       descending=self.descending, page=self.page,
                                       page_size=PAGE_SIZE)
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        self.rows = [{**document_row(r), "notification": sales_grid.dian_notification(r),
                      "mailable": "yes" if r.status == "accepted"
                      and r.kind in delivery.MAILED_KINDS else "no",
                      "buyer": sales_grid.BUYER_STATUS.get(r.buyer_status, "")
                      if r.status == "accepted" and r.kind == "FE" else "",
                      "origin": sales_grid.ORIGINS.get(r.origin, "")}
                     for r in found.rows]
        self.page, self.pages, self.total = found.page, found.pages, found.total
        if not self.date_from:
            filters = self._filters()
            self.date_from, self.date_to = (filters.date_from.isoformat(),
                                            filters.date_to.isoformat())
        self._seen_version = await asyncio.to_thread(_version, scope)
        return None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.history_open = False
        done = await self._refresh()
        return done if done is not None else SalesListState.watch

    @rx.event
    async def set_filter(self, name: str, value: str):  # type: ignore[no-untyped-def]
        if name not in ("date_from", "date_to", "kind", "status", "buyer", "customer",
                        "number", "document_key"):
            return None
        setattr(self, name, value[:100])
        self.page = 1
        return await self._refresh()

    @rx.event
    async def sort_by(self, column: str):  # type: ignore[no-untyped-def]
        if column not in sales_grid.SORTS:
            return None
        self.descending = not self.descending if self.sort == column else column != "customer"
        self.sort, self.page = column, 1
        return await self._refresh()

    @rx.event
    async def go_page(self, page: int):  # type: ignore[no-untyped-def]
        self.page = max(1, min(int(page), self.pages))
        return await self._refresh()

    @rx.event
    async def show_history(self, document_id: str, title: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            found = await with_session(history.movements, scope=scope,
                                       document_id=int(document_id))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.history_title = title
        self.history = [{"at": local_text(m.at), "state": history.KINDS.get(m.kind, m.kind),
                         "kind": m.kind, "email": m.email, "detail": m.detail}
                        for m in found]
        self.history_open = True
        return None

    async def _open_action(self, kind: str, document_id: str, title: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.action_id, self.action_title, self.action_error = document_id, title, ""
        self.chosen, self.typed_email = [], ""
        try:
            if kind == "resend":
                self.addresses = await with_session(delivery.known_addresses, scope=scope,
                                                    document_id=int(document_id))
            elif kind == "history_mail":
                self.addresses = await with_session(delivery.history_addresses, scope=scope,
                                                    document_id=int(document_id))
            else:
                ack = await with_session(delivery.acknowledgement, scope=scope,
                                         document_id=int(document_id))
                self.ack_email, self.ack_at = ack.last_email, ack.last_at
                self.ack_status, self.ack_messages = ack.buyer_status, ack.buyer_messages
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.action = kind
        return None

    @rx.event
    async def open_resend(self, document_id: str, title: str):  # type: ignore[no-untyped-def]
        return await self._open_action("resend", document_id, title)

    @rx.event
    async def open_ack(self, document_id: str, title: str):  # type: ignore[no-untyped-def]
        return await self._open_action("ack", document_id, title)

    @rx.event
    async def open_history_mail(self, document_id: str, title: str):  # type: ignore[no-untyped-def]
        return await self._open_action("history_mail", document_id, title)

    @rx.event
    def close_action(self, open_: bool = False) -> None:
        if not open_:
            self.action = ""

    @rx.event
    def choose(self, email: str, checked: bool) -> None:
        others = [e for e in self.chosen if e != email]
        self.chosen = [*others, email] if checked else others

    @rx.event
    def pick(self, email: str) -> None:
        self.chosen = [email]

    @rx.event
    def set_typed_email(self, value: str) -> None:
        self.typed_email = value[:254]

    @rx.event
    async def confirm_resend(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        emails = [*self.chosen, *([self.typed_email] if self.typed_email.strip() else [])]
        try:
            round_name, addresses = await with_session(
                delivery.request_resend, scope=scope, document_id=int(self.action_id),
                emails=emails)
            await asyncio.to_thread(mail_work.start_sync, scope.organization_id,
                                    int(self.action_id), round_name)
        except ValidationError as exc:
            self.action_error = " ".join(exc.errors.values())
            return None
        except LoggroError as exc:
            self.action_error = exc.message
            return None
        self.action = ""
        return rx.toast.success(f"Reenviando a {', '.join(addresses)}.")

    @rx.event
    async def confirm_history_mail(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        if not self.chosen:
            self.action_error = "Elige el correo al que enviamos el historial."
            return None
        try:
            await with_session(delivery.send_history, scope=scope,
                               document_id=int(self.action_id), email=self.chosen[0],
                               settings=MailSettings.from_env())
        except ValidationError as exc:
            self.action_error = " ".join(exc.errors.values())
            return None
        except LoggroError as exc:
            self.action_error = exc.message
            return None
        self.action = ""
        return rx.toast.success(f"Historial enviado a {self.chosen[0]}.")

    @rx.event
    def toggle_filters(self) -> None:
        self.filters_open = not self.filters_open

    @rx.event
    def set_history_open(self, value: bool) -> None:
        self.history_open = value

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

    async def _tick(self, scope: Scope) -> None:
        if await asyncio.to_thread(_version, scope) != self._seen_version:
            await self._refresh(scope)

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Read the page again when any document of the organization changes (another tab,
        the issuing work, a buyer's answer)."""
        await keep_live(self, "/ventas", self._tick, seconds=POLL_SECONDS, limit=WATCH_LIMIT)
