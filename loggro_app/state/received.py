"""State of *Compras → Facturas recibidas*: the upload of a supplier's ZIP or XML by hand,
the grid of received invoices (filtered, sorted and paged by the database), the quarantine
with its reasons; and the detail of one received invoice with its original files."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.db import session_scope
from loggro_app.dian.codes import TAX_NAMES
from loggro_app.models import ReceivedInvoice, ReceivedMessage
from loggro_app.services import purchase_event_views, reception, sandbox_supplier
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, TOKEN_STORAGE, AuthState, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live
from loggro_app.state.sales_view import money

ALL = "TODOS"  # a select item cannot have an empty value
STATUS_FILTERS = [{"code": ALL, "name": "Todos los estados"},
                  *({"code": c, "name": n} for c, n in reception.STATUSES.items())]
PAGE_SIZE = 20
QUARANTINE_SIZE = 10
UPLOAD_ID = "received-package"
ROUTE = "/compras/recibidas"
POLL_SECONDS = 3.0
WATCH_LIMIT = 1200  # an hour of polling per visit; coming back starts again
FILES = {"xml": "XML del proveedor", "respuesta": "Respuesta DIAN", "pdf": "PDF"}


def day_text(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value is not None else "—"


def invoice_row(row: ReceivedInvoice, events: str = "", closing: str = "") -> dict[str, str]:
    return {
        "events": events, "closing": closing,
        "id": str(row.id), "number": row.number,
        "type": reception.TYPE_NAMES.get(row.type_code, row.type_code),
        "supplier": row.supplier_name, "nit": f"{row.supplier_nit}-{row.supplier_dv}"
        if row.supplier_dv else row.supplier_nit,
        "date": day_text(row.issued_on), "due": day_text(row.due_on),
        "total": money(row.payable, row.currency), "taxes": money(row.tax_total, row.currency),
        "status": reception.STATUSES.get(row.status, row.status),
    }


def quarantine_row(row: ReceivedMessage) -> dict[str, str]:
    return {
        "id": str(row.id), "at": local_text(row.received_at),
        "source": reception.SOURCES.get(row.source, row.source),
        "what": " · ".join(p for p in (row.document_number, row.supplier_name,
                                       row.subject) if p) or "Archivo sin datos legibles",
        "reasons": "\n".join(reception.reasons_of(row)),
    }


def _version(scope: Scope) -> str:
    with session_scope() as session:
        return reception.received_version(session=session, scope=scope)


class ReceivedState(rx.State):
    # the grid
    date_from: str = ""
    date_to: str = ""
    status: str = ALL
    supplier: str = ""
    sort: str = "date"
    descending: bool = True
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    filters_open: bool = False  # on a phone the filters fold away
    # the quarantine
    quarantine: list[dict[str, str]] = []
    quarantine_total: int = 0
    quarantine_page: int = 1
    quarantine_pages: int = 1
    # the last upload
    upload_error: str = ""
    upload_reasons: list[str] = []
    watching: bool = False
    _seen_version: str = ""
    # the sandbox's simulated supplier
    is_sandbox: bool = False
    simulating: bool = False
    simulate_error: str = ""

    def _filters(self) -> reception.ReceivedFilter:
        try:
            start = date.fromisoformat(self.date_from) if self.date_from else None
            end = date.fromisoformat(self.date_to) if self.date_to else None
        except ValueError:
            raise ValidationError({"date_from": "Escribe fechas válidas."}) from None
        return reception.ReceivedFilter(date_from=start, date_to=end, supplier=self.supplier,
                                        status="" if self.status == ALL else self.status)

    async def _refresh(self, scope: Scope | None = None):  # type: ignore[no-untyped-def]
        scope = scope or await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        held = await with_session(reception.list_quarantined, scope=scope,
                                  page=self.quarantine_page, page_size=QUARANTINE_SIZE)
        self.quarantine = [quarantine_row(r) for r in held.rows]
        self.quarantine_total, self.quarantine_pages = held.total, held.pages
        self.quarantine_page = held.page
        try:
            found = await with_session(reception.list_received, scope=scope,
                                       filters=self._filters(), sort=self.sort,
                                       descending=self.descending, page=self.page,
                                       page_size=PAGE_SIZE)
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        self.errors = {}
        ids = [r.id for r in found.rows if r.id is not None]
        events = await with_session(purchase_event_views.events_by_invoice, scope=scope,
                                    invoice_ids=ids)
        closing = await with_session(purchase_event_views.closing_by_invoice, scope=scope,
                                     invoice_ids=ids, link=DianLink.from_env())
        self.rows = [invoice_row(r, events.get(r.id or 0, ""), closing.get(r.id or 0, ""))
                     for r in found.rows]
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self._seen_version = await asyncio.to_thread(_version, scope)
        return None

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.upload_error, self.upload_reasons = "", []
        self.is_sandbox, self.simulate_error = DianLink.from_env().is_sandbox, ""
        done = await self._refresh()
        return done if done is not None else ReceivedState.watch

    @rx.event
    async def set_filter(self, name: str, value: str):  # type: ignore[no-untyped-def]
        if name not in ("date_from", "date_to", "status", "supplier"):
            return None
        setattr(self, name, value[:100])
        self.page = 1
        return await self._refresh()

    @rx.event
    async def sort_by(self, column: str):  # type: ignore[no-untyped-def]
        if column not in reception.SORTS:
            return None
        self.descending = not self.descending if self.sort == column else column != "supplier"
        self.sort, self.page = column, 1
        return await self._refresh()

    @rx.event
    async def go_page(self, page: int):  # type: ignore[no-untyped-def]
        self.page = max(1, min(int(page), self.pages))
        return await self._refresh()

    @rx.event
    async def go_quarantine_page(self, page: int):  # type: ignore[no-untyped-def]
        self.quarantine_page = max(1, min(int(page), self.quarantine_pages))
        return await self._refresh()

    @rx.event
    def toggle_filters(self) -> None:
        self.filters_open = not self.filters_open

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.upload_error, self.upload_reasons = "", []
        if not files:
            self.upload_error = "Elige el ZIP o el XML que te envió el proveedor."
            return None
        file = files[0]
        # One byte past the limit is enough to know it is too large; never read it all.
        data = await file.read(reception.MAX_PACKAGE_BYTES + 1)
        name = str(file.name or file.filename or "archivo")[:200]
        try:
            done = await with_session(reception.receive_package,
                                      organization_id=scope.organization_id, data=data,
                                      source="carga", sender=await self._user_email(),
                                      subject=name)
        except LoggroError as exc:
            self.upload_error = exc.message
            return None
        await self._refresh(scope)
        if done.outcome == reception.REGISTERED:
            return [rx.clear_selected_files(UPLOAD_ID),
                    rx.toast.success(f"Factura {done.number} de {done.supplier} registrada.")]
        if done.outcome == reception.DUPLICATED:
            self.upload_error = f"La factura {done.number} ya estaba registrada."
            return None
        self.upload_error = ("No se registró la factura: quedó en cuarentena por estas "
                             "razones:")
        self.upload_reasons = done.reasons
        return None

    @rx.event
    async def simulate_supplier(self):  # type: ignore[no-untyped-def]
        """*Simular proveedor*: a supplier of the sandbox invoices us by mail."""
        scope = await acting_scope(self)
        if scope is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        self.simulate_error, self.simulating = "", True
        yield
        try:
            sent = await with_session(sandbox_supplier.simulate_supplier_invoice, scope=scope,
                                      link=DianLink.from_env())
        except LoggroError as exc:
            self.simulate_error = exc.message
            return
        finally:
            self.simulating = False
        await self._refresh(scope)
        if sent.received is not None and sent.received.outcome == reception.REGISTERED:
            yield rx.toast.success(f"{sent.supplier} te envió la factura {sent.number} a "
                                   f"{sent.address}: quedó registrada.")
            return
        yield rx.toast.info(f"{sent.supplier} te envió la factura {sent.number} a "
                            f"{sent.address}; aparecerá cuando llegue el correo.")

    async def _user_email(self) -> str:
        return str((await self.get_state(AuthState)).user_email)

    async def _tick(self, scope: Scope) -> None:
        if await asyncio.to_thread(_version, scope) != self._seen_version:
            await self._refresh(scope)

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Read the page again when a message arrives (another tab, the mailbox)."""
        await keep_live(self, ROUTE, self._tick, seconds=POLL_SECONDS, limit=WATCH_LIMIT)


