"""Integration fixtures: a real PostgreSQL server, started once and stopped at the end."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.integration.postgres import postgres_server

_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    with postgres_server() as base:
        yield base


@pytest.fixture
def postgres_url(postgres_base: str) -> Iterator[str]:
    """A new database on the server, brought to the latest schema by the migrations."""
    from loggro_app.db import get_engine
    from loggro_app.migrate import upgrade

    name = f"loggro_test_{next(_names)}"
    admin = create_engine(f"{postgres_base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{postgres_base}/{name}"
    upgrade(url)
    yield url
    # Close the pooled connections now, while the server is up, not at garbage collection.
    get_engine(url).dispose()
    gc.collect()  # a connection leaked by the test is reported here, against that test
