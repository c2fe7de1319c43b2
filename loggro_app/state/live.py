"""Live pages: a background task per open tab that calls the page's own `tick` every few
seconds while the tab stays on that page."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from loggro_app.services.scope import Scope
from loggro_app.state.auth import acting_scope

Tick = Callable[[Scope], Awaitable[None]]


async def keep_live(state: Any, route: str, tick: Tick, *, seconds: float,
                    limit: int) -> None:
    """Call `tick(scope)` under the state's lock every `seconds` while the tab is on `route`.

    The session is read once, at the start: a background task touching the session could
    race with the tab's own events after a reload. `state.watching` keeps one task per tab.
    """
    async with state:
        scope = await acting_scope(state, activity=False)
        if state.watching or scope is None:
            return
        state.watching = True
    try:
        for _ in range(limit):
            await asyncio.sleep(seconds)
            async with state:
                if str(state.router.url.path).rstrip("/") != route.rstrip("/"):
                    break
                await tick(scope)
    finally:
        async with state:
            state.watching = False
