"""Customers of an organization: list, create, edit, delete."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.errors import ValidationError
from loggro_app.models import Customer, CustomerEmail
from loggro_app.services.owned import get_owned
from loggro_app.services.paging import Page, search_page
from loggro_app.services.references import ensure_unreferenced
from loggro_app.services.scope import Scope

NOT_FOUND = "El cliente no existe o no pertenece a tu organización."


def list_customers(*, session: Session, scope: Scope, search: str = "", page: int = 1,
                   page_size: int = 10) -> Page[Customer]:
    return search_page(
        session=session, model=Customer, organization_id=scope.organization_id, search=search,
        fields=[Customer.name, Customer.identification_number, Customer.trade_name],
        order_by=col(Customer.name), page=page, page_size=page_size,
    )


def get_customer(*, session: Session, scope: Scope, customer_id: int) -> Customer:
    return get_owned(session, Customer, scope, customer_id, NOT_FOUND)


def customer_emails(*, session: Session, scope: Scope, customer_id: int) -> list[str]:
    get_customer(session=session, scope=scope, customer_id=customer_id)
    rows = session.exec(
        select(CustomerEmail).where(CustomerEmail.customer_id == customer_id)
        .order_by(col(CustomerEmail.position))
    ).all()
    return [r.email for r in rows]


def _apply(row: Customer, data: CustomerData) -> None:
    for field in ("identification_type", "identification_number", "dv", "person_type", "name",
                  "trade_name", "address", "country_code", "city_name", "municipality_code",
                  "neighborhood", "postal_code", "phone", "send_xml_email"):
        setattr(row, field, getattr(data, field))


def _check_duplicate(session: Session, scope: Scope, data: CustomerData,
                     exclude_id: int | None) -> None:
    query = select(Customer).where(
        Customer.organization_id == scope.organization_id,
        Customer.identification_type == data.identification_type,
        Customer.identification_number == data.identification_number,
    )
    other = session.exec(query).first()
    if other is not None and other.id != exclude_id:
        raise ValidationError({"identification_number": (
            f"Ya existe un cliente con esa identificación: {other.name}."
        )})


def save_customer(*, session: Session, scope: Scope, data: CustomerData,
                  customer_id: int | None = None, clock: Clock = system_clock) -> Customer:
    """Create (customer_id None) or update a customer with its emails, all or nothing."""
    _check_duplicate(session, scope, data, customer_id)
    if customer_id is None:
        row = Customer(organization_id=scope.organization_id, created_at=to_utc(clock()),
                       **{k: getattr(data, k) for k in ("identification_type",
                          "identification_number", "name", "municipality_code",
                          "postal_code")})
    else:
        row = get_customer(session=session, scope=scope, customer_id=customer_id)
    _apply(row, data)
    try:
        session.add(row)
        session.flush()
        assert row.id is not None
        session.exec(delete(CustomerEmail).where(col(CustomerEmail.customer_id) == row.id))
        for position, email in enumerate(data.emails):
            session.add(CustomerEmail(organization_id=scope.organization_id,
                                      customer_id=row.id, email=email, position=position))
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationError({"identification_number": (
            "Ya existe un cliente con esa identificación."
        )}) from None
    session.refresh(row)
    return row


def delete_customer(*, session: Session, scope: Scope, customer_id: int) -> None:
    row = get_customer(session=session, scope=scope, customer_id=customer_id)
    ensure_unreferenced(session, row, f"el cliente {row.name}")
    session.exec(delete(CustomerEmail).where(col(CustomerEmail.customer_id) == customer_id))
    session.delete(row)
    session.commit()
