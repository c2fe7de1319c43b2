"""Catalog services on a migrated database: scoping, all-or-nothing saves, deletes."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, func
from sqlmodel import Session, select

from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.errors import ConflictError, NotFoundError, ValidationError
from loggro_app.core.item_rules import ItemData, PaymentMethodData
from loggro_app.db import get_engine
from loggro_app.models import Customer, CustomerEmail
from loggro_app.services import customers, items, payment_methods
from loggro_app.services.scope import Scope
from tests.factories import make_org


def customer(number: str = "1017123456", **changes) -> CustomerData:  # type: ignore[no-untyped-def]
    spec = dict(identification_type="13", identification_number=number, name="Ana Ruiz",
                address="Calle 1", municipality_code="05001",
                emails=["ana@correo.co", "pagos@correo.co"])
    return CustomerData.parse(**{**spec, **changes})


@pytest.fixture
def two_orgs(session: Session) -> tuple[Scope, Scope]:
    return (make_org(session, "900123456", "a@uno.co"), make_org(session, "800197268", "b@dos.co"))


def test_customer_with_two_emails_round_trips(session: Session, two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_orgs
    row = customers.save_customer(session=session, scope=a, data=customer())
    assert row.postal_code == "050001"
    assert customers.customer_emails(session=session, scope=a, customer_id=row.id) == [
        "ana@correo.co", "pagos@correo.co"]
    edited = customers.save_customer(session=session, scope=a, customer_id=row.id,
                                     data=customer(emails=["nuevo@correo.co"]))
    assert edited.id == row.id
    assert customers.customer_emails(session=session, scope=a, customer_id=row.id) == [
        "nuevo@correo.co"]


def test_every_query_is_scoped_to_the_organization(session: Session, two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, b = two_orgs
    row = customers.save_customer(session=session, scope=a, data=customer())
    item = items.save_item(session=session, scope=a, data=ItemData.parse(
        code="A1", name="Café", unit_code="94", price="1000", tax_code="IVA_19"))
    method = payment_methods.save_payment_method(session=session, scope=a, data=(
        PaymentMethodData.parse(name="Efectivo", form_code="1", means_code="10")))
    assert customers.list_customers(session=session, scope=b).total == 0
    assert items.list_items(session=session, scope=b).total == 0
    assert payment_methods.list_payment_methods(session=session, scope=b).total == 0
    attempts = [
        lambda: customers.get_customer(session=session, scope=b, customer_id=row.id),
        lambda: customers.customer_emails(session=session, scope=b, customer_id=row.id),
        lambda: customers.save_customer(session=session, scope=b, customer_id=row.id,
                                        data=customer()),
        lambda: customers.delete_customer(session=session, scope=b, customer_id=row.id),
        lambda: items.delete_item(session=session, scope=b, item_id=item.id),
        lambda: payment_methods.delete_payment_method(session=session, scope=b,
                                                      method_id=method.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFoundError):
            attempt()
    assert customers.get_customer(session=session, scope=a, customer_id=row.id).name == "Ana Ruiz"
    # the same identification may exist in another organization
    customers.save_customer(session=session, scope=b, data=customer())


def test_duplicate_identification_is_refused_and_nothing_saved(session: Session,
                                                                two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_orgs
    customers.save_customer(session=session, scope=a, data=customer())
    with pytest.raises(ValidationError) as err:
        customers.save_customer(session=session, scope=a, data=customer(name="Otra"))
    assert "Ya existe un cliente" in err.value.errors["identification_number"]
    assert session.exec(select(func.count()).select_from(Customer)).one() == 1
    assert session.exec(select(func.count()).select_from(CustomerEmail)).one() == 2


def test_search_and_pagination(session: Session, two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_orgs
    for n in range(12):
        customers.save_customer(session=session, scope=a,
                                data=customer(number=f"10170000{n:02d}", name=f"Cliente {n:02d}"))
    first = customers.list_customers(session=session, scope=a, page=1, page_size=5)
    assert (first.total, first.pages, len(first.rows)) == (12, 3, 5)
    last = customers.list_customers(session=session, scope=a, page=3, page_size=5)
    assert [r.name for r in last.rows] == ["Cliente 10", "Cliente 11"]
    found = customers.list_customers(session=session, scope=a, search="1017000007")
    assert [r.name for r in found.rows] == ["Cliente 07"]
    for wildcard in ("%", "_", "Cliente 0_"):  # typed characters, not LIKE wildcards
        assert customers.list_customers(session=session, scope=a, search=wildcard).total == 0


def test_delete_refused_while_referenced(session: Session, db_url: str, two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_orgs
    row = customers.save_customer(session=session, scope=a, data=customer())
    # A document table of a later version will reference customers; stand one up here.
    from sqlmodel import SQLModel

    doc = Table("test_document", SQLModel.metadata,
                Column("id", Integer, primary_key=True),
                Column("customer_id", Integer, ForeignKey("customer.id")))
    try:
        doc.create(get_engine(db_url))
        session.execute(doc.insert().values(id=1, customer_id=row.id))
        session.commit()
        with pytest.raises(ConflictError) as err:
            customers.delete_customer(session=session, scope=a, customer_id=row.id)
        assert "está en uso" in err.value.message
        assert customers.get_customer(session=session, scope=a, customer_id=row.id)
        session.execute(doc.delete())
        session.commit()
        customers.delete_customer(session=session, scope=a, customer_id=row.id)
        assert session.exec(select(func.count()).select_from(CustomerEmail)).one() == 0
    finally:
        SQLModel.metadata.remove(doc)


def test_item_code_unique_per_organization(session: Session, two_orgs) -> None:  # type: ignore[no-untyped-def]
    a, b = two_orgs
    data = ItemData.parse(code="A1", name="Café", unit_code="94", price="1000", tax_code="IVA_5")
    items.save_item(session=session, scope=a, data=data)
    with pytest.raises(ValidationError) as err:
        items.save_item(session=session, scope=a, data=data)
    assert err.value.errors == {"code": "Ya existe un producto con el código A1."}
    items.save_item(session=session, scope=b, data=data)


def test_demo_data_loads_once(session: Session) -> None:
    from loggro_app.seed import load_demo

    assert load_demo(session, password="Demo2026*") is True
    assert load_demo(session, password="Demo2026*") is False
    assert session.exec(select(func.count()).select_from(Customer)).one() == 3
