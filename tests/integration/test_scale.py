"""Fault drills on the scaled topology (`make run-scale`): PostgreSQL started by the
launcher's own code, dedicated workflow workers, backends that only enqueue. A worker
killed with SIGKILL in the middle of an issue has its work finished by the other worker,
exactly once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from dbos import DBOS
from sqlmodel import Session, col, select

from loggro_app.db import get_engine
from loggro_app.migrate import upgrade
from loggro_app.models import IssueAttempt, LedgerMovement, SalesDocument
from loggro_app.scale_stack import PostgresProcess, start_worker
from loggro_app.services import issuing
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import (
    configure,
    customer_named,
    durable_running,
    invoice_draft,
    seed_seller,
)

pytestmark = pytest.mark.integration


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never reached: {what}")


@pytest.fixture(scope="module")
def scale_postgres() -> Iterator[PostgresProcess]:
    # Not under pytest's tmp folder: as root the server runs as the postgres user
    root = Path(tempfile.mkdtemp(prefix="loggro-scale-"))
    server = PostgresProcess(root / "pg").start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def scale_db(scale_postgres: PostgresProcess, link: DianLink, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = scale_postgres.url
    upgrade(url)
    configure(monkeypatch, tmp_path, url, link)
    # Shorter than in production so the drill lasts under two minutes; still four beats
    monkeypatch.setenv("LOGGRO_EXECUTOR_STALE_SECONDS", "20")
    yield url
    get_engine(url).dispose()


@pytest.fixture
def workers(scale_db: str, tmp_path: Path) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    started = {name: start_worker(name, dict(os.environ), tmp_path / "logs")
               for name in ("worker-1", "worker-2")}
    try:
        yield started
    finally:
        for process in started.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def row(session: Session, document_id: int) -> SalesDocument:
    session.expire_all()
    found = session.get(SalesDocument, document_id)
    assert found is not None
    return found


def documents_in_sandbox(base: str) -> int:
    return int(httpx.get(f"{base}/admin/stats").json()["documents"])


def test_a_worker_killed_mid_issue_has_its_work_finished_once_by_another(
        scale_db: str, workers: dict[str, subprocess.Popen[bytes]], sandbox_base: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loggro_app.durable import issuing as work

    with Session(get_engine(scale_db), expire_on_commit=False) as session:
        scope = seed_seller(session)
        document_id = invoice_draft(session, scope, customer_named(session, scope, "Fogón"))
        _, round_ = issuing.request_issue(session=session, scope=scope,
                                          document_id=document_id)
        before = documents_in_sandbox(sandbox_base)
        faults = f"{sandbox_base}/admin/faults"
        # DIAN takes the document and its answer is still on the way when the worker dies
        httpx.post(faults, json={"kind": "timeout", "seconds": 40, "count": 1,
                                 "operation": "SendBillSync"}).raise_for_status()
        monkeypatch.setenv("LOGGRO_WORKFLOW_ROLE", "web")  # this process: a web backend
        try:
            with durable_running() as me:
                wid = work.start_sync(scope.organization_id, document_id, round_)
                wait_for(lambda: session.exec(select(IssueAttempt).where(
                    IssueAttempt.document_id == document_id)).first() is not None
                    and documents_in_sandbox(sandbox_base) == before + 1, 60,
                    "the document sent to DIAN")
                status = DBOS.get_workflow_status(wid)
                assert status is not None and status.executor_id in workers, \
                    (me, status and status.executor_id)  # a worker issues, not the backend
                victim = status.executor_id
                os.kill(workers[victim].pid, signal.SIGKILL)
                workers[victim].wait(timeout=10)
                assert row(session, document_id).status != "accepted"
                # the other worker takes it once the victim's heartbeat is stale
                wait_for(lambda: row(session, document_id).attached_document is not None,
                         150, "the document accepted with its files")
                done = DBOS.get_workflow_status(wid)
                assert done is not None and done.status == "SUCCESS"
                survivor = next(name for name in workers if name != victim)
                assert done.executor_id == survivor
        finally:
            httpx.delete(faults)
        accepted = row(session, document_id)
        assert accepted.status == "accepted" and accepted.number is not None
        assert documents_in_sandbox(sandbox_base) == before + 1
        consumed = session.exec(select(LedgerMovement).where(
            LedgerMovement.organization_id == scope.organization_id,
            col(LedgerMovement.kind).in_(["plan_consume", "pack_consume"]))).all()
        assert len([m for m in consumed
                    if m.document_key == issuing.ledger_key(accepted)]) == 1
