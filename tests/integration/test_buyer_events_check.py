"""Which invoices the periodic buyer-events check asks DIAN about: fresh ones at every run,
older ones spaced out by age, never more than a batch, the never-asked first."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from loggro_app.core.clock import BOGOTA, to_utc
from loggro_app.models import SalesDocument
from loggro_app.services.buyer_events import waiting_documents
from loggro_app.services.scope import Scope
from tests.integration.conftest import signed_up

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=BOGOTA)


@pytest.fixture
def scope(session: Session) -> Scope:
    return signed_up(session, "901234567", "marta@espiga.example")


def invoice(session: Session, scope: Scope, number: int, accepted_ago: timedelta,
            checked_ago: timedelta | None = None, *, kind: str = "FE",
            status: str = "accepted", buyer: str = "") -> int:
    row = SalesDocument(
        organization_id=scope.organization_id, kind=kind, status=status, prefix="FE",
        number=number, customer_name="Cliente", total=Decimal("1000.00"), buyer_status=buyer,
        document_key=f"{number:096x}", issued_at=to_utc(NOW - accepted_ago),
        accepted_at=to_utc(NOW - accepted_ago), created_at=to_utc(NOW - accepted_ago),
        updated_at=to_utc(NOW - accepted_ago),
        events_checked_at=None if checked_ago is None else to_utc(NOW - checked_ago))
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


def test_fresh_invoices_every_run_older_ones_spaced_by_age(session: Session,
                                                           scope: Scope) -> None:
    minute, hour, day = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
    due = [
        invoice(session, scope, 1, 2 * minute, checked_ago=timedelta(seconds=5)),
        invoice(session, scope, 2, 30 * minute, checked_ago=2 * minute),
        invoice(session, scope, 3, 5 * hour, checked_ago=15 * minute),
        invoice(session, scope, 4, 3 * day, checked_ago=2 * hour),
        invoice(session, scope, 5, 30 * day, checked_ago=7 * hour),
        invoice(session, scope, 6, 59 * day),  # never asked
    ]
    invoice(session, scope, 11, 30 * minute, checked_ago=30 * timedelta(seconds=1))
    invoice(session, scope, 12, 5 * hour, checked_ago=5 * minute)
    invoice(session, scope, 13, 3 * day, checked_ago=20 * minute)
    invoice(session, scope, 14, 30 * day, checked_ago=3 * hour)
    invoice(session, scope, 15, 61 * day)  # past the window: no longer asked
    invoice(session, scope, 16, minute, buyer="confirmado_cliente")  # the buyer ended
    invoice(session, scope, 17, minute, buyer="reclamado")
    invoice(session, scope, 18, minute, kind="NC")  # only invoices get buyer events
    invoice(session, scope, 19, minute, status="rejected")
    asked = waiting_documents(session=session, clock=lambda: NOW)
    assert sorted(asked) == sorted(due)
    assert asked[0] == due[-1]  # the never-asked first, then the longest unasked
    assert asked[1:] == [due[4], due[3], due[2], due[1], due[0]]


def test_a_check_asks_about_a_batch_at_most(session: Session, scope: Scope) -> None:
    ids = [invoice(session, scope, n, timedelta(minutes=1)) for n in range(1, 8)]
    assert waiting_documents(session=session, clock=lambda: NOW, limit=5) == ids[:5]
    acuse = invoice(session, scope, 30, timedelta(days=2), buyer="acuse")
    recibido = invoice(session, scope, 31, timedelta(days=2), buyer="recibido")
    assert {acuse, recibido} <= set(waiting_documents(session=session, clock=lambda: NOW))
