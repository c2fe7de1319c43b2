"""The payment gateways' webhooks: Stripe (cards) and the PSE / cash gateway.

The signature covers the exact bytes sent, so the body is read raw (never parsed by the
framework first) and capped: a huge body is refused with 413 before any signature check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from loggro_app.api import problems
from loggro_app.core.errors import PaymentError
from loggro_app.db import session_scope
from loggro_app.http_body import BodyTooLarge, read_body
from loggro_app.payments.gateway import PaymentGateway
from loggro_app.payments.signing import SIGNATURE_HEADER
from loggro_app.services import purchases
from loggro_app.services.payment_gateways import colombian_gateway, stripe_gateway

log = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 256 * 1024  # Stripe's events are a few KB; the gateway's smaller still

router = APIRouter(tags=["pagos"])


class WebhookOutcome(BaseModel):
    outcome: str = Field(description="Qué se hizo con el evento: `ignored` (tipo que no se "
                                     "usa), `duplicate`, o el resultado de aplicarlo a la "
                                     "compra.")


# The body is read raw, so FastAPI cannot infer it: described here for the docs and tests.
EVENT_BODY: dict[str, Any] = {"requestBody": {
    "required": True,
    "description": "El evento tal como lo firmó la pasarela (bytes exactos, máx. 256 KB).",
    "content": {"application/json": {"schema": {"type": "object"}}},
}}
ERRORS = problems.responses(400, 413)


def _apply(gateway: PaymentGateway, body: bytes, signature: str) -> WebhookOutcome | JSONResponse:
    try:
        event = gateway.parse_webhook(body, signature)
    except PaymentError as exc:
        log.info("webhook rejected (%s): %s", gateway.provider, type(exc).__name__)
        return problems.problem(400, exc.message)
    if event is None:
        return WebhookOutcome(outcome="ignored")
    with session_scope() as session:
        outcome = purchases.apply_event(session=session, event=event)
    log.info("webhook %s %s -> %s", gateway.provider, event.event_id, outcome)
    return WebhookOutcome(outcome=outcome)


async def _webhook(request: Request, gateway: Callable[[], PaymentGateway],
                   signature: str) -> WebhookOutcome | JSONResponse:
    try:  # the raw body: the signature covers these exact bytes
        body = await read_body(request, MAX_WEBHOOK_BYTES)
    except BodyTooLarge as exc:
        return problems.problem(413, f"El cuerpo supera el máximo de {exc.limit} bytes.")
    return await asyncio.to_thread(_apply, gateway(), body, signature)


@router.post("/api/payments/stripe/webhook", response_model=WebhookOutcome,
             summary="Eventos de Stripe (payment_intent.*), firmados con Stripe-Signature",
             responses=ERRORS, openapi_extra=EVENT_BODY)
async def stripe_webhook(
    request: Request,
    signature: Annotated[str, Header(alias="Stripe-Signature",
                                     description="Firma de Stripe del cuerpo.")] = "",
) -> WebhookOutcome | JSONResponse:
    return await _webhook(request, stripe_gateway, signature)


@router.post("/api/payments/gateway/webhook", response_model=WebhookOutcome,
             summary="Eventos de la pasarela PSE / efectivo, firmados con Loggro-Signature",
             responses=ERRORS, openapi_extra=EVENT_BODY)
async def gateway_webhook(
    request: Request,
    signature: Annotated[str, Header(alias=SIGNATURE_HEADER,
                                     description="Firma de la pasarela del cuerpo.")] = "",
) -> WebhookOutcome | JSONResponse:
    return await _webhook(request, colombian_gateway, signature)
