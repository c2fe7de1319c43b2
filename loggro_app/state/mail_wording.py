"""State of Organización → Correo al cliente: the words of the message that carries each
document to the buyer, previewed as the buyer reads them."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.mail import MailTemplate
from loggro_app.services import delivery
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session


class MailWordingState(rx.State):
    greeting: str = ""
    text: str = ""
    closing: str = ""
    preview: str = ""
    errors: dict[str, str] = {}
    saved: str = ""

    async def _preview(self) -> None:
        scope = await acting_scope(self)
        if scope is None:
            return
        try:
            wording = MailTemplate(greeting=self.greeting, text=self.text,
                                   closing=self.closing)
        except ValidationError as exc:
            self.errors = exc.errors
            return
        self.errors = {}
        self.preview = await with_session(delivery.preview_text, scope=scope, wording=wording)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        wording = await with_session(delivery.mail_wording, scope=scope)
        self.greeting, self.text, self.closing = wording.greeting, wording.text, wording.closing
        self.saved = ""
        await self._preview()
        return None

    @rx.event
    async def set_part(self, name: str, value: str):  # type: ignore[no-untyped-def]
        if name in ("greeting", "text", "closing"):
            setattr(self, name, value[:2100])
            self.saved = ""
            await self._preview()

    @rx.event
    async def save(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(delivery.save_mail_wording, scope=scope, greeting=self.greeting,
                               text=self.text, closing=self.closing)
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.saved = "Guardado: así reciben tus clientes sus documentos."
        return None
