"""The HTTP edge towards the PMS: the connection push and the signed webhooks. Answers are
reduced to (status, error) so the workflows record every attempt the same way."""

from __future__ import annotations

import json
import os

import httpx

from loggro_app.tls import shared_context

CONNECTION_PATH = "/api/pymes/v1/connection"
WEBHOOK_PATH = "/api/pymes/v1/webhooks"


def timeout_seconds() -> float:
    return float(os.environ.get("LOGGRO_PMS_TIMEOUT_SECONDS") or 10)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    try:
        answer = httpx.post(url, content=body, headers=headers, timeout=timeout_seconds(),
                            verify=shared_context(), trust_env=False)
    except httpx.HTTPError as exc:
        return None, f"El PMS no respondió ({type(exc).__name__})."
    if 200 <= answer.status_code < 300:
        return answer.status_code, ""
    return answer.status_code, f"El PMS respondió HTTP {answer.status_code}."


def push_connection(pms_url: str, message: dict[str, object]) -> tuple[int | None, str]:
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    return _post(pms_url + CONNECTION_PATH, body, {"Content-Type": "application/json"})


def post_webhook(pms_url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    return _post(pms_url + WEBHOOK_PATH, body, headers)
