"""Alembic environment: migrations run against loggro_app's configured database."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import loggro_app.models  # noqa: F401  (registers every table)
from loggro_app.db import get_engine
from loggro_app.settings import get_settings

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def sqlite_migration_engine(url: str) -> Engine:
    """SQLite with transactional DDL: a failed migration leaves the database as it was.

    pysqlite opens transactions only before INSERT/UPDATE/DELETE, so CREATE/DROP would
    commit one by one; here the driver is left in autocommit and BEGIN is issued by hand.
    Foreign keys stay off while batch mode rebuilds tables (copy, drop, rename) and are
    checked once the migration is done.
    """
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(engine, "begin")
    def _begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN")

    return engine


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().db_url
    context.configure(url=url, target_metadata=target_metadata, render_as_batch=True,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.attributes.get("db_url") or get_settings().db_url
    sqlite = url.startswith("sqlite")
    get_engine(url)  # creates the folder of an embedded SQLite file
    connectable = sqlite_migration_engine(url) if sqlite else get_engine(url)
    with connectable.connect() as connection:
        # SQLite cannot ALTER most things: batch mode rebuilds tables instead.
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=sqlite, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"La migración dejó referencias rotas: {broken[:5]}")
    if sqlite:
        connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
