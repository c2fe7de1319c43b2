"""Shared fixtures for the DIAN core tests.

Golden files are regenerated with UPDATE_GOLDEN=1 (an environment variable, because a
pytest_addoption hook in a non-root conftest is not loaded when pytest runs from the
repository root).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from loggro_app.core.clock import FixedClock
from loggro_app.dian.signing.signer import Signer

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
BOGOTA = timezone(timedelta(hours=-5))
ISSUED_AT = datetime(2026, 11, 22, 10, 30, 0, tzinfo=BOGOTA)
P12_PASSWORD = b"demo"  # development certificate only


def update_golden() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.from_pkcs12((FIXTURES / "demo-cert.p12").read_bytes(), P12_PASSWORD)


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(ISSUED_AT)


@pytest.fixture(scope="session")
def cert_pem(tmp_path_factory: pytest.TempPathFactory, signer: Signer) -> Path:
    from cryptography.hazmat.primitives.serialization import Encoding

    path = tmp_path_factory.mktemp("cert") / "cert.pem"
    path.write_bytes(signer.certificate.public_bytes(Encoding.PEM))
    return path
