"""Issuing on PostgreSQL (DBOS in schema `dbos` of the app's database): 32 people issuing
at once get 32 distinct, consecutive numbers, each document accepted once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from dbos import DBOS
from sqlalchemy import text
from sqlmodel import Session, col, select

from loggro_app.db import get_engine
from loggro_app.durable import delivery as mail_work
from loggro_app.durable import issuing as work
from loggro_app.models import LedgerMovement, SalesDocument
from loggro_app.services import issuing
from loggro_app.services.delivery import FIRST_ROUND
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import (
    configure,
    customer_named,
    durable_running,
    invoice_draft,
    seed_seller,
)

pytestmark = pytest.mark.integration
ISSUERS = 32


def test_32_concurrent_issuers_get_distinct_consecutive_numbers(
        postgres_url: str, link: DianLink, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, postgres_url, link)
    with Session(get_engine(postgres_url), expire_on_commit=False) as session:
        scope = seed_seller(session)
        customer = customer_named(session, scope, "Fogón")
        ids = [invoice_draft(session, scope, customer) for _ in range(ISSUERS)]
    with durable_running():

        def issue(document_id: int) -> str:
            with Session(get_engine(postgres_url), expire_on_commit=False) as own:
                _, round_ = issuing.request_issue(session=own, scope=scope,
                                                  document_id=document_id)
            wid = work.start_sync(scope.organization_id, document_id, round_)
            result = str(DBOS.retrieve_workflow(wid).get_result())
            # The PDF and the mail run after acceptance: let them end before DBOS stops, or
            # their threads would keep PostgreSQL connections past the database's life.
            DBOS.retrieve_workflow(f"{wid}-files").get_result()
            DBOS.retrieve_workflow(mail_work.workflow_id(
                scope.organization_id, document_id, FIRST_ROUND)).get_result()
            return result

        with ThreadPoolExecutor(ISSUERS) as pool:
            results = list(pool.map(issue, ids))
    assert results == ["accepted"] * ISSUERS
    with Session(get_engine(postgres_url)) as session:
        rows = [session.get(SalesDocument, i) for i in ids]
        numbers = sorted(r.number for r in rows if r is not None and r.number is not None)
        assert numbers == list(range(numbers[0], numbers[0] + ISSUERS))
        consumed = session.exec(select(LedgerMovement).where(
            col(LedgerMovement.kind).in_(["plan_consume", "pack_consume"]))).all()
        assert sorted(m.document_key for m in consumed) == sorted(
            issuing.ledger_key(r) for r in rows if r is not None)
        # DBOS keeps its records beside the app's, in its own schema
        assert session.execute(text(
            "select count(*) from dbos.workflow_status")).scalar_one() >= ISSUERS
