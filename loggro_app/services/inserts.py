"""Rows written by a plain INSERT, for the paths that take the most requests (the PMS
intake): the session's unit of work costs more CPU than the statement itself.

The rows end up in the session as if just loaded, so a later `session.get` finds them
without asking the database, and committing the session commits them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel


@dataclass(frozen=True)
class _Insert:
    """One table's INSERT … RETURNING id as the driver takes it, with what turns each
    attribute into the value the driver is given."""

    sql: str
    positional: bool
    columns: tuple[tuple[str, str, Callable[[Any], Any] | None], ...]  # bind, key, processor

    def parameters(self, row: SQLModel) -> dict[str, Any] | tuple[Any, ...]:
        values = [(name, value if process is None or value is None else process(value))
                  for name, key, process in self.columns
                  for value in (getattr(row, key),)]
        if self.positional:
            return tuple(value for _, value in values)
        return dict(values)


@lru_cache(maxsize=64)
def _insert(table: Table, dialect: Dialect) -> _Insert:
    # Compiled once per table: compiling, or even finding the compiled statement in
    # SQLAlchemy's cache (its cache key is built on every execution), cost more than the
    # INSERT's round trip.
    columns: list[Column[Any]] = [c for c in table.columns if not c.primary_key]
    compiled = insert(table).values({c.name: bindparam(c.key) for c in columns}).returning(
        table.c.id).compile(dialect=dialect)
    by_key = {c.key: c for c in columns}
    order = compiled.positiontup if compiled.positional else list(compiled.binds)
    bound = []
    for name in order or ():
        column = by_key[compiled.binds[name].key]
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        bound.append((name, column.key, process))
    return _Insert(compiled.string, compiled.positional, tuple(bound))


def insert_rows(session: Session, rows: Sequence[SQLModel]) -> None:
    """INSERT new rows of one model, one statement each, and give each its id."""
    if not rows:
        return
    table: Table = type(rows[0]).__table__  # type: ignore[attr-defined]
    connection = session.connection()
    statement = _insert(table, connection.dialect)
    for row in rows:
        # exec_driver_sql: no compiling, but the same events, and errors raised as
        # SQLAlchemy's (an IntegrityError the intake retries on)
        new_id = connection.exec_driver_sql(statement.sql,
                                            statement.parameters(row)).scalar_one()
        row.id = new_id
        make_transient_to_detached(row)
        session.add(row)
