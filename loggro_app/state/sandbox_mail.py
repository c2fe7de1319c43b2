"""State of Correo de pruebas: the local SMTP server's messages (sandbox only)."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.errors import LoggroError
from loggro_app.services import sandbox_mail as service
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.live import keep_live

WATCH_SECONDS = 3.0
WATCH_LIMIT = 600


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


class SandboxMailState(rx.State):
    available: bool = True
    mails: list[dict[str, str]] = []
    error: str = ""
    loading: bool = False
    opened: dict[str, str] = {}
    opened_files: list[dict[str, str]] = []
    dialog_open: bool = False

    watching: bool = False

    async def _refresh(self, scope: Scope) -> None:
        link = DianLink.from_env()
        self.available = link.is_sandbox
        try:
            mails = await with_session(service.list_mail, scope=scope, link=link)
            self.error = ""
            self.mails = [{"id": str(m.id), "received": m.received, "to": m.to,
                           "subject": m.subject, "attachments": ", ".join(m.attachments)}
                          for m in mails]
        except LoggroError as exc:
            self.error, self.mails = exc.message, []

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.loading = True
        await self._refresh(scope)
        self.loading = False
        return SandboxMailState.watch

    async def _tick(self, scope: Scope) -> None:
        if not self.dialog_open:
            await self._refresh(scope)

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Mail being delivered right now shows up without reloading the page."""
        await keep_live(self, "/correo-de-pruebas", self._tick, seconds=WATCH_SECONDS,
                        limit=WATCH_LIMIT)

    @rx.event
    async def open(self, message_id: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            detail = await with_session(service.read_mail, scope=scope,
                                        link=DianLink.from_env(), message_id=int(message_id))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        mail = detail.mail
        self.opened = {"id": str(mail.id), "received": mail.received, "to": mail.to,
                       "sender": detail.sender, "subject": mail.subject, "text": detail.text}
        self.opened_files = [{"name": f.name, "size": _size(f.size)} for f in detail.files]
        self.dialog_open = True
        return None

    @rx.event
    def set_dialog_open(self, value: bool) -> None:
        self.dialog_open = value

    @rx.event
    async def download(self, name: str):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            data = await with_session(service.mail_attachment, scope=scope,
                                      link=DianLink.from_env(),
                                      message_id=int(self.opened.get("id", "0")), name=name)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename=name, mime_type="application/zip")
