"""Fault injection for reliability tests: per request (header), queued (admin API) or by
configuration (every request).

Kinds: `latency` (delay, then a normal answer), `http500` (Receiver SOAP fault), `http503`
(Service Unavailable page, SPEC §4.9), `drop` (the connection closes mid-answer),
`timeout` (the request IS processed, then the answer is held for `seconds` — longer than the
client's timeout — the case where a retry must not create a second document), `malformed`
(a truncated XML answer with HTTP 200).
"""

from __future__ import annotations

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


class FaultPlan:
    def __init__(self, *, latency: float = 0.0, always: Fault | None = None) -> None:
        self.latency = latency  # added to every request
        self.always = always
        self._queue: deque[Fault] = deque()
        self._lock = threading.Lock()

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
        """The fault for this request: header first, then the queue, then configuration."""
        if header:
            return parse_header(header)
        with self._lock:
            for index, fault in enumerate(self._queue):
                if not fault.operation or fault.operation == operation:
                    del self._queue[index]
                    return fault
        return self.always
