"""The signature of a webhook to the PMS (docs/pms-api.md §4): HMAC-SHA256 with the
property's webhook secret over `id.timestamp.body`, so a replayed or altered notice, or one
from anybody else, fails the PMS's check."""

from __future__ import annotations

import hashlib
import hmac

ID_HEADER = "Loggro-Webhook-Id"
TIMESTAMP_HEADER = "Loggro-Webhook-Timestamp"
SIGNATURE_HEADER = "Loggro-Webhook-Signature"
VERSION = "v1"
WINDOW_SECONDS = 300  # the receiver refuses a timestamp further than this from its clock


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {ID_HEADER: event_id, TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, event_id, timestamp, body),
            "Content-Type": "application/json"}
