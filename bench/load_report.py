"""The load drill's arithmetic and printout (bench/load.py), apart from any network or
database so tests/unit/test_load_report.py can check it: latency percentiles per action,
the documents counted from the app's and the DIAN sandbox's side, and the table printed."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

FINAL = ("accepted", "rejected")


def nearest_rank(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values
    at or below it (NaN for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timings:
    """Seconds each action took, its failures and the requests it sent, by action."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # "action: why", for the log
    requests: int = 0

    def ok(self, action: str, seconds: float) -> None:
        self.seconds[action].append(seconds)

    def failed(self, action: str, reason: str = "") -> None:
        self.failures[action] += 1
        if reason:
            self.reasons[f"{action}: {reason[:160]}"] += 1

    def actions(self) -> list[str]:
        return sorted(set(self.seconds) | set(self.failures))


@dataclass(frozen=True)
class AppDocument:
    """A document of the app's database (SalesDocument), as the count needs it."""

    id: int
    nit: str
    kind: str
    status: str
    prefix: str
    number: int | None
    key: str  # CUFE / CUDE, "" before it was signed
    origin: str = ""


@dataclass(frozen=True)
class DianDocument:
    """A document the sandbox accepted (its `documents` table)."""

    key: str
    nit: str
    type_code: str
    number: str


@dataclass(frozen=True)
class Intake:
    """One PMS intake (PmsIntake): which PMS document made which app document."""

    nit: str
    pms_id: str
    document_id: int


@dataclass
class Counts:
    issued: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    rejected: int = 0
    pending: int = 0
    duplicated: Counter[str] = field(default_factory=Counter)  # by where it was seen
    lost: Counter[str] = field(default_factory=Counter)  # by what was lost where
    unknown_at_dian: int = 0  # accepted by DIAN, no document in the app with its CUFE


def _extra(keys: Iterable[object]) -> int:
    """How many more than one of each key: 0 when every key is unique."""
    return sum(n - 1 for n in Counter(keys).values() if n > 1)


def count_documents(*, requested: set[int], pushed: set[tuple[str, str]],
                    app: list[AppDocument], intakes: list[Intake],
                    dian: list[DianDocument], nits: set[str]) -> Counts:
    """Every document the drill made, counted from both sides.

    `requested`: app document ids the users were sent on to after *Emitir* (the issue was
    taken); `pushed`: (NIT, PMS document id) the app answered 201 or 200 to. Duplicated:
    two app documents with one number or one CUFE, two sandbox documents with one number or
    CUFE, one PMS document with two intakes or two PMS documents sharing an app document.
    Lost: an issue taken whose document is gone or back to draft, a PMS document answered
    but without an intake or whose intake names no document, a document the app holds as
    accepted that the sandbox never accepted. The sandbox's side is limited to `nits`.
    """
    result = Counts()
    issued = [d for d in app if d.status != "draft"]
    result.issued = len(issued)
    result.by_kind = Counter("PMS" if d.origin == "alojamientos" else d.kind for d in issued)
    result.accepted = sum(d.status == "accepted" for d in issued)
    result.rejected = sum(d.status == "rejected" for d in issued)
    result.pending = result.issued - result.accepted - result.rejected
    numbered = [(d.nit, d.prefix, d.number) for d in issued if d.number is not None]
    result.duplicated["app number"] = _extra(numbered)
    result.duplicated["app CUFE"] = _extra(d.key for d in issued if d.key)
    ours = [d for d in dian if d.nit in nits]
    result.duplicated["DIAN number"] = _extra((d.nit, d.type_code, d.number) for d in ours)
    result.duplicated["DIAN CUFE"] = _extra(d.key for d in ours)
    result.duplicated["PMS intake"] = _extra((i.nit, i.pms_id) for i in intakes)
    result.duplicated["PMS document"] = _extra(i.document_id for i in intakes)

    by_id = {d.id: d for d in app}
    result.lost["issue taken, no document"] = sum(
        1 for i in requested if i not in by_id or by_id[i].status == "draft")
    taken = {(i.nit, i.pms_id) for i in intakes if i.document_id in by_id}
    result.lost["PMS answered, no document"] = len(pushed - taken)
    at_dian = {d.key for d in ours}
    result.lost["accepted in app, not at DIAN"] = sum(
        1 for d in issued if d.status == "accepted" and d.key not in at_dian)
    in_app = {d.key for d in app if d.key}
    result.unknown_at_dian = sum(1 for d in ours if d.key not in in_app)
    return result


@dataclass
class Memory:
    """Resident memory (MB) by role: the highest sample and the last one."""

    peak: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    processes: dict[str, int] = field(default_factory=dict)
    load_average: float = 0.0  # the highest 1-minute load average seen (shared machine)

    def sample(self, by_role: dict[str, tuple[float, int]], load_average: float = 0.0) -> None:
        self.load_average = max(self.load_average, load_average)
        for role, (megabytes, processes) in by_role.items():
            self.peak[role] = max(self.peak.get(role, 0.0), megabytes)
            self.last[role] = megabytes
            self.processes[role] = processes


def _ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.0f}"


def render(*, title: str, elapsed: float, timings: Timings, counts: Counts,
           packs: dict[str, int], memory: Memory, drained: str) -> str:
    """The printed table: what docs/performance.md shows."""
    lines = [title]
    total = timings.requests
    lines.append(f"requests/s: {total / elapsed:.1f} ({total} requests in {elapsed:.0f} s: "
                 "websocket events sent, PMS pushes, payment calls)")
    lines.append(f"{'action':<16}{'n':>7}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for action in timings.actions():
        values = timings.seconds.get(action, [])
        lines.append(
            f"{action:<16}{len(values):>7}{timings.failures[action]:>8}"
            f"{_ms(nearest_rank(values, 0.50)):>9}{_ms(nearest_rank(values, 0.95)):>9}"
            f"{_ms(nearest_rank(values, 0.99)):>9}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.by_kind.items()))
    lines.append(f"documents issued {counts.issued} ({kinds}); accepted {counts.accepted}, "
                 f"rejected {counts.rejected}, pending {counts.pending} {drained}")
    duplicated = sum(counts.duplicated.values())
    lines.append(f"duplicated {duplicated} ("
                 + ", ".join(f"{k} {n}" for k, n in counts.duplicated.items()) + ")")
    lost = sum(counts.lost.values())
    lines.append(f"lost {lost} (" + ", ".join(f"{k} {n}" for k, n in counts.lost.items())
                 + f"); accepted at DIAN, unknown to the app {counts.unknown_at_dian}")
    lines.append("packs: " + ", ".join(f"{k} {n}" for k, n in packs.items()))
    lines.append("RSS MB (peak / end, processes): " + "; ".join(
        f"{role} {memory.peak[role]:.0f} / {memory.last[role]:.0f} "
        f"({memory.processes[role]})" for role in sorted(memory.peak)))
    if memory.load_average:
        lines.append(f"machine: 1-minute load average up to {memory.load_average:.1f}")
    for reason, n in timings.reasons.most_common(8):
        lines.append(f"  failed {n}× {reason}")
    return "\n".join(lines)


def verdict(counts: Counts) -> bool:
    """What must hold: nothing duplicated, nothing lost, DIAN knows nothing the app lost."""
    return (sum(counts.duplicated.values()) == 0 and sum(counts.lost.values()) == 0
            and counts.unknown_at_dian == 0)
