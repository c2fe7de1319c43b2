"""The document ledger on a real database: persistence, idempotency and concurrency."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from loggro_app.core.clock import BOGOTA
from loggro_app.core.errors import ConflictError
from loggro_app.core.plans import INVOICE
from loggro_app.core.quota import PLAN_CONSUME
from loggro_app.db import get_engine
from loggro_app.models import LedgerMovement
from loggro_app.services import ledger
from loggro_app.services.plan_summary import plan_summary
from tests.factories import make_org

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BOGOTA)


def clock() -> datetime:
    return NOW


@pytest.fixture
def org(session: Session) -> int:
    scope = make_org(session, "900123456", "a@uno.co")
    ledger.create_subscription(session=session, organization_id=scope.organization_id,
                               plan_code="sac_basico", anchor=date(2026, 1, 1))  # 30 a month
    return scope.organization_id


def test_reserve_commit_release_persist(session: Session, org: int) -> None:
    ledger.reserve(session=session, organization_id=org, document_key="FE-1",
                   document_kind=INVOICE, clock=clock)
    ledger.reserve(session=session, organization_id=org, document_key="FE-2",
                   document_kind=INVOICE, clock=clock)
    ledger.commit(session=session, organization_id=org, document_key="FE-1",
                  document_kind=INVOICE, clock=clock)
    ledger.release(session=session, organization_id=org, document_key="FE-2", clock=clock)
    bal = ledger.balance(session=session, organization_id=org, clock=clock)
    assert (bal.plan_used, bal.reserved, bal.plan_available) == (1, 0, 29)
    # a retried commit of the same document appends nothing
    assert ledger.commit(session=session, organization_id=org, document_key="FE-1",
                         document_kind=INVOICE, clock=clock) is None


def test_packs_after_plan_and_credit_once(session: Session, org: int) -> None:
    for _ in range(2):
        ledger.credit_pack(session=session, organization_id=org, pack_size=50, pack_count=1,
                           payment_reference="LGP-1", clock=clock)
    for n in range(31):
        ledger.commit(session=session, organization_id=org, document_key=f"FE-{n}",
                      document_kind=INVOICE, clock=clock)
    summary = plan_summary(session=session, organization_id=org, clock=clock)
    assert (summary.plan_used, summary.plan_available, summary.purchased_available) == (30, 0, 49)
    assert summary.monthly[-1] == ("nov 2026", 31)
    assert summary.monthly_purchased[-1] == ("nov 2026", 50)  # the retried credit counts once
    # next month: the plan is restored, the purchased documents left are kept
    later = plan_summary(session=session, organization_id=org,
                         clock=lambda: NOW + timedelta(days=15))
    assert (later.plan_available, later.purchased_available) == (30, 49)


def test_the_chart_counts_in_bogota_months(session: Session, org: int) -> None:
    late_october = datetime(2026, 10, 31, 23, 30, tzinfo=BOGOTA)  # November 1st in UTC
    ledger.commit(session=session, organization_id=org, document_key="FE-oct",
                  document_kind=INVOICE, clock=lambda: late_october)
    ledger.credit_pack(session=session, organization_id=org, pack_size=50, pack_count=2,
                       payment_reference="LGP-oct", clock=lambda: late_october)
    ledger.commit(session=session, organization_id=org, document_key="FE-nov",
                  document_kind=INVOICE, clock=clock)
    shown = plan_summary(session=session, organization_id=org, clock=clock)
    assert shown.monthly[-2:] == [("oct 2026", 1), ("nov 2026", 1)]
    assert shown.monthly_purchased[-2:] == [("oct 2026", 100), ("nov 2026", 0)]


def test_inactivity_forfeits_purchased_extraccion_keeps(session: Session, org: int) -> None:
    ledger.credit_pack(session=session, organization_id=org, pack_size=50, pack_count=2,
                       payment_reference="LGP-2", clock=clock)
    ledger.set_status(session=session, organization_id=org, status="extraccion", clock=clock)
    assert ledger.balance(session=session, organization_id=org,
                          clock=clock).purchased_available == 100
    ledger.set_status(session=session, organization_id=org, status="inactividad", clock=clock)
    assert ledger.balance(session=session, organization_id=org,
                          clock=clock).purchased_available == 0


def test_database_refuses_a_second_consumption_of_one_document(session: Session,
                                                               org: int) -> None:
    row = dict(organization_id=org, kind=PLAN_CONSUME, at=NOW, document_key="FE-9")
    session.add(LedgerMovement(**row))
    session.commit()
    session.add(LedgerMovement(**row))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_concurrent_consumers_never_overdraw(db_url: str, session: Session, org: int) -> None:
    """Eight threads race to issue 60 documents against 30 plan + 10 purchased units."""
    ledger.credit_pack(session=session, organization_id=org, pack_size=50, pack_count=1,
                       payment_reference="LGP-3", clock=clock)
    ledger.set_status(session=session, organization_id=org, status="inactividad", clock=clock)
    ledger.set_status(session=session, organization_id=org, status="activa", clock=clock)
    ledger.credit_pack(session=session, organization_id=org, pack_size=50, pack_count=1,
                       payment_reference="LGP-4", clock=clock)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(worker_id: int) -> None:
        with Session(get_engine(db_url)) as own:
            for n in range(8):
                key = f"FE-{(worker_id * 8 + n) % 60}"  # keys overlap between workers
                try:
                    ledger.reserve(session=own, organization_id=org, document_key=key,
                                   document_kind=INVOICE, clock=clock)
                    ledger.commit(session=own, organization_id=org, document_key=key,
                                  document_kind=INVOICE, clock=clock)
                    result = "ok"
                except ConflictError:
                    result = "refused"
                with lock:
                    outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    consumed = session.exec(select(LedgerMovement).where(
        LedgerMovement.kind.in_(["plan_consume", "pack_consume"]))).all()  # type: ignore[attr-defined]
    keys = [m.document_key for m in consumed]
    assert len(keys) == len(set(keys))  # no document counted twice
    bal = ledger.balance(session=session, organization_id=org, clock=clock)
    assert len(keys) == 30 + 50 - bal.purchased_available
    assert bal.plan_available >= 0 and bal.purchased_available >= 0
    assert len(outcomes) == 64
    counters, replayed = ledger.standing_audit(session=session, organization_id=org, clock=clock)
    assert counters == replayed  # the running counters kept up with every racing append
