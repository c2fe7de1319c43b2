"""Fetching and saving rows that belong to the acting user's organization."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from loggro_app.core.errors import NotFoundError, ValidationError
from loggro_app.services.scope import Scope

T = TypeVar("T")


def get_owned(session: Session, model: type[T], scope: Scope, row_id: int, message: str) -> T:
    """The row, if it exists in the caller's organization; another tenant's row is 'not found'.

    The query names the organization, so a database distributed by organization reads one
    node for it. As with `session.get`, nothing is flushed before it, and a row the session
    already holds comes back as it is there, unsaved changes and all."""
    table: Any = model
    held = session.identity_map.get(identity_key(table, row_id))
    if held is not None:  # already loaded in this session: no query, as session.get
        row = held if held.organization_id == scope.organization_id else None
    else:
        with session.no_autoflush:
            row = session.exec(select(table).where(
                table.id == row_id, table.organization_id == scope.organization_id)).first()
    if row is None:
        raise NotFoundError(message)
    return row  # type: ignore[no-any-return]


def save_owned(session: Session, row: T, values: dict[str, Any], *, duplicate_field: str,
               duplicate_message: str) -> T:
    """Copy `values` onto `row` and commit; a uniqueness clash becomes a field error."""
    for field, value in values.items():
        setattr(row, field, value)
    try:
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationError({duplicate_field: duplicate_message}) from None
    session.refresh(row)
    return row


def reload_owned(session: Session, row: T, organization_id: int) -> T:
    """What `session.refresh(row)` does, by a query that names the organization (a database
    distributed by organization reads one node for it): the row as stored now, over any
    change not saved yet, and nothing flushed before it."""
    model: Any = type(row)
    with session.no_autoflush:
        return session.exec(select(model).where(  # type: ignore[no-any-return]
            model.id == inspect(row).identity[0], model.organization_id == organization_id)
            .execution_options(populate_existing=True)).one()


def save_changes(session: Session, row: Any) -> None:
    """Write the changed columns of a stored row now, by an UPDATE that names its
    organization, and mark them saved: a flush would update the row by its key alone.

    Other rows' pending changes are not flushed first; they go with the next commit."""
    state = inspect(row)
    if not state.persistent:
        return  # a new row is inserted, organization and all, by the next flush
    changed = {column.key: state.attrs[column.key].value for column in state.mapper.column_attrs
               if state.attrs[column.key].history.has_changes()}
    if not changed:
        return
    model = type(row)
    with session.no_autoflush:
        written = session.execute(update(model).where(
            model.id == row.id, model.organization_id == row.organization_id,
        ).values(changed).execution_options(synchronize_session=False))
    if written.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDataError(f"{model.__name__} {row.id} is not stored in its organization")
    for key, value in changed.items():
        set_committed_value(row, key, value)
