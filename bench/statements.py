"""Database statements and CPU time per issued document, the whole way: *Emitir*, the issuing
workflow, the files workflow (PDF, AttachedDocument) and the mail to the buyer.

    python bench/statements.py [--n 40] [--idle 10] [--backend postgres|sqlite]

Starts the stand-ins (DIAN sandbox, SMTP) and a throw-away PostgreSQL on 127.0.0.1 (or a
SQLite file), launches DBOS in this process, then:
1. counts the statements of an idle window of --idle seconds (the engine's polling: queues,
   notifications, schedules), to subtract from the run at the same rate;
2. issues --n invoices (3 lines) one after the other and waits until every workflow of the
   organization ended.
Prints, per document: statements by kind (INSERT/UPDATE/DELETE/SELECT/other) for the app's
tables and for DBOS's (schema `dbos`, or its own SQLite file), the commits, the CPU seconds
of this process (the app: web request, workflows, PDF, mail; not the sandbox nor the SMTP
server) and, on PostgreSQL, of the server's processes; and p50 wall milliseconds per step.
CPU and statements of the idle window are subtracted pro rata too. The figures feed
bench/scale_inputs.json. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from dbos import DBOS  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from loggro_app.db import get_engine  # noqa: E402
from loggro_app.durable import engine  # noqa: E402
from loggro_app.durable import issuing as work  # noqa: E402
from loggro_app.local_stack import LocalStack  # noqa: E402
from loggro_app.migrate import upgrade  # noqa: E402
from loggro_app.services import issuing  # noqa: E402
from loggro_app.settings import get_settings  # noqa: E402

KINDS = ("INSERT", "UPDATE", "DELETE", "SELECT")
DBOS_TABLE = re.compile(r'\b"?dbos"?\.|\bworkflow_status\b|\boperation_outputs\b|'
                        r'\bnotifications\b|\bworkflow_events\b|\bstreams\b', re.I)


class Tally:
    """Statements seen on every SQLAlchemy engine of the process, by database and kind."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.on = False

    def statement(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not self.on:
            return
        words = statement.lstrip().split(None, 1)
        verb = words[0].upper() if words else ""
        kind = verb if verb in KINDS else ("SELECT" if verb == "WITH" else "other")
        database = "dbos" if (DBOS_TABLE.search(statement)
                              or "dbos.sqlite" in str(conn.engine.url)) else "app"
        with self.lock:
            self.counts[(database, kind)] += 1

    def commit(self, conn) -> None:  # type: ignore[no-untyped-def]
        if not self.on:
            return
        database = "dbos" if "dbos.sqlite" in str(conn.engine.url) else "any"
        with self.lock:
            self.counts[(database, "COMMIT")] += 1

    def snapshot(self) -> Counter[tuple[str, str]]:
        with self.lock:
            return Counter(self.counts)


def server_cpu(port: int | None) -> float:
    """CPU seconds of the PostgreSQL server listening on `port` and its live backends."""
    if port is None:
        return 0.0
    for proc in psutil.process_iter(["cmdline"]):
        if f"-p {port} " in " ".join(proc.info["cmdline"] or []) + " ":
            total = 0.0
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    t = p.cpu_times()
                    total += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
            return total
    return 0.0


def own_cpu() -> float:
    t = psutil.Process().cpu_times()
    return t.user + t.system


def pending_of(organization_id: int) -> int:
    pending = DBOS.list_workflows(status=["PENDING", "ENQUEUED"], load_input=False,
                                  load_output=False)
    return sum(1 for w in pending if w.workflow_id.startswith(f"org{organization_id}-"))


class StepCpu:
    """CPU seconds of the calling thread inside each wrapped step function (thread_time, so
    the other threads' work is not counted)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, list[float]] = {}

    def wrap(self, module, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
        inner = getattr(module, name)

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                with self.lock:
                    self.seconds.setdefault(label, []).append(time.thread_time() - started)

        setattr(module, name, timed)

    def add(self, label: str, seconds: float) -> None:
        with self.lock:
            self.seconds.setdefault(label, []).append(seconds)


def step_times(workflow_ids: list[str]) -> dict[str, float]:
    by_step: dict[str, list[float]] = {}
    for wid in workflow_ids:
        for s in DBOS.list_workflow_steps(wid, load_output=False):
            if s["completed_at_epoch_ms"] and s["started_at_epoch_ms"]:
                by_step.setdefault(s["function_name"], []).append(
                    s["completed_at_epoch_ms"] - s["started_at_epoch_ms"])
    return {name: statistics.median(v) for name, v in by_step.items()}


def run(url: str, data_dir: Path, pg_port: int | None, n: int, idle: float) -> None:
    from loggro_app.core.sales import DocumentForm
    from loggro_app.services import sales
    from tests.integration.issuing_env import THREE_LINES, customer_named, seed_seller

    os.environ.update(LOGGRO_DATA_DIR=str(data_dir), REFLEX_DB_URL=url)
    get_settings.cache_clear()
    upgrade(url)
    with Session(get_engine(url), expire_on_commit=False) as session:
        scope = seed_seller(session)
        customer = customer_named(session, scope, "Fogón")
        assert customer.id is not None
        drafts = []
        for _ in range(n + 2):
            row = sales.save_draft(session=session, scope=scope,
                                   form=DocumentForm("FE", customer.id, THREE_LINES))
            assert row.id is not None
            drafts.append(row.id)
        # the CPU of saving one more draft, the first half of an intake
        started = time.thread_time()
        for _ in range(10):
            sales.save_draft(session=session, scope=scope,
                             form=DocumentForm("FE", customer.id, THREE_LINES))
        draft_cpu = (time.thread_time() - started) / 10

    from loggro_app.durable import delivery

    step_cpu = StepCpu()
    for name, label in (("_number", "number"), ("_reserve", "reserve"), ("_sign", "sign"),
                        ("_send", "send"), ("_settle", "settle"), ("_pdf", "pdf"),
                        ("_container", "container")):
        step_cpu.wrap(work, name, label)
    step_cpu.wrap(delivery, "_deliver", "mail")

    tally = Tally()
    event.listen(Engine, "before_cursor_execute", tally.statement)
    event.listen(Engine, "commit", tally.commit)
    engine.launch()
    try:
        def issue(document_id: int) -> str:
            started = time.thread_time()
            with Session(get_engine(url), expire_on_commit=False) as own:
                _, round_ = issuing.request_issue(session=own, scope=scope,
                                                  document_id=document_id)
            step_cpu.add("request_issue", time.thread_time() - started)
            wid = work.start_sync(scope.organization_id, document_id, round_)
            DBOS.retrieve_workflow(wid).get_result()
            return wid

        def settle_down(limit: float = 120) -> None:
            deadline = time.monotonic() + limit
            while pending_of(scope.organization_id) and time.monotonic() < deadline:
                time.sleep(0.2)

        for document_id in drafts[:2]:  # warm-up: connections, certificate, fonts
            issue(document_id)
        settle_down()

        tally.on = True
        idle_cpu, idle_pg = own_cpu(), server_cpu(pg_port)
        time.sleep(idle)
        idle_cpu, idle_pg = own_cpu() - idle_cpu, server_cpu(pg_port) - idle_pg
        idle_counts = tally.snapshot()
        tally.counts.clear()

        step_cpu.seconds.clear()
        cpu0, pg0, t0 = own_cpu(), server_cpu(pg_port), time.monotonic()
        ids = [issue(document_id) for document_id in drafts[2:]]
        settle_down()
        elapsed = time.monotonic() - t0
        cpu, pg = own_cpu() - cpu0, server_cpu(pg_port) - pg0
        counts = tally.snapshot()
        tally.on = False
        files = [f"{wid}-files" for wid in ids]
        steps = {**step_times(ids), **step_times(files)}
    finally:
        engine.shutdown()

    scale = elapsed / idle
    print(f"{n} documents in {elapsed:.1f} s; idle window {idle:.0f} s subtracted "
          f"pro rata ({scale:.2f}x)")
    print("per document (statements):")
    total_writes = 0.0
    for database in ("app", "dbos", "any"):
        row = []
        for kind in (*KINDS, "other", "COMMIT"):
            net = (counts[(database, kind)] - idle_counts[(database, kind)] * scale) / n
            if counts[(database, kind)]:
                row.append(f"{kind} {net:.1f}")
            if kind in ("INSERT", "UPDATE", "DELETE"):
                total_writes += max(net, 0.0)
        if row:
            print(f"  {database:>4}: " + ", ".join(row))
    print(f"  writes (INSERT+UPDATE+DELETE, app + dbos): {total_writes:.1f}")
    print(f"  idle polling: {sum(idle_counts.values()) / idle:.1f} statements/s per process")
    print(f"CPU per document: app process {cpu / n * 1000:.1f} ms"
          + (f", PostgreSQL server {pg / n * 1000:.1f} ms" if pg_port else ""))
    print(f"  less the idle rate: app process {(cpu - idle_cpu * scale) / n * 1000:.1f} ms"
          + (f", PostgreSQL server {(pg - idle_pg * scale) / n * 1000:.1f} ms"
             if pg_port else ""))
    print(f"idle CPU: app process {idle_cpu / idle * 1000:.0f} ms/s"
          + (f", PostgreSQL server {idle_pg / idle * 1000:.0f} ms/s" if pg_port else ""))
    print(f"CPU of saving a draft: {draft_cpu * 1000:.1f} ms")
    print("step CPU mean (ms, thread time): " + ", ".join(
        f"{k} {statistics.fmean(v) * 1000:.1f}" for k, v in step_cpu.seconds.items()))
    print("step p50 wall (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--idle", type=float, default=10)
    parser.add_argument("--backend", default="postgres", choices=("postgres", "sqlite"))
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        (folder / "stack").mkdir()
        local = stack.enter_context(LocalStack(log_dir=folder / "stack",
                                               app_url="http://127.0.0.1:9"))
        os.environ.update(local.env())
        os.environ["LOGGRO_RETRY_BASE_SECONDS"] = "1"
        data_dir = folder / "data"
        data_dir.mkdir()
        if args.backend == "sqlite":
            run(f"sqlite:///{data_dir / 'b.db'}", data_dir, None, args.n, args.idle)
            return
        from tests.integration.postgres import postgres_server

        base = stack.enter_context(postgres_server())
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "bench"'))
        admin.dispose()
        run(f"{base}/bench", data_dir, int(base.rsplit(":", 1)[1]), args.n, args.idle)


if __name__ == "__main__":
    main()
