"""Throughput and response time of the PMS intake (POST /api/pms/v1/documents).

    python bench/pms_intake.py [--seconds 20] [--levels 8,32] [--backends sqlite,postgres]
                               [--wait 0] [--workers 0] [--api-processes 1] [--rates 100]

For each backend, starts the stand-ins and the app's API with DBOS in its own process
(bench/pms_app.py: granian, as the backend runs; the load generator's CPU is printed apart,
and it pushes with aiohttp, which takes about a third of httpx's CPU per request), then,
for each number of concurrent pushers,
pushes distinct invoices (distinct PMS ids and numbers, a new guest each) back to back for
the given seconds and prints the sustained intakes/s (201 answers) and p50/p99 of the HTTP
response time. Issuing goes on in the background against the DIAN sandbox; with --wait N
it waits up to N minutes for it and prints how many documents DIAN accepted.
With --workers N the API process only takes intakes and queues their issuing (as a backend
of `make run-scale`), and N workflow workers at a lower CPU priority (nice 10) issue them:
on a machine where both share the cores, people's requests come first. With
--api-processes N, N granian workers share the port (as N backend workers do).
With --rates R, pushes then arrive at R per second for the same seconds whatever the
answers (open loop), each response time counted from when its push was due: a rate the
app sustains shows as R intakes/s with a p99 that stays low; one it does not, as a p99
that grows with the run.
Target: >= 100 intakes/s sustained on PostgreSQL with p99 < 300 ms. Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pms_env import (  # noqa: E402
    HOT,
    AppProcess,
    database,
    documents_by_status,
    percentile,
    prepare,
    stand_ins,
    wait_until_settled,
    workflow_workers,
)

from loggro_app.standins.pms.client import (  # noqa: E402
    Folio,
    Guest,
    Resolution,
    build_invoice_payload,
)

RESOLUTION = Resolution(HOT.prefix, 1, 1_000_000, HOT.valid_from, HOT.valid_to)


STOLEN = -1  # not a process: the machine's steal time


def cpu_seconds() -> dict[int, tuple[str, float]]:
    """CPU time used so far by every process on the machine (name, user + system)."""
    # With the time the host gave to others (steal): on a shared machine the same code runs
    # slower when that grows, so runs are compared knowing it.
    found = {STOLEN: ("", psutil.cpu_times().steal)}
    for process in psutil.process_iter(["name", "cpu_times"]):
        times = process.info["cpu_times"]
        if times is not None:
            found[process.pid] = (process.info["name"] or "", times.user + times.system)
    return found


def cpu_shares(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]],
               groups: dict[str, list[int]], seconds: float) -> tuple[str, float]:
    """Cores used during the window by the API, the workers, this load generator,
    PostgreSQL, everything else and the host (steal); and the API's CPU seconds."""
    used: Counter[str] = Counter()
    owner = {pid: name for name, pids in groups.items() for pid in pids}
    for pid, (name, total) in after.items():
        spent = total - before.get(pid, (name, 0.0))[1]
        group = "stolen by the host" if pid == STOLEN else owner.get(pid) or (
            "postgres" if name.startswith("postgres") else "other")
        used[group] += spent
    each = {pid: after[pid][1] - before.get(pid, ("", 0.0))[1] for pid in groups.get("API", [])
            if pid in after}
    per_process = "/".join(f"{spent / seconds:.2f}" for spent in each.values())
    return "  ".join(f"{group} {used[group] / seconds:.2f}"
                     for group in [*groups, "postgres", "other", "stolen by the host"]) + \
        (f"  (API per process {per_process})" if len(each) > 1 else ""), used["API"]


def invoice(number: int) -> dict[str, Any]:
    guest = Guest(kind="co", name=f"Huésped Número {number}", id_number=str(70_000_000 + number),
                  email=f"huesped{number}@correo.example", address="Carrera 7 # 45-10")
    folio = Folio(f"B{number:06d}", nights=2, rate=Decimal("210000"), guest=guest,
                  breakfasts=2, breakfast_price=Decimal("25000"), minibar=Decimal("16000"))
    return build_invoice_payload(folio, RESOLUTION, number)


def _client(token: str, connections: int) -> aiohttp.ClientSession:
    """aiohttp (its HTTP parser in C) rather than httpx: the load generator shares the
    cores with the app, and httpx took about twice the CPU per push."""
    return aiohttp.ClientSession(
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        connector=aiohttp.TCPConnector(limit=connections),
        timeout=aiohttp.ClientTimeout(total=60))


class Pushes:
    """Invoices pushed on one session: each push's response time and status."""

    def __init__(self, client: aiohttp.ClientSession, api: str,
                 numbers: itertools.count[int]) -> None:
        self.client, self.api, self.numbers = client, api, numbers
        self.times: list[float] = []
        self.statuses: Counter[int] = Counter()

    async def push(self, since: float) -> None:
        """The next invoice; its time counted from `since` (when it was sent, or due)."""
        body = json.dumps(invoice(next(self.numbers))).encode()
        try:
            async with self.client.post(self.api + "/documents", data=body) as answer:
                await answer.read()
                status = answer.status
        except (TimeoutError, aiohttp.ClientError):
            status = 0
        self.times.append((time.perf_counter() - since) * 1000)
        self.statuses[status] += 1


