"""The app shell: sidebar on desktop, drawer on a phone, top bar with Ayuda and the user menu."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from loggro_app.components.counters import available_summary
from loggro_app.components.navigation import nav_menu
from loggro_app.state.auth import AuthState
from loggro_app.state.shell import ShellState

SIDEBAR_WIDTH = "250px"
# Radix breakpoints: initial (<520px), xs, sm (>=768px), ...; the sidebar shows from sm up.
DESKTOP = ["none", "none", "flex"]
PHONE = ["flex", "flex", "none"]


def brand() -> rx.Component:
    return rx.hstack(
        rx.icon("file-check-2", size=22, color=rx.color("accent", 10)),
        rx.heading("Loggro", size="5"),
        rx.text("FE", size="2", color=rx.color("gray", 10)),
        align="center", spacing="2",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        brand(),
        rx.text(AuthState.organization_name, size="1", color=rx.color("gray", 11)),
        nav_menu(),
        display=DESKTOP,
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        height="100vh",
        position="sticky",
        top="0",
        padding="1em",
        spacing="3",
        overflow_y="auto",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
    )


def drawer() -> rx.Component:
    return rx.drawer.root(
        rx.drawer.trigger(
            rx.icon_button(rx.icon("menu"), variant="ghost", aria_label="Abrir menú",
                           id="menu-button"),
            display=PHONE,
        ),
        rx.drawer.overlay(),
        rx.drawer.portal(
            rx.drawer.content(
                rx.vstack(
                    rx.hstack(brand(), rx.drawer.close(rx.icon_button(
                        rx.icon("x"), variant="ghost", aria_label="Cerrar menú")),
                        justify="between", width="100%"),
                    rx.text(AuthState.organization_name, size="1"),
                    nav_menu(on_click=ShellState.close_drawer),
                    spacing="3", padding="1em", width="100%",
                ),
                width="80vw", max_width="300px", height="100%", overflow_y="auto",
                background=rx.color("gray", 1),
            ),
        ),
        direction="left",
        open=ShellState.drawer_open,
        on_open_change=ShellState.set_drawer_open,
    )


def help_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("circle-help", size=16), "Ayuda", variant="soft",
                                    size="2", id="help-button")),
        rx.dialog.content(
            rx.dialog.title("Ayuda"),
            available_summary(),
            rx.flex(rx.dialog.close(rx.button("Cerrar", variant="soft")), justify="end",
                    margin_top="1em"),
            max_width="420px",
        ),
        open=ShellState.help_open,
        on_open_change=ShellState.set_help_open,
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(rx.icon("circle-user", size=18),
                      rx.text(AuthState.user_name, display=["none", "none", "inline"]),
                      variant="ghost", id="user-menu"),
        ),
        rx.menu.content(
            rx.text(AuthState.user_email, size="1", color=rx.color("gray", 10), padding_x="0.75em"),
            rx.menu.item("Mis planes y pagos", on_click=rx.redirect("/portal")),
            rx.menu.separator(),
            rx.menu.item("Cerrar sesión", color="red", on_click=AuthState.logout,
                         id="logout"),
        ),
    )


def topbar(title: str) -> rx.Component:
    return rx.hstack(
        rx.hstack(drawer(), rx.heading(title, size="5", id="page-title"), align="center",
                  spacing="2", min_width="0"),
        rx.hstack(help_dialog(), user_menu(), align="center", spacing="2"),
        justify="between", align="center", width="100%", padding_x="1em", padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        position="sticky", top="0", z_index="10", background=rx.color("gray", 1),
    )


def loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh", width="100%")


def app_page(title: str) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Wrap a page's content in the shell; nothing shows until the session is verified."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            return rx.cond(
                AuthState.is_authenticated,
                rx.flex(
                    sidebar(),
                    rx.box(topbar(title), rx.box(content(), padding=["0.75em", "1em", "1.5em"]),
                           flex="1", min_width="0"),
                    width="100%", min_height="100vh",
                ),
                loading(),
            )

        page.__name__ = content.__name__
        return page

    return decorator


def not_available(what: str) -> rx.Component:
    """An honest placeholder for sections later versions fill."""
    return rx.callout(
        f"{what}: todavía no disponible en esta versión.",
        icon="construction", color_scheme="amber", id="not-available",
    )
