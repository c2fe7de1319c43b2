"""Faults injected per recipient address, answered at RCPT TO as a real server would.

`refuse`: every attempt gets a 5xx (default 550) with the given text, until cleared.
`defer`: the next `count` attempts get a 4xx (default 451), then the address is accepted.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

KINDS = {"refuse": (550, range(500, 600)), "defer": (451, range(400, 500))}


@dataclass
class Fault:
    kind: str
    text: str
    code: int
    remaining: int  # defer: attempts still answered with 4xx; refuse: unused

    @classmethod
    def of(cls, kind: str, text: str = "", code: int | None = None, count: int = 1) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"kind: 'refuse' o 'defer', no '{kind}'.")
        default, allowed = KINDS[kind]
        code = int(code) if code is not None else default
        if code not in allowed:
            raise ValueError(f"code: {kind} usa un código {allowed.start // 100}xx, no {code}.")
        if int(count) < 1:
            raise ValueError("count: al menos 1.")
        text = " ".join(str(text).split()) or (
            "Mailbox unavailable" if kind == "refuse" else "Try again later")
        return cls(kind, text, code, int(count))

    @property
    def reply(self) -> str:
        return f"{self.code} {self.text}"


class FaultBook:
    def __init__(self) -> None:
        self._by_address: dict[str, Fault] = {}
        self._lock = threading.Lock()

    def set(self, address: str, fault: Fault) -> None:
        with self._lock:
            self._by_address[address.strip().lower()] = fault

    def clear(self) -> None:
        with self._lock:
            self._by_address.clear()

    def all(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {a: asdict(f) for a, f in self._by_address.items()}

    def reply_for(self, address: str) -> str | None:
        """The refusal for this RCPT TO, or None to accept it; a defer is used up here."""
        key = address.strip().lower()
        with self._lock:
            fault = self._by_address.get(key)
            if fault is None:
                return None
            if fault.kind == "defer":
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._by_address[key]
            return fault.reply
