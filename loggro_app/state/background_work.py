"""State of Configuración → Trabajo en segundo plano (principal user only)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from functools import partial

import reflex as rx

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services import background_work as service
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope


def _numbers(scope: Scope, ids: list[int]) -> dict[int, str]:
    with session_scope() as session:
        return service.document_numbers(session=session, scope=scope, ids=ids)


class BackgroundWorkState(rx.State):
    work: list[dict[str, str]] = []
    denied: str = ""
    message: str = ""
    loading: bool = False

    async def _refresh(self) -> None:
        scope = await acting_scope(self)
        if scope is None:
            return
        try:
            # DBOS's sync calls refuse to run on the event loop: a thread does them.
            views = await asyncio.to_thread(service.list_work, scope=scope,
                                            numbers=partial(_numbers, scope))
        except LoggroError as exc:
            self.denied, self.work = exc.message, []
            return
        self.denied = ""
        self.work = [{k: str(v) for k, v in asdict(view).items()} for view in views]

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        if await acting_scope(self) is None:
            return rx.redirect(LOGIN_ROUTE)
        self.message, self.loading = "", True
        await self._refresh()
        self.loading = False
        return None

    @rx.event
    async def retry(self, workflow_id: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await asyncio.to_thread(service.retry, scope=scope, workflow_id=workflow_id)
            self.message = "Listo: el trabajo se reanudó desde el paso que falló."
        except LoggroError as exc:
            self.message = exc.message
        await self._refresh()
        return None
