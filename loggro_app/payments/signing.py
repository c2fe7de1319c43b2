"""Webhook signatures for the Colombian gateway, in Stripe's scheme (pure, clock injected).

Header: `Loggro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`.
Signing the timestamp with the body lets the receiver refuse replays of an old, valid
request; comparing in constant time keeps the signature from leaking byte by byte.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from loggro_app.payments.gateway import WebhookRejected

SIGNATURE_HEADER = "Loggro-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str, now: datetime) -> str:
    """The header value for `body` sent at `now`."""
    timestamp = int(now.timestamp())
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def _parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookRejected("La firma de la notificación está incompleta.")
    return timestamp, signatures


def verify(
    body: bytes,
    header: str | None,
    secret: str,
    now: datetime,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Raise WebhookRejected unless `header` signs `body` with `secret` recently enough."""
    if not secret:
        raise WebhookRejected("No hay secreto configurado para verificar notificaciones.")
    if not header:
        raise WebhookRejected("La notificación no trae firma.")
    timestamp, signatures = _parse_header(header)
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookRejected("La firma de la notificación no es válida.")
    # Checked after the signature so a forged header learns nothing about our clock.
    if abs(now.timestamp() - timestamp) > tolerance_seconds:
        raise WebhookRejected("La notificación es demasiado antigua.")
