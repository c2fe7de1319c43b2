"""The same code on PostgreSQL: a real database is configuration, never a code change."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from loggro_app.core import numbering as rules
from loggro_app.core.clock import BOGOTA
from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.errors import ConflictError, NotFoundError
from loggro_app.core.plans import INVOICE
from loggro_app.db import get_engine
from loggro_app.models import LedgerMovement
from loggro_app.seed import load_demo
from loggro_app.services import customers, ledger, numbering
from tests.factories import make_org

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BOGOTA)


@pytest.fixture
def pg(postgres_url: str):  # type: ignore[no-untyped-def]
    with Session(get_engine(postgres_url), expire_on_commit=False) as session:
        yield session


def test_migrations_match_the_models_on_postgres(postgres_url: str) -> None:
    with get_engine(postgres_url).connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []


def test_demo_data_and_scoping_on_postgres(pg: Session) -> None:
    assert load_demo(pg, password="Demo2026*") is True
    other = make_org(pg, "800197268", "b@dos.co")
    demo_customers = customers.list_customers(
        session=pg, scope=make_org(pg, "860069804", "c@tres.co"))
    assert demo_customers.total == 0
    row = customers.save_customer(session=pg, scope=other, data=CustomerData.parse(
        identification_type="13", identification_number="1017123456", name="Ana",
        address="Calle 1", municipality_code="05001", emails=["ana@correo.co"]))
    assert customers.list_customers(session=pg, scope=other, search="ana").total == 1
    intruder = make_org(pg, "890903938", "d@cuatro.co")
    with pytest.raises(NotFoundError):
        customers.get_customer(session=pg, scope=intruder, customer_id=row.id)


def test_ledger_concurrency_on_postgres(pg: Session, postgres_url: str) -> None:
    org = make_org(pg, "900123456", "a@uno.co").organization_id
    ledger.create_subscription(session=pg, organization_id=org, plan_code="sac_basico",
                               anchor=date(2026, 1, 1))  # 30 documents a month
    ledger.credit_pack(session=pg, organization_id=org, pack_size=50, pack_count=1,
                       payment_reference="LGP-1", clock=lambda: NOW)
    refused = []

    def worker(worker_id: int) -> None:
        with Session(get_engine(postgres_url)) as own:
            for n in range(12):
                key = f"FE-{(worker_id * 12 + n) % 90}"
                try:
                    ledger.reserve(session=own, organization_id=org, document_key=key,
                                   document_kind=INVOICE, clock=lambda: NOW)
                    ledger.commit(session=own, organization_id=org, document_key=key,
                                  document_kind=INVOICE, clock=lambda: NOW)
                except ConflictError:
                    refused.append(key)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    consumed = [m.document_key for m in pg.exec(select(LedgerMovement).where(
        LedgerMovement.kind.in_(["plan_consume", "pack_consume"]))).all()]  # type: ignore[attr-defined]
    assert len(consumed) == len(set(consumed)) == 80  # 30 plan + 50 purchased, never more
    bal = ledger.balance(session=pg, organization_id=org, clock=lambda: NOW)
    assert (bal.plan_available, bal.purchased_available, bal.reserved) == (0, 0, 0)
    assert refused
    counters, replayed = ledger.standing_audit(session=pg, organization_id=org,
                                               clock=lambda: NOW)
    assert counters == replayed  # the running counters kept up with every racing append


def test_number_allocation_never_repeats_on_postgres(pg: Session, postgres_url: str) -> None:
    scope = make_org(pg, "900123456", "a@uno.co")
    res = rules.Resolution("1", "FE", 1, 40, date(2026, 1, 1), date(2027, 1, 1))
    row = numbering.save_numbering(session=pg, scope=scope, name="FE", document_kind="FE",
                                   channel="NO_POS", resolution=res)
    numbering.verify_with_dian(session=pg, scope=scope, numbering_id=row.id,
                               fetch_ranges=lambda: [numbering.DianRange(res, "k")],
                               clock=lambda: NOW)
    taken: list[int] = []

    def worker() -> None:
        with Session(get_engine(postgres_url)) as own:
            for _ in range(6):
                try:
                    taken.append(numbering.allocate_number(session=own, scope=scope,
                                                           numbering_id=row.id,
                                                           clock=lambda: NOW))
                except ConflictError:
                    pass

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == list(range(1, 41))  # all 40, each once, then exhausted
