"""Outages switched on by tests and drills: the connection or webhook endpoint answers 503
(always, or for the next `count` requests) so the product's retries can be watched."""

from __future__ import annotations

from typing import Any

ENDPOINTS = ("connection", "webhooks")


class FaultBook:
    def __init__(self) -> None:
        self._down: dict[str, int | None] = {}  # endpoint -> requests left to fail (None: all)

    def configure(self, request: dict[str, Any]) -> None:
        """{"connection": "down"|"up", "webhooks": "down"|"up", "count": N (optional)}."""
        count = request.get("count")
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ValueError("count: un entero positivo.")
        changes = {k: v for k, v in request.items() if k != "count"}
        for name, value in changes.items():
            if name not in ENDPOINTS or value not in ("down", "up"):
                raise ValueError(f"{name}: se espera connection/webhooks con «down» o «up».")
        if not changes:
            raise ValueError("Indique connection o webhooks.")
        for name, value in changes.items():
            if value == "down":
                self._down[name] = count
            else:
                self._down.pop(name, None)

    def clear(self) -> None:
        self._down.clear()

    def all(self) -> dict[str, Any]:
        return {name: {"state": "down", "remaining": left} for name, left in self._down.items()}

    def take(self, endpoint: str) -> bool:
        """True when this request must fail; a counted outage is used up here."""
        if endpoint not in self._down:
            return False
        left = self._down[endpoint]
        if left is not None:
            if left <= 1:
                del self._down[endpoint]
            else:
                self._down[endpoint] = left - 1
        return True
