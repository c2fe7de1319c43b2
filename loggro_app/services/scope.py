"""Who is acting: every service call is scoped to the acting user's organization."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    organization_id: int
    user_id: int
    role: str
    is_principal: bool = False
