"""The PMS's side of the webhook signature (docs/pms-api.md section 4), written from the
contract rather than shared with the product, so a mistake on either side shows up."""

from __future__ import annotations

import hashlib
import hmac
import re

TOLERANCE_SECONDS = 300
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Refused(ValueError):
    """Why a webhook is not believed; the message is kept in the simulator's log."""


def expected_signature(secret: str, webhook_id: str, timestamp: str, raw_body: bytes) -> str:
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + raw_body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _given_signatures(header: str) -> list[str]:
    """The `v1=` values of the header; several may be listed, separated by commas or spaces."""
    values = []
    for part in re.split(r"[,\s]+", header.strip()):
        if not part:
            continue
        scheme, _, value = part.partition("=")
        if scheme != "v1" or not _HEX64.fullmatch(value):
            raise Refused(f"Firma con formato inválido: «{part[:80]}».")
        values.append(value)
    if not values:
        raise Refused("Falta la firma v1.")
    return values


def verify(
    secret: str, webhook_id: str, timestamp: str, signature_header: str, raw_body: bytes,
    *, now: float,
) -> None:
    """Raise Refused unless the signature is `secret`'s over id.timestamp.body and the
    timestamp is within five minutes of `now` (Unix seconds)."""
    if not webhook_id:
        raise Refused("Falta Loggro-Webhook-Id.")
    if not re.fullmatch(r"\d{1,12}", timestamp or ""):
        raise Refused("Loggro-Webhook-Timestamp no es un número de segundos.")
    given = _given_signatures(signature_header or "")
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise Refused("La marca de tiempo está a más de 5 minutos del reloj.")
    expected = expected_signature(secret, webhook_id, timestamp, raw_body)
    # Every candidate is compared, so the time taken does not tell which one was close.
    matches = [hmac.compare_digest(expected, value) for value in given]
    if not any(matches):
        raise Refused("La firma no corresponde al secreto de la conexión.")
