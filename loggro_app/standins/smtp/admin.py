"""The JSON admin API (loopback only): stored messages and per-recipient faults.

    GET    /admin/health
    GET    /admin/messages?limit=50&subject_prefix=900123456;&to=a@b.co   newest first
    GET    /admin/messages/{id}                  summary + headers + text + files (name, type, size)
    GET    /admin/messages/{id}/raw              the .eml (message/rfc822)
    GET    /admin/messages/{id}/attachments/{name}   one attachment's bytes
    DELETE /admin/messages                       forget every message
    POST   /admin/faults  {"address", "kind": "refuse"|"defer", "text", "code", "count"}
    GET    /admin/faults
    DELETE /admin/faults
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from loggro_app.standins.smtp.faults import Fault, FaultBook
from loggro_app.standins.smtp.store import MailStore

MAX_ADMIN_BYTES = 16 * 1024
MAX_LIST = 500
Endpoint = Callable[[Request], Awaitable[Response]]


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


def _message_id(request: Request) -> int:
    return int(request.path_params["id"])


def create_admin_app(store: MailStore, faults: FaultBook) -> Starlette:
    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def list_messages(request: Request) -> Response:
        try:
            limit = min(max(int(request.query_params.get("limit", "50")), 1), MAX_LIST)
        except ValueError:
            return JSONResponse({"error": "limit: un número entre 1 y 500."}, 400)
        prefix = request.query_params.get("subject_prefix", "")
        recipient = request.query_params.get("to", "")
        rows = await run_in_threadpool(store.list, limit=limit, subject_prefix=prefix,
                                       recipient=recipient)
        return JSONResponse({"messages": rows})

    async def clear_messages(request: Request) -> Response:
        return JSONResponse({"deleted": await run_in_threadpool(store.clear)})

    async def message(request: Request) -> Response:
        detail = await run_in_threadpool(store.detail, _message_id(request))
        if detail is None:
            return JSONResponse({"error": "no existe ese mensaje."}, 404)
        return JSONResponse(detail)

    async def raw(request: Request) -> Response:
        data = await run_in_threadpool(store.raw, _message_id(request))
        if data is None:
            return JSONResponse({"error": "no existe ese mensaje."}, 404)
        return Response(data, media_type="message/rfc822")

    async def attachment(request: Request) -> Response:
        found = await run_in_threadpool(store.attachment, _message_id(request),
                                        request.path_params["name"])
        if found is None:
            return JSONResponse({"error": "no existe ese adjunto."}, 404)
        info, data = found
        return Response(data, media_type=info.content_type)

    async def set_fault(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_ADMIN_BYTES:
            return JSONResponse({"error": "petición demasiado grande."}, 413)
        try:
            payload = json.loads(body or b"{}")
            address = str(payload["address"]).strip()
            if "@" not in address:
                raise ValueError("address: un correo electrónico.")
            fault = Fault.of(str(payload.get("kind", "")), str(payload.get("text", "")),
                             payload.get("code"), int(payload.get("count", 1)))
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": f"petición inválida: {exc}"}, 400)
        faults.set(address, fault)
        return JSONResponse({"faults": faults.all()})

    async def list_faults(request: Request) -> Response:
        return JSONResponse({"faults": faults.all()})

    async def clear_faults(request: Request) -> Response:
        faults.clear()
        return JSONResponse({"faults": {}})

    routes = [
        ("/admin/health", health, "GET"),
        ("/admin/messages", list_messages, "GET"),
        ("/admin/messages", clear_messages, "DELETE"),
        ("/admin/messages/{id:int}", message, "GET"),
        ("/admin/messages/{id:int}/raw", raw, "GET"),
        ("/admin/messages/{id:int}/attachments/{name}", attachment, "GET"),
        ("/admin/faults", set_fault, "POST"),
        ("/admin/faults", list_faults, "GET"),
        ("/admin/faults", clear_faults, "DELETE"),
    ]
    return Starlette(routes=[Route(path, _loopback_only(endpoint), methods=[method])
                             for path, endpoint, method in routes])
