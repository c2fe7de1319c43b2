"""The scaled topology's settings and its compose description: roles, how long a silent
executor is taken for alive, and what each container runs."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from loggro_app.durable import engine, upkeep

COMPOSE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"


def test_the_role_defaults_to_all_and_refuses_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGGRO_WORKFLOW_ROLE", raising=False)
    assert engine.role() == "all"
    monkeypatch.setenv("LOGGRO_WORKFLOW_ROLE", "web")
    assert engine.role() == "web"
    monkeypatch.setenv("LOGGRO_WORKFLOW_ROLE", "webs")
    with pytest.raises(RuntimeError, match="LOGGRO_WORKFLOW_ROLE"):
        engine.role()


def test_a_silent_executor_is_never_taken_for_dead_too_soon(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGGRO_EXECUTOR_STALE_SECONDS", raising=False)
    assert upkeep.stale_after() == upkeep.STALE_AFTER
    monkeypatch.setenv("LOGGRO_EXECUTOR_STALE_SECONDS", "20")
    assert upkeep.stale_after() == timedelta(seconds=20)
    monkeypatch.setenv("LOGGRO_EXECUTOR_STALE_SECONDS", "3")  # under four beats
    assert upkeep.stale_after() == timedelta(seconds=4 * upkeep.HEARTBEAT_SECONDS)


def _services() -> dict[str, dict]:  # type: ignore[type-arg]
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_workers_have_stable_distinct_executor_ids() -> None:
    services = _services()
    workers = {name: s for name, s in services.items() if name.startswith("worker")}
    assert len(workers) >= 2
    ids = [s["environment"]["LOGGRO_EXECUTOR_ID"] for s in workers.values()]
    assert sorted(ids) == sorted(workers)  # one per worker, named after it
    assert all(s["command"] == ["python", "-m", "loggro_app.durable.worker"]
               for s in workers.values())


def test_compose_backends_share_redis_and_leave_the_queues_to_the_workers() -> None:
    app = _services()["app"]
    env = app["environment"]
    assert env["LOGGRO_WORKFLOW_ROLE"] == "web"
    assert env["REFLEX_REDIS_URL"].startswith("redis://127.0.0.1:")
    assert "LOGGRO_EXECUTOR_ID" not in env  # several granian workers: one slot each
    assert env["REFLEX_DB_URL"].startswith("postgresql+psycopg://")


def test_compose_runs_modules_that_exist() -> None:
    for name, service in _services().items():
        command = service.get("command") or []
        text = " ".join(command) if isinstance(command, list) else command
        for word in text.replace("&&", " ").split():
            if word.startswith("loggro_app."):
                assert importlib.util.find_spec(word) is not None, (name, word)


def test_a_worker_in_its_own_session_yields_the_cores_to_the_backends() -> None:
    import os
    import subprocess
    import sys

    from loggro_app.scale_stack import lower_priority

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"],
                             start_new_session=True)
    try:
        lower_priority(child.pid, 10)
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == 10
        autogroup = Path(f"/proc/{child.pid}/autogroup")
        if autogroup.exists():  # a kernel with autogroups: the session is lowered too
            assert autogroup.read_text().split()[-1] == "10"
        before = os.getpriority(os.PRIO_PROCESS, os.getpid())
        lower_priority(os.getpid(), 0)  # 0: left as it is
        assert os.getpriority(os.PRIO_PROCESS, os.getpid()) == before
    finally:
        child.kill()
        child.wait()
