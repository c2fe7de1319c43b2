"""Inicio: a summary of the organization's catalog and where to go next."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.counters import usage_chart
from loggro_app.components.layout import app_page
from loggro_app.db import session_scope
from loggro_app.services.dashboard import catalog_counts
from loggro_app.state.auth import LOGIN_ROUTE, AuthState, acting_scope


class HomeState(rx.State):
    customers: int = 0
    items: int = 0
    payment_methods: int = 0

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        with session_scope() as session:
            counts = catalog_counts(session=session, scope=scope)
        self.customers, self.items = counts.customers, counts.items
        self.payment_methods = counts.payment_methods
        return None


def stat(label: str, value: rx.Var, route: str, icon: str) -> rx.Component:
    return rx.link(
        rx.card(rx.hstack(rx.icon(icon, size=28, color=rx.color("accent", 10)),
                          rx.vstack(rx.text(label, size="2", color=rx.color("gray", 11)),
                                    rx.heading(value, size="6"), spacing="0"),
                          align="center", spacing="3"), width="100%"),
        href=route, underline="none", width="100%",
    )


@app_page("Inicio")
def home_page() -> rx.Component:
    return rx.vstack(
        rx.heading(rx.text.span("Hola, "), AuthState.user_name, size="6", id="welcome"),
        rx.text(AuthState.organization_name, color=rx.color("gray", 11)),
        rx.grid(
            stat("Clientes", HomeState.customers, "/contactos", "users"),
            stat("Productos", HomeState.items, "/inventario", "package"),
            stat("Formas de pago", HomeState.payment_methods, "/configuracion/formas-de-pago",
                 "credit-card"),
            columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
        ),
        usage_chart(),
        rx.callout("Para emitir facturas electrónicas, completa primero la Habilitación DIAN.",
                   icon="info"),
        spacing="4", width="100%",
    )
