"""Fixtures shared by every layer: a migrated temporary database and a Chromium browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent

# Secrets at rest are sealed with a key made for this test session, never the developer's.
os.environ.setdefault("LOGGRO_SECRET_KEY", Fernet.generate_key().decode())
ARTIFACTS = ROOT / "test-artifacts"

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database brought to the latest schema through the migrations."""
    from loggro_app.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    from loggro_app.db import get_engine

    with Session(get_engine(db_url), expire_on_commit=False) as s:
        yield s


# Per module, not per session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and the asyncio tests that follow the browser tests need it closed.
@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
