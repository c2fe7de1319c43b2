"""Rows written by a plain INSERT, for the paths that take the most requests (the PMS
intake): the session's unit of work costs more CPU than the statement itself.

The rows end up in the session as if just loaded, so a later `session.get` finds them
without asking the database, and committing the session commits them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel


def insert_rows(session: Session, rows: Sequence[SQLModel]) -> None:
    """INSERT new rows of one model in one statement and give each its id."""
    if not rows:
        return
    table: Table = type(rows[0]).__table__  # type: ignore[attr-defined]
    columns = [column for column in table.columns if not column.primary_key]
    values = [{column.name: getattr(row, column.key) for column in columns} for row in rows]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = session.connection().execute(statement, values).scalars().all()
    for row, new_id in zip(rows, ids, strict=True):
        row.id = new_id
        make_transient_to_detached(row)
        session.add(row)
