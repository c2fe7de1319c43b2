"""The local SMTP server, started as `make run` starts it, on free ports; stopped by PID."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from loggro_app.local_stack import LocalStack
from loggro_app.mail import MailSettings


@dataclass(frozen=True)
class SmtpStandIn:
    settings: MailSettings
    admin: str  # the admin API's origin

    def fault(self, address: str, kind: str, text: str, count: int = 1) -> None:
        httpx.post(f"{self.admin}/admin/faults", json={
            "address": address, "kind": kind, "text": text, "count": count},
            timeout=5).raise_for_status()

    def get(self, path: str) -> httpx.Response:
        answer = httpx.get(self.admin + path, timeout=5)
        answer.raise_for_status()
        return answer


@pytest.fixture(scope="session")
def smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpStandIn]:
    stack = LocalStack(log_dir=tmp_path_factory.mktemp("smtp"), app_url="http://127.0.0.1:9")
    stack.services.append(stack.start_smtp(dict(os.environ)))
    try:
        env = stack.env()
        yield SmtpStandIn(MailSettings.from_env(env), env["LOGGRO_SMTP_ADMIN_URL"])
    finally:
        stack.stop()  # os.killpg on the server's own process group
