"""Database engine and sessions (SQLModel over SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from loggro_app.private_files import create_private_file
from loggro_app.settings import get_settings


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLite ignores foreign keys unless asked on every connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # WAL: readers no longer block the writer (a page load no longer makes an intake or a
    # workflow step wait); synchronous stays FULL, so a commit survives a power cut.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    # Resolved before the cache, so "the configured database" follows the settings.
    return _engine(url or get_settings().db_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        # SQLite would create the file world-readable; its journals copy the file's mode.
        create_private_file(Path(url.removeprefix("sqlite:///")))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: nothing half-saved."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(url: str | None = None) -> Iterator[Session]:
    """A session for reads that need no transaction of their own (one statement, say): in
    autocommit, so PostgreSQL is not asked to BEGIN and COMMIT around it, two round trips
    less on the hottest paths (the PMS API's token check)."""
    with Session(_autocommit(url or get_settings().db_url), expire_on_commit=False) as session:
        yield session


@lru_cache(maxsize=8)
def _autocommit(url: str) -> Engine:
    return _engine(url).execution_options(isolation_level="AUTOCOMMIT")
