"""UI state of the app shell (drawer and help dialog)."""

from __future__ import annotations

import reflex as rx

from loggro_app.services.dian_link import DianLink


class ShellState(rx.State):
    drawer_open: bool = False
    help_open: bool = False

    @rx.var
    def sandbox_mail(self) -> bool:
        """Correo de pruebas is in the menu only against the DIAN sandbox."""
        return DianLink.from_env().is_sandbox

    @rx.event
    def set_drawer_open(self, value: bool) -> None:
        self.drawer_open = value

    @rx.event
    def close_drawer(self) -> None:
        self.drawer_open = False

    @rx.event
    def set_help_open(self, value: bool) -> None:
        self.help_open = value
