"""Nothing stays *En cola* for ever: a workflow that ends in an unexpected error gets a new
round from the minute's sweep, a document whose workflow never started gets it started, a
plan that ran out while many documents were on their way rejects them with the reason,
and a document that keeps failing is given back to its user."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from dbos import DBOS
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from loggro_app.core.clock import system_clock, to_utc
from loggro_app.core.quota import NO_DOCUMENTS_LEFT
from loggro_app.durable import issuing as work
from loggro_app.models import DocumentMovement, SalesDocument
from loggro_app.services import issuing, issuing_sweep, ledger
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from tests.integration.issuing_env import (
    configure,
    customer_named,
    durable_running,
    invoice_draft,
    seed_seller,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def seller(session: Session, db_url: str, link: DianLink, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Scope:
    configure(monkeypatch, tmp_path, db_url, link)
    return seed_seller(session)


def _queued(session: Session, scope: Scope) -> int:
    document_id = invoice_draft(session, scope, customer_named(session, scope, "Fogón"))
    issuing.request_issue(session=session, scope=scope, document_id=document_id)
    return document_id


def _age(session: Session, document_id: int) -> None:
    """As if the document had been queued two minutes ago."""
    row = session.get(SalesDocument, document_id)
    assert row is not None
    row.updated_at = to_utc(system_clock() - timedelta(minutes=2))
    session.add(row)
    session.commit()


def _sweep() -> None:
    """One run of the scheduled sweep, as DBOS runs it."""
    DBOS.start_workflow(work.sweep_job, system_clock(), None).get_result()


def _row(session: Session, document_id: int) -> SalesDocument:
    session.expire_all()
    found = session.get(SalesDocument, document_id)
    assert found is not None
    return found


def test_a_workflow_that_failed_gets_a_new_round(
        session: Session, seller: Scope, monkeypatch: pytest.MonkeyPatch) -> None:
    document_id = _queued(session, seller)
    real = issuing.take_number
    failures = iter([True])

    def database_gone(**kwargs: object) -> int:
        if next(failures, False):
            raise OperationalError("UPDATE numbering", {}, Exception("database is locked"))
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(issuing, "take_number", database_gone)
    with durable_running():
        first = work.start_sync(seller.organization_id, document_id)
        with pytest.raises(OperationalError):
            DBOS.retrieve_workflow(first).get_result()
        assert _row(session, document_id).status == "queued"
        _sweep()  # a minute has not passed yet: the document is left alone
        assert DBOS.get_workflow_status(work.workflow_id(
            seller.organization_id, document_id, 1)) is None
        _age(session, document_id)
        _sweep()
        again = work.workflow_id(seller.organization_id, document_id, 1)
        assert DBOS.retrieve_workflow(again).get_result() == "accepted"
        DBOS.retrieve_workflow(f"{again}-files").get_result()
        _age(session, document_id)
        _sweep()  # accepted: nothing more to do
        assert DBOS.get_workflow_status(work.workflow_id(
            seller.organization_id, document_id, 2)) is None
    done = _row(session, document_id)
    assert done.status == "accepted" and done.issue_round == 1 and done.number is not None
    kinds = [m.kind for m in session.exec(select(DocumentMovement).where(
        DocumentMovement.document_id == document_id)).all()]
    assert kinds.count("restarted") == 1 and kinds.count("accepted") == 1


def test_a_document_whose_workflow_never_started_is_started(
        session: Session, seller: Scope) -> None:
    document_id = _queued(session, seller)  # queued, and the process died before the start
    _age(session, document_id)
    with durable_running():
        _sweep()
        wid = work.workflow_id(seller.organization_id, document_id)
        assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
        DBOS.retrieve_workflow(f"{wid}-files").get_result()
    assert _row(session, document_id).issue_round == 0


def test_no_documents_left_on_the_way_is_a_rejection_with_the_reason(
        session: Session, seller: Scope) -> None:
    document_id = _queued(session, seller)  # the checks passed: one document was left
    spent = 0
    while ledger.balance(session=session, organization_id=seller.organization_id
                         ).available_total > 0:  # others issued meanwhile took the rest
        ledger.commit(session=session, organization_id=seller.organization_id,
                      document_key=f"FE-other-{spent}", document_kind="invoice")
        spent += 1
    with durable_running():
        wid = work.start_sync(seller.organization_id, document_id)
        assert DBOS.retrieve_workflow(wid).get_result() == "rejected"
    row = _row(session, document_id)
    assert row.status == "rejected" and row.number is not None  # the number stays its own
    assert [["", NO_DOCUMENTS_LEFT]] == json.loads(row.dian_messages)


def test_a_document_that_keeps_failing_is_given_back(session: Session, seller: Scope) -> None:
    document_id = _queued(session, seller)
    for failed in range(issuing_sweep.RESTARTS):
        assert issuing_sweep.restart(session=session, document_id=document_id,
                                     failed_round=failed) == failed + 1
    # a sweep in another process that saw the old round starts nothing
    assert issuing_sweep.restart(session=session, document_id=document_id,
                                 failed_round=0) is None
    assert issuing_sweep.restart(session=session, document_id=document_id,
                                 failed_round=issuing_sweep.RESTARTS) is None
    row = _row(session, document_id)
    assert row.status == "rejected"
    assert issuing_sweep.GIVEN_BACK in row.dian_messages
