"""Shared fixtures for the web-service unit tests (no network: httpx.MockTransport)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from loggro_app.core.clock import FixedClock
from loggro_app.dian.signing.signer import Signer

FIXTURES = Path(__file__).parent / "fixtures"
P12 = Path(__file__).resolve().parents[3] / "examples" / "demo-cert.p12"
NOW = datetime(2026, 11, 22, 15, 30, 0, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.from_pkcs12(P12.read_bytes(), b"demo")


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(NOW)
