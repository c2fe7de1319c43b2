"""One sales document: its number, status and issuing steps, live while the work runs
(the work is durable: the person may leave and come back), DIAN's messages and its files."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError
from loggro_app.core.sales import KINDS
from loggro_app.durable import issuing as durable_issuing
from loggro_app.models import SalesDocument
from loggro_app.services import issuing
from loggro_app.services import sales as service
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, TOKEN_STORAGE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.sales_form import SalesFormState
from loggro_app.state.sales_view import (
    STATUS_COLORS,
    WORKING,
    document_date,
    document_number,
    money,
    steps_of,
)

WATCH_SECONDS = 1.0
WATCH_LIMIT = 900  # a quarter of an hour of polling; coming back to the page starts again
FILES = {"xml": "XML firmado", "pdf": "PDF", "zip": "AttachedDocument (ZIP)"}


def download_script(document_id: int, file: str) -> str:
    """Fetch a file with the session token in a header and save it as the browser would."""
    url = json.dumps(f"/api/ventas/documentos/{document_id}/{file}")
    key = json.dumps(TOKEN_STORAGE)
    return (
        "(async () => {"
        f"const r = await fetch({url}, {{headers: {{Authorization: 'Bearer ' + "
        f"(localStorage.getItem({key}) || '')}}}});"
        "if (!r.ok) { alert('No se pudo descargar el archivo.'); return; }"
        "const name = ((r.headers.get('content-disposition') || '').match(/filename=\"(.+)\"/)"
        " || [])[1] || 'documento';"
        "const a = document.createElement('a'); a.href = URL.createObjectURL(await r.blob());"
        "a.download = name; document.body.appendChild(a); a.click(); a.remove();"
        "setTimeout(() => URL.revokeObjectURL(a.href), 10000);"
        "})()"
    )


class SalesDocumentState(rx.State):
    document_id: int = 0
    editing: bool = False
    missing: str = ""
    kind: str = ""
    kind_label: str = ""
    number: str = ""
    status: str = ""
    status_label: str = ""
    color: str = "gray"
    steps: list[dict[str, str]] = []
    messages: list[dict[str, str]] = []
    customer: str = ""
    total: str = ""
    date: str = ""
    document_key: str = ""
    files: list[dict[str, str]] = []
    watching: bool = False
    # Accepted, but its PDF and AttachedDocument are still being made: keep reading.
    finishing: bool = False
    contingency_offered: bool = False
    preview: str = ""  # the graphic representation as HTML, shown on demand
    contingency_deadline: str = ""  # type 04: transmit to DIAN before this moment
    action_error: str = ""

    def _show(self, row: SalesDocument) -> None:
        self.kind, self.kind_label = row.kind, KINDS.get(row.kind, row.kind)
        self.number, self.status = document_number(row), row.status
        self.status_label = service.STATUS_LABELS.get(row.status, row.status)
        self.color = STATUS_COLORS.get(row.status, "gray")
        self.steps = steps_of(row.status, row.step)
        self.messages = [{"code": r.code, "text": r.text, "dian_text": r.dian_text}
                         for r in service.rejection_rules(row)] if row.status == "rejected" else []
        self.customer = row.customer_name
        self.total = money(row.total, row.currency) if row.number is not None else ""
        self.date, self.document_key = document_date(row), row.document_key
        self.finishing = row.status == "accepted" and row.attached_document is None
        present = {"xml": row.signed_xml, "pdf": row.pdf, "zip": row.attached_document}
        self.files = [{"file": f, "label": label} for f, label in FILES.items()
                      if present[f] is not None and row.status in ("accepted", "contingency")]
        self.contingency_offered = issuing.contingency_offered(row, row.attempts)
        deadline = issuing.transmit_before(row) if row.status == "contingency" else None
        self.contingency_deadline = local_text(deadline) if deadline else ""

    async def _read(self, scope: Scope) -> bool:
        try:
            row = await with_session(service.get_document, scope=scope,
                                     document_id=self.document_id)
        except LoggroError as exc:
            self.missing = exc.message
            return False
        self._show(row)
        return True

    def _working(self) -> bool:
        return self.status in WORKING or self.finishing

    async def _open(self, document_id: int):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        watching = self.watching  # a poller of this document may still be running
        self.reset()
        self.watching, self.document_id = watching, document_id
        if not await self._read(scope):
            return None
        if self.status == "draft":
            self.editing = True
            return SalesFormState.load_document(self.document_id)
        return SalesDocumentState.watch if self._working() else None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load of /ventas/documento/[id]: a draft opens in the form, the rest as issued."""
        last = str(self.router.url.path).rstrip("/").rsplit("/", 1)[-1]
        document_id = int(last) if last.isdigit() and len(last) < 19 else 0
        return await self._open(document_id)

    @rx.event
    async def open(self, document_id: int):  # type: ignore[no-untyped-def]
        """After Emitir: the document as issued, whether or not the route changed."""
        return await self._open(int(document_id))

    @rx.event
    def correct(self):  # type: ignore[no-untyped-def]
        """Corregir y reenviar: the same document (and number) back in the form."""
        if self.status != "rejected":
            return None
        self.editing = True
        return SalesFormState.load_document(self.document_id)

    @rx.event
    async def issue_in_contingency(self):  # type: ignore[no-untyped-def]
        """DIAN keeps failing: the invoice goes out as type 04 under the same number."""
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.action_error = ""
        try:
            await with_session(issuing.switch_to_contingency, scope=scope,
                               document_id=self.document_id, link=DianLink.from_env())
        except LoggroError as exc:
            self.action_error = exc.message
        await self._read(scope)
        return SalesDocumentState.watch if self._working() else None

    @rx.event
    async def retry_now(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.action_error = ""
        try:
            round_ = await with_session(issuing.retry_now, scope=scope,
                                        document_id=self.document_id)
            await durable_issuing.start(scope.organization_id, self.document_id, round_)
        except LoggroError as exc:
            self.action_error = exc.message
        await self._read(scope)
        return SalesDocumentState.watch if self._working() else None

    @rx.event
    async def toggle_preview(self):  # type: ignore[no-untyped-def]
        if self.preview:
            self.preview = ""
            return None
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            self.preview = await with_session(issuing.preview_html, scope=scope,
                                              document_id=self.document_id,
                                              link=DianLink.from_env())
        except LoggroError as exc:
            self.action_error = exc.message
        return None

    @rx.event
    def download(self, file: str):  # type: ignore[no-untyped-def]
        if file not in FILES or not self.document_id:
            return None
        return rx.call_script(download_script(self.document_id, file))

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        async with self:
            if self.watching:
                return
            self.watching, watched = True, self.document_id
        try:
            for _ in range(WATCH_LIMIT):
                await asyncio.sleep(WATCH_SECONDS)
                async with self:
                    if self.document_id != watched or self.editing:
                        break  # the person opened something else
                    scope = await acting_scope(self, activity=False)
                    if scope is None or not await self._read(scope):
                        break
                    if not self._working():
                        break
        finally:
            async with self:
                self.watching = False
                still_here = (self.document_id == watched and str(self.router.url.path)
                              .startswith("/ventas/documento/"))
        if not still_here:
            return  # the person left: an event sent now would act on another page
        # Issued: the buyer's answer panel reads the document again (a cycle-free import:
        # that state reads this one's document id).
        from loggro_app.state.buyer_events import BuyerEventsState

        yield BuyerEventsState.load
