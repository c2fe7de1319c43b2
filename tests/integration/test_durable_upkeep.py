"""Durable work that outlives its process: the test set runs as a workflow and a run left
running is taken up at launch; a process that died for good has its work recovered by a
live one (heartbeats); finished records are cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from dbos import DBOS
from sqlmodel import Session, select

from loggro_app.core.clock import system_clock
from loggro_app.durable import test_sets, upkeep
from loggro_app.models import ExecutorHeartbeat, Organization, SalesDocument
from loggro_app.services import issuing, test_set
from loggro_app.services.dian_link import DianLink
from loggro_app.services.sandbox_portal import SandboxPortal
from loggro_app.services.scope import Scope
from tests.integration.conftest import SMALL_PLAN
from tests.integration.issuing_env import (
    configure,
    customer_named,
    durable_running,
    invoice_draft,
    seed_seller,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def configured(db_url: str, link: DianLink, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, db_url, link)


def test_the_test_set_runs_as_a_workflow_and_resumes_at_launch(
        session: Session, org: Scope, link: DianLink, configured: None) -> None:
    organization = session.get(Organization, org.organization_id)
    assert organization is not None
    portal = SandboxPortal.for_link(link)
    first = test_set.start_run(session=session, scope=org, plan=SMALL_PLAN,
                               test_set_id=portal.new_test_set(organization, link))
    assert first.id is not None
    # a run left "running" with no workflow (its start was lost): launch takes it up
    with durable_running():
        wid = test_sets.workflow_id(org.organization_id, first.id)
        assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
        session.expire_all()
        assert [i.status for i in test_set.items(session=session, run_id=first.id)] == \
            ["accepted"] * 5


def test_a_dead_process_work_is_recovered_by_a_live_one(
        session: Session, link: DianLink, sandbox_base: str, configured: None,
        tmp_path: Path) -> None:
    scope = seed_seller(session)
    document_id = invoice_draft(session, scope, customer_named(session, scope, "Fogón"))
    issuing.request_issue(session=session, scope=scope, document_id=document_id)
    faults = f"{sandbox_base}/admin/faults"
    httpx.post(faults, json={"kind": "http503", "count": 1000,
                             "operation": "SendBillSync"}).raise_for_status()
    env = {**os.environ, "LOGGRO_EXECUTOR_ID": "host-a-0"}
    with (tmp_path / "a.log").open("ab") as out:
        dead = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.issue_process",
             str(scope.organization_id), str(document_id)],
            cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        for _ in range(300):
            session.expire_all()
            row = session.get(SalesDocument, document_id)
            if row is not None and row.status == "pending":
                break
            time.sleep(0.1)
        os.kill(dead.pid, signal.SIGKILL)  # gone for good: it never comes back
        dead.wait(timeout=10)
    finally:
        if dead.poll() is None:
            dead.kill()
        httpx.delete(faults)
    assert session.get(ExecutorHeartbeat, "host-a-0") is not None
    with durable_running() as me:
        assert me != "host-a-0"
        assert upkeep.recover_dead_executors(system_clock()) == []  # still looks alive
        later = system_clock() + upkeep.STALE_AFTER + timedelta(seconds=5)
        assert upkeep.recover_dead_executors(later) == ["host-a-0"]
        for _ in range(300):
            session.expire_all()
            row = session.get(SalesDocument, document_id)
            if row is not None and row.status == "accepted":
                break
            time.sleep(0.1)
        assert row is not None and row.status == "accepted"
        assert session.exec(select(ExecutorHeartbeat).where(
            ExecutorHeartbeat.executor_id == "host-a-0")).first() is None


def test_finished_work_is_deleted_after_its_retention(
        session: Session, configured: None) -> None:
    scope = seed_seller(session)
    document_id = invoice_draft(session, scope, customer_named(session, scope, "Fogón"))
    _, round_ = issuing.request_issue(session=session, scope=scope, document_id=document_id)
    from loggro_app.durable import issuing as work

    with durable_running():
        wid = work.start_sync(scope.organization_id, document_id, round_)
        assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
        DBOS.retrieve_workflow(f"{wid}-files").get_result()
        assert upkeep.delete_finished(timedelta(days=30)) == 0  # too recent to go
        gone = upkeep.delete_finished(timedelta(days=30),
                                      now=system_clock() + timedelta(days=31))
        assert gone >= 2
        assert DBOS.list_workflows(workflow_id_prefix=wid) == []
    session.expire_all()
    row = session.get(SalesDocument, document_id)
    assert row is not None and row.status == "accepted"  # the document itself stays
