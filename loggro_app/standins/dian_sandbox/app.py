"""The sandbox as an ASGI app (Starlette): the SOAP endpoint and, on loopback only, /admin.

app = create_app(db=":memory:")   # uvicorn / granian / a test fixture
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from loggro_app.core.clock import Clock, system_clock
from loggro_app.dian.client.envelope import CONTENT_TYPE
from loggro_app.dian.client.operations import SERVICE_PATH
from loggro_app.dian.signing.bounded_zip import MAX_DOCUMENT_BYTES
from loggro_app.http_body import BodyTooLarge, read_body, too_large
from loggro_app.mail import MailSettings
from loggro_app.standins.dian_sandbox import buyer, identity, soap_out, supplier
from loggro_app.standins.dian_sandbox.admin import Admin, AdminError, OffsetClock
from loggro_app.standins.dian_sandbox.enabled_demo import seed_enabled_demo
from loggro_app.standins.dian_sandbox.faults import HEADER, Fault, FaultPlan
from loggro_app.standins.dian_sandbox.service import SandboxService
from loggro_app.standins.dian_sandbox.store import Store

STATS = ("documents", "answers", "events", "taxpayers", "resolutions", "test_sets")
# Base64 of the largest zip the sandbox unzips, plus the envelope; admin calls are tiny.
MAX_SOAP_BYTES = MAX_DOCUMENT_BYTES * 4 // 3 + 64 * 1024
MAX_ADMIN_BYTES = 64 * 1024
_OPERATION = re.compile(rb"IWcfDianCustomerServices/(\w+)")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SoapEndpoint:
    """Raw ASGI so faults can break the connection; the work runs in a worker thread."""

    def __init__(self, service: SandboxService, faults: FaultPlan, workers: int = 2) -> None:
        self.service = service
        self.faults = faults
        self.workers = workers
        self._capacity: anyio.CapacityLimiter | None = None

    def _limiter(self) -> anyio.CapacityLimiter:
        # Validation is CPU-bound under the GIL: a few worker threads keep throughput;
        # dozens (anyio's default 40) only add contention when many senders arrive at once.
        if self._capacity is None:
            self._capacity = anyio.CapacityLimiter(self.workers)
        return self._capacity

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method != "POST":
            await Response("WcfDianCustomerServices (sandbox Loggro)", 200)(scope, receive, send)
            return
        try:
            body = await read_body(request, MAX_SOAP_BYTES)
        except BodyTooLarge as exc:
            await too_large(exc)(scope, receive, send)
            return
        found = _OPERATION.search(body[:4096])
        operation = found.group(1).decode() if found else ""
        fault = self.faults.next_for(operation, request.headers.get(HEADER))
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        response = await self._answer(body, fault, send)
        if response is not None:
            await response(scope, receive, send)

    async def _answer(self, body: bytes, fault: Fault | None, send: Send) -> Response | None:
        kind = fault.kind if fault else ""
        if kind == "http503":
            return Response(
                "<html><body>Service Unavailable</body></html>", 503, media_type="text/html"
            )
        if kind == "http500":
            data = soap_out.fault("Internal Error Service", "LGS00: falla inyectada", sender=False)
            return Response(data, 500, media_type=CONTENT_TYPE)
        if kind == "drop":
            # Promise a body, send part of it and stop: the client sees a broken connection.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1000")],
                }
            )
            await send({"type": "http.response.body", "body": b"<s:Env", "more_body": True})
            return None
        if kind == "latency":
            await asyncio.sleep(fault.seconds if fault else 0)
        status, data = await anyio.to_thread.run_sync(
            self.service.handle, body, limiter=self._limiter()
        )
        if kind == "timeout":
            await asyncio.sleep(fault.seconds if fault else 0)
        if kind == "malformed":
            data = data[: len(data) // 2]
        return Response(data, status, media_type=CONTENT_TYPE)


def unknown_path(request: Request, exc: Exception) -> Response:
    """Any path but the service's: say which path was asked and which one exists (a client
    pointed at the wrong URL must not be told its envelope is malformed)."""
    reason = (
        f"La ruta {request.url.path} no existe en este servicio; "
        f"la ruta del servicio es {SERVICE_PATH}."
    )
    if request.method != "POST":
        return PlainTextResponse(reason, 404)
    data = soap_out.fault(reason, f"LGS06: {reason}", subcode="a:EndpointNotFound")
    return Response(data, 404, media_type=CONTENT_TYPE)


def _admin_route(path: str, method: str, action: Callable[[dict[str, Any]], Any]) -> Route:
    """A JSON endpoint: body (POST) + path params in, JSON (or PEM) out; loopback only."""

    async def endpoint(request: Request) -> Response:
        if not is_loopback(request.client.host if request.client else ""):
            return JSONResponse({"error": "solo desde 127.0.0.1"}, 403)
        try:
            raw = await read_body(request, MAX_ADMIN_BYTES) if method == "POST" else b"{}"
            payload = json.loads(raw or b"{}")
        except BodyTooLarge as exc:
            return too_large(exc)
        except ValueError:
            return JSONResponse({"error": "petición inválida: el cuerpo no es JSON."}, 400)
        if not isinstance(payload, dict):
            return JSONResponse({"error": "petición inválida: se espera un objeto JSON."}, 400)
        payload.update(request.path_params)
        try:
            result = await run_in_threadpool(action, payload)
        except AdminError as exc:
            return JSONResponse({"error": str(exc)}, exc.status)
        except (TypeError, ValueError, KeyError) as exc:
            return JSONResponse({"error": f"petición inválida: {exc}"}, 400)
        if isinstance(result, bytes):
            return Response(result, media_type="application/x-pem-file")
        return JSONResponse(result)

    return Route(path, endpoint, methods=[method])


def _admin_routes(admin: Admin, faults: FaultPlan, service: SandboxService,
                  smtp: MailSettings | None) -> list[Route]:
    route = _admin_route

    def push_fault(p: dict[str, Any]) -> Any:
        fault = Fault(p["kind"], float(p.get("seconds", 0)), p.get("operation", ""))
        faults.push(fault, int(p.get("count", 1)))
        return {"pending": faults.pending()}

    def clear_faults(p: dict[str, Any]) -> Any:
        faults.clear()
        return {"pending": []}

    def set_rates(p: dict[str, Any]) -> Any:
        rates = p.get("rates") or {}
        if not isinstance(rates, dict):
            raise ValueError("rates: un objeto {tipo: proporción}")
        faults.set_rates(rates, float(p.get("seconds", 0)))
        return faults.rates()

    return [
        Route("/admin/health", lambda r: JSONResponse({"ok": True}), methods=["GET"]),
        route("/admin/taxpayers", "POST", lambda p: admin.create_taxpayer(**p)),
        route("/admin/taxpayers/{nit}", "GET", lambda p: admin.taxpayer(p["nit"])),
        route("/admin/software", "POST", lambda p: admin.create_software(**p)),
        route("/admin/resolutions", "POST", lambda p: admin.issue_resolution(**p)),
        route("/admin/associations", "POST", lambda p: admin.associate(**p)),
        route("/admin/test-sets", "POST", lambda p: admin.create_test_set(**p)),
        route("/admin/test-sets/{test_set_id}", "GET", lambda p: admin.test_set(p["test_set_id"])),
        route("/admin/acquirers", "POST", lambda p: admin.register_acquirer(**p)),
        route("/admin/clock", "POST", lambda p: admin.set_clock(**p)),
        route("/admin/clock", "GET", lambda p: admin.clock_state()),
        route("/admin/clock/{nit}", "GET", lambda p: admin.clock_state(p["nit"])),
        route("/admin/faults", "POST", push_fault),
        route("/admin/faults", "DELETE", clear_faults),
        route("/admin/faults", "GET", lambda p: {"pending": faults.pending()}),
        # a share of every request fails at random: {"rates": {"timeout": 0.05}, "seconds": 6}
        route("/admin/fault-rates", "POST", set_rates),
        route("/admin/fault-rates", "GET", lambda p: faults.rates()),
        route("/admin/dian-certificate", "GET", lambda p: identity.certificate_pem(service.dian)),
        route("/admin/documents/{key}", "GET", lambda p: service.status_of(p["key"]).__dict__),
        # The invoice's buyer sends an event 030-033 (RADIAN), and what is registered.
        route("/admin/documents/{key}/events", "POST",
              lambda p: buyer.send_buyer_event(service, p["key"], str(p.get("code", "")),
                                               str(p.get("claim_reason", "")),
                                               p.get("person"))),
        route("/admin/documents/{key}/events", "GET",
              lambda p: {"events": buyer.events_of(service, p["key"])}),
        # A simulated supplier invoices a buyer and mails it to its reception address.
        route("/admin/supplier-invoices", "POST",
              lambda p: supplier.simulate_supplier_invoice(service, admin, smtp, p)),
        route("/admin/stats", "GET", lambda p: {t: service.store.count(t) for t in STATS}),
    ]


def create_app(
    *,
    db: str = ":memory:",
    clock: Clock | None = None,
    faults: FaultPlan | None = None,
    admin_enabled: bool = True,
    smtp: MailSettings | None = None,
) -> Starlette:
    store = Store(db)
    offset_clock = OffsetClock(clock or system_clock)
    admin = Admin(store, offset_clock)
    admin.seed_demo()
    seed_enabled_demo(admin)
    dian = identity.dian_signer(store, offset_clock)
    service = SandboxService(store, clock=offset_clock, dian=dian, security_clock=offset_clock.base)
    plan = faults or FaultPlan()
    routes = [Route(SERVICE_PATH, SoapEndpoint(service, plan), methods=["GET", "POST"])]
    if admin_enabled:
        routes += _admin_routes(admin, plan, service, smtp)
    app = Starlette(routes=routes, exception_handlers={404: unknown_path})
    app.state.service = service
    app.state.admin = admin
    app.state.faults = plan
    return app
