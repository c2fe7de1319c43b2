"""State of Organización → Recepción de facturas: the address suppliers mail their
invoices to and, to read it over IMAP, the mailbox's server and account. The password is
never held here: it is read from its field when saving and only sent with that event."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.services import purchase_events, reception_mailbox
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session

FIELDS = ("address", "host", "port", "user")


class ReceptionMailboxState(rx.State):
    address: str = ""
    host: str = ""
    port: str = "993"
    tls: bool = True
    user: str = ""
    credentials_stored: bool = False
    last_polled: str = ""
    last_error: str = ""
    errors: dict[str, str] = {}
    saved: str = ""
    auto_acknowledge: bool = False

    def _show(self, view: reception_mailbox.MailboxView) -> None:
        self.address, self.host, self.port = view.address, view.host, str(view.port)
        self.tls, self.user, self.credentials_stored = view.tls, view.user, view.credentials_stored
        self.last_polled = local_text(view.last_polled_at) if view.last_polled_at else ""
        self.last_error = view.last_error

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self._show(await with_session(reception_mailbox.mailbox_view, scope=scope))
        self.auto_acknowledge = await with_session(purchase_events.auto_acknowledge,
                                                   scope=scope)
        self.errors, self.saved = {}, ""
        return None

    @rx.event
    async def set_auto_acknowledge(self, on: bool):  # type: ignore[no-untyped-def]
        """The acuse de recibo (030) sent on reception, naming who received last time."""
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(purchase_events.set_auto_acknowledge, scope=scope, on=bool(on))
        except ValidationError:
            return rx.toast.error("Para el acuse automático hace falta saber quién recibe: "
                                  "envía primero un acuse desde una factura recibida.")
        self.auto_acknowledge = bool(on)
        return rx.toast.success("Acuse de recibo automático " + ("activado." if on else
                                                                 "desactivado."))

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        if name in FIELDS:
            setattr(self, name, str(value)[:254])
            self.saved = ""

    @rx.event
    def set_tls(self, value: bool) -> None:
        self.tls, self.saved = bool(value), ""

    @rx.event
    async def save(self, password: str = ""):  # type: ignore[no-untyped-def]
        """The password arrives with this event and lives only in this call."""
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        if not self.port.strip().isdigit():
            self.errors = {"port": "El puerto es un número (993 con TLS)."}
            return None
        try:
            view = await with_session(
                reception_mailbox.configure_mailbox, scope=scope, address=self.address,
                host=self.host, port=int(self.port), tls=self.tls, user=self.user,
                password=password)
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self._show(view)
        self.errors, self.saved = {}, "Guardado."
        return rx.set_value("mailbox-password", "")
