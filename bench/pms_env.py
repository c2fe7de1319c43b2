"""What the PMS benchmarks share: a fresh stand-in stack, a database (SQLite file or a
throw-away PostgreSQL), the organization that can sell with its PMS connection turned on,
and the app's API (plus DBOS) as a separate process on a free 127.0.0.1 port.

The hotel's demo range is HOT 1-5000; a run of tens of thousands of documents needs more,
so a wider resolution for the same prefix is registered at the sandbox and given to the
app's consecutive (same technical key, as the portal would after a new resolution).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import psutil
from sqlalchemy import create_engine, text
from sqlmodel import Session, col, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loggro_app.dian import demo_enabled  # noqa: E402
from loggro_app.local_stack import SERVICE_PATH, LocalStack, free_port, stop_group  # noqa: E402
from loggro_app.models import Numbering, PmsIntake, SalesDocument  # noqa: E402
from loggro_app.scale_stack import start_worker  # noqa: E402

WIDE_RESOLUTION = "18764000917399"  # a sandbox resolution for HOT wider than the demo's
HOT = next(r for r in demo_enabled.RESOLUTIONS if r.prefix == "HOT")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@contextmanager
def stand_ins(folder: Path) -> Iterator[dict[str, str]]:
    """The stand-ins (DIAN sandbox in memory, SMTP, PMS simulator...): their environment."""
    folder.mkdir(parents=True, exist_ok=True)
    with LocalStack(log_dir=folder, app_url="http://127.0.0.1:9") as stack:
        yield stack.env()


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A new, empty database URL for the backend ('sqlite' or 'postgres')."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'loggro.db'}"
        return
    from tests.integration.postgres import postgres_server

    with postgres_server() as base:
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "bench"'))
        admin.dispose()
        yield f"{base}/bench"


@dataclass(frozen=True)
class Hotel:
    organization_id: int
    connection_id: int
    push_round: int
    property_id: str
    token: str
    pms_url: str


def app_env(url: str, data_dir: Path, stack: dict[str, str], public_url: str) -> dict[str, str]:
    return {**os.environ, **stack, "REFLEX_DB_URL": url, "LOGGRO_DATA_DIR": str(data_dir),
            "LOGGRO_PUBLIC_URL": public_url,
            # the benchmark measures the intake, not the per-property limit
            "LOGGRO_PMS_RATE_PER_SECOND": "1000000", "LOGGRO_PMS_RATE_BURST": "1000000"}


def widen_hotel_range(session: Session, organization_id: int, dian_url: str,
                      range_to: int) -> None:
    base = dian_url.removesuffix(SERVICE_PATH)
    answer = httpx.post(base + "/admin/resolutions", timeout=10, json={
        "nit": demo_enabled.NIT, "number": WIDE_RESOLUTION, "prefix": HOT.prefix,
        "range_from": 1, "range_to": range_to, "valid_from": HOT.valid_from.isoformat(),
        "valid_to": HOT.valid_to.isoformat(), "technical_key": HOT.technical_key,
        "issued_at": demo_enabled.RESOLUTIONS_ISSUED_AT})
    answer.raise_for_status()
    row = session.exec(select(Numbering).where(
        Numbering.organization_id == organization_id, Numbering.prefix == HOT.prefix)).one()
    row.resolution_number, row.range_from, row.range_to = WIDE_RESOLUTION, 1, range_to
    row.next_number = 1
    session.add(row)
    session.commit()


def prepare(url: str, data_dir: Path, stack: dict[str, str], range_to: int) -> Hotel:
    """Migrations, La Ceiba seeded to sell, its HOT range widened, the PMS connection on
    (pointing at the simulator). Runs in this process with the app's environment."""
    from loggro_app.db import get_engine
    from loggro_app.migrate import upgrade
    from loggro_app.services import ledger, pms_connection
    from loggro_app.services.secrets import secret_box
    from loggro_app.settings import get_settings
    from tests.integration.issuing_env import seed_seller

    os.environ.update(app_env(url, data_dir, stack, "http://127.0.0.1:9"))
    get_settings.cache_clear()
    secret_box.cache_clear()
    upgrade(url)
    with Session(get_engine(url), expire_on_commit=False) as session:
        scope = seed_seller(session)
        widen_hotel_range(session, scope.organization_id, stack["LOGGRO_DIAN_URL"], range_to)
        # documents bought for the whole run: the drill measures issuing, not the plan's end
        ledger.credit_pack(session=session, organization_id=scope.organization_id,
                           pack_size=1000, pack_count=-(-range_to // 1000),
                           payment_reference="LGP-BENCH")
        saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                             pms_url=stack["LOGGRO_PMS_SIMULATOR_URL"])
        assert saved.token and saved.push_round and saved.connection.id
        return Hotel(scope.organization_id, saved.connection.id, saved.push_round,
                     saved.connection.property_id, saved.token,
                     stack["LOGGRO_PMS_SIMULATOR_URL"])


