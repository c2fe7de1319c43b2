"""State of the events section of a received invoice (`/compras/recibidas/[id]`): our RADIAN
events as buyer, the buttons for the ones allowed next, who receives, the claim reason,
the automatic acuse; while an event waits for DIAN the section reads itself again."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.dian.codes import CLAIM_REASONS
from loggro_app.durable import purchase_events as work
from loggro_app.services import purchase_event_views, purchase_events
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, AuthState, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live

ROUTE = "/compras/recibidas/"
POLL_SECONDS = 1.5
WATCH_LIMIT = 200  # five minutes: DIAN answers in seconds, the scheduled check retries
REASONS = [{"code": c, "name": f"{c} · {n}"} for c, n in CLAIM_REASONS.items()]
ID_TYPES = [{"code": "13", "name": "Cédula de ciudadanía"},
            {"code": "22", "name": "Cédula de extranjería"},
            {"code": "41", "name": "Pasaporte"},
            {"code": "48", "name": "PPT"}]
SENT = {"030": "Acuse de recibo enviado.", "032": "Recibo del bien o servicio enviado.",
        "033": "Aceptación expresa enviada.", "031": "Reclamo enviado."}


def _invoice_id(path: str) -> int:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return int(last) if last.isdigit() and len(last) < 19 else 0


class PurchaseEventsState(rx.State):
    invoice_id: int = 0
    events: list[dict[str, str]] = []
    allowed: list[str] = []
    sending: bool = False
    closing_on: str = ""
    term_text: str = ""
    status: str = ""
    error: str = ""
    person: dict[str, str] = {}
    person_errors: dict[str, str] = {}
    claim_reason: str = "01"
    note: str = ""
    auto_acknowledge: bool = False
    busy: bool = False
    watching: bool = False

    async def _refresh(self, scope: Scope) -> None:
        try:
            view = await with_session(purchase_event_views.purchase_view, scope=scope,
                                      invoice_id=self.invoice_id, link=DianLink.from_env())
        except LoggroError:  # not ours or gone: the detail page says so
            self.events, self.allowed, self.sending = [], [], False
            return
        self.events, self.allowed, self.sending = view.events, view.allowed, view.sending
        self.closing_on, self.term_text = view.closing_on, view.term_text
        self.status = view.status

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load of /compras/recibidas/[id], after the detail's own."""
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.invoice_id = _invoice_id(str(self.router.url.path))
        self.error, self.person_errors, self.note = "", {}, ""
        self.person = await with_session(purchase_events.default_person, scope=scope)
        self.auto_acknowledge = await with_session(purchase_events.auto_acknowledge,
                                                   scope=scope)
        await self._refresh(scope)
        return PurchaseEventsState.follow if self.sending else None

    @rx.event
    def set_person(self, name: str, value: str) -> None:
        if name in purchase_events.PERSON_FIELDS:
            self.person = {**self.person, name: value[:100]}
            self.person_errors = {k: v for k, v in self.person_errors.items()
                                  if k != f"person_{name}"}

    @rx.event
    def set_claim_reason(self, value: str) -> None:
        self.claim_reason = value if value in CLAIM_REASONS else "01"

    @rx.event
    def set_note(self, value: str) -> None:
        self.note = value[:2000]

    @rx.event
    async def send(self, code: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        if self.busy:
            return None
        self.busy, self.error, self.person_errors = True, "", {}
        try:
            row = await with_session(
                purchase_events.request_event, scope=scope, invoice_id=self.invoice_id,
                code=code, link=DianLink.from_env(), person=self.person,
                claim_reason=self.claim_reason, note=self.note,
                requested_by=str((await self.get_state(AuthState)).user_email))
            await work.start(scope.organization_id, self.invoice_id, code, row.id or 0,
                             row.attempt)
        except ValidationError as exc:
            self.person_errors = {k: v for k, v in exc.errors.items()
                                  if k.startswith("person_")}
            self.error = exc.errors.get("evento") or exc.errors.get("claim_reason") or (
                "Completa los datos de quien recibe." if self.person_errors else exc.message)
            return None
        except LoggroError as exc:
            self.error = exc.message
            return None
        finally:
            self.busy = False
        self.note = ""
        await self._refresh(scope)
        return [rx.toast.info(SENT.get(code, "Evento enviado.") + " Esperando a la DIAN…"),
                PurchaseEventsState.follow]

    @rx.event
    async def set_auto_acknowledge(self, on: bool):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error, self.person_errors = "", {}
        try:
            await with_session(purchase_events.set_auto_acknowledge, scope=scope, on=on,
                               person=self.person)
        except ValidationError as exc:
            self.person_errors = {k: v for k, v in exc.errors.items()
                                  if k.startswith("person_")}
            self.error = ("Para el acuse automático completa los datos de quien recibe."
                          if self.person_errors else exc.message)
            return None
        self.auto_acknowledge = on
        return rx.toast.success("Acuse de recibo automático " + ("activado." if on else
                                                                 "desactivado."))

    async def _tick(self, scope: Scope) -> None:
        await self._refresh(scope)

    @rx.event(background=True)
    async def follow(self):  # type: ignore[no-untyped-def]
        """Read the events again while the tab stays on this invoice (DIAN's answer)."""
        await keep_live(self, f"{ROUTE}{self.invoice_id}", self._tick, seconds=POLL_SECONDS,
                        limit=WATCH_LIMIT)
