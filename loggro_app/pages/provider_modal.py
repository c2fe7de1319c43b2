"""Modal Gestión Proveedor Tecnológico: (1) test set, (2) e-invoicing on, (3) provider."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.sandbox_records import test_set_record
from loggro_app.state.organization import OrganizationState as O
from loggro_app.state.sandbox_records import SandboxRecordsState as R
from loggro_app.state.test_set import TestSetState as T


def _step_header(number: int, title: str, done: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(done, rx.icon("circle-check", color=rx.color("grass", 10)),
                rx.badge(str(number), radius="full")),
        rx.text(title, weight="bold"), align="center",
    )


def progress_list() -> rx.Component:
    def row(r: rx.Var) -> rx.Component:
        return rx.box(
            rx.flex(rx.text(r["doc"], size="2"),
                    rx.badge(r["status"], color_scheme=rx.match(
                        r["state"], ("accepted", "grass"), ("rejected", "red"), "gray")),
                    justify="between", gap="2"),
            rx.cond(r["messages"] != "", rx.text(r["messages"], size="1",
                                                 color=rx.color("red", 11))),
            padding_y="0.25em", border_bottom=f"1px solid {rx.color('gray', 4)}",
            class_name="test-set-row",
        )

    return rx.box(rx.foreach(T.rows, row), max_height="30vh", overflow_y="auto", width="100%")


def step_test_set() -> rx.Component:
    return rx.vstack(
        _step_header(1, "Set de pruebas", T.run_status == "accepted"),
        rx.text("Pega el TestSetId que muestra la DIAN en «Detalles del set de pruebas».",
                size="2"),
        test_set_record(rx.button("Usar este", size="1", type="button", id="use-test-set-id",
                                  on_click=T.set_test_set_id(R.test_set_id))),
        rx.flex(rx.input(value=T.test_set_id, on_change=T.set_test_set_id, id="test-set-id",
                         placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", flex="1",
                         min_width="0"),
                rx.button("Certificar", on_click=T.certify, id="certify",
                          disabled=T.run_status == "running"),
                gap="2", width="100%"),
        rx.cond(T.error != "", rx.callout(T.error, color_scheme="red", icon="triangle-alert",
                                          id="test-set-error")),
        rx.cond(T.run_status != "", rx.vstack(
            rx.progress(value=T.percent, width="100%", id="test-set-progress"),
            rx.text(T.done, " de ", T.total, " documentos validados · ", T.accepted,
                    " aceptados · ", T.rejected, " rechazados", size="2", id="test-set-count"),
            rx.cond(T.run_message != "", rx.text(T.run_message, weight="medium",
                                                 id="test-set-message")),
            progress_list(), width="100%", spacing="2")),
        spacing="2", width="100%",
    )


def provider_modal() -> rx.Component:
    return rx.fragment(
        rx.button(rx.icon("badge-check", size=16), "Gestión Proveedor Tecnológico",
                  on_click=T.open_modal, id="provider-button", variant="outline"),
        rx.dialog.root(rx.dialog.content(
            rx.dialog.title("Gestión Proveedor Tecnológico"),
            rx.vstack(
                step_test_set(),
                rx.divider(),
                _step_header(2, "Facturación electrónica", O.e_invoicing_enabled),
                rx.hstack(rx.checkbox(checked=O.e_invoicing_enabled, on_change=O.ask_enable,
                                      id="provider-e-invoicing",
                                      disabled=T.run_status != "accepted"),
                          rx.text("La Organización Maneja Facturación Electrónica", size="2")),
                rx.divider(),
                _step_header(3, "Proveedor tecnológico", O.provider_confirmed),
                rx.flex(rx.text("Proveedor: Loggro", size="2"),
                        rx.button("Confirmar Loggro", on_click=O.confirm_provider,
                                  id="confirm-provider", size="1",
                                  disabled=O.provider_confirmed | ~O.e_invoicing_enabled),
                        justify="between", align="center", width="100%"),
                spacing="3", width="100%",
            ),
            rx.flex(rx.dialog.close(rx.button("Cerrar", variant="soft", color_scheme="gray")),
                    justify="end", margin_top="1em"),
            rx.text("Puedes cerrar esta ventana: la certificación continúa y puedes volver a "
                    "verla aquí.", size="1", color=rx.color("gray", 10)),
            width="95vw", max_width="560px",
        ), open=T.open, on_open_change=T.set_open),
    )
