"""Fault drills on the scaled topology (`make run-scale`): PostgreSQL started by the
launcher's own code, dedicated workflow workers, backends that only enqueue. A worker
killed with SIGKILL in the middle of an issue has its work finished by the other worker,
exactly once. A user's session outlives the backend that served it (Redis state).
PostgreSQL restarted under the PMS's folios: refused clearly (503), then recovered, nothing
lost. Redis restarted or crashed: users reconnect, their saved drafts kept."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
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
from loggro_app.scale_stack import PostgresProcess, RedisProcess, start_worker
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
ROOT = Path(__file__).resolve().parents[2]


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


_databases = itertools.count()


@pytest.fixture
def scale_db(scale_postgres: PostgresProcess, link: DianLink, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"loggro_scale_{next(_databases)}"  # each drill seeds its own
    scale_postgres.create_database(name)
    url = scale_postgres.url_for(name)
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


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()


def test_a_session_outlives_the_backend_that_served_it(
        db_url: str, session: Session, redis_server: RedisProcess, tmp_path: Path) -> None:
    import redis

    from tests.factories import make_org
    from tests.integration.state_process import DRAFT
    from tests.integration.test_session_state import EMAIL, PASSWORD

    make_org(session, "900123456", EMAIL, PASSWORD)
    env = {**os.environ, "REFLEX_DB_URL": db_url, "LOGGRO_DATA_DIR": str(tmp_path),
           "REFLEX_REDIS_URL": redis_server.url}
    tab = "tab-escalado-1"
    argv = [sys.executable, "-m", "tests.integration.state_process"]
    with (tmp_path / "first.log").open("wb") as log:  # the child keeps its own copy
        first = subprocess.Popen([*argv, "serve", tab], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    try:
        assert first.stdout is not None
        lines = []
        for line in first.stdout:  # the manager, the session token, then "busy"
            lines.append(line.decode().strip())
            if lines[-1] == "busy" or len(lines) > 3:
                break
        assert lines[0] == "StateManagerRedis", (lines, (tmp_path / "first.log").read_text())
        assert lines[-1] == "busy", lines
        session_token = lines[1]
        # the tab's state is in Redis, not in this machine's .states folder
        keys = redis.Redis.from_url(redis_server.url).keys(f"{tab}*")
        assert keys, "no state of the tab in Redis"
        os.killpg(first.pid, signal.SIGKILL)  # the backend dies in the middle of an event
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        if first.stdout is not None:
            first.stdout.close()
    started = time.monotonic()
    second = subprocess.run([*argv, "resume", tab, session_token], cwd=ROOT, env=env,
                            capture_output=True, timeout=120)
    assert second.returncode == 0, second.stderr.decode()[-3000:]
    found = json.loads(second.stdout.decode().strip().splitlines()[-1])
    assert found["manager"] == "StateManagerRedis"
    assert found["email"] == EMAIL and found["user_id"]  # still logged in
    assert found["draft"] == DRAFT  # what was saved stays; the event in flight is lost
    # the dead backend's lock on the tab expired instead of blocking it for good
    assert time.monotonic() - started < 60


def test_postgres_restarted_requests_fail_clearly_and_recover_with_nothing_lost(
        scale_db: str, scale_postgres: PostgresProcess,
        workers: dict[str, subprocess.Popen[bytes]], sandbox_base: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from loggro_app.api import pms as pms_api
    from loggro_app.api.problems import DATABASE_DOWN
    from loggro_app.services import pms_connection
    from loggro_app.services.secrets import secret_box
    from loggro_app.settings import get_settings
    from tests.integration.test_pms_api import Api, _numbers, folio

    secret_box.cache_clear()
    pms_api._limits.clear()
    monkeypatch.setenv("LOGGRO_WORKFLOW_ROLE", "web")  # this process: a web backend
    numbers = _numbers()
    first, second, during = next(numbers), next(numbers), next(numbers)
    with (Session(get_engine(scale_db), expire_on_commit=False) as session, Api() as api,
          durable_running()):
        monkeypatch.setenv("LOGGRO_PUBLIC_URL", api.url)
        get_settings.cache_clear()
        scope = seed_seller(session)
        saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                             pms_url="http://127.0.0.1:9")
        assert saved.token
        auth = {"Authorization": f"Bearer {saved.token}"}
        before = documents_in_sandbox(sandbox_base)

        def post(number: int) -> httpx.Response:
            return httpx.post(f"{api.url}/api/pms/v1/documents", json=folio(number),
                              headers=auth, timeout=30)

        def state(number: int) -> str:
            answer = httpx.get(f"{api.url}/api/pms/v1/documents/FOLIO-{number}",
                               headers=auth, timeout=30)
            return str(answer.json().get("state")) if answer.status_code == 200 else ""

        for number in (first, second):
            assert post(number).status_code == 201
        wait_for(lambda: state(first) == state(second) == "accepted", 120,
                 "the first folios accepted")

        session.close()  # this test's own reads start again on a new connection after
        scale_postgres.stop()
        try:
            asked = time.monotonic()
            refused = post(during)
            assert time.monotonic() - asked < 15  # told at once, not left hanging
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["detail"] == DATABASE_DOWN
            assert refused.headers["retry-after"].isdigit()
            read = httpx.get(f"{api.url}/api/pms/v1/documents/FOLIO-{first}", headers=auth,
                             timeout=30)
            assert read.status_code == 503
        finally:
            scale_postgres.start()

        # The PMS sends it again, as Retry-After asks; the workers reconnect by themselves
        wait_for(lambda: post(during).status_code in (200, 201), 60, "the API answering")
        wait_for(lambda: state(during) == "accepted", 150, "the folio accepted after")
        assert state(first) == state(second) == "accepted"
        for number in (first, second, during):
            rows = session.exec(select(SalesDocument).where(
                SalesDocument.prefix == "HOT", SalesDocument.number == number)).all()
            assert len(rows) == 1, (number, rows)
        assert documents_in_sandbox(sandbox_base) == before + 3
    secret_box.cache_clear()


@pytest.mark.parametrize("how", ["restart", "crash"])
def test_redis_restarted_users_reconnect_and_keep_their_saved_drafts(
        how: str, db_url: str, session: Session, redis_server: RedisProcess,
        tmp_path: Path) -> None:
    from loggro_app.seed import ENABLED_EMAIL
    from tests.integration.issuing_env import PASSWORD
    from tests.integration.state_process import DRAFT

    scope = seed_seller(session)
    customer = customer_named(session, scope, "Fogón")
    document_id = invoice_draft(session, scope, customer)
    env = {**os.environ, "REFLEX_DB_URL": db_url, "LOGGRO_DATA_DIR": str(tmp_path),
           "REFLEX_REDIS_URL": redis_server.url}
    with (tmp_path / "backend.log").open("wb") as log:
        backend = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.state_process", "survive",
             f"tab-{how}", ENABLED_EMAIL, PASSWORD, str(document_id)],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            start_new_session=True)
    assert backend.stdin is not None and backend.stdout is not None
    try:
        assert backend.stdout.readline().decode().strip() == "saved", \
            (tmp_path / "backend.log").read_text()[-3000:]
        assert redis_server.process is not None
        if how == "crash":  # whatever Redis had not written to disk is gone
            os.killpg(redis_server.process.pid, signal.SIGKILL)
            redis_server.process.wait()
        else:  # a clean restart: Redis writes its snapshot first
            redis_server.stop()
        redis_server.start()  # same port, same folder
        backend.stdin.write(b"go\n")
        backend.stdin.flush()
        line = backend.stdout.readline().decode().strip()
        assert line, (tmp_path / "backend.log").read_text()[-3000:]
        found = json.loads(line)
        backend.wait(timeout=30)
    finally:
        if backend.poll() is None:
            os.killpg(backend.pid, signal.SIGKILL)
            backend.wait()
        backend.stdin.close()
        backend.stdout.close()
    assert found["user_id"] == scope.user_id  # still logged in, by the browser's token
    assert found["document_status"] == "draft" and found["customer"] == customer.name
    # the page's unsaved typing lives in Redis: kept over a clean restart, not a crash
    assert found["page_draft"] == (DRAFT if how == "restart" else "")
    assert found["seconds"] < 30
