"""Every request body is capped by the bytes actually read: a huge body is refused with
413 after the cap, never buffered whole (webhooks, the DIAN sandbox's SOAP and admin API)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from loggro_app.api import api
from loggro_app.api.payments import MAX_WEBHOOK_BYTES
from loggro_app.standins.dian_sandbox.app import MAX_ADMIN_BYTES, MAX_SOAP_BYTES, create_app

MB = 1024 * 1024


def _chunks(total: int) -> Iterator[bytes]:
    block = b"x" * MB  # one block reused: the test itself holds one megabyte
    for _ in range(total // MB):
        yield block


def post(app: Any, path: str, total: int, declared: bool = False) -> tuple[int, int]:
    """POST `total` bytes as a stream; (HTTP status, bytes the app pulled)."""
    chunks, pulled, status = _chunks(total), 0, 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    headers = [(b"content-type", b"application/json")]
    if declared:
        headers.append((b"content-length", str(total).encode()))
    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "headers": headers, "query_string": b"", "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 80), "scheme": "http", "root_path": "",
             "http_version": "1.1", "asgi": {"version": "3.0"}}
    asyncio.run(app(scope, receive, send))
    return status, pulled


@pytest.fixture(scope="module")
def sandbox() -> Any:
    return create_app(db=":memory:")


@pytest.mark.parametrize("path", ["/api/payments/stripe/webhook",
                                  "/api/payments/gateway/webhook"])
def test_a_huge_webhook_body_is_refused_without_reading_it(path: str) -> None:
    status, pulled = post(api, path, 64 * MB)
    assert status == 413
    assert pulled <= MAX_WEBHOOK_BYTES + MB


def test_a_huge_soap_request_is_refused_after_the_cap(sandbox: Any) -> None:
    status, pulled = post(sandbox, "/WcfDianCustomerServices.svc", MAX_SOAP_BYTES + 8 * MB)
    assert status == 413
    assert pulled <= MAX_SOAP_BYTES + MB


def test_a_huge_admin_request_is_refused(sandbox: Any) -> None:
    status, pulled = post(sandbox, "/admin/taxpayers", 16 * MB)
    assert status == 413
    assert pulled <= MAX_ADMIN_BYTES + MB
    status, pulled = post(sandbox, "/admin/taxpayers", 16 * MB, declared=True)
    assert (status, pulled) == (413, 0)  # a declared size past the cap is not even read