async def push_for(api: str, token: str, pushers: int, seconds: float,
                   numbers: itertools.count[int]) -> tuple[list[float], Counter[int], float]:
    """Each pusher sends its next invoice as soon as the previous one is answered, on its
    own keep-alive connection."""
    async with _client(token, pushers) as client:
        pushes = Pushes(client, api, numbers)
        started = time.perf_counter()
        deadline = started + seconds

        async def pusher() -> None:
            while time.perf_counter() < deadline:
                await pushes.push(time.perf_counter())

        await asyncio.gather(*(pusher() for _ in range(pushers)))
        elapsed = time.perf_counter() - started
    return pushes.times, pushes.statuses, elapsed


async def push_at(api: str, token: str, rate: float, seconds: float,
                  numbers: itertools.count[int], connections: int = 64,
                  ) -> tuple[list[float], Counter[int], float]:
    """Pushes at a fixed rate whatever the answers (a PMS's folios arrive when guests check
    out, not when the last one is answered). Each response time counts from when its push
    was due, so a push held back by a busy app (no free connection among `connections`)
    counts its wait too."""
    async with _client(token, connections) as client:
        pushes = Pushes(client, api, numbers)
        started = time.perf_counter()
        tasks = []
        for n in range(int(rate * seconds)):
            due = started + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(pushes.push(due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return pushes.times, pushes.statuses, elapsed


def _line(label: str, times: list[float], statuses: Counter[int], elapsed: float,
          cores: tuple[str, float]) -> str:
    created = statuses.get(201, 0)
    # CPU per intake is steadier than intakes/s between runs on a machine whose speed drifts
    per_intake = f"; API CPU per intake {cores[1] * 1000 / created:.1f} ms" if created else ""
    others = {k: v for k, v in statuses.items() if k != 201}
    return (f"  {label}, {elapsed:4.1f} s: {created / elapsed:6.1f} intakes/s  "
            f"p50 {percentile(times, .5):6.1f} ms  p99 {percentile(times, .99):6.1f} ms  "
            f"| 201: {created}" + (f"  other: {dict(sorted(others.items()))}" if others else "")
            + f"\n      cores used: {cores[0]}{per_intake}")


def bench_backend(backend: str, folder: Path, levels: list[int], seconds: float,
                  wait_minutes: float, worker_count: int, api_processes: int,
                  rates: list[float]) -> None:
    folder.mkdir(parents=True)
    with stand_ins(folder / "stack") as stack, database(backend, folder) as url:
        hotel = prepare(url, folder, stack, range_to=1_000_000)
        numbers = itertools.count(1)
        role = {"LOGGRO_WORKFLOW_ROLE": "web"} if worker_count else {}
        with AppProcess(url, folder, stack, hotel, role, api_processes) as app, \
                workflow_workers(worker_count, app.env, folder / "logs") as pids:
            api = f"process{'es' if api_processes > 1 else ''} {', '.join(map(str, app.pids))}"
            where = (f"API in {api}, issuing in workers {pids}" if pids
                     else f"API + DBOS in {api}")
            print(f"{'SQLite' if backend == 'sqlite' else 'PostgreSQL'} ({where}):")
            asyncio.run(push_for(app.api, hotel.token, 4, 2, numbers))  # warm-up
            groups = {"API": app.pids, "workers": pids, "load generator": [os.getpid()]}
            for pushers in levels:
                before = cpu_seconds()
                times, statuses, elapsed = asyncio.run(
                    push_for(app.api, hotel.token, pushers, seconds, numbers))
                cores = cpu_shares(before, cpu_seconds(), groups, elapsed)
                print(_line(f"{pushers:>3} pushers", times, statuses, elapsed, cores))
            for rate in rates:
                before = cpu_seconds()
                times, statuses, elapsed = asyncio.run(
                    push_at(app.api, hotel.token, rate, seconds, numbers))
                cores = cpu_shares(before, cpu_seconds(), groups, elapsed)
                print(_line(f"{rate:g}/s arriving", times, statuses, elapsed, cores))
            counts = (wait_until_settled(url, wait_minutes * 60) if wait_minutes
                      else documents_by_status(url))
            total = sum(counts.values())
            print(f"  documents {total}: accepted by DIAN {counts.get('accepted', 0)}, "
                  f"rejected {counts.get('rejected', 0)}, still on their way "
                  f"{total - counts.get('accepted', 0) - counts.get('rejected', 0)}"
                  + (f" (after waiting up to {wait_minutes:g} min)" if wait_minutes else
                     " (at the end of the load; --wait N to wait)"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--levels", default="8,32",
                        help="concurrent pushers, each sending when answered ('' for none)")
    parser.add_argument("--rates", default="",
                        help="then pushes arriving at these fixed rates per second, e.g. 100")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--wait", type=float, default=0,
                        help="minutes to wait for DIAN's answers at the end")
    parser.add_argument("--workers", type=int, default=0,
                        help="workflow workers issuing apart from the API process")
    parser.add_argument("--api-processes", type=int, default=1,
                        help="API processes sharing the port")
    parser.add_argument("--keep", default="",
                        help="a folder to keep the databases and logs in (app.log)")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",") if n]
    rates = [float(r) for r in args.rates.split(",") if r]
    # --keep: a new folder, left behind for a look at app.log and the databases
    with (nullcontext(args.keep) if args.keep
          else tempfile.TemporaryDirectory(prefix="pms-bench-")) as tmp:
        for backend in args.backends.split(","):
            bench_backend(backend, Path(tmp) / backend, levels, args.seconds, args.wait,
                          args.workers, args.api_processes, rates)


if __name__ == "__main__":
    main()
