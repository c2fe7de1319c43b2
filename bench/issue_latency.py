"""Issue-to-accepted latency of the issuing workflow against the local DIAN sandbox.

    python bench/issue_latency.py [--per-level 64] [--levels 1,8,32] [--backends sqlite,postgres]

For each database backend and each number of concurrent issuers, issues invoices (3 lines)
of the demo organization that can sell and prints p50/p99 of the time from *Emitir*
(request_issue) to the accepted document, the sum of the workflow's step times, and the
engine's own share (the rest: checkpoints, scheduling). The PDF step is timed apart, per
page. Starts and stops its own sandbox (and PostgreSQL) on 127.0.0.1. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dbos import DBOS  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from loggro_app.core.clock import aware  # noqa: E402
from loggro_app.db import get_engine  # noqa: E402
from loggro_app.durable import engine  # noqa: E402
from loggro_app.durable import issuing as work  # noqa: E402
from loggro_app.local_stack import LocalStack  # noqa: E402
from loggro_app.migrate import upgrade  # noqa: E402
from loggro_app.models import SalesDocument  # noqa: E402
from loggro_app.services import issuing  # noqa: E402
from loggro_app.services.dian_link import DianLink  # noqa: E402
from loggro_app.settings import get_settings  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def steps_of(workflow_id: str) -> dict[str, float]:
    """Milliseconds each step took, by step name."""
    return {s["function_name"]: ((s["completed_at_epoch_ms"] or 0)
                                 - (s["started_at_epoch_ms"] or 0))
            for s in DBOS.list_workflow_steps(workflow_id, load_output=False)}


def run_level(url: str, scope, customer_id: int, issuers: int, count: int,  # type: ignore[no-untyped-def]
              show_steps: bool = False) -> None:
    from loggro_app.core.sales import DocumentForm
    from loggro_app.services import sales
    from tests.integration.issuing_env import THREE_LINES

    with Session(get_engine(url), expire_on_commit=False) as session:
        ids = []
        for _ in range(count):
            row = sales.save_draft(session=session, scope=scope,
                                   form=DocumentForm("FE", customer_id, THREE_LINES))
            assert row.id is not None
            ids.append(row.id)

    def one(document_id: int) -> tuple[float, float, dict[str, float], str]:
        started = datetime.now(UTC)
        with Session(get_engine(url), expire_on_commit=False) as own:
            _, round_ = issuing.request_issue(session=own, scope=scope, document_id=document_id)
        wid = work.start_sync(scope.organization_id, document_id, round_)
        status = DBOS.retrieve_workflow(wid).get_result()
        with Session(get_engine(url)) as own:
            row = own.get(SalesDocument, document_id)
            assert row is not None and row.accepted_at is not None
            accepted = aware(row.accepted_at)
        to_accepted = (accepted - started).total_seconds() * 1000
        steps = steps_of(wid)
        in_steps = sum(steps[name] for name in ("number", "reserve", "sign", "send"))
        return to_accepted, in_steps, steps, str(status)

    with ThreadPoolExecutor(issuers) as pool:
        results = list(pool.map(one, ids))
    totals = [r[0] for r in results]
    steps = [r[1] for r in results]
    engine_share = [t - s for t, s in zip(totals, steps, strict=True)]
    accepted = sum(1 for r in results if r[3] == "accepted")
    print(f"  {issuers:>3} concurrent: p50 {percentile(totals, .5):7.1f} ms  "
          f"p99 {percentile(totals, .99):7.1f} ms  | in steps p50 {percentile(steps, .5):7.1f}"
          f" ms  | engine and request p50 {percentile(engine_share, .5):6.1f} ms  "
          f"| accepted {accepted}/{len(results)}")
    if show_steps:
        names = list(results[0][2])
        print("      step p50 (ms): " + ", ".join(
            f"{n} {statistics.median(r[2].get(n, 0) for r in results):.1f}" for n in names))


def pdf_step(url: str, link: DianLink) -> None:
    from loggro_app.representation import GraphicData, SoftwareProvider, render_pdf

    with Session(get_engine(url)) as session:
        row = session.exec(select(SalesDocument).where(
            SalesDocument.status == "accepted")).first()
        assert row is not None
        document, built = issuing.built_of(session, row, link)
    data = GraphicData.of(document, unique_code=built.unique_code,
                          scheme_name=built.scheme_name, signed_at=document.issued_at,
                          provider=SoftwareProvider("900000000", "Loggro", "Loggro FE"),
                          dian_status="Aceptado")
    render_pdf(data)  # first render loads fonts and templates
    times = []
    for _ in range(10):
        started = time.perf_counter()
        render_pdf(data)
        times.append((time.perf_counter() - started) * 1000)
    print(f"  PDF step (1 page, 3 lines): p50 {statistics.median(times):.1f} ms per page")


def bench_backend(name: str, url: str, data_dir: Path, link: DianLink, levels: list[int],
                  per_level: int) -> None:
    from tests.integration.issuing_env import customer_named, seed_seller

    assert link.url is not None
    os.environ.update(LOGGRO_DATA_DIR=str(data_dir), REFLEX_DB_URL=url,
                      LOGGRO_DIAN_URL=link.url)
    get_settings.cache_clear()
    upgrade(url)
    with Session(get_engine(url), expire_on_commit=False) as session:
        scope = seed_seller(session)
        customer = customer_named(session, scope, "Fogón")
        assert customer.id is not None
    engine.launch()
    try:
        print(f"{name}:")
        run_level(url, scope, customer.id, 1, 4)  # warm-up: connections, certificate cache
        for issuers in levels:
            run_level(url, scope, customer.id, issuers, max(per_level, issuers),
                      show_steps=True)
        pdf_step(url, link)
    finally:
        engine.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-level", type=int, default=64)
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        stack_dir = folder / "stack"
        stack_dir.mkdir()
        local = stack.enter_context(LocalStack(log_dir=stack_dir, app_url="http://127.0.0.1:9"))
        link = DianLink(environment="sandbox", url=local.env()["LOGGRO_DIAN_URL"])
        for backend in args.backends.split(","):
            data_dir = folder / backend
            data_dir.mkdir()
            if backend == "sqlite":
                bench_backend("SQLite (embedded default)", f"sqlite:///{data_dir / 'b.db'}",
                              data_dir, link, levels, args.per_level)
            else:
                from tests.integration.postgres import postgres_server

                base = stack.enter_context(postgres_server())
                admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text('CREATE DATABASE "bench"'))
                admin.dispose()
                bench_backend("PostgreSQL", f"{base}/bench", data_dir, link, levels,
                              args.per_level)


if __name__ == "__main__":
    main()
