"""Fault injection for reliability tests: per request (header), queued (admin API), at
random with a share of the requests per kind (admin API or `--fault-rate`, for load drills)
or by configuration (every request).

Kinds: `latency` (delay, then a normal answer), `http500` (Receiver SOAP fault), `http503`
(Service Unavailable page, SPEC §4.9), `drop` (the connection closes mid-answer),
`timeout` (the request IS processed, then the answer is held for `seconds` — longer than the
client's timeout — the case where a retry must not create a second document), `malformed`
(a truncated XML answer with HTTP 200).
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass

KINDS = ("latency", "http500", "http503", "drop", "timeout", "malformed")
HEADER = "x-sandbox-fault"  # e.g. "timeout;seconds=3" or "http503"


@dataclass(frozen=True)
class Fault:
    kind: str
    seconds: float = 0.0
    operation: str = ""  # empty: any operation

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"falla desconocida '{self.kind}' (use: {', '.join(KINDS)})")


def parse_header(value: str) -> Fault:
    kind, _, rest = value.partition(";")
    seconds = 0.0
    for part in rest.split(";"):
        name, _, number = part.partition("=")
        if name.strip() == "seconds":
            seconds = float(number)
    return Fault(kind.strip(), seconds)


def parse_rate(value: str) -> tuple[str, float]:
    """`timeout=0.05` → ("timeout", 0.05): a kind and the share of requests it hits."""
    kind, _, share = value.partition("=")
    return Fault(kind.strip()).kind, check_share(float(share))


def check_share(share: float) -> float:
    if not 0 <= share <= 1:
        raise ValueError("la proporción de una falla va de 0 a 1")
    return share


class FaultPlan:
    def __init__(self, *, latency: float = 0.0, always: Fault | None = None,
                 rates: dict[str, float] | None = None, rate_seconds: float = 0.0,
                 rng: random.Random | None = None) -> None:
        self.latency = latency  # added to every request
        self.always = always
        self._queue: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._rates: dict[str, float] = {}
        self._rate_seconds = 0.0
        self._rng = rng or random.Random()
        self.set_rates(rates or {}, rate_seconds)

    def set_rates(self, rates: dict[str, float], seconds: float = 0.0) -> None:
        """Each kind hits that share of the requests (drawn independently per request);
        `seconds` is how long a `timeout` or `latency` fault holds the answer."""
        checked = {Fault(kind).kind: check_share(float(share)) for kind, share in rates.items()}
        if sum(checked.values()) > 1:
            raise ValueError("las proporciones de las fallas suman más de 1")
        with self._lock:
            self._rates, self._rate_seconds = checked, float(seconds)

    def rates(self) -> dict[str, object]:
        with self._lock:
            return {"rates": dict(self._rates), "seconds": self._rate_seconds}

    def _drawn(self) -> Fault | None:
        draw, floor = self._rng.random(), 0.0
        for kind, share in self._rates.items():
            floor += share
            if draw < floor:
                return Fault(kind, self._rate_seconds)
        return None

    def push(self, fault: Fault, count: int = 1) -> None:
        with self._lock:
            self._queue.extend([fault] * count)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[dict[str, object]]:
        with self._lock:
            return [f.__dict__.copy() for f in self._queue]

    def next_for(self, operation: str, header: str | None) -> Fault | None:
        """The fault for this request: header first, then the queue, then the random
        shares, then configuration."""
        if header:
            return parse_header(header)
        with self._lock:
            for index, fault in enumerate(self._queue):
                if not fault.operation or fault.operation == operation:
                    del self._queue[index]
                    return fault
            drawn = self._drawn()
        return drawn or self.always
