"""Reading, writing and reloading a row of an organization by statements that name it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from loggro_app.core.errors import NotFoundError
from loggro_app.models import Customer, User
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services.owned import get_owned, reload_owned, save_changes
from loggro_app.services.scope import Scope


@pytest.fixture
def customer(session: Session, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Customer:
    from loggro_app.settings import get_settings

    monkeypatch.setenv("LOGGRO_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert load_enabled_demo(session, password="Demo2026*")
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    return session.exec(select(Customer).where(
        Customer.organization_id == user.organization_id)).first()  # type: ignore[return-value]


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_changes_are_written_by_an_update_that_names_the_organization(
        session: Session, customer: Customer, statements: list[str]) -> None:
    customer.phone, customer.address = "3001234567", "Calle 1 # 2-3"
    save_changes(session, customer)
    assert not session.is_modified(customer)  # saved: the commit writes nothing more
    session.commit()
    updates = [s for s in statements if s.startswith("UPDATE customer")]
    assert len(updates) == 1 and "organization_id" in updates[0].split("WHERE")[1]
    session.expire_all()
    assert (customer.phone, customer.address) == ("3001234567", "Calle 1 # 2-3")
    save_changes(session, customer)  # nothing changed: nothing written
    assert len([s for s in statements if s.startswith("UPDATE customer")]) == 1


def test_a_row_not_stored_in_its_organization_is_not_written(
        session: Session, customer: Customer) -> None:
    session.expunge(customer)
    customer.organization_id += 1000
    session.add(customer)
    customer.phone = "3000000000"
    with pytest.raises(StaleDataError):
        save_changes(session, customer)


def test_a_reload_is_a_refresh_that_names_the_organization(
        session: Session, customer: Customer, statements: list[str]) -> None:
    stored = customer.name
    customer.name = "no guardado"
    assert reload_owned(session, customer, customer.organization_id) is customer
    assert customer.name == stored and not session.is_modified(customer)
    assert all("organization_id = ?" in s.split("WHERE")[1] for s in statements)


def test_a_row_of_the_organization_comes_back_as_the_session_holds_it(
        session: Session, customer: Customer, statements: list[str]) -> None:
    assert customer.id is not None
    mine = Scope(customer.organization_id, 0, "admin", True)
    customer.phone = "sin guardar"
    assert get_owned(session, Customer, mine, customer.id, "no existe") is customer
    assert customer.phone == "sin guardar" and session.is_modified(customer)
    assert not any(s.startswith("UPDATE") for s in statements)  # nothing flushed first
    assert all("organization_id = ?" in s.split("WHERE")[1] for s in statements)
    other = Scope(customer.organization_id + 1000, 0, "admin", True)
    with pytest.raises(NotFoundError):
        get_owned(session, Customer, other, customer.id, "no existe")


def test_a_row_not_held_is_read_by_a_query_that_names_the_organization(
        session: Session, customer: Customer, statements: list[str]) -> None:
    assert customer.id is not None
    mine = Scope(customer.organization_id, 0, "admin", True)
    assert get_owned(session, Customer, mine, customer.id, "no existe") is customer
    assert statements == []  # held: answered from the session, as session.get does
    session.expunge(customer)
    found = get_owned(session, Customer, mine, customer.id, "no existe")
    assert found.id == customer.id and found is not customer
    assert len(statements) == 1 and "organization_id = ?" in statements[0].split("WHERE")[1]
    session.expunge(found)
    other = Scope(customer.organization_id + 1000, 0, "admin", True)
    with pytest.raises(NotFoundError):
        get_owned(session, Customer, other, customer.id, "no existe")
