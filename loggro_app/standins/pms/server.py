"""The simulator as an ASGI app: the PMS endpoints Pymes calls, the page, the admin API.

Pymes → PMS   POST /api/pymes/v1/connection, POST /api/pymes/v1/webhooks
Page          GET /; POST /folios, /folios/{id}/cancel, /documents/{id}/send,
              /resolution/{kind}
Admin (JSON)  GET /admin/state; POST /admin/folios, /admin/folios/{id}/cancel,
              /admin/documents/{id}/send; PUT /admin/resolution/{kind};
              GET/POST/DELETE /admin/faults
              GET /health
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from loggro_app.standins.pms.client import Resolution
from loggro_app.standins.pms.desk import BadFolio, Desk
from loggro_app.standins.pms.faults import FaultBook
from loggro_app.standins.pms.intake import Intake
from loggro_app.standins.pms.pages import home_page
from loggro_app.standins.pms.store import KINDS, Store

MAX_ADMIN_BYTES = 64 * 1024
Endpoint = Callable[[Request], Awaitable[Response]]
GUEST_FORM_FIELDS = ("kind", "name", "id_number", "email", "country_code", "address",
                     "municipality_code", "city", "entry_date", "migration_document")


def _loopback_only(endpoint: Endpoint) -> Endpoint:
    async def guarded(request: Request) -> Response:
        host = request.client.host if request.client else ""
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = False
        if not local:
            return JSONResponse({"error": "solo desde 127.0.0.1"}, 403)
        return await endpoint(request)

    return guarded


def resolution_of(fields: Any) -> Resolution:
    """A resolution from a form or JSON; ValueError with a Spanish message otherwise."""
    try:
        res = Resolution(str(fields["prefix"]).strip().upper(), int(fields["range_from"]),
                         int(fields["range_to"]), date.fromisoformat(str(fields["valid_from"])),
                         date.fromisoformat(str(fields["valid_to"])))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"Resolución incompleta o inválida: {error}") from error
    if not res.prefix.isalnum() or len(res.prefix) > 4:
        raise ValueError("Prefijo: hasta 4 letras o dígitos.")
    if not 0 < res.range_from <= res.range_to:
        raise ValueError("Rango: desde debe ser positivo y no mayor que hasta.")
    if res.valid_from > res.valid_to:
        raise ValueError("Vigencia: la fecha inicial es posterior a la final.")
    return res


class _Routes:
    def __init__(self, store: Store, faults: FaultBook, desk: Desk) -> None:
        self.store, self.faults, self.desk = store, faults, desk

    def state(self) -> dict[str, Any]:
        return {"connections": [c.public() for c in self.store.connections()],
                "resolutions": {k: {**vars(r), "valid_from": r.valid_from.isoformat(),
                                    "valid_to": r.valid_to.isoformat()}
                                for k, r in self.store.resolutions().items()},
                "documents": self.store.documents(), "webhooks": self.store.webhooks(),
                "warnings": self.store.warnings(), "faults": self.faults.all()}

    # --- page -----------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return HTMLResponse(home_page(
            self.store.active_connection() or next(iter(self.store.connections()), None),
            self.store.warnings(), self.store.documents(), self.store.resolutions(),
            self.store.webhooks(), request.query_params.get("error", "")))

    @staticmethod
    def _back(error: str = "") -> Response:
        return RedirectResponse("/?error=" + quote(error) if error else "/", status_code=303)

    async def create_folio(self, request: Request) -> Response:
        form = await request.form()
        fields = {k: str(v) for k, v in form.items()}
        try:
            await self.desk.bill(fields, {k: fields.get(k, "") for k in GUEST_FORM_FIELDS})
        except BadFolio as error:
            return self._back(str(error))
        return self._back()

    async def cancel_folio(self, request: Request) -> Response:
        try:
            await self.desk.cancel(request.path_params["folio_id"])
        except BadFolio as error:
            return self._back(str(error))
        return self._back()

    async def send_document(self, request: Request) -> Response:
        try:
            await self.desk.send(request.path_params["document_id"])
        except BadFolio as error:
            return self._back(str(error))
        return self._back()

    async def save_resolution(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in KINDS:
            return self._back("Tipo de documento desconocido.")
        try:
            self.store.set_resolution(kind, resolution_of(await request.form()))
        except ValueError as error:
            return self._back(str(error))
        return self._back()

    # --- admin ----------------------------------------------------------------------

    @staticmethod
    async def _json(request: Request) -> dict[str, Any]:
        body = await request.body()
        if len(body) > MAX_ADMIN_BYTES:
            raise ValueError("Petición demasiado grande.")
        data = json.loads(body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("Se espera un objeto JSON.")
        return data

    async def admin_state(self, request: Request) -> Response:
        return JSONResponse(self.state())

    async def admin_folio(self, request: Request) -> Response:
        """{"guest": {"kind", "name", "id_number", …}, "nights", "rate", "breakfasts",
        "breakfast_price", "minibar", "tip", "number" (optional: force the number)}."""
        try:
            data = await self._json(request)
            number = data.get("number")
            if number is not None and not isinstance(number, int):
                raise BadFolio("number: un entero.")
            doc = await self.desk.bill(data, data.get("guest") or {}, number)
        except (BadFolio, ValueError) as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        return JSONResponse(doc)

    async def admin_cancel(self, request: Request) -> Response:
        try:
            number = (await self._json(request)).get("number")
            doc = await self.desk.cancel(request.path_params["folio_id"], number)
        except (BadFolio, ValueError) as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        return JSONResponse(doc)

    async def admin_send(self, request: Request) -> Response:
        try:
            doc = await self.desk.send(request.path_params["document_id"])
        except BadFolio as error:
            return JSONResponse({"error": str(error)}, status_code=404)
        return JSONResponse(doc)

    async def admin_resolution(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in KINDS:
            return JSONResponse({"error": "kind: invoice o credit_note."}, status_code=404)
        try:
            self.store.set_resolution(kind, resolution_of(await self._json(request)))
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        return JSONResponse(self.state()["resolutions"])

    async def faults_get(self, request: Request) -> Response:
        return JSONResponse({"faults": self.faults.all()})

    async def faults_set(self, request: Request) -> Response:
        try:
            self.faults.configure(await self._json(request))
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse({"faults": self.faults.all()})

    async def faults_clear(self, request: Request) -> Response:
        self.faults.clear()
        return JSONResponse({"faults": {}})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})


def create_app(store: Store, *, faults: FaultBook | None = None,
               push_timeout: float = 30.0) -> Starlette:
    faults = faults or FaultBook()
    client = httpx.AsyncClient(timeout=push_timeout)
    routes = _Routes(store, faults, Desk(store, client))
    intake = Intake(store, faults)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await client.aclose()

    table: list[tuple[str, Endpoint, str]] = [
        ("/api/pymes/v1/connection", intake.connection, "POST"),
        ("/api/pymes/v1/webhooks", intake.webhook, "POST"),
        ("/", routes.home, "GET"),
        ("/folios", routes.create_folio, "POST"),
        ("/folios/{folio_id}/cancel", routes.cancel_folio, "POST"),
        ("/documents/{document_id}/send", routes.send_document, "POST"),
        ("/resolution/{kind}", routes.save_resolution, "POST"),
        ("/admin/state", routes.admin_state, "GET"),
        ("/admin/folios", routes.admin_folio, "POST"),
        ("/admin/folios/{folio_id}/cancel", routes.admin_cancel, "POST"),
        ("/admin/documents/{document_id}/send", routes.admin_send, "POST"),
        ("/admin/resolution/{kind}", routes.admin_resolution, "PUT"),
        ("/admin/faults", routes.faults_get, "GET"),
        ("/admin/faults", routes.faults_set, "POST"),
        ("/admin/faults", routes.faults_clear, "DELETE"),
        ("/health", routes.health, "GET"),
    ]
    return Starlette(routes=[Route(path, _loopback_only(endpoint), methods=[method])
                             for path, endpoint, method in table], lifespan=lifespan)
