"""What Loggro Pymes sends to the PMS: the connection push and the signed webhooks
(docs/pms-api.md sections 1 and 4)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from loggro_app.standins.pms.faults import FaultBook
from loggro_app.standins.pms.signature import Refused, verify
from loggro_app.standins.pms.store import Store

MAX_BODY = 256 * 1024
DOCUMENT_EVENTS = ("document.accepted", "document.rejected", "document.failed")
UNAVAILABLE = {"error": "Servicio no disponible (falla simulada)."}


def _bad(message: str, status: int = 422) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def connection_event(data: Any) -> dict[str, Any]:
    """The push checked against section 1; ValueError with a Spanish message otherwise."""
    if not isinstance(data, dict):
        raise ValueError("El cuerpo debe ser un objeto JSON.")
    for name in ("event_id", "property_id", "status"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise ValueError(f"{name}: obligatorio.")
    if data["status"] not in ("active", "revoked"):
        raise ValueError("status: active o revoked.")
    if not isinstance(data.get("organization"), dict):
        raise ValueError("organization: obligatorio.")
    if data["status"] == "active":
        for name in ("token", "webhook_secret", "api_base_url"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise ValueError(f"{name}: obligatorio en una conexión activa.")
    else:
        data = {**data, "token": None, "webhook_secret": None}
    return dict(data)


class Intake:
    def __init__(self, store: Store, faults: FaultBook,
                 now: Callable[[], float] = time.time) -> None:
        self.store, self.faults, self.now = store, faults, now

    async def connection(self, request: Request) -> Response:
        if self.faults.take("connection"):
            return JSONResponse(UNAVAILABLE, status_code=503)
        body = await request.body()
        if len(body) > MAX_BODY:
            return _bad("Cuerpo demasiado grande.", 413)
        try:
            event = connection_event(json.loads(body))
        except ValueError as error:
            return _bad(str(error))
        applied = self.store.save_connection(event)
        return JSONResponse({"received": True, "event_id": event["event_id"],
                             "duplicate": not applied})

    def _signer(self, webhook_id: str, timestamp: str, signature: str,
                body: bytes) -> tuple[str | None, str]:
        """The property whose secret signed this body, or None and why not."""
        candidates = [c for c in self.store.connections() if c.webhook_secret]
        if not candidates:
            return None, "No hay una conexión con secreto para verificar."
        reason = ""
        for connection in candidates:
            try:
                verify(connection.webhook_secret or "", webhook_id, timestamp, signature, body,
                       now=self.now())
            except Refused as error:
                reason = reason or str(error)
                continue
            return connection.property_id, ""
        return None, reason

    async def webhook(self, request: Request) -> Response:
        webhook_id = request.headers.get("Loggro-Webhook-Id", "")
        body = await request.body()
        if self.faults.take("webhooks"):
            self.store.record_webhook(webhook_id, "", "fault", "Falla simulada (503).", 503,
                                      body)
            return JSONResponse(UNAVAILABLE, status_code=503)
        if len(body) > MAX_BODY:
            return _bad("Cuerpo demasiado grande.", 413)
        property_id, reason = self._signer(
            webhook_id, request.headers.get("Loggro-Webhook-Timestamp", ""),
            request.headers.get("Loggro-Webhook-Signature", ""), body)
        if property_id is None:
            self.store.record_webhook(webhook_id, "", "refused", reason, 401, body)
            return _bad(f"Firma no válida: {reason}", 401)
        try:
            event = json.loads(body)
            kind, data = str(event["type"]), event["data"]
            if event.get("id") != webhook_id or event.get("property_id") != property_id:
                raise ValueError("id o property_id no corresponden a la firma.")
            if not isinstance(data, dict):
                raise ValueError("data debe ser un objeto.")
        except (ValueError, KeyError, TypeError) as error:
            self.store.record_webhook(webhook_id, "", "invalid", str(error), 400, body)
            return _bad(f"Evento inválido: {error}", 400)
        if self.store.seen_webhook(webhook_id):
            self.store.record_webhook(webhook_id, kind, "duplicate", "Ya procesado.", 200, body)
            return JSONResponse({"received": True, "duplicate": True})
        note = "Procesado."
        if kind in DOCUMENT_EVENTS:
            if not self.store.apply_status(data):
                note = "Ningún documento del simulador corresponde."
        elif kind == "consecutive.expiring":
            self.store.add_warning(webhook_id, data)
        else:
            note = "Tipo de evento desconocido; se acepta sin efecto."
        self.store.record_webhook(webhook_id, kind, "accepted", note, 200, body)
        return JSONResponse({"received": True, "duplicate": False})
