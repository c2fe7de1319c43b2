"""What the DIAN sandbox gave the organization (resolution, TestSetId), read back from it.

Shown on Habilitación DIAN, Consecutivos and Gestión Proveedor Tecnológico, where those
values are typed; read from the sandbox itself, they survive a reload or another action.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services.dian_link import DianLink
from loggro_app.services.sandbox_portal import portal_records, resolution_text
from loggro_app.services.scope import Scope
from loggro_app.state.auth import acting_scope


class SandboxRecordsState(rx.State):
    available: bool = False  # only in the sandbox environment
    resolution: str = ""  # the whole resolution in one line
    resolution_number: str = ""
    resolution_prefix: str = ""
    test_set_id: str = ""

    def _read(self, scope: Scope) -> None:
        link = DianLink.from_env()
        self.available = link.is_sandbox
        if not link.is_sandbox:
            return
        try:
            with session_scope() as session:
                records = portal_records(session=session, scope=scope, link=link)
        except LoggroError:
            return  # the sandbox is down: the checklist already says so
        newest = records.resolutions[0] if records.resolutions else None
        self.resolution = resolution_text(newest) if newest else ""
        self.resolution_number = str(newest["number"]) if newest else ""
        self.resolution_prefix = str(newest["prefix"]) if newest else ""
        self.test_set_id = records.test_set_ids[0] if records.test_set_ids else ""

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is not None:
            await asyncio.to_thread(self._read, scope)

    @rx.event
    def copy(self, value: str):  # type: ignore[no-untyped-def]
        return [rx.set_clipboard(value), rx.toast.success("Copiado.")]
