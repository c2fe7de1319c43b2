"""The buyer's answer on the document page: its RADIAN events, an event the buyer sent
us (upload), and in the sandbox *Simular comprador* and the clock moved by days."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.buyer_events import waits_for_buyer
from loggro_app.core.errors import LoggroError
from loggro_app.dian import codes
from loggro_app.services import buyer_events, sandbox_portal
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live
from loggro_app.state.sales_document import SalesDocumentState

CLAIM_REASONS = [{"code": c, "label": f"{c} {t}"} for c, t in codes.CLAIM_REASONS.items()]
# The buyer answers whenever it likes, and the tacit acceptance comes when its term ends: a
# page left open on a waiting invoice shows what arrives, for half an hour.
WATCH_SECONDS = 4
WATCH_LIMIT = 450


class BuyerEventsState(rx.State):
    document_id: int = 0
    can_receive: bool = False
    status: str = ""
    label: str = ""
    events: list[dict[str, str]] = []
    tacit_from: str = ""
    is_sandbox: bool = False
    claim_reason: str = "01"
    sandbox_now: str = ""
    error: str = ""
    watching: bool = False

    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    async def _refresh(self, scope: Scope) -> None:
        view = await with_session(buyer_events.buyer_view, scope=scope,
                                  document_id=self.document_id)
        self.can_receive, self.status, self.label = view.can_receive, view.status, view.label
        self.events, self.tacit_from = view.events, view.tacit_from

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.document_id = (await self.get_state(SalesDocumentState)).document_id
        self.is_sandbox, self.error = DianLink.from_env().is_sandbox, ""
        try:
            await self._refresh(scope)
        except LoggroError:
            self.can_receive = False
        return BuyerEventsState.watch if self._waiting() else None

    def _waiting(self) -> bool:
        return self.can_receive and waits_for_buyer(self.status)

    async def _tick(self, scope: Scope) -> None:
        if self._waiting():
            await self._refresh(scope)

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        async with self:
            route = f"/ventas/documento/{self.document_id}"
        await keep_live(self, route, self._tick, seconds=WATCH_SECONDS, limit=WATCH_LIMIT)

    @rx.event
    def set_claim_reason(self, value: str) -> None:
        if value in codes.CLAIM_REASONS:
            self.claim_reason = value

    async def _then_check(self, scope: Scope, message: str):  # type: ignore[no-untyped-def]
        """Ask DIAN for the events now rather than at the next periodic check."""
        link = DianLink.from_env()
        try:
            await with_session(buyer_events.poll_document, document_id=self.document_id,
                               link=link)
        except LoggroError as exc:
            self.error = exc.message
        await self._refresh(scope)
        return rx.toast.success(message)

    @rx.event
    async def simulate(self, code: str):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error = ""
        try:
            message = await with_session(
                sandbox_portal.simulate_buyer_event, scope=scope, link=DianLink.from_env(),
                document_id=self.document_id, code=code,
                claim_reason=self.claim_reason if code == "031" else "")
        except LoggroError as exc:
            self.error = exc.message
            return None
        return await self._then_check(scope, message)

    @rx.event
    async def advance_days(self, days: int):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            self.sandbox_now = await with_session(
                sandbox_portal.advance_days, scope=scope, link=DianLink.from_env(),
                days=int(days))
        except LoggroError as exc:
            self.error = exc.message
            return None
        await self._refresh(scope)
        return rx.toast.success(f"El reloj del sandbox va en {self.sandbox_now}. La "
                                "aceptación tácita se registra en la próxima revisión.")

    @rx.event
    async def upload_event(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error = ""
        if not files:
            self.error = "Elige el XML del evento que te envió el comprador."
            return None
        data = await files[0].read(buyer_events.MAX_EVENT_BYTES + 1)
        try:
            done = await with_session(buyer_events.intake, scope=scope,
                                      document_id=self.document_id, xml=data,
                                      link=DianLink.from_env())
        except LoggroError as exc:
            self.error = exc.message
            return None
        await self._refresh(scope)
        return rx.toast.success(f"Evento {done.code} verificado y registrado.")
