"""Inicio: a summary of the organization's catalog and where to go next."""

from __future__ import annotations

import asyncio

import reflex as rx

from loggro_app.components.counters import usage_chart
from loggro_app.components.layout import app_page
from loggro_app.db import session_scope
from loggro_app.services import enablement
from loggro_app.services.dashboard import catalog_counts
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, AuthState, acting_scope


class HomeState(rx.State):
    customers: int = 0
    items: int = 0
    payment_methods: int = 0
    enabled: bool = False
    enablement_text: str = ""

    def _load(self, scope: Scope) -> None:
        with session_scope() as session:
            counts = catalog_counts(session=session, scope=scope)
            # the same checklist as Habilitación DIAN, so both pages always agree
            steps = enablement.checklist(session=session, scope=scope,
                                         link=DianLink.from_env())
        self.customers, self.items = counts.customers, counts.items
        self.payment_methods = counts.payment_methods
        self.enabled, self.enablement_text = enablement.readiness(steps)

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        await asyncio.to_thread(self._load, scope)  # queries and the DIAN check block
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
        rx.cond(HomeState.enablement_text != "", rx.link(rx.cond(
            HomeState.enabled,
            rx.callout(HomeState.enablement_text, icon="circle-check", color_scheme="grass",
                       id="enablement-status"),
            rx.callout(HomeState.enablement_text, icon="info", id="enablement-status")),
            href="/habilitacion", underline="none")),
        spacing="4", width="100%",
    )
