"""Drill: a hotel PMS pushes documents at a steady rate against the running app; every
document must end accepted or refused with a reason, none lost, none duplicated.

    python bench/pms_drill.py [--rate 200] [--seconds 60] [--wait 10] [--postgres]
                              [--api-processes 1] [--workers 0]

The PMS simulator is the PMS (it receives the connection token and the signed webhooks);
its client module builds and pushes the folios' invoices (mixed guests: consumidor final,
Colombian, foreign with entry evidence; a share with an issue date DIAN refuses). A push
answered 429, 5xx or not at all is sent again with the same body (the intake is
idempotent), and counted. The app's API runs with DBOS in its own process (or, with
--api-processes N --workers M, as `make run-scale` runs it: N API processes sharing the
port that only queue the issuing, and M workflow workers at a lower priority). After the
pushes, waits up to --wait minutes for every document to end, then prints the PMS side
(answers, retries, webhooks received) and the app side (PmsIntake rows, SalesDocument by
status) and checks them. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pms_env import (  # noqa: E402
    HOT,
    AppProcess,
    database,
    documents_by_status,
    intake_counts,
    prepare,
    stand_ins,
    workflow_workers,
)

from loggro_app.standins.pms.client import (  # noqa: E402
    Folio,
    Guest,
    Resolution,
    build_invoice_payload,
    push,
    today_in_bogota,
)

RESOLUTION = Resolution(HOT.prefix, 1, 1_000_000, HOT.valid_from, HOT.valid_to)
RETRIED = {0, 429, 500, 502, 503, 504}


def folio_invoice(n: int, bad_every: int) -> dict[str, Any]:
    kind = ("final", "co", "co", "foreign", "co")[n % 5]
    guest = Guest(kind=kind, name=f"Huésped {n}" if kind != "final" else "",
                  id_number=("" if kind == "final" else
                             str(80_000_000 + n) if kind == "co" else f"P{n:08d}"),
                  email=f"h{n}@correo.example" if kind != "final" else "",
                  country_code="US" if kind == "foreign" else "CO", city="Miami"
                  if kind == "foreign" else "", address="Carrera 7 # 45-10",
                  entry_date=today_in_bogota() - timedelta(days=2) if kind == "foreign"
                  else None, migration_document=f"PIP-{n}" if kind == "foreign" else "")
    folio = Folio(f"D{n:06d}", nights=1 + n % 3, rate=Decimal("180000"), guest=guest,
                  breakfasts=n % 2, breakfast_price=Decimal("22000"),
                  minibar=Decimal("12000") if n % 4 == 0 else Decimal(0),
                  tip=Decimal("5000") if n % 7 == 0 else Decimal(0))
    bad = bad_every > 0 and n % bad_every == 0
    # a date far in the future: refused (FAB07b) naming the field, nothing stored
    return build_invoice_payload(folio, RESOLUTION, n,
                                 issue_date=date(2036, 1, 2) if bad else None)


@dataclass
class Pushes:
    answers: Counter[int] = field(default_factory=Counter)
    retries: Counter[int] = field(default_factory=Counter)  # by the status that caused them
    refused_without_reason: int = 0
    created: dict[str, int] = field(default_factory=dict)  # pms id -> number (201)
    again: set[str] = field(default_factory=set)  # pms ids answered 200
    refused: dict[str, str] = field(default_factory=dict)  # pms id -> reason (4xx)
    unanswered: list[str] = field(default_factory=list)


async def push_all(api: str, token: str, rate: float, seconds: float, bad_every: int,
                   max_tries: int) -> tuple[Pushes, float, float]:
    result = Pushes()
    total = int(rate * seconds)
    connections = 256
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    # What is sent but not yet on a connection waits here, not in httpx's pool: its queue
    # costs time per waiting request on every change, and thousands waiting (the app
    # behind the PMS's clock) took a whole core from this process.
    gate = asyncio.Semaphore(connections)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        async def one(n: int) -> None:
            payload = folio_invoice(n, bad_every)
            pms_id = payload["pms_document_id"]
            for attempt in range(max_tries):
                try:
                    async with gate:
                        status, body = await push(client, api, token, payload)
                except httpx.HTTPError:
                    status, body = 0, {}
                if status not in RETRIED:
                    break
                result.retries[status] += 1
                await asyncio.sleep(min(10.0, 0.5 * 2 ** attempt))
            result.answers[status] += 1
            if status == 201:
                result.created[pms_id] = n
            elif status == 200:
                result.again.add(pms_id)
            elif 400 <= status < 500 and status not in RETRIED:
                reasons = [e.get("message", "") for e in body.get("errors", [])]
                reason = "; ".join(r for r in reasons if r) or body.get("title", "")
                result.refused[pms_id] = reason
                if not reason:
                    result.refused_without_reason += 1
            else:
                result.unanswered.append(pms_id)

        started = time.perf_counter()
        tasks = []
        for n in range(1, total + 1):
            # open loop: the PMS sends on its own clock, whether or not we kept up
            delay = started + (n - 1) / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        sent_in = time.perf_counter() - started
        await asyncio.gather(*tasks)
    return result, sent_in, time.perf_counter() - started


def webhooks_received(pms_db: Path) -> dict[str, Counter[str]]:
    """The simulator's log: accepted webhooks' event types, by PMS document id."""
    found: dict[str, Counter[str]] = {}
    with sqlite3.connect(f"file:{pms_db}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT type, body FROM webhooks WHERE verdict = 'accepted'").fetchall()
    for kind, body in rows:
        try:
            data = json.loads(body or "{}")
        except ValueError:
            continue
        pms_id = _find(data, "pms_document_id")
        if pms_id:
            found.setdefault(pms_id, Counter())[kind] += 1
    return found


def _find(data: Any, key: str) -> str:
    if isinstance(data, dict):
        if key in data and isinstance(data[key], str):
            return data[key]
        for value in data.values():
            if found := _find(value, key):
                return found
    if isinstance(data, list):
        for value in data:
            if found := _find(value, key):
                return found
    return ""


def wait_for_connection(pms_url: str, token: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = httpx.get(pms_url + "/admin/state", timeout=10).json()
        if any(c.get("token") == token for c in state["connections"]):
            return
        time.sleep(0.5)
    raise RuntimeError("the connection token never reached the PMS simulator")


def settle(url: str, pms_db: Path, expected_webhooks: int, seconds: float) -> dict[str, int]:
    """Wait until no document is on its way and the PMS heard of every one (bounded),
    printing each minute how many ended: the issuing rate must not fall as data grows."""
    started = time.monotonic()
    deadline, next_line, ended_before = started + seconds, started + 60, 0
    while True:
        counts = documents_by_status(url)
        busy = sum(n for s, n in counts.items() if s not in ("accepted", "rejected"))
        heard = len(webhooks_received(pms_db))
        now = time.monotonic()
        if (busy == 0 and heard >= expected_webhooks) or now >= deadline:
            return counts
        if now >= next_line:
            ended = sum(counts.values()) - busy
            print(f"  {(now - started) / 60:4.0f} min: ended {ended} "
                  f"({(ended - ended_before) / 60:.1f}/s this minute), on their way {busy}, "
                  f"PMS heard {heard}", flush=True)
            next_line, ended_before = next_line + 60, ended
        time.sleep(5)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--wait", type=float, default=10, help="minutes, at most")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--bad-every", type=int, default=50,
                        help="every Nth document has an issue date DIAN refuses (0: none)")
    parser.add_argument("--tries", type=int, default=8)
    parser.add_argument("--api-processes", type=int, default=1,
                        help="API processes sharing the port")
    parser.add_argument("--workers", type=int, default=0,
                        help="workflow workers issuing apart from the API processes")
    parser.add_argument("--keep", default="",
                        help="a folder to keep the databases and logs in (app.log)")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    total = int(args.rate * args.seconds)
    # --keep: a new folder, left behind for a look at app.log and the databases
    with (nullcontext(args.keep) if args.keep
          else tempfile.TemporaryDirectory(prefix="pms-drill-")) as tmp:
        folder = Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        with stand_ins(folder / "stack") as stack, database(backend, folder) as url:
            hotel = prepare(url, folder, stack, range_to=max(5000, total + 100))
            role = {"LOGGRO_WORKFLOW_ROLE": "web"} if args.workers else {}
            with AppProcess(url, folder, stack, hotel, role, args.api_processes) as app, \
                    workflow_workers(args.workers, app.env, folder / "logs") as pids:
                wait_for_connection(hotel.pms_url, hotel.token)
                api = ", ".join(map(str, app.pids))
                print(f"{backend}: {total} documents at {args.rate:g}/s " + (
                    f"(API in {api}, issuing in workers {pids})" if pids
                    else f"(API + DBOS in {api})"))
                pushes, sent_in, answered_in = asyncio.run(push_all(
                    app.api, hotel.token, args.rate, args.seconds, args.bad_every, args.tries))
                pushed_at = time.monotonic()
                print(f"  pushed in {sent_in:.1f} s, the last answered after {answered_in:.1f} s"
                      f" ({total / answered_in:.1f} answers/s); answers "
                      f"{dict(sorted(pushes.answers.items()))}; retries "
                      f"{sum(pushes.retries.values())} {dict(sorted(pushes.retries.items()))}")
                pms_db = folder / "stack" / "pms" / "pms.db"
                counts = settle(url, pms_db, len(pushes.created), args.wait * 60)
                waited = time.monotonic() - pushed_at
                app_side = intake_counts(url)
                heard = webhooks_received(pms_db)
        return report(pushes, counts, app_side, heard, total, waited)


def report(pushes: Pushes, counts: dict[str, int], app_side: dict[str, Any],
           heard: dict[str, Counter[str]], total: int, waited: float) -> int:
    accepted, rejected = counts.get("accepted", 0), counts.get("rejected", 0)
    documents = sum(counts.values())
    on_their_way = documents - accepted - rejected
    types = Counter(t for c in heard.values() for t in c.elements())
    print(f"  PMS side: 201 {len(pushes.created)}, 200 {len(pushes.again)}, refused "
          f"{len(pushes.refused)} (without a reason {pushes.refused_without_reason}), "
          f"unanswered {len(pushes.unanswered)}; webhooks received for {len(heard)} "
          f"documents {dict(types)}")
    print(f"  app side: PmsIntake {app_side['intakes']} (documents "
          f"{app_side['documents']}), SalesDocument {documents} "
          f"{dict(sorted(counts.items()))}")
    print(f"  after {waited / 60:.1f} min: accepted {accepted}, rejected {rejected}, still "
          f"issuing {on_their_way}")
    ids = app_side["pms_ids"]
    checks = {
        "every push got an answer": not pushes.unanswered
        and sum(pushes.answers.values()) == total,
        "every refusal has a reason": pushes.refused_without_reason == 0,
        "every 201 has a document": set(pushes.created) <= ids,
        "nothing refused was stored": not (set(pushes.refused) & ids),
        "no duplicates (documents == distinct PMS ids == intakes)":
            documents == len(ids) == app_side["intakes"] == app_side["documents"],
        "every document ended (accepted or rejected)": on_their_way == 0,
        "all ended and the PMS heard of each": all(
            pid in heard for pid in ids) if on_their_way == 0 else False,
        "no document heard twice": all(sum(c.values()) == 1 for c in heard.values()),
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAIL'}] {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
