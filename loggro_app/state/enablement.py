"""Habilitación DIAN: the live checklist and, in the sandbox, the portal stand-in actions."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from loggro_app.core.clock import local_text, system_clock
from loggro_app.core.errors import ConflictError, LoggroError
from loggro_app.db import session_scope
from loggro_app.services import enablement, numbering
from loggro_app.services.dian_link import DianLink
from loggro_app.services.organization import get_organization
from loggro_app.services.sandbox_portal import SandboxPortal
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope

RECHECK_SECONDS = 5


class EnablementState(rx.State):
    steps: list[dict[str, str]] = []
    done: int = 0
    total: int = 0
    is_sandbox: bool = True
    environment: str = ""
    last_resolution: str = ""
    last_test_set_id: str = ""
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
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        link = DianLink.from_env()
        try:
            portal = SandboxPortal.for_link(link)
            with session_scope() as session:
                org = get_organization(session=session, scope=scope)
                message = action(portal, org, link)
        except LoggroError as exc:
            return rx.toast.error(exc.message, duration=10000)
        self._check(scope)
        return rx.toast.success(message)

    @rx.event
    async def sandbox_resolution(self):  # type: ignore[no-untyped-def]
        def act(portal: SandboxPortal, org, link):  # type: ignore[no-untyped-def]
            res = portal.request_resolution(org, system_clock)
            self.last_resolution = (f"Resolución {res['number']} · prefijo {res['prefix']} · "
                                    "rango 1 a 5000 · vigencia de un año desde hoy")
            return "La DIAN (sandbox) expidió la resolución."
        return await self._sandbox(act)

    @rx.event
    async def sandbox_software(self):  # type: ignore[no-untyped-def]
        return await self._sandbox(lambda portal, org, link: (
            portal.register_software(org, link), "Software «Loggro FE» registrado.")[1])

    @rx.event
    async def sandbox_test_set(self):  # type: ignore[no-untyped-def]
        def act(portal: SandboxPortal, org, link):  # type: ignore[no-untyped-def]
            self.last_test_set_id = portal.new_test_set(org, link)
            return "La DIAN (sandbox) asignó un TestSetId."
        return await self._sandbox(act)

    @rx.event
    async def sandbox_associate(self):  # type: ignore[no-untyped-def]
        def act(portal: SandboxPortal, org, link):  # type: ignore[no-untyped-def]
            with session_scope() as session:
                rows = [r for r in numbering.list_numberings(
                    session=session, scope=Scope(org.id, 0, "admin")) if r.document_kind == "FE"]
            if not rows:
                raise ConflictError("Registra primero la resolución en un consecutivo.")
            portal.associate_prefix(org, link, rows[0].resolution_number, rows[0].prefix)
            return f"Prefijo {rows[0].prefix} asociado al software «Loggro FE»."
        return await self._sandbox(act)

    @rx.event
    async def sandbox_wait_two_hours(self):  # type: ignore[no-untyped-def]
        return await self._sandbox(lambda portal, org, link: (
            portal.advance_clock(2.05), "El reloj del sandbox avanzó 2 horas.")[1])
