"""Fetching and saving rows that belong to the acting user's organization."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from loggro_app.core.errors import NotFoundError, ValidationError
from loggro_app.services.scope import Scope

T = TypeVar("T")


def get_owned(session: Session, model: type[T], scope: Scope, row_id: int, message: str) -> T:
    """The row, if it exists in the caller's organization; another tenant's row is 'not found'."""
    row = session.get(model, row_id)
    if row is None or getattr(row, "organization_id", None) != scope.organization_id:
        raise NotFoundError(message)
    return row


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
