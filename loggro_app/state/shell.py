"""UI state of the app shell (drawer and help dialog)."""

from __future__ import annotations

import reflex as rx


class ShellState(rx.State):
    drawer_open: bool = False
    help_open: bool = False

    @rx.event
    def set_drawer_open(self, value: bool) -> None:
        self.drawer_open = value

    @rx.event
    def close_drawer(self) -> None:
        self.drawer_open = False

    @rx.event
    def set_help_open(self, value: bool) -> None:
        self.help_open = value
