"""Parámetros → "La organización está utilizando la aplicación de Alojamientos": turning the
hotel PMS integration on and off, its token and how its push to the PMS went.

A new token is shown once: it goes to the page by a script that fills one element and never
enters this state (which is saved to disk or Redis).
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.db import session_scope
from loggro_app.durable import pms as pms_work
from loggro_app.services import pms_connection as service
from loggro_app.services.pms_connection import PUSH_LABELS, RequirementsMissing, Saved
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live

TOKEN_ELEMENT = "pms-token-once"


class HotelIntegrationState(rx.State):
    enabled: str = "no"  # "si" | "no", as the select shows it
    pms_url: str = ""
    property_id: str = ""
    push_state: str = ""
    push_label: str = ""
    push_error: str = ""
    push_attempts: int = 0
    pushed_at: str = ""
    has_register: bool = True
    missing: list[dict[str, str]] = []
    error: str = ""
    token_shown: bool = False
    busy: bool = False
    watching: bool = False

    def _fill(self, scope: Scope) -> None:
        with session_scope() as session:
            connection = service.connection_of(session, scope.organization_id)
            missing = service.requirements(session=session,
                                           organization_id=scope.organization_id)
        self.has_register = not any(m.link.endswith("#caja") for m in missing)
        if connection is None:
            self.enabled, self.property_id, self.push_state = "no", "", ""
            self.pms_url = self.pms_url or get_settings().pms_simulator_url
        else:
            self.enabled = "si" if connection.enabled else "no"
            self.pms_url = connection.pms_url or self.pms_url
            self.property_id = connection.property_id
            self.push_state = connection.push_state
            self.push_attempts = connection.push_attempts
            self.push_error = connection.push_error
            self.pushed_at = local_text(connection.pushed_at) if connection.pushed_at else ""
        self.push_label = PUSH_LABELS.get(self.push_state, self.push_state)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error, self.missing, self.token_shown = "", [], False
        await asyncio.to_thread(self._fill, scope)
        if self.push_state == "pending":
            return HotelIntegrationState.watch_push
        return None

    @rx.event
    def set_enabled(self, value: str) -> None:
        self.enabled = "si" if value == "si" else "no"
        self.missing, self.error = [], ""

    @rx.event
    def set_pms_url(self, value: str) -> None:
        self.pms_url = value[:300]

    async def _start(self, scope: Scope, saved: Saved):  # type: ignore[no-untyped-def]
        if saved.push_round is not None and saved.connection.id is not None:
            await asyncio.to_thread(pms_work.start_push, scope.organization_id,
                                    saved.connection.id, saved.push_round)
        await asyncio.to_thread(self._fill, scope)
        events = []
        if saved.token is not None:
            self.token_shown = True
            # json.dumps: the token as a JS string literal, nothing else reaches the script
            events.append(rx.call_script(
                f"document.getElementById('{TOKEN_ELEMENT}').textContent = "
                f"{json.dumps(saved.token)}"))
        if self.push_state == "pending":
            events.append(HotelIntegrationState.watch_push)
        return events

    async def _run(self, fn, success: str, **kwargs):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.error, self.missing, self.busy = "", [], True
        try:
            saved = await with_session(fn, scope=scope, **kwargs)
        except RequirementsMissing as exc:
            self.missing = [{"message": m.message, "link": m.link, "link_text": m.link_text}
                            for m in exc.missing]
            self.enabled = "no"
            return None
        except ValidationError as exc:
            self.error = " ".join(exc.errors.values())
            return None
        except LoggroError as exc:
            self.error = exc.message
            return None
        finally:
            self.busy = False
        events = await self._start(scope, saved)
        return [*events, rx.toast.success(success)]

    @rx.event
    async def save(self):  # type: ignore[no-untyped-def]
        on = self.enabled == "si"
        return await self._run(
            service.save_settings,
            "Integración con Alojamientos activada." if on else
            "Integración con Alojamientos desactivada: el token quedó revocado.",
            enabled=on, pms_url=self.pms_url)

    @rx.event
    async def resend(self):  # type: ignore[no-untyped-def]
        return await self._run(service.resend, "Reenviando el token al PMS.")

    @rx.event
    async def rotate(self):  # type: ignore[no-untyped-def]
        return await self._run(service.rotate, "Token nuevo creado: el anterior sirve 48 horas "
                                               "más.")

    @rx.event
    async def assign_register(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            register = await with_session(service.assign_principal_register, scope=scope)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.missing = []
        await asyncio.to_thread(self._fill, scope)
        return rx.toast.success(f"{register.name} asignada al usuario principal.")

    async def _tick(self, scope: Scope) -> None:
        if self.push_state == "pending":
            await asyncio.to_thread(self._fill, scope)

    @rx.event(background=True)
    async def watch_push(self):  # type: ignore[no-untyped-def]
        """The push's progress shows while the PMS is being reached."""
        await keep_live(self, "/configuracion/organizacion", self._tick, seconds=2.0,
                        limit=300)
