"""The document counters: the plan card, the Ayuda summary and the usage chart."""

from __future__ import annotations

import reflex as rx

from loggro_app.state.counters import CountersState as C


def figure(label: str, value: rx.Var, id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=rx.color("gray", 11)),
        rx.heading(value, size="6", id=id),
        spacing="0", align="start",
    )


def overdraft() -> rx.Component:
    """Received invoices are registered even with no documents left: say what is owed."""
    return rx.cond(C.overdrawn > 0, rx.callout(
        rx.text("Sobregiro: ", rx.text.strong(C.overdrawn, id="overdrawn"),
                " documento(s) usados por encima del cupo en este periodo (facturas "
                "recibidas, que la ley obliga a recibir). Compra un paquete adicional."),
        color_scheme="amber", icon="triangle-alert", size="1", class_name="overdraft"))


def available_summary() -> rx.Component:
    """What the Ayuda button shows anywhere: documents that can be issued now."""
    return rx.cond(
        C.has_plan,
        rx.vstack(
            rx.hstack(rx.text("Documentos disponibles:"),
                      rx.text(C.available_total, weight="bold", id="help-available"),
                      spacing="2"),
            rx.text("Del plan: ", C.plan_available, " · Adquiridos: ", C.purchased_available,
                    size="2", color=rx.color("gray", 11)),
            rx.text(C.plan_label, " (", C.quota_text, ")", size="1",
                    color=rx.color("gray", 10)),
            overdraft(),
            spacing="1",
        ),
        rx.text("Tu organización todavía no tiene un plan activo.", size="2"),
    )


def plan_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(rx.text("Tu plan", size="1", color=rx.color("gray", 11)),
                          rx.heading(C.plan_label, size="5", id="plan-label"),
                          rx.text(C.quota_text, size="2"), spacing="1"),
                rx.badge(C.status, size="2", color_scheme="teal"),
                justify="between", width="100%", gap="2", wrap="wrap",
            ),
            rx.text("Periodo: ", C.period_text, size="2", color=rx.color("gray", 11)),
            rx.progress(value=C.used_percent, width="100%"),
            rx.grid(
                figure("Usados del plan", C.plan_used, "plan-used"),
                figure("Disponibles del plan", C.plan_available, "plan-available"),
                figure("Adquiridos disponibles", C.purchased_available, "purchased-available"),
                figure("Total disponibles", C.available_total, "total-available"),
                columns=rx.breakpoints(initial="2", sm="4"), spacing="3", width="100%",
            ),
            overdraft(),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def usage_chart() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Documentos electrónicos usados y comprados por mes", weight="medium"),
            rx.recharts.composed_chart(
                rx.recharts.bar(data_key="usados", name="Usados", fill=rx.color("accent", 9)),
                rx.recharts.bar(data_key="comprados", name="Comprados en paquetes",
                                fill=rx.color("grass", 8)),
                rx.recharts.line(data_key="cupo", name="Cupo del plan", stroke=rx.color("amber", 9),
                                 dot=False, type_="stepAfter"),
                rx.recharts.x_axis(data_key="mes"),
                rx.recharts.y_axis(allow_decimals=False),
                rx.recharts.legend(),
                rx.recharts.graphing_tooltip(),
                data=C.monthly, width="100%", height=240,
            ),
            width="100%", spacing="2",
        ),
        width="100%", id="usage-chart",
    )
