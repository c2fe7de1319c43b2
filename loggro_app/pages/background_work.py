"""Configuración → Trabajo en segundo plano: what the app does for the organization on its
own (issuing, the DIAN test set), with its state and steps, and Reintentar for failed work."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.state.background_work import BackgroundWorkState as W

COLORS = {"Terminado": "green", "Falló": "red", "En curso": "blue", "En cola": "blue",
          "Programado": "gray", "Cancelado": "gray"}


def work_card(item: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(
            rx.text(item["name"], weight="bold", size="2"),
            rx.badge(item["status"], color_scheme=rx.match(  # type: ignore[arg-type]
                item["status"], *COLORS.items(), "gray")),
            align="center", wrap="wrap"),
        rx.text(item["subject"], " · ", item["started"], size="1", color=rx.color("gray", 11)),
        rx.cond(item["steps"] != "", rx.text("Pasos: ", item["steps"], size="1")),
        rx.cond(item["error"] != "", rx.text(item["error"], size="1", color="red")),
        rx.cond(item["can_retry"] == "True", rx.button(
            rx.icon("rotate-ccw", size=14), "Reintentar", size="1",
            on_click=W.retry(item["workflow_id"]), class_name="retry-work")),
        spacing="1", width="100%"), width="100%", class_name="work-item")


@app_page("Trabajo en segundo plano")
def background_work_page() -> rx.Component:
    return rx.vstack(
        rx.text("Lo que Loggro hace por tu organización aunque cierres la página: emitir "
                "documentos, enviar el set de pruebas. Si algo falla puedes reintentarlo desde "
                "el paso que falló.", size="2"),
        rx.cond(W.message != "", rx.callout(W.message, icon="info")),
        rx.cond(
            W.denied != "", rx.callout(W.denied, icon="lock", color_scheme="amber"),
            rx.cond(W.work.length() == 0,  # type: ignore[attr-defined]
                    rx.text(rx.cond(W.loading, "Cargando…", "Aún no hay trabajo registrado."),
                            size="2", color=rx.color("gray", 11)),
                    rx.vstack(rx.foreach(W.work, work_card), spacing="2", width="100%"))),
        rx.button(rx.icon("refresh-cw", size=14), "Actualizar", variant="soft",
                  on_click=W.load),
        spacing="3", width="100%", max_width="960px")
