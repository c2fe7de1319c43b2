"""Every index earns its writes: none on a column that a wider index or unique constraint
already begins with (migrations 0019 and 0020 removed those)."""

from __future__ import annotations

from sqlalchemy import Index, Table, UniqueConstraint
from sqlmodel import SQLModel

import loggro_app.models  # noqa: F401 - registers every table


def covered_indexes(table: Table) -> list[str]:
    """The single-column indexes of the table that a wider one begins with."""
    wider = [[c.name for c in ix.columns] for ix in table.indexes if len(ix.columns) > 1]
    wider += [[c.name for c in uc.columns] for uc in table.constraints
              if isinstance(uc, UniqueConstraint) and len(uc.columns) > 1]
    return [str(ix.name) for ix in table.indexes if len(ix.columns) == 1
            and any(columns[0] == next(iter(ix.columns)).name for columns in wider)]


def test_no_index_is_covered_by_a_wider_one() -> None:
    covered = {name: found for name, table in SQLModel.metadata.tables.items()
               if (found := covered_indexes(table))}
    assert covered == {}


def test_the_check_finds_a_covered_index() -> None:
    table = SQLModel.metadata.tables["salesdocument"]
    extra = Index("ix_salesdocument_organization_id_again", table.c.organization_id)
    try:
        assert covered_indexes(table) == ["ix_salesdocument_organization_id_again"]
    finally:
        table.indexes.discard(extra)
    assert covered_indexes(table) == []
