"""The PMS simulator started as `make run` starts it, on a free port; stopped by PID."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from loggro_app.local_stack import LocalStack


@dataclass
class Pms:
    stack: LocalStack
    url: str

    def post(self, path: str, payload: Any = None, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, json=payload, timeout=10, **kwargs)

    def state(self) -> dict[str, Any]:
        answer = httpx.get(self.url + "/admin/state", timeout=10)
        answer.raise_for_status()
        data: dict[str, Any] = answer.json()
        return data

    def connect(self, property_id: str, secret: str, *, event_id: str = "",
                token: str = "lgp_integration_token_0001",
                api_base_url: str = "http://127.0.0.1:9/api/pms/v1") -> httpx.Response:
        return self.post("/api/pymes/v1/connection", {
            "event_id": event_id or f"{property_id}-pmstoken-1", "property_id": property_id,
            "status": "active", "api_base_url": api_base_url, "token": token,
            "webhook_secret": secret, "previous_token_valid_until": None,
            "organization": {"nit": "901234567", "dv": 1, "name": "La Ceiba S.A.S."}})

    def webhook(self, webhook_id: str, body: bytes, signature: str,
                timestamp: int | None = None) -> httpx.Response:
        return httpx.post(self.url + "/api/pymes/v1/webhooks", content=body, timeout=10,
                          headers={"Content-Type": "application/json",
                                   "Loggro-Webhook-Id": webhook_id,
                                   "Loggro-Webhook-Timestamp": str(timestamp or int(time.time())),
                                   "Loggro-Webhook-Signature": signature})


def event(webhook_id: str, property_id: str, kind: str, data: dict[str, Any]) -> bytes:
    return json.dumps({"id": webhook_id, "type": kind, "created_at": "2026-12-02T10:00:00-05:00",
                       "property_id": property_id, "data": data}).encode()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """docs/pms-api.md section 4, with the standard library only."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def start(data_dir: Path, log_dir: Path) -> Pms:
    stack = LocalStack(log_dir=log_dir, app_url="http://127.0.0.1:9",
                       pms_data_dir=str(data_dir))
    stack.services.append(stack.start_pms(dict(os.environ)))
    return Pms(stack, stack.env()["LOGGRO_PMS_SIMULATOR_URL"])


@pytest.fixture(scope="module")
def pms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pms]:
    folder = tmp_path_factory.mktemp("pms")
    simulator = start(folder / "data", folder)
    try:
        yield simulator
    finally:
        simulator.stack.stop()  # os.killpg on the simulator's own process group
