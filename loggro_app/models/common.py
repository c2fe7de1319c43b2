"""Column helpers shared by the tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field


def utc_datetime_field(**kwargs) -> datetime:  # type: ignore[no-untyped-def]
    """A timezone-aware timestamp column (stored with its offset where the engine can)."""
    return Field(sa_type=DateTime(timezone=True), **kwargs)  # type: ignore[no-any-return]
