"""Inicio: a summary of the organization's catalog and where to go next."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import Session

from loggro_app.components.counters import usage_chart
from loggro_app.components.layout import app_page
from loggro_app.db import session_scope
from loggro_app.services import enablement
from loggro_app.services.dashboard import (
    catalog_counts,
    month_documents,
    month_received,
    waiting_for_buyer,
)
from loggro_app.services.dian_link import DianLink
from loggro_app.services.reception import received_version
from loggro_app.services.sales import STATUS_LABELS
from loggro_app.services.sales_grid import BUYER_STATUS, grid_version, today_in_bogota
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, AuthState, acting_scope
from loggro_app.state.live import keep_live
from loggro_app.state.sales_view import STATUS_COLORS, document_row

POLL_SECONDS = 3.0
WATCH_LIMIT = 1200
MONTH_STATES = ("accepted", "pending", "contingency", "rejected")


class HomeState(rx.State):
    customers: int = 0
    items: int = 0
    payment_methods: int = 0
    enabled: bool = False
    enablement_text: str = ""
    month: list[dict[str, str]] = []  # this month's documents by state
    waiting_total: int = 0
    waiting: list[dict[str, str]] = []  # the oldest invoices the buyer has not answered
    received_month: int = 0  # suppliers' invoices registered this month
    watching: bool = False
    _seen: str = ""

    def _load(self, scope: Scope) -> None:
        with session_scope() as session:
            counts = catalog_counts(session=session, scope=scope)
            # the same checklist as Habilitación DIAN, so both pages always agree
            steps = enablement.checklist(session=session, scope=scope,
                                         link=DianLink.from_env())
        self.customers, self.items = counts.customers, counts.items
        self.payment_methods = counts.payment_methods
        self.enabled, self.enablement_text = enablement.readiness(steps)
        self._load_documents(scope)

    def _load_documents(self, scope: Scope) -> None:
        with session_scope() as session:
            by_state = month_documents(session=session, scope=scope,
                                       today=today_in_bogota())
            total, oldest = waiting_for_buyer(session=session, scope=scope)
            self.received_month = month_received(session=session, scope=scope,
                                                 today=today_in_bogota())
            self._seen = self._version(session, scope)
        self.month = [{"status": s, "label": STATUS_LABELS[s],
                       "count": str(by_state.get(s, 0)), "color": STATUS_COLORS[s]}
                      for s in MONTH_STATES]
        self.waiting_total = total
        self.waiting = [{**document_row(r),
                         "buyer": BUYER_STATUS.get(r.buyer_status, "")} for r in oldest]

    @staticmethod
    def _version(session: Session, scope: Scope) -> str:
        # issued documents and received mail both move the counters
        return (grid_version(session=session, scope=scope) + "/"
                + received_version(session=session, scope=scope))

    def _changed(self, scope: Scope) -> bool:
        with session_scope() as session:
            return self._version(session, scope) != self._seen

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self)
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        await asyncio.to_thread(self._load, scope)  # queries and the DIAN check block
        return HomeState.watch

    async def _tick(self, scope: Scope) -> None:
        if await asyncio.to_thread(self._changed, scope):
            await asyncio.to_thread(self._load_documents, scope)

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Inicio is live: documents issued or answered elsewhere show up here."""
        await keep_live(self, "/", self._tick, seconds=POLL_SECONDS, limit=WATCH_LIMIT)


def stat(label: str, value: rx.Var, route: str, icon: str) -> rx.Component:
    return rx.link(
        rx.card(rx.hstack(rx.icon(icon, size=28, color=rx.color("accent", 10)),
                          rx.vstack(rx.text(label, size="2", color=rx.color("gray", 11)),
                                    rx.heading(value, size="6"), spacing="0"),
                          align="center", spacing="3"), width="100%"),
        href=route, underline="none", width="100%",
    )


def documents_summary() -> rx.Component:
    return rx.vstack(
        rx.heading("Documentos de este mes", size="3"),
        rx.grid(rx.foreach(HomeState.month, lambda m: rx.link(rx.card(rx.vstack(
            rx.badge(m["label"], color_scheme=m["color"]),  # type: ignore[arg-type]
            rx.heading(m["count"], size="6"), spacing="1"), width="100%"),
            href="/ventas", underline="none", class_name="month-state")),
            columns=rx.breakpoints(initial="2", sm="4"), spacing="3", width="100%",
            id="month-documents"),
        rx.cond(HomeState.waiting_total > 0, rx.card(rx.vstack(
            rx.text("Esperando respuesta del cliente: ", rx.text.strong(
                HomeState.waiting_total), size="2", id="waiting-total"),
            rx.foreach(HomeState.waiting, lambda d: rx.link(rx.hstack(
                rx.text(d["kind"], " ", d["number"], weight="medium", size="2"),
                rx.text(d["customer"], size="1", color=rx.color("gray", 11)),
                rx.text(d["date"], size="1", color=rx.color("gray", 11)),
                rx.text(d["buyer"], size="1"),
                spacing="2", wrap="wrap", align="baseline"),
                href="/ventas/documento/" + d["id"], class_name="waiting-document")),
            spacing="1"), width="100%")),
        spacing="2", width="100%")


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
            stat("Facturas recibidas este mes", HomeState.received_month, "/compras/recibidas",
                 "inbox"),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"), spacing="3", width="100%",
        ),
        documents_summary(),
        usage_chart(),
        rx.cond(HomeState.enablement_text != "", rx.link(rx.cond(
            HomeState.enabled,
            rx.callout(HomeState.enablement_text, icon="circle-check", color_scheme="grass",
                       id="enablement-status"),
            rx.callout(HomeState.enablement_text, icon="info", id="enablement-status")),
            href="/habilitacion", underline="none")),
        spacing="4", width="100%",
    )
