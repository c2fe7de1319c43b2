"""Crash drills: kill -9 of the process running the issuing work, at the two moments that
matter, then a restart. Every document ends accepted exactly once, its number kept, and the
quota consumed once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from loggro_app.models import IssueAttempt, LedgerMovement, SalesDocument
from loggro_app.services import issuing
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import configure, customer_named, invoice_draft, seed_seller

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def start_process(scope_org: int | None = None, document_id: int | None = None,
                  log: Path | None = None) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "tests.integration.issue_process"]
    if scope_org is not None and document_id is not None:
        args += [str(scope_org), str(document_id)]
    with (log or Path(os.devnull)).open("ab") as out:  # the child keeps its own copy
        return subprocess.Popen(args, cwd=ROOT, env=dict(os.environ), stdout=out, stderr=out)


def wait_for(check: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the drill never reached the expected state")


def kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill(process)


def row(session: Session, document_id: int) -> SalesDocument:
    session.expire_all()
    found = session.get(SalesDocument, document_id)
    assert found is not None
    return found


def documents_in_sandbox(base: str) -> int:
    return int(httpx.get(f"{base}/admin/stats").json()["documents"])


@pytest.mark.parametrize("moment", ["after_numbering", "while_dian_answers"])
def test_kill_9_then_restart_issues_exactly_once(
        moment: str, session: Session, db_url: str, link: DianLink, sandbox_base: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, db_url, link)
    scope = seed_seller(session)
    document_id = invoice_draft(session, scope, customer_named(session, scope, "Fogón"))
    issuing.request_issue(session=session, scope=scope, document_id=document_id)
    before = documents_in_sandbox(sandbox_base)
    faults = f"{sandbox_base}/admin/faults"
    if moment == "after_numbering":  # DIAN down: numbered, waiting to send
        httpx.post(faults, json={"kind": "http503", "count": 1000,
                                 "operation": "SendBillSync"}).raise_for_status()
    else:  # DIAN takes the document, and its answer is still on the way
        httpx.post(faults, json={"kind": "timeout", "seconds": 40, "count": 1,
                                 "operation": "SendBillSync"}).raise_for_status()
    log = tmp_path / "worker.log"
    first = start_process(scope.organization_id, document_id, log)
    try:
        if moment == "after_numbering":
            wait_for(lambda: row(session, document_id).status == "pending")
        else:
            wait_for(lambda: session.exec(select(IssueAttempt).where(
                IssueAttempt.document_id == document_id)).first() is not None
                and documents_in_sandbox(sandbox_base) == before + 1)
        kill(first)
    finally:
        stop(first)
        httpx.delete(faults)
    number = row(session, document_id).number
    assert number is not None and row(session, document_id).status != "accepted"
    second = start_process(log=log)  # same data folder: same executor id, its work resumes
    try:
        # the container is the last step: settled by then
        wait_for(lambda: row(session, document_id).attached_document is not None, 90)
    finally:
        stop(second)
    done = row(session, document_id)
    assert done.number == number
    assert documents_in_sandbox(sandbox_base) == before + 1
    consumed = session.exec(select(LedgerMovement).where(
        LedgerMovement.organization_id == scope.organization_id,
        col(LedgerMovement.kind).in_(["plan_consume", "pack_consume"]))).all()
    assert len([m for m in consumed if m.document_key == issuing.ledger_key(done)]) == 1
