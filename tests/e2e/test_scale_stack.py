"""`make run-scale` as a person uses it: the launcher starts PostgreSQL, Redis, the stand-ins,
two workflow workers and two backends sharing their state in Redis; Chromium logs in and
issues an invoice, which a workflow worker (never a backend) gets accepted; SIGTERM to the
launcher stops every process it started, every port closed again."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, expect

from loggro_app.local_stack import free_port
from tests.conftest import ROOT
from tests.e2e.conftest import reflex_env, wait_until_up
from tests.e2e.helpers import DESKTOP, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice
from tests.e2e.test_sales_flows import SELLER, issue_and_open

pytestmark = pytest.mark.e2e
PORTS = ("PORT", "LOCALSTRIPE_PORT", "GATEWAY_PORT", "DIAN_SANDBOX_PORT", "SMTP_PORT",
         "SMTP_ADMIN_PORT", "PMS_SIMULATOR_PORT", "SCALE_PG_PORT", "SCALE_REDIS_PORT")


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    url: str
    ports: dict[str, int]
    log: Path


def _open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def run_scale() -> Iterator[Running]:
    # Not under pytest's tmp folder: as root PostgreSQL runs as the postgres user
    root = Path(tempfile.mkdtemp(prefix="loggro-run-scale-"))
    ports = {name: free_port() for name in PORTS}
    env = {**reflex_env("sqlite:///sin-uso"), **{k: str(v) for k, v in ports.items()},
           "LOGGRO_SCALE_DIR": str(root), "GRANIAN_WORKERS": "2", "WORKFLOW_WORKERS": "2"}
    log = root / "launcher.log"
    # The launcher compiles the frontend into the checkout's .web, which the browser tests'
    # app serves too, and the compiled pages hold the backend's address: keep that app's
    # build and put it back afterwards (`make run` and `make run-scale` run one at a time).
    build = ROOT / ".web" / "build"
    kept = root / "kept-build"
    if build.is_dir():
        shutil.copytree(build, kept, symlinks=True)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "loggro_app.scale_stack", "run"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{ports['PORT']}"
    try:
        wait_until_up(process, url, log, timeout=480)
        yield Running(process, url, ports, log)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if kept.is_dir():
            shutil.rmtree(build, ignore_errors=True)
            shutil.copytree(kept, build, symlinks=True)
        shutil.rmtree(root, ignore_errors=True)


def test_run_scale_issues_on_a_worker_and_stops_everything(
        run_scale: Running, browser: Browser, artifacts: Path) -> None:
    page = new_page(browser, DESKTOP)
    login(page, run_scale.url, SELLER[0], full_name=SELLER[1])
    start_invoice(page, run_scale.url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 2)
    issue_and_open(page)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=180_000)
    shot(page, artifacts, "escalado-factura-aceptada-desktop")
    # A reload reaches whichever backend: the session and the page are still there
    page.reload()
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=60_000)
    page.context.close()

    with psycopg.connect(host="127.0.0.1", port=run_scale.ports["SCALE_PG_PORT"],
                         user="postgres", dbname="loggro") as conn:
        executors = {row[0] for row in conn.execute(
            "SELECT executor_id FROM dbos.workflow_status WHERE workflow_uuid LIKE %s "
            "AND workflow_uuid NOT LIKE %s", ("org%-issue-%", "%-files"))}
    assert executors and executors <= {"worker-1", "worker-2"}, executors

    started = time.monotonic()
    os.kill(run_scale.process.pid, signal.SIGTERM)  # the launcher alone: it stops the rest
    assert run_scale.process.wait(timeout=90) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    assert time.monotonic() - started < 90
    still = [name for name, port in run_scale.ports.items() if _open(port)]
    assert still == [], (still, run_scale.log.read_text()[-3000:])
