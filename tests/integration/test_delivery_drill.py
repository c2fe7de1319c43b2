"""kill -9 of the process delivering a document's mail, between two recipients: after a
restart the recipient already served is not mailed again and the other one is delivered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from loggro_app.models import MailDelivery, Organization
from loggro_app.services import delivery
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import (
    configure,
    customer_named,
    durable_running,
    invoice_draft,
    issue,
    seed_seller,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SERVED, WAITING = "servida@elfogon.example", "demorada@elfogon.example"


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "tests.integration.mail_process", *args],
                                cwd=ROOT, env=dict(os.environ), stdout=out, stderr=out)


def rows(session: Session, document_id: int, round_name: str) -> dict[str, MailDelivery]:
    session.expire_all()
    return {r.email: r for r in session.exec(select(MailDelivery).where(
        MailDelivery.document_id == document_id, MailDelivery.round_name == round_name)).all()}


def wait(check, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the drill never reached the expected state")


def test_kill_9_mid_delivery_mails_nobody_twice(
        session: Session, db_url: str, link: DianLink, stack_env: dict[str, str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, db_url, link)
    scope = seed_seller(session)
    with durable_running():
        document = issue(session, scope, invoice_draft(session, scope,
                                                       customer_named(session, scope, "Fogón")))
    assert document.id is not None and document.status == "accepted"
    smtp = stack_env["LOGGRO_SMTP_ADMIN_URL"]
    httpx.post(f"{smtp}/admin/faults", json={"address": WAITING, "kind": "defer", "code": 451,
                                             "text": "4.3.2 Ocupado", "count": 1000})
    round_name, _ = delivery.request_resend(session=session, scope=scope,
                                            document_id=document.id, emails=[SERVED, WAITING])
    log = tmp_path / "mail.log"
    first = start([str(scope.organization_id), str(document.id), round_name], log)
    try:
        wait(lambda: rows(session, document.id, round_name)[SERVED].status == "accepted"
             and rows(session, document.id, round_name)[WAITING].status == "deferred")
        os.kill(first.pid, signal.SIGKILL)  # between the two: one served, one waiting
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
        httpx.delete(f"{smtp}/admin/faults")
    second = start([], log)  # same data folder: the same executor resumes its workflow
    try:
        wait(lambda: rows(session, document.id, round_name)[WAITING].status == "accepted", 90)
    finally:
        second.terminate()
        second.wait(timeout=20)
    served = rows(session, document.id, round_name)[SERVED]
    assert served.attempts == 1
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    found = httpx.get(f"{smtp}/admin/messages", params={"subject_prefix": org.nit,
                                                        "limit": 500}).json()
    messages = found["messages"] if isinstance(found, dict) else found
    number = f";{document.prefix}{document.number};"
    to_served = [m for m in messages if number in m["subject"] and SERVED in str(m["to"])]
    assert len(to_served) == 1
