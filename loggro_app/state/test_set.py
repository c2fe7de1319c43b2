"""The Gestión Proveedor Tecnológico modal: the test set's live progress."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.core.numbering import KINDS
from loggro_app.db import session_scope
from loggro_app.durable import test_sets
from loggro_app.services import test_set
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session

STATUS_LABELS = {"pending": "En cola", "sending": "Enviando", "sent": "Validando en la DIAN",
                 "accepted": "Aceptado", "rejected": "Rechazado"}
RUN_LABELS = {"running": "En curso", "accepted": "Aceptado", "rejected": "Con rechazos",
              "failed": "Falló"}


class TestSetState(rx.State):
    __test__ = False

    open: bool = False
    step: int = 1
    test_set_id: str = ""
    error: str = ""
    run_status: str = ""
    run_message: str = ""
    total: int = 0
    done: int = 0
    accepted: int = 0
    rejected: int = 0
    rows: list[dict[str, str]] = []
    watching: bool = False
    _organization_id: int = 0

    @rx.var
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def _read(self) -> None:
        with session_scope() as session:
            run = test_set.current_run(session=session, organization_id=self._organization_id)
            rows = test_set.items(session=session, run_id=run.id) if run and run.id else []
        if run is None:
            self.run_status = ""
            return
        self.run_status, self.run_message = run.status, run.message
        self.total = len(rows)
        self.accepted = sum(1 for r in rows if r.status == "accepted")
        self.rejected = sum(1 for r in rows if r.status == "rejected")
        self.done = self.accepted + self.rejected
        self.rows = [{
            "doc": f"{KINDS[r.document_kind]} {r.number}", "status": STATUS_LABELS[r.status],
            "state": r.status,
            "messages": " · ".join(f"{code}: {text}" if code else text
                                   for code, text in json.loads(r.messages or "[]")),
        } for r in rows]

    @rx.event
    async def open_modal(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self._organization_id = scope.organization_id
        self.open, self.error = True, ""
        await asyncio.to_thread(self._read)
        return TestSetState.watch

    @rx.event
    def set_open(self, value: bool) -> None:
        self.open = value  # closing the modal does not stop the run

    @rx.event
    def set_test_set_id(self, value: str) -> None:
        self.test_set_id = value

    @rx.event
    def go_step(self, step: int) -> None:
        self.step = step

    @rx.event
    async def certify(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error = ""
        try:
            run = await with_session(test_set.start_run, scope=scope,
                                     test_set_id=self.test_set_id)
        except ValidationError as exc:
            self.error = " ".join(exc.errors.values())
            return None
        except LoggroError as exc:
            self.error = exc.message
            return None
        assert run.id is not None
        await test_sets.start(scope.organization_id, run.id)  # the run goes on without the page
        await asyncio.to_thread(self._read)
        return TestSetState.watch

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            for _ in range(3600):
                await asyncio.sleep(1)
                async with self:
                    if not self.open:
                        break
                    await asyncio.to_thread(self._read)
                    if self.run_status != "running":
                        break
        finally:
            async with self:
                self.watching = False
