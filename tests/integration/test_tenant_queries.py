"""Which queries on tenant tables do not say whose rows they read.

A database distributed by organization (docs/scaling.md) routes a query to one node only
when it filters by `organization_id`; any other query visits every node. This test runs the
product's main path — a sale issued, mailed and credited, the grid and the history read —
while recording every SQL statement, and lists the reads, updates and deletes of tenant
tables that do not filter by `organization_id`, by the function of ours that ran them.

The list below is what is left to convert (nothing, today). A new unfiltered query fails
the test (filter it by the organization, which every service has in its scope); a converted
one fails it too until it is taken off the list, so the list can only shrink.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import loggro_app
from loggro_app.services import history, sales_grid
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import customer_named, invoice_draft, issue
from tests.integration.test_delivery import wait_mail

pytestmark = pytest.mark.integration

PACKAGE = Path(loggro_app.__file__).parent
TENANT_TABLES = frozenset(name for name, table in SQLModel.metadata.tables.items()
                          if "organization_id" in table.c)
# Where a statement names its tables: what follows FROM, JOIN, UPDATE or DELETE FROM
TABLE_AFTER = re.compile(r'\b(?:FROM|JOIN|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
FILTER = re.compile(r"\b(?:WHERE|ON)\b(.*)", re.IGNORECASE | re.DOTALL)

# (our function that ran it, table) for each tenant query that does not filter by
# organization_id today. Empty now, and it stays so: a new one fails the test.
NOT_YET_FILTERED: frozenset[tuple[str, str]] = frozenset()


def tenant_tables_unfiltered(statement: str) -> set[str]:
    """The tenant tables a read, update or delete touches without `organization_id` in its
    conditions. Inserts always carry the column (every tenant model has it)."""
    verb = statement.lstrip().split(None, 1)[0].upper()
    if verb not in ("SELECT", "UPDATE", "DELETE", "WITH"):
        return set()
    tables = {name.lower() for name in TABLE_AFTER.findall(statement)} & TENANT_TABLES
    if not tables:
        return set()
    conditions = FILTER.search(statement)
    if conditions and "organization_id" in conditions.group(1):
        return set()
    return tables


# Background work that is not this sale's: scheduled jobs look across every organization by
# design, and the follow-ups they queue (buyer events, reception, upkeep) may run at any
# moment of the test. A statement with one of these on its stack is not counted.
OTHER_WORK = frozenset({"buyer_events.py", "purchase_events.py", "reception.py",
                        "test_sets.py", "upkeep.py"})


def our_caller() -> str | None:
    """The innermost function of the app (not of its database layer) on the stack; None for
    the test's own reads and for background work other than this sale's."""
    frame = sys._getframe(2)
    caller = None
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(PACKAGE):
            if path.parent.name == "durable" and (frame.f_code.co_name.endswith("_job")
                                                  or path.name in OTHER_WORK):
                return None
            if caller is None and path.parent.name != "models":
                caller = f"{path.relative_to(PACKAGE)}:{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return caller


@contextmanager
def recorded_tenant_queries() -> Iterator[set[tuple[str, str]]]:
    found: set[tuple[str, str]] = set()

    def before_cursor_execute(_conn, _cursor, statement, _params, _context,  # type: ignore[no-untyped-def]
                              _many) -> None:
        caller = our_caller()
        for table in tenant_tables_unfiltered(statement) if caller else ():
            found.add((caller, table))

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield found
    finally:
        event.remove(Engine, "before_cursor_execute", before_cursor_execute)


def test_the_statement_check_reads_sql_as_a_person_would() -> None:
    assert tenant_tables_unfiltered(
        'SELECT salesdocument.id FROM salesdocument WHERE salesdocument.id = ?') == {
        "salesdocument"}
    assert tenant_tables_unfiltered(
        "SELECT salesdocument.id FROM salesdocument "
        "WHERE salesdocument.organization_id = ? AND salesdocument.id = ?") == set()
    assert tenant_tables_unfiltered(
        "UPDATE numbering SET next_number=? WHERE numbering.id = ?") == {"numbering"}
    assert tenant_tables_unfiltered("INSERT INTO customer (organization_id) VALUES (?)") == set()
    assert tenant_tables_unfiltered("SELECT executor_id FROM executorheartbeat") == set()


def test_every_tenant_query_of_a_sale_filters_by_its_organization(
        session: Session, seller, link: DianLink) -> None:  # type: ignore[no-untyped-def]
    customer = customer_named(session, seller, "Fogón")
    with recorded_tenant_queries() as found:
        invoice_id = invoice_draft(session, seller, customer)
        accepted = issue(session, seller, invoice_id)
        assert accepted.status == "accepted", accepted.dian_messages
        assert wait_mail(seller, invoice_id)  # the mail round is part of the path
        sales_grid.grid_page(session=session, scope=seller, filters=sales_grid.GridFilter(
            *sales_grid.default_range(sales_grid.today_in_bogota())))
        sales_grid.grid_version(session=session, scope=seller)
        history.movements(session=session, scope=seller, document_id=invoice_id)
    new = sorted(found - NOT_YET_FILTERED)
    converted = sorted(NOT_YET_FILTERED - found)
    assert not new, "consultas sin organization_id (función, tabla):\n" + "\n".join(
        f"  {where} {table}" for where, table in new)
    assert not converted, f"ya filtran por organización; quítalas de la lista: {converted}"
