"""DBOS configuration and lifecycle for one backend process.

Embedded default: DBOS keeps its tables in its own SQLite file beside the app's (WAL), so
alembic never sees them. On PostgreSQL they live in schema `dbos` of the app's database.

Roles (LOGGRO_WORKFLOW_ROLE): `all` (default, `make run`: the one process does everything);
`web` (a backend of the scaled topology: it listens to none of the app's queues, so the
issuing it starts waits on a queue for a workflow worker); `worker` (`python -m
loggro_app.durable.worker`: serves nothing, dequeues every queue). DBOS 3.4 always lets
each launched process dequeue its internal queue (schedules, recovered work), so a
scheduled job may still run on a backend; what it starts in bulk goes on the queues.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

from dbos import DBOS, DBOSConfig

from loggro_app.private_files import create_private_file
from loggro_app.settings import Settings, get_settings

log = logging.getLogger(__name__)

# Pinned: by default DBOS hashes the workflow source, and one edited comment would orphan
# every workflow in flight. Bump it only when a workflow's steps change incompatibly.
APPLICATION_VERSION = "2026.12.1"
APPLICATION_NAME = "loggro"
MAX_SLOTS = 64

ROLES = ("all", "web", "worker")

_slot_file: IO[str] | None = None


def role() -> str:
    value = os.environ.get("LOGGRO_WORKFLOW_ROLE", "").strip() or "all"
    if value not in ROLES:
        raise RuntimeError(f"LOGGRO_WORKFLOW_ROLE debe ser uno de {', '.join(ROLES)}, "
                           f"no {value!r}")
    return value


def system_database_url(settings: Settings) -> str:
    if settings.db_url.startswith("sqlite"):
        return f"sqlite:///{settings.data_dir / 'dbos.sqlite'}"
    return settings.db_url


def shares_app_database(settings: Settings) -> bool:
    """DBOS's tables are in the app's own database (PostgreSQL): work can be queued in the
    transaction that stores what it works on."""
    return system_database_url(settings) == settings.db_url


def _sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def executor_id(settings: Settings) -> str:
    """A unique id for this process that a restarted process gets back.

    Two processes sharing an id would take over each other's running workflows (the step
    in flight would run twice at once), so each process holds an exclusive lock on one slot
    file; the lowest free slot is taken, which a restarted worker finds free again.
    LOGGRO_EXECUTOR_ID overrides it (a container orchestrator's stable pod name).
    """
    global _slot_file
    if explicit := os.environ.get("LOGGRO_EXECUTOR_ID"):
        return explicit
    host = socket.gethostname() or "localhost"
    folder = settings.data_dir / "executors"
    folder.mkdir(parents=True, exist_ok=True)
    for slot in range(MAX_SLOTS):
        path = folder / f"{host}-{slot}.lock"
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        if _slot_file is not None:
            _slot_file.close()
        _slot_file = handle  # held (and so locked) for the life of the process
        return f"{host}-{slot}"
    raise RuntimeError(f"Más de {MAX_SLOTS} procesos de trabajo en {host}.")


def config(settings: Settings, executor: str) -> DBOSConfig:
    url = system_database_url(settings)
    if (path := _sqlite_path(url)) is not None:
        create_private_file(path)
        with sqlite3.connect(path) as connection:  # WAL is a property of the file: once
            connection.execute("PRAGMA journal_mode=WAL")
    return {
        "name": APPLICATION_NAME,
        "system_database_url": url,
        "dbos_system_schema": "dbos",
        "application_version": APPLICATION_VERSION,
        "executor_id": executor,
        "notification_listener_polling_interval_sec": 0.2,
        "scheduler_polling_interval_sec": 5.0,
    }


def launch(settings: Settings | None = None) -> str:
    """Construct and launch DBOS in this process; returns the executor id."""
    from loggro_app.durable import (  # noqa: F401  (registers workflows)
        buyer_events,
        issuing,
        pms,
        purchase_events,
        reception,
        test_sets,
        upkeep,
    )

    settings = settings or get_settings()
    executor = executor_id(settings)
    DBOS(config=config(settings, executor))
    if role() == "web":  # the workers take the queued work; the backends answer people
        DBOS.listen_queues([])
    DBOS.launch()
    issuing.register_queues()
    buyer_events.register_queues()
    upkeep.start(settings)
    test_sets.resume_running()
    log.info("trabajo en segundo plano listo (%s)", executor)
    return executor


def shutdown() -> None:
    from loggro_app.durable import upkeep

    global _slot_file
    upkeep.stop()
    DBOS.destroy(workflow_completion_timeout_sec=2)
    if _slot_file is not None:  # frees the executor slot for the next process
        _slot_file.close()
        _slot_file = None


@asynccontextmanager
async def lifespan() -> AsyncIterator[None]:
    """The backend's lifespan task: DBOS runs while the backend does."""
    import asyncio

    await asyncio.to_thread(launch)
    try:
        yield
    finally:
        await asyncio.to_thread(shutdown)