class AppProcess:
    """bench/pms_app.py in its own process: the API on a free port, served by `processes`
    granian workers, DBOS launched in each."""

    def __init__(self, url: str, data_dir: Path, stack: dict[str, str], hotel: Hotel,
                 extra_env: dict[str, str] | None = None, processes: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = self.base + "/api/pms/v1"
        self.env = {**app_env(url, data_dir, stack, self.base), **(extra_env or {})}
        self.hotel = hotel
        self.processes = processes
        self.log_path = data_dir / "app.log"
        self.children: list[subprocess.Popen[bytes]] = []
        self._logs: list[IO[bytes]] = []

    def __enter__(self) -> AppProcess:
        log = self.log_path.open("wb")
        self._logs.append(log)
        h = self.hotel
        self.children.append(subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "pms_app.py"), "--workers",
             str(self.processes), str(self.port), str(h.organization_id), str(h.connection_id),
             str(h.push_round)],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            if any(child.poll() is not None for child in self.children):
                raise RuntimeError(f"an app process ended; see {self.log_path}")
            try:
                if httpx.get(self.base + "/api/health", timeout=2).status_code == 200 and \
                        len(self.pids) > self.processes:  # granian's main + its workers
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {self.log_path}")
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        return self.children[0].pid

    @property
    def pids(self) -> list[int]:
        """Granian's main process and its workers."""
        main = psutil.Process(self.pid)
        return [self.pid, *(child.pid for child in main.children(recursive=True))]

    def __exit__(self, *_: object) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for log in self._logs:
            log.close()


@contextmanager
def workflow_workers(count: int, env: dict[str, str], log_dir: Path) -> Iterator[list[int]]:
    """`count` workflow workers, niced (as `make run-scale` starts them) so the API's
    requests get the cores first."""
    workers = [start_worker(f"worker-{n}", env, log_dir) for n in range(1, count + 1)]
    try:
        yield [worker.pid for worker in workers]
    finally:
        for worker in workers:
            stop_group(worker)


def documents_by_status(url: str) -> dict[str, int]:
    from loggro_app.db import get_engine

    with Session(get_engine(url)) as session:
        rows = session.exec(select(SalesDocument.status, func.count()).where(
            SalesDocument.origin == "alojamientos").group_by(
            col(SalesDocument.status))).all()
    return {str(status): int(n) for status, n in rows}


def intake_counts(url: str) -> dict[str, Any]:
    """PmsIntake rows, the distinct documents they point at and the PMS ids among them."""
    from loggro_app.db import get_engine

    with Session(get_engine(url)) as session:
        intakes = session.exec(select(func.count()).select_from(PmsIntake)).one()
        documents = session.exec(select(func.count(func.distinct(PmsIntake.document_id)))).one()
        ids = session.exec(select(PmsIntake.pms_document_id)).all()
        numbered = session.exec(select(func.count()).select_from(SalesDocument).where(
            SalesDocument.origin == "alojamientos")).one()
    return {"intakes": int(intakes), "documents": int(documents), "pms_ids": set(ids),
            "sales_documents": int(numbered)}


def wait_until_settled(url: str, seconds: float, poll: float = 5.0) -> dict[str, int]:
    """Wait (bounded) until no PMS document is still on its way; the final counts."""
    deadline = time.monotonic() + seconds
    while True:
        counts = documents_by_status(url)
        busy = sum(n for s, n in counts.items() if s not in ("accepted", "rejected"))
        if busy == 0 or time.monotonic() >= deadline:
            return counts
        time.sleep(poll)

