"""Blocking work off the event loop: every user's events share one loop, so database calls
and network calls run on worker threads (convention: the event loop is shared)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from loggro_app.db import session_scope

T = TypeVar("T")


async def with_session(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """`fn(session=<a new session>, **kwargs)` on a worker thread."""

    def work() -> T:
        with session_scope() as session:
            return fn(session=session, **kwargs)

    return await asyncio.to_thread(work)
