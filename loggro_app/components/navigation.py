"""The app's sections, shown in the sidebar (desktop) and the drawer (phone)."""

from __future__ import annotations

import reflex as rx

from loggro_app.state.shell import ShellState

# (label, route, lucide icon); Compras and Configuración group their sub-pages.
SECTIONS: list[tuple[str, str, str]] = [
    ("Inicio", "/", "house"),
    ("Ventas", "/ventas", "receipt"),
    ("Contactos", "/contactos", "users"),
    ("Inventario", "/inventario", "package"),
]
PURCHASE_SECTIONS: list[tuple[str, str, str]] = [
    ("Facturas recibidas", "/compras/recibidas", "inbox"),
]
CONFIG_SECTIONS: list[tuple[str, str, str]] = [
    ("Organización", "/configuracion/organizacion", "building-2"),
    ("Consecutivos de Facturación", "/configuracion/consecutivos", "list-ordered"),
    ("Formas de Pago", "/configuracion/formas-de-pago", "credit-card"),
    ("Trabajo en segundo plano", "/configuracion/trabajos", "activity"),
]
MORE_SECTIONS: list[tuple[str, str, str]] = [
    ("Habilitación DIAN", "/habilitacion", "badge-check"),
    ("Portal Administrativo", "/portal", "wallet"),
]
SANDBOX_MAIL = ("Correo de pruebas", "/correo-de-pruebas", "mail")  # sandbox only


def _current_path() -> rx.Var:
    return rx.State.router.page.path


def nav_link(label: str, route: str, icon: str, on_click=None) -> rx.Component:  # type: ignore[no-untyped-def]
    active = _current_path() == route
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(label, size="2"), align="center", spacing="2"),
        href=route,
        on_click=on_click,
        underline="none",
        width="100%",
        padding_x="0.75em",
        padding_y="0.5em",
        border_radius="8px",
        color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 12)),
        background=rx.cond(active, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("accent", 4)},
    )


def heading(label: str) -> rx.Component:
    return rx.text(label, size="1", weight="bold", color=rx.color("gray", 10),
                   padding_x="0.75em", padding_top="0.75em")


def nav_menu(on_click=None) -> rx.Component:  # type: ignore[no-untyped-def]
    def group(items: list[tuple[str, str, str]]) -> list[rx.Component]:
        return [nav_link(label, route, icon, on_click) for label, route, icon in items]

    return rx.vstack(
        *group(SECTIONS),
        heading("Compras"),
        *group(PURCHASE_SECTIONS),
        heading("Configuración"),
        *group(CONFIG_SECTIONS),
        rx.divider(margin_y="0.5em"),
        *group(MORE_SECTIONS),
        rx.cond(ShellState.sandbox_mail, nav_link(*SANDBOX_MAIL, on_click)),
        spacing="1",
        width="100%",
        role="navigation",
    )
