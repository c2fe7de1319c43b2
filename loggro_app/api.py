"""REST endpoints mounted on Reflex's backend: payment webhooks and health, with OpenAPI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from loggro_app.core.errors import PaymentError
from loggro_app.db import session_scope
from loggro_app.http_body import BodyTooLarge, read_body, too_large
from loggro_app.payments.gateway import PaymentGateway
from loggro_app.payments.signing import SIGNATURE_HEADER
from loggro_app.services import purchases
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
    },
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


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def openapi(_request: Request) -> JSONResponse:
    return JSONResponse(OPENAPI)


api = Starlette(routes=[
    Route("/api/health", health, methods=["GET"]),
    Route("/api/openapi.json", openapi, methods=["GET"]),
    Route("/api/payments/stripe/webhook", stripe_webhook, methods=["POST"]),
    Route("/api/payments/gateway/webhook", gateway_webhook, methods=["POST"]),
])
