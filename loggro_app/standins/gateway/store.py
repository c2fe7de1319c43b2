"""State of the gateway simulator: payments in memory and signed webhook delivery.

Kept apart from the HTTP routes so the rules (who may move a payment where, when it
expires, what the webhook says) read in one place.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from loggro_app.core.clock import Clock
from loggro_app.payments.gateway import LABELS, IllegalTransition, PaymentStatus
from loggro_app.payments.signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)

BANKS = (
    "Bancolombia",
    "Banco de Bogotá",
    "Davivienda",
    "BBVA Colombia",
    "Banco de Occidente",
    "Banco Popular",
    "Nequi",
)
EVENT_TYPES = {
    PaymentStatus.APPROVED: "payment.approved",
    PaymentStatus.DECLINED: "payment.declined",
    PaymentStatus.EXPIRED: "payment.expired",
}


@dataclass(frozen=True)
class SimPayment:
    id: str
    reference: str
    amount: Decimal
    currency: str
    method: str  # pse | cash
    description: str
    return_url: str
    notify_url: str
    expires_at: datetime
    payment_code: str  # what the payer quotes at the cash desk
    status: PaymentStatus = PaymentStatus.PENDING
    bank: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "amount": str(self.amount),
            "currency": self.currency,
            "method": self.method,
            "status": self.status.value,
            "bank": self.bank,
            "payment_code": self.payment_code,
            "expires_at": self.expires_at.isoformat(),
        }


@dataclass
class Delivery:
    event_id: str
    event_type: str
    payment_id: str
    attempts: int = 0
    delivered: bool = False


class Notifier:
    """POSTs signed events to the payment's notify URL, retrying a bounded number of times."""

    def __init__(self, secret: str, clock: Clock, attempts: int = 5, backoff: float = 0.5):
        self._secret = secret
        self._clock = clock
        self._attempts = attempts
        self._backoff = backoff
        self._tasks: set[asyncio.Task[None]] = set()
        self.deliveries: list[Delivery] = []

    def event_body(self, payment: SimPayment) -> tuple[str, bytes]:
        event_id = "evt_sim_" + secrets.token_hex(8)
        body = {
            "id": event_id,
            "type": EVENT_TYPES[payment.status],
            "created": int(self._clock().timestamp()),
            "data": {"payment": payment.public()},
        }
        return event_id, json.dumps(body, sort_keys=True).encode("utf-8")

    def notify(self, payment: SimPayment) -> None:
        event_id, body = self.event_body(payment)
        delivery = Delivery(event_id, EVENT_TYPES[payment.status], payment.id)
        self.deliveries.append(delivery)
        # Keep a reference: asyncio only holds weak references to running tasks.
        sending = self._send(payment.notify_url, body, delivery)
        task = asyncio.get_running_loop().create_task(sending)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, url: str, body: bytes, delivery: Delivery) -> None:
        async with httpx.AsyncClient(timeout=5.0) as client:
            for attempt in range(self._attempts):
                delivery.attempts = attempt + 1
                # Signed again on each attempt so a late retry is not refused as stale.
                headers = {
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: sign(body, self._secret, self._clock()),
                }
                try:
                    response = await client.post(url, content=body, headers=headers)
                    if 200 <= response.status_code < 300:
                        delivery.delivered = True
                        return
                    log.info("webhook %s got HTTP %s", delivery.event_id, response.status_code)
                except httpx.HTTPError as error:
                    log.info("webhook %s failed: %s", delivery.event_id, type(error).__name__)
                await asyncio.sleep(self._backoff * 2**attempt)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class PaymentBook:
    """The simulator's payments; every change of status goes out as a webhook."""

    def __init__(self, notifier: Notifier, clock: Clock):
        self._payments: dict[str, SimPayment] = {}
        self._notifier = notifier
        self._clock = clock

    def add(self, payment: SimPayment) -> SimPayment:
        self._payments[payment.id] = payment
        return payment

    def get(self, payment_id: str) -> SimPayment | None:
        self.expire_due()
        return self._payments.get(payment_id)

    def pending_cash(self) -> list[SimPayment]:
        self.expire_due()
        return [
            p
            for p in self._payments.values()
            if p.method == "cash" and p.status is PaymentStatus.PENDING
        ]

    def settle(self, payment_id: str, status: PaymentStatus, bank: str | None = None) -> SimPayment:
        """Move a payment to `status` and notify; raises IllegalTransition / KeyError."""
        self.expire_due()
        payment = self._payments[payment_id]
        # A bank or a cash desk answers once: unlike a card, a rejected PSE is final.
        if payment.status is not PaymentStatus.PENDING:
            if payment.status is status:
                return payment
            raise IllegalTransition(f"El pago ya está {LABELS[payment.status]}.")
        updated = replace(payment, status=status, bank=bank or payment.bank)
        self._payments[payment_id] = updated
        self._notifier.notify(updated)
        return updated

    def expire_due(self) -> None:
        now = self._clock()
        for payment in list(self._payments.values()):
            if payment.status is PaymentStatus.PENDING and payment.expires_at <= now:
                updated = replace(payment, status=PaymentStatus.EXPIRED)
                self._payments[payment.id] = updated
                self._notifier.notify(updated)
