"""A local DIAN rule violation: rule code (DIAN's when known), Spanish message, fix hint.

Kept apart from rules/document.py so the document model can report export rules
(rules/export.py) without importing the rules engine (which imports the model).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    code: str | None  # DIAN rule code, or None when the check is ours
    message: str
    hint: str
    field: str | None = None  # the input field to fix (JSON / form), when there is one

    def __str__(self) -> str:
        prefix = f"[{self.code}] " if self.code else ""
        return f"{prefix}{self.message} — {self.hint}"
