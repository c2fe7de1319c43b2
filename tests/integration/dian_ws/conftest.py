"""The real sandbox (`python -m loggro_app.standins.dian_sandbox`) on a free 127.0.0.1 port,
once per session, plus helpers to build fresh signed documents and call its admin API."""

from __future__ import annotations

import dataclasses
import itertools
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from loggro_app.core.clock import bogota_now
from loggro_app.core.nit import compute_dv
from loggro_app.dian import BuiltDocument, Document, Signer, build_document, demo, samples
from loggro_app.dian.client import ClientConfig, DianClient, RetryPolicy
from loggro_app.dian.model.parties import Resolution, Software

ROOT = Path(__file__).resolve().parents[3]
P12 = ROOT / "examples" / "demo-cert.p12"


class WallClock:
    """The sandbox checks real time (WS-Security timestamps, issue dates): so do we."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of a sandbox started for this session."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGGRO_")}
    log = tmp_path_factory.mktemp("sandbox") / "sandbox.log"
    with log.open("wb") as sink:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "loggro_app.standins.dian_sandbox", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"el sandbox terminó al iniciar: {log.read_text()}")
        try:
            if httpx.get(base + "/admin/health", timeout=1, trust_env=False).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("el sandbox no respondió a tiempo")


class AdminApi:
    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=10, trust_env=False)

    def post(self, path: str, expect: int = 200, **payload: Any) -> Any:
        response = self.http.post(path, json=payload)
        assert response.status_code == expect, response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.http.get(path)
        assert response.is_success, response.text
        return response.json() if "json" in response.headers["content-type"] else response.text


@pytest.fixture(scope="session")
def admin(sandbox: str) -> Iterator[AdminApi]:
    api = AdminApi(sandbox)
    yield api
    api.http.close()


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.from_pkcs12(P12.read_bytes(), b"demo")


@pytest.fixture(scope="session")
def clock() -> WallClock:
    return WallClock()


_numbers = itertools.count(990_000_000 + random.randrange(1_000, 4_000_000, 1_000))


@pytest.fixture()
def number() -> Iterator[int]:
    """Fresh consecutive numbers inside the demo range (no accidental rule 90)."""
    return _numbers


def make_client(base: str, signer: Signer | None, clock: Any, **config: Any) -> DianClient:
    config.setdefault("retry", RetryPolicy(attempts=3, backoff=0.01))
    return DianClient(
        signer=signer,
        clock=clock,
        config=ClientConfig("sandbox", url=base + "/WcfDianCustomerServices.svc", **config),
    )


@pytest.fixture()
def client(sandbox: str, signer: Signer, clock: WallClock) -> Iterator[DianClient]:
    with make_client(sandbox, signer, clock) as c:
        yield c


class Factory:
    """Signed documents of the demo issuer (or another) issued now, with fresh numbers."""

    def __init__(self, signer: Signer, clock: WallClock, numbers: Iterator[int]) -> None:
        self.signer, self.clock, self.numbers = signer, clock, numbers

    def now(self) -> datetime:
        return bogota_now(self.clock)

    def build(self, document: Document) -> BuiltDocument:
        return build_document(document, signer=self.signer, clock=self.clock)

    def invoice(self, **changes: Any) -> Document:
        document = samples.invoice(self.now(), number=next(self.numbers), line_count=2)
        return dataclasses.replace(document, **changes)

    def resolution(self, **changes: Any) -> Resolution:
        return dataclasses.replace(samples.resolution(), **changes)

    def software(self, **changes: Any) -> Software:
        return dataclasses.replace(samples.software(), **changes)

    def for_issuer(self, document: Document, nit: str, name: str, software: Software) -> Document:
        issuer = dataclasses.replace(document.issuer, id_number=nit, dv=compute_dv(nit), name=name)
        return dataclasses.replace(document, issuer=issuer, software=software)


@pytest.fixture()
def factory(signer: Signer, clock: WallClock, number: Iterator[int]) -> Factory:
    return Factory(signer, clock, number)


DEMO = demo
