"""REST endpoints mounted on Reflex's backend: payment webhooks, health, and the files of a
sales document (for its organization's logged-in users only), with OpenAPI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from loggro_app.core.errors import AuthError, NotFoundError, PaymentError
from loggro_app.db import session_scope
from loggro_app.http_body import BodyTooLarge, read_body, too_large
from loggro_app.payments.gateway import PaymentGateway
from loggro_app.payments.signing import SIGNATURE_HEADER
from loggro_app.services import auth, purchases, sales
from loggro_app.services.payment_gateways import colombian_gateway, stripe_gateway

log = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 256 * 1024  # Stripe's events are a few KB; the gateway's smaller still

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Loggro FE API", "version": "1"},
    "paths": {
        "/api/health": {"get": {"summary": "Estado del servicio",
                                "responses": {"200": {"description": "ok"}}}},
        "/api/payments/stripe/webhook": {"post": {
            "summary": "Eventos de Stripe (payment_intent.*), firmados con Stripe-Signature",
            "responses": {"200": {"description": "procesado"},
                          "400": {"description": "firma o cuerpo inválido"},
                          "413": {"description": "cuerpo demasiado grande"}}}},
        "/api/payments/gateway/webhook": {"post": {
            "summary": "Eventos de la pasarela PSE / efectivo, firmados con Loggro-Signature",
            "responses": {"200": {"description": "procesado"},
                          "400": {"description": "firma o cuerpo inválido"},
                          "413": {"description": "cuerpo demasiado grande"}}}},
        "/api/ventas/documentos/{document_id}/{file}": {"get": {
            "summary": "XML firmado (xml), PDF (pdf) o AttachedDocument (zip) de un documento "
                       "de la organización; sesión en Authorization: Bearer",
            "responses": {"200": {"description": "el archivo"},
                          "401": {"description": "sin sesión o sesión vencida"},
                          "404": {"description": "no existe en la organización o aún no"}}}},
    },
}
# file -> (column of SalesDocument, media type, file name suffix)
DOCUMENT_FILES = {
    "xml": ("signed_xml", "application/xml", ".xml"),
    "pdf": ("pdf", "application/pdf", ".pdf"),
    "zip": ("attached_document", "application/zip", ".zip"),
}


def _apply(gateway: PaymentGateway, body: bytes, signature: str) -> JSONResponse:
    try:
        event = gateway.parse_webhook(body, signature)
    except PaymentError as exc:
        log.info("webhook rejected (%s): %s", gateway.provider, type(exc).__name__)
        return JSONResponse({"error": exc.message}, status_code=400)
    if event is None:
        return JSONResponse({"outcome": "ignored"})
    with session_scope() as session:
        outcome = purchases.apply_event(session=session, event=event)
    log.info("webhook %s %s -> %s", gateway.provider, event.event_id, outcome)
    return JSONResponse({"outcome": outcome})


async def _webhook(request: Request, gateway: Callable[[], PaymentGateway],
                   header: str) -> JSONResponse:
    try:  # the raw body: the signature covers these exact bytes
        body = await read_body(request, MAX_WEBHOOK_BYTES)
    except BodyTooLarge as exc:
        return too_large(exc)
    signature = request.headers.get(header, "")
    return await asyncio.to_thread(_apply, gateway(), body, signature)


async def stripe_webhook(request: Request) -> JSONResponse:
    return await _webhook(request, stripe_gateway, "stripe-signature")


async def gateway_webhook(request: Request) -> JSONResponse:
    return await _webhook(request, colombian_gateway, SIGNATURE_HEADER)


def _document_file(token: str, document_id: int, file: str) -> Response:
    column, media_type, suffix = DOCUMENT_FILES[file]
    with session_scope() as session:
        try:
            # A download is not activity: it must not keep an idle session alive.
            user = auth.current_user(session=session, token_hash=auth.hash_token(token),
                                     activity=False)
        except AuthError as exc:
            return JSONResponse({"error": exc.message}, status_code=401)
        try:  # another organization's document is "not found", never its bytes
            row = sales.get_document(session=session, scope=user.scope,
                                     document_id=document_id)
        except NotFoundError as exc:
            return JSONResponse({"error": exc.message}, status_code=404)
        content = getattr(row, column)
        if content is None:
            return JSONResponse({"error": "Este archivo aún no existe."}, status_code=404)
        name = f"{row.kind}-{row.prefix}{row.number}{suffix}"
    return Response(content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"',
                             "cache-control": "no-store"})


async def document_file(request: Request) -> Response:
    """The session token travels in the Authorization header (never in the URL, which
    servers log and browsers keep in their history)."""
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    file = request.path_params["file"]
    if file not in DOCUMENT_FILES:
        return JSONResponse({"error": "Archivo desconocido."}, status_code=404)
    return await asyncio.to_thread(_document_file, token, request.path_params["document_id"],
                                   file)


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def openapi(_request: Request) -> JSONResponse:
    return JSONResponse(OPENAPI)


api = Starlette(routes=[
    Route("/api/health", health, methods=["GET"]),
    Route("/api/openapi.json", openapi, methods=["GET"]),
    Route("/api/payments/stripe/webhook", stripe_webhook, methods=["POST"]),
    Route("/api/payments/gateway/webhook", gateway_webhook, methods=["POST"]),
    Route("/api/ventas/documentos/{document_id:int}/{file}", document_file, methods=["GET"]),
])
