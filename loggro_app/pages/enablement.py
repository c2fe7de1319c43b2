"""Habilitación DIAN: a checklist a newcomer can follow from a new account to habilitado."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.components.sandbox_records import resolution_record, test_set_record
from loggro_app.state.enablement import EnablementState as H


def step_card(step: rx.Var) -> rx.Component:
    return rx.card(rx.hstack(
        rx.box(rx.match(step["state"],
                        ("ok", rx.icon("circle-check", color=rx.color("grass", 10), size=22)),
                        ("error", rx.icon("circle-x", color=rx.color("red", 10), size=22)),
                        rx.icon("circle-dashed", color=rx.color("amber", 10), size=22)),
               flex_shrink="0"),
        rx.vstack(
            rx.text(step["title"], weight="bold"),
            rx.text(step["detail"], size="2", word_break="break-word"),
            rx.cond(step["state"] != "ok", rx.link(step["next"], href=step["link"], size="2")),
            rx.cond(step["verified"] != "", rx.text("Verificado: ", step["verified"], size="1",
                                                    color=rx.color("gray", 10))),
            spacing="1", min_width="0"),
        align="start", spacing="3"), width="100%", class_name="check-step",
        data_state=step["state"], data_key=step["key"])


def sandbox_actions() -> rx.Component:
    def action(label: str, handler, id: str) -> rx.Component:  # type: ignore[no-untyped-def]
        return rx.button(label, on_click=handler, variant="soft", size="2", id=id,
                         white_space="normal", height="auto", padding_y="0.4em")

    return rx.card(rx.vstack(
        rx.hstack(rx.icon("flask-conical", size=18), rx.text("Acciones del sandbox DIAN",
                                                             weight="bold")),
        rx.text("En el ambiente de pruebas local, estas acciones reemplazan lo que harías en "
                "el portal de la DIAN.", size="2", color=rx.color("gray", 11)),
        rx.flex(
            action("1. Solicitar resolución", H.sandbox_resolution, "sandbox-resolution"),
            action("2. Registrar software Loggro FE", H.sandbox_software, "sandbox-software"),
            action("3. Obtener TestSetId", H.sandbox_test_set, "sandbox-test-set"),
            action("4. Asociar prefijo", H.sandbox_associate, "sandbox-associate"),
            action("Simular el paso de 2 horas", H.sandbox_wait_two_hours, "sandbox-clock"),
            gap="2", wrap="wrap"),
        resolution_record(), test_set_record(),
        spacing="2", width="100%"), width="100%")


@app_page("Habilitación DIAN")
def enablement_page() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.heading(H.done, " de ", H.total, " pasos completos", size="4",
                           id="check-progress"),
                rx.button(rx.icon("refresh-cw", size=14), "Verificar de nuevo", on_click=H.load,
                          loading=H.busy, variant="soft", id="recheck"),
                justify="between", width="100%", wrap="wrap", gap="2"),
        rx.progress(value=rx.cond(H.total > 0, H.done * 100 / H.total, 0), width="100%"),
        rx.cond(H.is_sandbox, sandbox_actions(),
                rx.callout(rx.vstack(
                    rx.text("Ambiente DIAN: ", H.environment, ". Solicita la resolución en "
                            "MUISCA, consulta el TestSetId en «Detalles del set de pruebas» y "
                            "asocia los prefijos en el portal de habilitación de la DIAN "
                            "(mínimo 2 horas después de expedida la resolución)."),
                    rx.link("Portal de habilitación de la DIAN",
                            href="https://catalogo-vpfe-hab.dian.gov.co/User/Login",
                            is_external=True),
                    spacing="1"), icon="info")),
        rx.vstack(rx.foreach(H.steps, step_card), spacing="2", width="100%"),
        spacing="3", width="100%",
    )
