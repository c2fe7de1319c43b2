"""Habilitación DIAN: the live checklist and, in the sandbox, the portal stand-in actions."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services import enablement, sandbox_portal
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.sandbox_records import SandboxRecordsState

RECHECK_SECONDS = 5


class EnablementState(rx.State):
    steps: list[dict[str, str]] = []
    done: int = 0
    total: int = 0
    is_sandbox: bool = True
    environment: str = ""
    busy: bool = False
    watching: bool = False

    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    def _check(self, scope: Scope) -> None:
        link = DianLink.from_env()
        self.is_sandbox, self.environment = link.is_sandbox, link.environment
        with session_scope() as session:
            steps = enablement.checklist(session=session, scope=scope, link=link)
        self.steps = [{"key": s.key, "title": s.title, "state": s.state, "detail": s.detail,
                       "next": s.next_action, "link": s.link,
                       "verified": local_text(s.verified_at)} for s in steps]
        self.done = sum(1 for s in steps if s.state == enablement.DONE)
        self.total = len(steps)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        self.busy = True
        yield
        try:
            await asyncio.to_thread(self._check, scope)
        finally:
            self.busy = False
        if not self.watching:
            yield EnablementState.watch

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Re-check every few seconds while the page is open: the checklist is live."""
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            for _ in range(720):  # an hour at most; reopening the page starts it again
                await asyncio.sleep(RECHECK_SECONDS)
                async with self:
                    if self.router.url.path.rstrip("/") != "/habilitacion":
                        break
                    # Polling is not activity: it must not keep an idle session alive.
                    scope = await acting_scope(self, activity=False)
                    if scope is None:
                        break
                    await asyncio.to_thread(self._check, scope)
        finally:
            async with self:
                self.watching = False

    async def _sandbox(self, action) -> Any:  # type: ignore[no-untyped-def]
        """Run one portal service as the acting user; the service checks the role."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        link = DianLink.from_env()

        def work() -> str:
            with session_scope() as session:
                return str(action(session=session, scope=scope, link=link))

        try:
            message = await asyncio.to_thread(work)
        except LoggroError as exc:
            return rx.toast.error(exc.message, duration=10000)
        await asyncio.to_thread(self._check, scope)
        return [rx.toast.success(message), SandboxRecordsState.load]  # shows what DIAN gave

    @rx.event
    async def sandbox_resolution(self):  # type: ignore[no-untyped-def]
        def act(**kw: Any) -> str:
            res = sandbox_portal.request_resolution(**kw)
            return f"La DIAN (sandbox) expidió la resolución {res['number']}."
        return await self._sandbox(act)

    @rx.event
    async def sandbox_software(self):  # type: ignore[no-untyped-def]
        return await self._sandbox(lambda **kw: (
            sandbox_portal.register_software(**kw), "Software «Loggro FE» registrado.")[1])

    @rx.event
    async def sandbox_test_set(self):  # type: ignore[no-untyped-def]
        def act(**kw: Any) -> str:
            sandbox_portal.new_test_set(**kw)
            return "La DIAN (sandbox) asignó un TestSetId."
        return await self._sandbox(act)

    @rx.event
    async def sandbox_associate(self):  # type: ignore[no-untyped-def]
        return await self._sandbox(lambda **kw: (
            f"Prefijo {sandbox_portal.associate_prefix(**kw)} asociado al software "
            "«Loggro FE»."))

    @rx.event
    async def sandbox_wait_two_hours(self):  # type: ignore[no-untyped-def]
        return await self._sandbox(lambda **kw: (
            sandbox_portal.advance_clock(**kw),
            "El reloj del sandbox avanzó 2 horas para tu organización.")[1])
