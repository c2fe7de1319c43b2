"""CPU, time and SQL statements of one PMS intake, in this process, one after another.

    python bench/pms_intake_cpu.py [--n 100] [--rounds 8] [--backend postgres]

Starts the stand-ins and a new database, seeds La Ceiba as bench/pms_intake.py does, launches
DBOS as a backend of the scaled topology (it queues issuing, a worker would run it; none
runs here), then takes `rounds` rounds of `n` intakes: the token check and the intake as
the API runs them (`api.pms._authenticate`, `api.pms._receive`), each a new invoice with a
new guest. Prints, per intake, the CPU of this thread, the elapsed time and the statements
sent, as the minimum and the median over the rounds. HTTP, JSON and FastAPI are not
included: bench/pms_intake.py measures them with the rest.

The CPU of a round is this thread's own (`time.thread_time`), so it does not count
PostgreSQL's; this machine's speed varies from minute to minute, so compare two versions by
running them at the same time, each in its own checkout, rather than one after the other.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pms_env import database, prepare, stand_ins  # noqa: E402
from pms_intake import invoice  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="intakes per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(Engine, "before_cursor_execute", count)  # every engine: the app's, DBOS's
    with tempfile.TemporaryDirectory() as folder, \
            stand_ins(Path(folder) / "stack") as stack, \
            database(args.backend, Path(folder)) as url:
        hotel = prepare(url, Path(folder), stack, range_to=1_000_000)
        os.environ["LOGGRO_WORKFLOW_ROLE"] = "web"
        from loggro_app.api import pms as api
        from loggro_app.durable import engine
        from loggro_app.pms.schema import PmsDocumentIn

        engine.launch()
        numbers = itertools.count(1)
        base_url = "http://127.0.0.1/api/pms/v1"

        def one() -> None:
            connection = api._authenticate(hotel.token)
            document = PmsDocumentIn.model_validate(invoice(next(numbers)))
            assert api._receive(connection, document, None, base_url).created

        try:
            for _ in range(args.n):  # warm: caches, prepared statements, the pool
                one()
            cpu, wall, sent = [], [], []
            for _ in range(args.rounds):
                before = (time.thread_time(), time.perf_counter(), statements[0])
                for _ in range(args.n):
                    one()
                cpu.append((time.thread_time() - before[0]) * 1000 / args.n)
                wall.append((time.perf_counter() - before[1]) * 1000 / args.n)
                sent.append((statements[0] - before[2]) / args.n)
        finally:
            engine.shutdown()
    print(f"{args.backend}, {args.rounds} rounds of {args.n} intakes, per intake:")
    for name, values, unit in (("CPU", cpu, "ms"), ("elapsed", wall, "ms"),
                               ("statements", sent, "")):
        print(f"  {name:<11} min {min(values):6.2f} {unit:<2}  median "
              f"{statistics.median(values):6.2f} {unit}")


if __name__ == "__main__":
    main()