def download_script(invoice_id: int, file: str) -> str:
    """Fetch a file with the session token in a header and save it as the browser would."""
    url = json.dumps(f"/api/compras/recibidas/{invoice_id}/{file}")
    key = json.dumps(TOKEN_STORAGE)
    return (
        "(async () => {"
        f"const r = await fetch({url}, {{headers: {{Authorization: 'Bearer ' + "
        f"(localStorage.getItem({key}) || '')}}}});"
        "if (!r.ok) { alert('No se pudo descargar el archivo.'); return; }"
        "const name = ((r.headers.get('content-disposition') || '').match(/filename=\"(.+)\"/)"
        " || [])[1] || 'factura';"
        "const a = document.createElement('a'); a.href = URL.createObjectURL(await r.blob());"
        "a.download = name; document.body.appendChild(a); a.click(); a.remove();"
        "setTimeout(() => URL.revokeObjectURL(a.href), 10000);"
        "})()"
    )


def _amounts(raw: str, currency: str) -> list[dict[str, str]]:
    return [{"name": TAX_NAMES.get(code, code), "amount": money(Decimal(value), currency)}
            for code, value in json.loads(raw or "{}").items()]


class ReceivedDetailState(rx.State):
    invoice_id: int = 0
    missing: str = ""
    title: str = ""
    info: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    taxes: list[dict[str, str]] = []
    withholdings: list[dict[str, str]] = []
    totals: list[dict[str, str]] = []
    files: list[dict[str, str]] = []

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load of /compras/recibidas/[id]."""
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        last = str(self.router.url.path).rstrip("/").rsplit("/", 1)[-1]
        invoice_id = int(last) if last.isdigit() and len(last) < 19 else 0
        self.invoice_id, self.missing = invoice_id, ""
        try:
            row = await with_session(reception.get_received, scope=scope,
                                     invoice_id=invoice_id)
        except LoggroError as exc:
            self.missing, self.title, self.lines, self.files = exc.message, "", [], []
            return None
        cur = row.currency
        self.title = f"{reception.TYPE_NAMES.get(row.type_code, 'Documento')} {row.number}"
        self.info = {
            "supplier": row.supplier_name,
            "nit": f"{row.supplier_nit}-{row.supplier_dv}" if row.supplier_dv
            else row.supplier_nit,
            "date": day_text(row.issued_on), "due": day_text(row.due_on), "currency": cur,
            "cufe": row.cufe, "status": reception.STATUSES.get(row.status, row.status),
            "registered": local_text(row.registered_at),
            "environment": "Producción" if row.environment == "1" else "Habilitación (pruebas)",
        }
        self.lines = [{"description": str(line["description"]),
                       "quantity": str(line["quantity"]),
                       "price": money(Decimal(line["price"]), cur),
                       "total": money(Decimal(line["line_total"]), cur)}
                      for line in json.loads(row.lines or "[]")]
        self.taxes = _amounts(row.taxes, cur)
        self.withholdings = _amounts(row.withholdings, cur)
        self.totals = [{"label": label, "amount": money(value, cur)} for label, value in (
            ("Subtotal", row.line_extension), ("Base gravable", row.tax_exclusive),
            ("Descuentos", row.allowances), ("Cargos", row.charges),
            ("Total con impuestos", row.tax_inclusive), ("Anticipos", row.prepaid),
            ("Total a pagar", row.payable)) if value or label in ("Subtotal", "Total a pagar")]
        present = {"xml": True, "respuesta": row.response_xml is not None,
                   "pdf": row.pdf is not None}
        self.files = [{"file": f, "label": label} for f, label in FILES.items() if present[f]]
        return None

    @rx.event
    def download(self, file: str):  # type: ignore[no-untyped-def]
        if file not in reception.FILES or not self.invoice_id:
            return None
        return rx.call_script(download_script(self.invoice_id, file))
