"""Rows written by a plain INSERT (`services.inserts`), and reads without a transaction
(`db.read_scope`): what the PMS intake counts on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from loggro_app.core.clock import aware
from loggro_app.db import get_engine, read_scope, session_scope
from loggro_app.models import Customer, CustomerEmail, Organization, SalesDocument
from loggro_app.services.inserts import insert_rows

pytestmark = pytest.mark.integration


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _organization(session: Session) -> int:
    org = Organization(nit="900123456", dv=8, legal_name="Hotel La Ceiba",
                       municipality_code="11001", created_at=datetime.now(UTC))
    session.add(org)
    session.commit()
    assert org.id is not None
    return org.id


def _guest(organization_id: int, number: str) -> Customer:
    return Customer(organization_id=organization_id, identification_type="13",
                    identification_number=number, name=f"Huésped {number}",
                    address="Calle 1", city_name="Bogotá", municipality_code="11001",
                    postal_code="110111",
                    created_at=datetime.now(UTC))


def test_rows_get_their_ids_and_the_session_holds_them_without_asking_again(
        session: Session, db_url: str) -> None:
    org_id = _organization(session)
    guests = [_guest(org_id, "1010"), _guest(org_id, "2020")]
    engine = get_engine(db_url)
    with statements(engine) as seen:
        insert_rows(session, guests)
        written = list(seen)
        assert written == ["INSERT", "INSERT"]  # one statement a row
        ids = [guest.id for guest in guests]
        assert None not in ids and len(set(ids)) == 2
        assert session.get(Customer, ids[1]) is guests[1]  # held by the session: no SELECT
        assert seen == written
    insert_rows(session, [CustomerEmail(organization_id=org_id, customer_id=ids[1] or 0,
                                        email="huesped@correo.example")])
    insert_rows(session, [])  # nothing to write: no statement, no error
    session.commit()
    with Session(engine) as other:  # committed with the session, as it was read back
        stored = other.exec(select(Customer).where(Customer.organization_id == org_id)
                            .order_by(Customer.id)).all()
        assert [(c.id, c.identification_number, c.name) for c in stored] == [
            (ids[0], "1010", "Huésped 1010"), (ids[1], "2020", "Huésped 2020")]
        emails = other.exec(select(CustomerEmail.email).where(
            CustomerEmail.customer_id == ids[1])).all()
        assert emails == ["huesped@correo.example"]


@pytest.fixture(params=["sqlite", "postgres"])
def any_url(request: pytest.FixtureRequest, db_url: str) -> str:
    return db_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def test_values_are_stored_as_the_orm_would_store_them(any_url: str) -> None:
    """Decimals, aware datetimes, None, bytes and text go to the driver as SQLAlchemy's
    own types would send them (SQLite has no decimal or timestamp type of its own)."""
    issued = datetime(2026, 12, 3, 15, 4, 5, 123456, tzinfo=UTC)
    with Session(get_engine(any_url), expire_on_commit=False) as session:
        org_id = _organization(session)
        guest = _guest(org_id, "4040")
        insert_rows(session, [guest])
        row = SalesDocument(organization_id=org_id, kind="FE", status="queued",
                            customer_id=guest.id, form_json='{"línea": "Noche 1"}',
                            prefix="HOT", number=7, issued_at=issued,
                            total=Decimal("1234567.89"), signed_xml=b"<xml/>",
                            created_at=issued, updated_at=issued)
        insert_rows(session, [row])
        session.commit()
    with Session(get_engine(any_url)) as other:
        stored = other.get(SalesDocument, row.id)
        assert stored is not None
        assert (stored.total, stored.number, stored.prefix, stored.form_json) == (
            Decimal("1234567.89"), 7, "HOT", '{"línea": "Noche 1"}')
        assert stored.signed_xml == b"<xml/>" and stored.reference_id is None
        assert aware(stored.issued_at) == issued and stored.accepted_at is None
        assert other.exec(select(SalesDocument.id).where(
            SalesDocument.total == Decimal("1234567.89"))).all() == [row.id]


def test_rolled_back_rows_are_not_stored(session: Session, db_url: str) -> None:
    org_id = _organization(session)
    insert_rows(session, [_guest(org_id, "3030")])
    session.rollback()
    with Session(get_engine(db_url)) as other:
        assert other.exec(select(Customer).where(
            Customer.identification_number == "3030")).first() is None


def _transaction_status(session: Session) -> TransactionStatus:
    raw = session.connection().connection.dbapi_connection
    assert isinstance(raw, psycopg.Connection)
    return raw.info.transaction_status


def test_a_read_in_autocommit_leaves_no_transaction_open(postgres_url: str) -> None:
    """On PostgreSQL, a session opens a transaction (BEGIN, then COMMIT: two round trips);
    `read_scope` reads without one."""
    with Session(get_engine(postgres_url)) as session:
        org_id = _organization(session)
    with session_scope(postgres_url) as usual:
        usual.exec(select(Organization).where(Organization.id == org_id)).one()
        assert _transaction_status(usual) == TransactionStatus.INTRANS
    with read_scope(postgres_url) as reader:
        found = reader.exec(select(Organization).where(Organization.id == org_id)).one()
        assert found.legal_name == "Hotel La Ceiba"
        assert _transaction_status(reader) == TransactionStatus.IDLE
    with session_scope(postgres_url) as usual:  # the pooled connection is itself again
        usual.exec(select(Organization).where(Organization.id == org_id)).one()
        assert _transaction_status(usual) == TransactionStatus.INTRANS
