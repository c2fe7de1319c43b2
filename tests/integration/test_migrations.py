"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import loggro_app.models  # noqa: F401
from loggro_app.db import get_engine
from loggro_app.migrate import upgrade


def test_upgrade_creates_every_table(db_url: str) -> None:
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)  # a second `make run` must not fail
