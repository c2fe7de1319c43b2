"""The Relación de Transacciones de Venta grid: filters, sorts and pages in the database,
one organization's documents only, the date range as Colombian calendar days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from loggro_app.core.clock import BOGOTA, to_utc
from loggro_app.core.errors import ValidationError
from loggro_app.models import SalesDocument
from loggro_app.services.sales_grid import (
    GridFilter,
    default_range,
    dian_notification,
    grid_page,
    grid_version,
)
from loggro_app.services.scope import Scope
from tests.integration.conftest import signed_up

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 20)


def add(session: Session, scope: Scope, number: int, *, day: date = DAY, hour: int = 10,
        customer: str = "Cliente", total: str = "1000.00", kind: str = "FE",
        status: str = "accepted", buyer: str = "", key: str = "") -> SalesDocument:
    row = SalesDocument(
        organization_id=scope.organization_id, kind=kind, status=status, prefix="FE",
        number=number, customer_name=customer, total=Decimal(total), buyer_status=buyer,
        issued_at=to_utc(datetime(day.year, day.month, day.day, hour, tzinfo=BOGOTA)),
        document_key=key or f"{number:096x}", created_at=to_utc(datetime.now(BOGOTA)),
        updated_at=to_utc(datetime.now(BOGOTA)))
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def scope(session: Session) -> Scope:
    return signed_up(session, "901234567", "marta@espiga.example")


def page_numbers(session: Session, scope: Scope, **kw) -> list[int | None]:  # type: ignore[no-untyped-def]
    filters = kw.pop("filters", GridFilter(date(2026, 11, 1), date(2026, 11, 30)))
    return [r.number for r in grid_page(session=session, scope=scope, filters=filters,
                                        **kw).rows]


def test_filters_sorts_and_pages(session: Session, scope: Scope) -> None:
    add(session, scope, 1, customer="Hotel Andino S.A.S.", total="500.00")
    add(session, scope, 2, customer="Restaurante El Fogón", total="900.00", buyer="recibido")
    add(session, scope, 3, customer="Hotel Andino S.A.S.", total="100.00", kind="NC")
    add(session, scope, 4, customer="Carolina", status="rejected", day=DAY + timedelta(days=1))
    add(session, scope, 5, customer="Fuera de rango", day=date(2026, 9, 30))
    add(session, scope, 6, status="draft")  # a draft is no transaction yet
    other = signed_up(session, "900373076", "otra@empresa.example")
    add(session, other, 7, customer="Hotel Andino S.A.S.")

    assert page_numbers(session, scope) == [4, 3, 2, 1]  # newest first
    assert page_numbers(session, scope, sort="total", descending=False) == [3, 1, 2, 4]
    assert page_numbers(session, scope, sort="customer", descending=False)[0] == 4
    nov = (date(2026, 11, 1), date(2026, 11, 30))
    assert page_numbers(session, scope, filters=GridFilter(*nov, customer="andino")) == [3, 1]
    assert page_numbers(session, scope, filters=GridFilter(*nov, kind="NC")) == [3]
    assert page_numbers(session, scope, filters=GridFilter(*nov, status="rejected")) == [4]
    assert page_numbers(session, scope, filters=GridFilter(*nov, buyer_status="recibido")) \
        == [2]
    assert page_numbers(session, scope, filters=GridFilter(*nov, number="FE 2")) == [2]
    assert page_numbers(session, scope, filters=GridFilter(*nov, document_key=f"{1:096x}")) \
        == [1]
    assert page_numbers(session, scope, filters=GridFilter(DAY, DAY)) == [3, 2, 1]
    assert page_numbers(session, scope, filters=GridFilter(date(2026, 9, 1), DAY)) == \
        [3, 2, 1, 5]
    second = grid_page(session=session, scope=scope, filters=GridFilter(*nov), page=2,
                       page_size=3)
    assert [r.number for r in second.rows] == [1] and second.total == 4 and second.pages == 2
    beyond = grid_page(session=session, scope=scope, filters=GridFilter(*nov), page=99,
                       page_size=3)
    assert beyond.page == 2  # a page past the end shows the last one


def test_the_day_is_a_colombian_day(session: Session, scope: Scope) -> None:
    # 23:30 in Bogotá is 04:30 UTC of the next day: it still belongs to its Bogotá day
    add(session, scope, 1, day=DAY, hour=23)
    assert page_numbers(session, scope, filters=GridFilter(DAY, DAY)) == [1]
    assert page_numbers(session, scope, filters=GridFilter(DAY + timedelta(days=1),
                                                           DAY + timedelta(days=1))) == []


def test_bad_filters_are_refused_with_their_reason(session: Session, scope: Scope) -> None:
    with pytest.raises(ValidationError) as err:
        GridFilter(DAY, DAY - timedelta(days=1))
    assert "anterior" in err.value.errors["date_to"]
    with pytest.raises(ValidationError):
        GridFilter(DAY, DAY, kind="XX")
    with pytest.raises(ValidationError):
        grid_page(session=session, scope=scope, filters=GridFilter(DAY, DAY), sort="id")
    with pytest.raises(ValidationError) as err:
        grid_page(session=session, scope=scope, filters=GridFilter(DAY, DAY, number="FE"))
    assert "número" in err.value.errors["number"]


def test_defaults_version_and_notifications(session: Session, scope: Scope) -> None:
    assert default_range(date(2026, 1, 15)) == (date(2025, 12, 1), date(2026, 1, 15))
    before = grid_version(session=session, scope=scope)
    row = add(session, scope, 1)
    assert grid_version(session=session, scope=scope) != before
    assert dian_notification(row) == "Confirmado"
    row.dian_messages = '[["FAJ43b", "Nombre no corresponde al RUT"]]'
    assert dian_notification(row) == "Confirmado con Notificación"
    row.status = "rejected"
    assert dian_notification(row) == ""


def test_inicio_counts_this_month_and_lists_what_waits_for_the_buyer(
        session: Session, scope: Scope) -> None:
    from loggro_app.services.dashboard import month_documents, waiting_for_buyer

    today = date(2026, 11, 25)
    add(session, scope, 1, day=date(2026, 11, 3))
    add(session, scope, 2, day=date(2026, 11, 4), buyer="recibido")
    add(session, scope, 3, day=date(2026, 11, 5), buyer="confirmado_cliente")
    add(session, scope, 4, status="rejected")
    add(session, scope, 5, day=date(2026, 10, 31))  # last month
    add(session, scope, 6, kind="NC")  # notes are not answered by the buyer
    assert month_documents(session=session, scope=scope, today=today) == {
        "accepted": 4, "rejected": 1}
    total, oldest = waiting_for_buyer(session=session, scope=scope, limit=2)
    assert total == 3 and [r.number for r in oldest] == [5, 1]
