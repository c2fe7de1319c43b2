"""A discrete-event simulation of the issuing pipeline at national scale.

    python bench/scale_model.py [--rate 10000] [--sweep 100,1000,10000] [--seconds 6]
                                [--inputs bench/scale_inputs.json] [--seed 1]
                                [--org-concurrency N] [--pooled] [--split-files]
                                [--dian-p50-ms MS --dian-p99-ms MS]

Each document: intake on a web core → the issuing queue, partitioned by organization (at
most `org_concurrency` of one organization at once) and served by worker slots → number and
reserve (database), build + sign (CPU), the DIAN call (a latency, no CPU; at most
`dian_connections` in flight in all) and settle → *aceptado* → the files queue (PDF and
AttachedDocument, CPU) → the mail (one SMTP connection per message). Worker processes have
`cores_per_process` cores each, and a document's CPU waits for a core of the process whose
slot it holds (--pooled: one pool of cores; --split-files: the files and the mail on
processes of their own).

The per-document service times and database figures come from bench/scale_inputs.json,
which names the command each was measured with. Organizations send with a Zipf skew (a few
big ones send much more). The deployment is sized from the offered load (cores = rate × CPU
seconds / target utilisation; slots by Little's law) and the simulation then checks it:
utilisation, p50/p95/p99 from intake to DIAN's acceptance, queue depths, PostgreSQL
writes/s. Standard library only; deterministic for a seed; the simulated span is capped so
that a run takes seconds.
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import itertools
import json
import math
import os
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INPUTS = Path(__file__).with_name("scale_inputs.json")

# ---------------------------------------------------------------------------------------
# The engine: processes are generators that yield commands to a heap of timed events.
# ---------------------------------------------------------------------------------------

Process = Generator[tuple[Any, ...], Any, None]


class Resource:
    """`capacity` identical servers with one FIFO line; tracks busy time and line length
    as time averages (for utilisation and Little's law)."""

    def __init__(self, sim: Simulation, name: str, capacity: int) -> None:
        self.sim, self.name, self.capacity = sim, name, capacity
        self.busy = 0
        self.line: deque[Process] = deque()
        self.max_line = 0
        self._last = 0.0
        self.busy_area = 0.0  # ∫ busy dt
        self.line_area = 0.0  # ∫ len(line) dt

    def _account(self) -> None:
        now = self.sim.now
        self.busy_area += self.busy * (now - self._last)
        self.line_area += len(self.line) * (now - self._last)
        self._last = now

    def reset_stats(self) -> None:
        self._account()
        self.busy_area = self.line_area = 0.0
        self.max_line = len(self.line)

    def acquire(self, proc: Process) -> bool:
        self._account()
        if self.busy < self.capacity:
            self.busy += 1
            return True
        self.line.append(proc)
        self.max_line = max(self.max_line, len(self.line))
        return False

    def release(self) -> None:
        self._account()
        if self.line:
            self.sim.resume(self.line.popleft())  # the slot passes to the next in line
        else:
            self.busy -= 1

    def utilisation(self, span: float) -> float:
        self._account()
        return self.busy_area / (span * self.capacity) if span > 0 else 0.0

    def mean_line(self, span: float) -> float:
        self._account()
        return self.line_area / span if span > 0 else 0.0


class Simulation:
    """Commands a process yields: ("wait", seconds), ("get", resource), ("put", resource)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._heap: list[tuple[float, int, Process]] = []
        self._order = itertools.count()

    def start(self, proc: Process, delay: float = 0.0) -> None:
        heapq.heappush(self._heap, (self.now + delay, next(self._order), proc))

    def resume(self, proc: Process) -> None:
        self.start(proc, 0.0)

    def run(self, until: float) -> None:
        heap = self._heap
        while heap and heap[0][0] <= until:
            self.now, _, proc = heapq.heappop(heap)
            self._step(proc)
        if until != math.inf:
            self.now = until

    def _step(self, proc: Process) -> None:
        while True:
            try:
                command = next(proc)
            except StopIteration:
                return
            what = command[0]
            if what == "wait":
                heapq.heappush(self._heap, (self.now + command[1], next(self._order), proc))
                return
            if what == "get":
                if not command[1].acquire(proc):
                    return  # resumed by release() holding the slot
            elif what == "put":
                command[1].release()
            else:
                raise ValueError(f"unknown command {command!r}")


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---------------------------------------------------------------------------------------
# M/M/c: the case the tests check the engine against.
# ---------------------------------------------------------------------------------------

def erlang_c_wait(arrival: float, service_rate: float, servers: int) -> float:
    """Mean wait in line of an M/M/c queue (Erlang C)."""
    load = arrival / service_rate
    rho = load / servers
    if rho >= 1:
        return math.inf
    term = 1.0
    total = 1.0
    for k in range(1, servers):
        term *= load / k
        total += term
    last = term * load / servers / (1 - rho)
    p_wait = last / (total + last)
    return p_wait / (servers * service_rate - arrival)


@dataclass
class MMcResult:
    mean_wait: float
    mean_sojourn: float
    mean_in_system: float  # time average
    throughput: float
    utilisation: float


def simulate_mmc(arrival: float, service_rate: float, servers: int, customers: int,
                 seed: int = 1, warmup: int = 1000) -> MMcResult:
    sim = Simulation()
    rng = random.Random(seed)
    servers_ = Resource(sim, "servers", servers)
    waits: list[float] = []
    sojourns: list[float] = []
    inside = [0]
    area = [0.0, 0.0]  # ∫ inside dt, last change

    def count(delta: int) -> None:
        area[0] += inside[0] * (sim.now - area[1])
        area[1] = sim.now
        inside[0] += delta

    def customer(n: int) -> Process:
        arrived = sim.now
        count(1)
        yield ("get", servers_)
        started = sim.now
        yield ("wait", rng.expovariate(service_rate))
        yield ("put", servers_)
        count(-1)
        if n >= warmup:
            waits.append(started - arrived)
            sojourns.append(sim.now - arrived)

    def source() -> Process:
        for n in range(customers + warmup):
            if n == warmup:
                servers_.reset_stats()
                count(0)
                area[0] = 0.0
                marks.append(sim.now)
            sim.start(customer(n))
            yield ("wait", rng.expovariate(arrival))
        marks.append(sim.now)

    marks: list[float] = []
    sim.start(source())
    sim.run(math.inf)
    count(0)
    span = sim.now - marks[0]  # to the last departure
    return MMcResult(mean_wait=sum(waits) / len(waits),
                     mean_sojourn=sum(sojourns) / len(sojourns),
                     mean_in_system=area[0] / span,
                     throughput=len(sojourns) / span,
                     utilisation=servers_.utilisation(span))


# ---------------------------------------------------------------------------------------
# The issuing pipeline.
# ---------------------------------------------------------------------------------------

def load_inputs(path: Path = INPUTS) -> dict[str, Any]:
    """{name: value} from the JSON, whose entries are {"value": ..., "command": ...}."""
    raw = json.loads(path.read_text())
    return {name: entry["value"] for name, entry in raw.items() if isinstance(entry, dict)}


def lognormal(rng: random.Random, mean: float, cv: float) -> Callable[[], float]:
    """A sampler with the given mean and coefficient of variation (cv 0: constant)."""
    if cv <= 0:
        return lambda: mean
    sigma = math.sqrt(math.log(1 + cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    return lambda: rng.lognormvariate(mu, sigma)


def lognormal_p50_p99(rng: random.Random, p50: float, p99: float) -> Callable[[], float]:
    """A sampler fitted to two measured percentiles."""
    sigma = math.log(p99 / p50) / 2.3263  # z of the 99th percentile
    mu = math.log(p50)
    return lambda: rng.lognormvariate(mu, sigma)


@dataclass
class Plan:
    """The deployment the simulation runs: sized from the offered load by `size`."""

    web_cores: int
    worker_cores: int
    issuing_slots: int
    files_slots: int
    mail_slots: int
    dian_connections: int
    org_concurrency: int
    # worker processes of this many cores each, each its own CPU line; 0: one pool of cores
    cores_per_process: int = 0
    # cores of processes that only make files and mail; 0: the worker processes do it too
    files_cores: int = 0
    loads: dict[str, float] = field(default_factory=dict)  # offered load, in cores

    @property
    def worker_processes(self) -> int:
        if not self.cores_per_process:
            return 1
        return math.ceil(self.worker_cores / self.cores_per_process)

    @property
    def files_processes(self) -> int:
        if not self.files_cores:
            return 0
        if not self.cores_per_process:
            return 1
        return math.ceil(self.files_cores / self.cores_per_process)


def ms(inputs: dict[str, Any], name: str) -> float:
    return float(inputs[name]) / 1000.0


def cpu_per_document(inputs: dict[str, Any]) -> dict[str, float]:
    """CPU seconds per document, by stage."""
    return {
        "intake": ms(inputs, "intake_cpu_ms"),
        "issue steps (number, reserve, settle)": ms(inputs, "issue_steps_cpu_ms"),
        "build + sign": ms(inputs, "sign_cpu_ms"),
        "DIAN call (client side)": ms(inputs, "send_cpu_ms"),
        "PDF + AttachedDocument": ms(inputs, "pdf_cpu_ms") + ms(inputs, "container_cpu_ms"),
        "mail": ms(inputs, "mail_cpu_ms"),
        "workflow engine (checkpoints, queues)": ms(inputs, "engine_cpu_ms"),
    }


def issuing_hold(inputs: dict[str, Any]) -> float:
    """Mean seconds a document holds an issuing slot when nothing waits for a core: the
    steps' wall time (their CPU included), the engine's and the client's CPU, signing and
    the DIAN call (the mean of the lognormal fitted to its p50 and p99)."""
    sigma = math.log(inputs["dian_p99_ms"] / inputs["dian_p50_ms"]) / 2.3263
    return (max(ms(inputs, "issue_steps_wall_ms"), ms(inputs, "issue_steps_cpu_ms"))
            + ms(inputs, "engine_cpu_ms") + ms(inputs, "send_cpu_ms")
            + ms(inputs, "sign_cpu_ms") + ms(inputs, "dian_p50_ms") * math.exp(sigma**2 / 2))


FILES_STAGES = ("PDF + AttachedDocument", "mail")


def size(inputs: dict[str, Any], rate: float, target: float = 0.7,
         org_concurrency: int | None = None, split_files: bool = False) -> Plan:
    """Cores and slots for `rate` documents/s at `target` utilisation; with `split_files`
    the files and the mail get processes of their own."""
    cpu = cpu_per_document(inputs)
    web_load = rate * cpu["intake"]
    worker_load = rate * sum(v for k, v in cpu.items() if k != "intake"
                             and not (split_files and k in FILES_STAGES))
    files_load = rate * sum(cpu[k] for k in FILES_STAGES) if split_files else 0.0
    files_hold = ms(inputs, "pdf_cpu_ms") + ms(inputs, "container_cpu_ms")
    mail_hold = ms(inputs, "mail_wall_ms")
    hold = issuing_hold(inputs)
    return Plan(
        web_cores=max(1, math.ceil(web_load / target)),
        worker_cores=max(1, math.ceil(worker_load / target)),
        # slots hold a document through waits (DIAN, database): Little's law, with room
        issuing_slots=max(1, math.ceil(rate * hold / target)),
        files_slots=max(1, math.ceil(rate * files_hold / target)),
        mail_slots=max(1, math.ceil(rate * mail_hold / target)),
        dian_connections=max(1, math.ceil(rate * ms(inputs, "dian_p50_ms") * 2 / target)),
        org_concurrency=org_concurrency or int(inputs["org_concurrency"]),
        cores_per_process=int(inputs["cores_per_process"]),
        files_cores=math.ceil(files_load / target),
        loads={"web (intake)": web_load,
               ("workers (issuing)" if split_files else "workers (everything else)"):
                   worker_load,
               **({"files (PDF, AttachedDocument, mail)": files_load}
                  if split_files else {}),
               **{k: rate * v for k, v in cpu.items()}})


def zipf_picker(rng: random.Random, organizations: int,
                exponent: float) -> tuple[Callable[[], int], float]:
    """A sampler of organization ranks (0 the biggest) and the biggest one's share."""
    weights = [1.0 / (k + 1) ** exponent for k in range(organizations)]
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def pick() -> int:
        return bisect.bisect_left(cumulative, rng.random() * total)

    return pick, weights[0] / total


@dataclass
class PipelineResult:
    rate: float
    documents: int
    accepted: list[float]
    delivered: list[float]
    top_org: list[float]
    utilisation: dict[str, float]
    mean_line: dict[str, float]
    max_line: dict[str, int]
    top_share: float
    top_arrived: int
    top_max_line: int  # the biggest organization's documents waiting for their turn
    simulated: float
    wall: float


def simulate_pipeline(inputs: dict[str, Any], rate: float, plan: Plan, seconds: float,
                      seed: int = 1, organizations: int | None = None,
                      skew: float | None = None) -> PipelineResult:
    sim = Simulation()
    rng = random.Random(seed)
    organizations = organizations or int(inputs["organizations"])
    skew = inputs["org_skew"] if skew is None else skew
    pick, top_share = zipf_picker(rng, organizations, skew)
    cv = float(inputs["service_cv"])
    intake = lognormal(rng, ms(inputs, "intake_cpu_ms"), cv)
    steps_cpu = lognormal(rng, ms(inputs, "issue_steps_cpu_ms") + ms(inputs, "engine_cpu_ms")
                          + ms(inputs, "send_cpu_ms"), cv)
    steps_wait = max(0.0, ms(inputs, "issue_steps_wall_ms") - ms(inputs, "issue_steps_cpu_ms"))
    sign = lognormal(rng, ms(inputs, "sign_cpu_ms"), cv)
    dian = lognormal_p50_p99(rng, inputs["dian_p50_ms"] / 1000, inputs["dian_p99_ms"] / 1000)
    files = lognormal(rng, ms(inputs, "pdf_cpu_ms") + ms(inputs, "container_cpu_ms"), cv)
    mail_cpu = ms(inputs, "mail_cpu_ms")
    mail_wait = max(0.0, ms(inputs, "mail_wall_ms") - mail_cpu)

    web = Resource(sim, "web cores", plan.web_cores)
    # Each worker process has its own cores: a document's CPU waits in the line of the
    # process whose slot it took, however idle the others are.
    count = plan.worker_processes
    per = plan.cores_per_process or plan.worker_cores
    cores = [Resource(sim, "worker cores", min(per, plan.worker_cores - p * per))
             for p in range(count)]
    files_count = plan.files_processes
    files_per = plan.cores_per_process or plan.files_cores
    files_cores = [Resource(sim, "files cores", min(files_per, plan.files_cores - p * files_per))
                   for p in range(files_count)]
    issuing = Resource(sim, "issuing slots", plan.issuing_slots)
    files_q = Resource(sim, "files slots", plan.files_slots)
    mail_q = Resource(sim, "mail slots", plan.mail_slots)
    dian_c = Resource(sim, "DIAN connections", plan.dian_connections)
    resources = [web, *cores, *files_cores, issuing, files_q, mail_q, dian_c]
    # which process each free slot of a queue belongs to, spread over the processes
    free = {issuing: deque(n % count for n in range(issuing.capacity))}
    for q in (files_q, mail_q):
        free[q] = deque(n % (files_count or count) for n in range(q.capacity))
    file_cores = files_cores or cores
    partitions: dict[int, Resource] = {}
    warmup = seconds * 0.2
    accepted: list[float] = []
    delivered: list[float] = []
    top_org: list[float] = []
    top_arrived = [0]

    def cpu(seconds_: float, process: int, pool: list[Resource] = cores) -> Process:
        yield ("get", pool[process])
        yield ("wait", seconds_)
        yield ("put", pool[process])

    def take(queue: Resource) -> Process:
        yield ("get", queue)
        return free[queue].popleft()

    def give_back(queue: Resource, process: int) -> Process:
        free[queue].append(process)  # before the slot passes to the next in line
        yield ("put", queue)

    def document(org: int) -> Process:
        arrived = sim.now
        if org == 0 and arrived >= warmup:
            top_arrived[0] += 1
        yield ("get", web)
        yield ("wait", intake())
        yield ("put", web)
        partition = partitions.get(org)
        if partition is None:
            partition = partitions[org] = Resource(sim, "org", plan.org_concurrency)
        # a partitioned queue: the organization's turn first, then a worker's slot
        yield ("get", partition)
        at = yield from take(issuing)
        yield from cpu(steps_cpu(), at)
        yield ("wait", steps_wait)
        yield from cpu(sign(), at)
        yield ("get", dian_c)
        yield ("wait", dian())
        yield ("put", dian_c)
        yield from give_back(issuing, at)
        yield ("put", partition)
        if org and len(partition.line) == 0 and partition.busy == 0:
            del partitions[org]  # a million organizations: keep only the active ones
        done = sim.now
        if arrived >= warmup:
            accepted.append(done - arrived)
            if org == 0:
                top_org.append(done - arrived)
        at = yield from take(files_q)
        yield from cpu(files(), at, file_cores)
        yield from give_back(files_q, at)
        at = yield from take(mail_q)
        yield from cpu(mail_cpu, at, file_cores)
        yield ("wait", mail_wait)
        yield from give_back(mail_q, at)
        if arrived >= warmup:
            delivered.append(sim.now - arrived)

    def source() -> Process:
        while True:
            sim.start(document(pick()))
            yield ("wait", rng.expovariate(rate))

    def reset() -> Process:
        yield ("wait", warmup)
        for r in resources:
            r.reset_stats()

    started = time.monotonic()
    sim.start(source())
    sim.start(reset())
    sim.run(seconds)
    span = seconds - warmup
    shown = [web, issuing, files_q, mail_q, dian_c]
    utilisation = {r.name: r.utilisation(span) for r in shown}
    mean_line = {r.name: r.mean_line(span) for r in shown}
    max_line = {r.name: r.max_line for r in shown}
    # the worker cores of all processes together; the longest line of any one process
    utilisation["worker cores"] = (sum(c.utilisation(span) * c.capacity for c in cores)
                                   / plan.worker_cores)
    mean_line["worker cores"] = sum(c.mean_line(span) for c in cores)
    max_line["worker cores"] = max(c.max_line for c in cores)
    if files_cores:
        utilisation["files cores"] = (sum(c.utilisation(span) * c.capacity
                                          for c in files_cores) / plan.files_cores)
        mean_line["files cores"] = sum(c.mean_line(span) for c in files_cores)
        max_line["files cores"] = max(c.max_line for c in files_cores)
    return PipelineResult(
        rate=rate, documents=len(accepted), accepted=sorted(accepted),
        delivered=sorted(delivered), top_org=sorted(top_org),
        utilisation=utilisation, mean_line=mean_line, max_line=max_line,
        top_share=top_share, top_arrived=top_arrived[0],
        top_max_line=partitions[0].max_line if 0 in partitions else 0,
        simulated=seconds, wall=time.monotonic() - started)


def processes(inputs: dict[str, Any], plan: Plan) -> int:
    per = int(inputs["cores_per_process"])
    return (math.ceil(plan.web_cores / per) + math.ceil(plan.worker_cores / per)
            + math.ceil(plan.files_cores / per))


def database_load(inputs: dict[str, Any], rate: float, plan: Plan) -> dict[str, float]:
    """PostgreSQL's load: the documents' statements plus every process's idle polling."""
    count = processes(inputs, plan)
    return {"statements written/s": rate * inputs["pg_writes_per_document"],
            "statements/s (all, documents)": rate * inputs["pg_statements_per_document"],
            "commits/s": rate * inputs["pg_commits_per_document"],
            f"statements/s (idle polling, {count} processes)":
                count * inputs["idle_statements_per_process_s"],
            "PostgreSQL cores (documents)": rate * ms(inputs, "pg_server_cpu_ms"),
            "PostgreSQL cores (polling)":
                count * inputs["idle_pg_cpu_ms_per_process_s"] / 1000}


def report(inputs: dict[str, Any], rate: float, seconds: float, seed: int,
           target: float, org_concurrency: int | None,
           pooled: bool = False, split_files: bool = False) -> PipelineResult:
    plan = size(inputs, rate, target, org_concurrency, split_files)
    if pooled:
        plan.cores_per_process = 0
    # keep a run to a few hundred thousand documents: seconds of wall time
    span = min(seconds, max(2.0, 150_000 / rate))
    result = simulate_pipeline(inputs, rate, plan, span, seed)
    print(f"\n== {rate:,.0f} documents/s  (simulated {span:.1f} s, "
          f"{result.documents:,} documents measured after a 20% warm-up; "
          f"ran in {result.wall:.1f} s)")
    print("offered load, cores (rate × CPU seconds per document):")
    for name, load in plan.loads.items():
        print(f"  {name:<42} {load:9.1f}")
    print(f"deployment (target utilisation {target:.0%}): web cores {plan.web_cores}, "
          f"worker cores {plan.worker_cores} "
          + (f"({plan.worker_processes} processes of {plan.cores_per_process}), "
             if plan.cores_per_process else "(one pool), ")
          + (f"files cores {plan.files_cores} ({plan.files_processes} processes), "
             if plan.files_cores else "")
          + f"issuing slots {plan.issuing_slots}, "
          f"files slots {plan.files_slots}, mail connections {plan.mail_slots}, "
          f"DIAN connections {plan.dian_connections}, per organization "
          f"{plan.org_concurrency}")
    print(f"one organization's ceiling: {plan.org_concurrency} at once / "
          f"{issuing_hold(inputs) * 1000:.0f} ms held each = "
          f"{plan.org_concurrency / issuing_hold(inputs):,.1f} documents/s")
    print("  resource                 utilisation  mean line   max line"
          + ("  (worker cores: all processes; max line: of one process)"
             if plan.cores_per_process else ""))
    for name, util in result.utilisation.items():
        print(f"  {name:<24} {util:10.1%}  {result.mean_line[name]:9.1f}  "
              f"{result.max_line[name]:9d}")
    a, d = result.accepted, result.delivered
    print(f"intake → DIAN acceptance: p50 {percentile(a, .5) * 1000:7.1f} ms  "
          f"p95 {percentile(a, .95) * 1000:7.1f} ms  p99 {percentile(a, .99) * 1000:7.1f} ms")
    print(f"intake → mail sent:       p50 {percentile(d, .5) * 1000:7.1f} ms  "
          f"p95 {percentile(d, .95) * 1000:7.1f} ms  p99 {percentile(d, .99) * 1000:7.1f} ms")
    t = result.top_org
    times = (f"p50 {percentile(t, .5) * 1000:.1f} ms, p99 {percentile(t, .99) * 1000:.1f} ms"
             if t else "none accepted after the warm-up")
    print(f"biggest organization: {result.top_share:.2%} of the documents "
          f"({rate * result.top_share:,.1f}/s); its intake → acceptance {times} "
          f"({len(t):,} of its {result.top_arrived:,} documents accepted in the run; "
          f"at most {result.top_max_line:,} waiting for their turn)")
    print("PostgreSQL:")
    for name, value in database_load(inputs, rate, plan).items():
        print(f"  {name:<44} {value:12,.1f}")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=Path, default=INPUTS)
    parser.add_argument("--rate", type=float, default=10_000)
    parser.add_argument("--sweep", default="100,1000,10000",
                        help="rates to run after --rate ('' for none)")
    parser.add_argument("--seconds", type=float, default=6.0,
                        help="simulated seconds (capped at 150,000 documents)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.7, help="utilisation to size for")
    parser.add_argument("--org-concurrency", type=int)
    parser.add_argument("--pooled", action="store_true",
                        help="all worker cores in one pool instead of per process")
    parser.add_argument("--split-files", action="store_true",
                        help="PDF, AttachedDocument and mail on processes of their own")
    parser.add_argument("--dian-p50-ms", type=float, help="instead of the measured one")
    parser.add_argument("--dian-p99-ms", type=float, help="instead of the measured one")
    args = parser.parse_args(argv)
    inputs = load_inputs(args.inputs)
    if args.dian_p50_ms:
        inputs["dian_p50_ms"] = args.dian_p50_ms
    if args.dian_p99_ms:
        inputs["dian_p99_ms"] = args.dian_p99_ms
    cpu = cpu_per_document(inputs)
    print(f"inputs: {os.path.relpath(args.inputs)}; "
          f"CPU per document {sum(cpu.values()) * 1000:.1f} ms; "
          f"DIAN p50/p99 {inputs['dian_p50_ms']}/{inputs['dian_p99_ms']} ms; "
          f"{inputs['organizations']:,} organizations, Zipf exponent {inputs['org_skew']}; "
          f"seed {args.seed}")
    rates = [args.rate] + [float(r) for r in args.sweep.split(",") if r
                           and float(r) != args.rate]
    for rate in rates:
        report(inputs, rate, args.seconds, args.seed, args.target, args.org_concurrency,
               args.pooled, args.split_files)


if __name__ == "__main__":
    main(sys.argv[1:])
