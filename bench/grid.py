"""The Relación de Transacciones de Venta grid with a large organization.

    python bench/grid.py [--documents 100000] [--others 10] [--runs 40] [--backends sqlite,postgres]

Fills a fresh database with one organization holding `--documents` issued documents over
two years, each with 10 history movements, plus `--others` organizations with a tenth of
that each; then times the grid's server work (the service call: count + one page) for the
first page, a customer filter inside a date range, and a sort by total; prints p50/p99 and
the resident memory of this process, which serves it as the backend would. Starts and stops
its own PostgreSQL on 127.0.0.1. Prints figures only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from loggro_app.core.clock import BOGOTA, to_utc  # noqa: E402
from loggro_app.db import get_engine  # noqa: E402
from loggro_app.migrate import upgrade  # noqa: E402
from loggro_app.models import DocumentMovement, Organization, SalesDocument  # noqa: E402
from loggro_app.services.sales_grid import GridFilter, grid_page  # noqa: E402
from loggro_app.services.scope import Scope  # noqa: E402

CUSTOMERS = [f"Cliente {n:04d} S.A.S." for n in range(2000)]
KINDS = ["FE"] * 8 + ["NC", "ND"]
STATUSES = ["accepted"] * 18 + ["rejected", "pending"]
MOVES = ["created", "numbered", "sent", "accepted", "mail_sent", "mail_sent", "event_030",
         "event_032", "event_033", "resent"]
TODAY = date(2026, 12, 2)


def organization(session: Session, n: int) -> int:
    org = Organization(legal_name=f"Empresa {n}", nit=f"90{n:07d}", dv=0,
                       municipality_code="11001", address="Calle 1",
                       created_at=to_utc(datetime.now(BOGOTA)))
    session.add(org)
    session.commit()
    assert org.id is not None
    return org.id


def fill(url: str, documents: int, others: int) -> int:
    rng = random.Random(7)
    engine = get_engine(url)
    with Session(engine) as session:
        main = organization(session, 1)
        orgs = [(main, documents)] + [(organization(session, n + 2), documents // 10)
                                      for n in range(others)]
    started = time.perf_counter()
    next_id = 1
    for org_id, count in orgs:
        for batch_start in range(0, count, 5000):
            docs, moves = [], []
            for n in range(batch_start, min(count, batch_start + 5000)):
                day = TODAY - timedelta(days=rng.randrange(730))
                at = to_utc(datetime(day.year, day.month, day.day, rng.randrange(7, 20),
                                     rng.randrange(60), tzinfo=BOGOTA))
                docs.append({
                    "id": next_id, "organization_id": org_id, "kind": rng.choice(KINDS),
                    "status": rng.choice(STATUSES), "step": "", "form_json": "{}",
                    "prefix": "FE", "number": n + 1, "invoice_type": "01", "issued_at": at,
                    "document_key": f"{rng.getrandbits(384):096x}",
                    "total": Decimal(rng.randrange(1000, 5_000_000)) / 100,
                    "currency": "COP", "customer_name": rng.choice(CUSTOMERS),
                    "zip_name": "", "dian_messages": "[]", "attempts": 1, "issue_round": 0,
                    "buyer_status": rng.choice(["", "acuse", "recibido",
                                                "confirmado_cliente"]),
                    "created_at": at, "updated_at": at,
                })
                moves += [{"organization_id": org_id, "document_id": next_id,
                           "at": at + timedelta(minutes=i), "kind": kind, "email": "",
                           "detail": "registro de prueba"} for i, kind in enumerate(MOVES)]
                next_id += 1
            with engine.begin() as conn:
                conn.execute(insert(SalesDocument), docs)
                conn.execute(insert(DocumentMovement), moves)
    if url.startswith("postgresql"):
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    print(f"  filled {next_id - 1} documents, {10 * (next_id - 1)} movements in "
          f"{time.perf_counter() - started:.0f} s")
    return main


def timed(url: str, scope: Scope, runs: int, **kw) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    samples, total = [], 0
    for _ in range(runs):
        with Session(get_engine(url)) as session:
            started = time.perf_counter()
            page = grid_page(session=session, scope=scope, **kw)
            samples.append((time.perf_counter() - started) * 1000)
            total = page.total
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1,
                                                   int(0.99 * len(samples)))], total


def bench(name: str, url: str, documents: int, others: int, runs: int) -> None:
    print(f"{name}:")
    upgrade(url)
    org_id = fill(url, documents, others)
    scope = Scope(org_id, 1, "admin", True)
    default = GridFilter(TODAY.replace(day=1) - timedelta(days=31), TODAY)
    cases = {
        "first page (2 months)": {"filters": default},
        "customer in a date range": {"filters": GridFilter(
            TODAY - timedelta(days=365), TODAY, customer="Cliente 0042")},
        "sort by total (2 years)": {"filters": GridFilter(TODAY - timedelta(days=730), TODAY),
                                    "sort": "total"},
        "page 200 (2 years)": {"filters": GridFilter(TODAY - timedelta(days=730), TODAY),
                               "page": 200},
    }
    timed(url, scope, 3, filters=default)  # warm the caches
    for label, kw in cases.items():
        p50, p99, total = timed(url, scope, runs, **kw)
        print(f"  {label:28s} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  ({total} matching)")
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"  resident memory of this process: {rss:.0f} MB")
    get_engine(url).dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=10)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for backend in args.backends.split(","):
            if backend == "sqlite":
                bench("SQLite", f"sqlite:///{folder / 'grid.db'}", args.documents,
                      args.others, args.runs)
            else:
                from tests.integration.postgres import postgres_server

                base = stack.enter_context(postgres_server())
                admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text('CREATE DATABASE "grid"'))
                admin.dispose()
                bench("PostgreSQL", f"{base}/grid", args.documents, args.others, args.runs)


if __name__ == "__main__":
    main()
