"""PSE and cash payments through a Colombian gateway's HTTP API (the local simulator by default).

Stripe does not offer PSE or cash in Colombia, so these go through this adapter. It speaks
the simulator's small API (see `simulator.py`); a real aggregator is another adapter with
the same methods. Webhooks are verified with `signing.verify` before anything is read.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from loggro_app.core.clock import Clock, system_clock
from loggro_app.core.errors import PaymentError, ValidationError
from loggro_app.payments.config import GatewaySettings
from loggro_app.payments.gateway import (
    GatewayUnavailable,
    PaymentEvent,
    PaymentRequest,
    PaymentSnapshot,
    PaymentStart,
    PaymentStatus,
    WebhookRejected,
)
from loggro_app.payments.signing import SIGNATURE_HEADER, verify

log = logging.getLogger(__name__)

PROVIDER = "colombian_gateway"
EVENT_STATUS = {
    "payment.approved": PaymentStatus.APPROVED,
    "payment.declined": PaymentStatus.DECLINED,
    "payment.expired": PaymentStatus.EXPIRED,
}


class ColombianGateway:
    provider = PROVIDER
    signature_header = SIGNATURE_HEADER  # the header the webhook endpoint passes on

    def __init__(
        self,
        settings: GatewaySettings,
        *,
        http: httpx.Client | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self._settings = settings
        self._clock = clock
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self._http = http or httpx.Client(
            base_url=settings.base_url, headers=headers, timeout=settings.timeout_seconds
        )

    def close(self) -> None:
        self._http.close()

    def start(self, request: PaymentRequest) -> PaymentStart:
        if request.method not in ("pse", "cash"):
            raise ValidationError({"method": "Esta pasarela solo recibe PSE o efectivo."})
        payload = {
            "amount": str(request.amount),
            "currency": request.currency,
            "reference": request.reference,
            "method": request.method,
            "description": request.description,
            "return_url": request.return_url,
            "notify_url": request.notify_url,
            "expires_at": request.expires_at.isoformat(),
        }
        body = self._call("POST", "/api/payments", json=payload)
        return PaymentStart(
            provider=PROVIDER,
            provider_payment_id=body["id"],
            status=PaymentStatus.PENDING,
            redirect_url=body["checkout_url"],
            expires_at=datetime.fromisoformat(body["expires_at"]),
            payment_code=body.get("payment_code"),
        )

    def parse_webhook(self, raw_body: bytes, signature_header: str) -> PaymentEvent | None:
        """A verified event, or None for types we ignore; WebhookRejected if not authentic."""
        verify(
            raw_body,
            signature_header,
            self._settings.webhook_secret,
            self._clock(),
            self._settings.webhook_tolerance_seconds,
        )
        try:
            event = json.loads(raw_body)
            status = EVENT_STATUS.get(event["type"])
            if status is None:
                return None
            payment = event["data"]["payment"]
            return PaymentEvent(
                provider=PROVIDER,
                event_id=str(event["id"]),
                provider_payment_id=str(payment["id"]),
                status=status,
                amount=Decimal(str(payment["amount"])),
                raw_type=event["type"],
                currency=str(payment["currency"]),
                reference=payment.get("reference"),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise WebhookRejected("La notificación de la pasarela está mal formada.") from error

    def retrieve(self, provider_payment_id: str) -> PaymentSnapshot:
        return self._snapshot(self._call("GET", f"/api/payments/{provider_payment_id}"))

    def cancel(self, provider_payment_id: str) -> PaymentSnapshot:
        """Expire a pending payment now; if it was already settled, report how it ended."""
        try:
            body = self._call("POST", f"/api/payments/{provider_payment_id}/cancel")
        except PaymentError as error:
            if isinstance(error, GatewayUnavailable):
                raise
            return self.retrieve(provider_payment_id)
        return self._snapshot(body)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            log.warning("gateway unreachable: %s", type(error).__name__)
            raise GatewayUnavailable("No fue posible comunicarse con la pasarela.") from error
        if response.status_code >= 500:
            raise GatewayUnavailable("La pasarela no está disponible en este momento.")
        if response.status_code >= 400:
            log.info("gateway refused %s %s: HTTP %s", method, path, response.status_code)
            raise PaymentError("La pasarela rechazó la solicitud de pago.")
        result: dict[str, Any] = response.json()
        return result

    @staticmethod
    def _snapshot(body: dict[str, Any]) -> PaymentSnapshot:
        return PaymentSnapshot(
            provider=PROVIDER,
            provider_payment_id=body["id"],
            status=PaymentStatus(body["status"]),
            amount=Decimal(body["amount"]),
            currency=body["currency"],
            reference=body.get("reference"),
        )
