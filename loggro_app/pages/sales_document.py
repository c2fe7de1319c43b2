"""A new sales document, and one document: the form while it is a draft (or being corrected),
then its number, status, issuing steps, DIAN's messages and its files."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.buyer_events import buyer_events_panel
from loggro_app.components.layout import app_page
from loggro_app.components.sales_form import sales_form
from loggro_app.state.sales_document import SalesDocumentState as D

STEP_ICONS = {"done": "circle-check", "current": "loader", "todo": "circle",
              "failed": "circle-x"}
STEP_COLORS = {"done": "green", "current": "blue", "todo": "gray", "failed": "red"}


@app_page("Nuevo documento")
def new_sale_page() -> rx.Component:
    return sales_form()


def step(item: rx.Var) -> rx.Component:
    state = item["state"]
    return rx.hstack(
        rx.match(state, *[(k, rx.icon(v, size=18, color=rx.color(STEP_COLORS[k], 10)))
                          for k, v in STEP_ICONS.items()], rx.icon("circle", size=18)),
        rx.text(item["label"], size="2", weight=rx.cond(state == "current", "bold", "regular")),
        align="center", spacing="2", class_name="issue-step", data_state=state,
    )


def summary() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.heading(D.kind_label, " ", D.number, size="4", id="document-number"),
                  rx.badge(D.status_label, color_scheme=D.color, size="2",  # type: ignore[arg-type]
                           id="document-status"), align="center", wrap="wrap"),
        rx.text(D.customer, " · ", D.date, size="2"),
        rx.cond(D.total != "", rx.text("Total: ", D.total, weight="medium", id="document-total")),
        rx.cond(D.document_key != "", rx.text(D.document_key, size="1", word_break="break-all",
                                              color=rx.color("gray", 11))),
        rx.flex(rx.foreach(D.steps, step), spacing="3", wrap="wrap", id="issue-steps",
                direction=rx.breakpoints(initial="column", sm="row")),
        spacing="2", width="100%"), width="100%")


def rejected() -> rx.Component:
    return rx.cond(D.status == "rejected", rx.callout.root(
        rx.callout.icon(rx.icon("circle-x")),
        rx.vstack(
            rx.text("La DIAN rechazó el documento:", weight="bold"),
            rx.foreach(D.messages, lambda m: rx.vstack(
                rx.text(rx.cond(m["code"] != "", rx.code(m["code"]), ""), " ", m["text"],
                        size="2"),
                rx.cond(m["dian_text"] != m["text"], rx.text(
                    "DIAN: ", m["dian_text"], size="1", color=rx.color("gray", 11))),
                spacing="0", class_name="dian-message")),
            rx.button(rx.icon("pencil", size=14), "Corregir y reenviar", on_click=D.correct,
                      id="correct"),
            spacing="2", width="100%"),
        color_scheme="red", width="100%"))


def waiting_for_dian() -> rx.Component:
    """DIAN unreachable: the work goes on by itself; a type 04 invoice may go out now."""
    return rx.fragment(
        rx.cond(D.status == "pending", rx.callout.root(
            rx.callout.icon(rx.icon("clock")),
            rx.vstack(
                rx.text("La DIAN no responde. Loggro seguirá intentando enviarla, aunque "
                        "cierres esta página: no tienes que hacer nada.", size="2"),
                rx.cond(D.contingency_offered, rx.vstack(
                    rx.text("Si necesitas entregar la factura ya, emítela en contingencia "
                            "(tipo 04): conserva el mismo número, se entrega sin la respuesta "
                            "de la DIAN y Loggro la transmite cuando la DIAN vuelva (plazo: "
                            "48 horas).", size="2"),
                    rx.button(rx.icon("file-warning", size=14), "Emitir en contingencia",
                              on_click=D.issue_in_contingency, color_scheme="amber",
                              id="issue-contingency"),
                    spacing="2")),
                rx.button(rx.icon("refresh-cw", size=14), "Reintentar ahora", variant="soft",
                          on_click=D.retry_now, id="retry-now"),
                rx.cond(D.action_error != "", rx.text(D.action_error, color="red", size="2")),
                spacing="2", width="100%"),
            color_scheme="amber", width="100%")),
        rx.cond(D.status == "contingency", rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.text("Factura de contingencia (tipo 04), entregada sin la respuesta de la DIAN. "
                    "Loggro la transmitirá en cuanto la DIAN responda; debe quedar transmitida "
                    "antes del ", rx.text.strong(D.contingency_deadline), ".", size="2",
                    id="contingency-deadline"),
            color_scheme="amber", width="100%")),
    )


def downloads() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.foreach(D.files, lambda f: rx.button(
                rx.icon("download", size=14), f["label"], on_click=D.download(f["file"]),
                variant="soft", class_name="download-" + f["file"])),
            rx.cond(D.files.length() > 0, rx.button(  # type: ignore[attr-defined]
                rx.icon(rx.cond(D.preview != "", "eye-off", "eye"), size=14),
                rx.cond(D.preview != "", "Ocultar vista previa", "Vista previa"),
                on_click=D.toggle_preview, variant="soft", id="toggle-preview")),
            spacing="2", wrap="wrap"),
        rx.cond(D.preview != "", rx.el.iframe(
            src_doc=D.preview, title="Representación gráfica", id="preview",
            width="100%", height="80vh", border=f"1px solid {rx.color('gray', 6)}",
            border_radius="8px", background="white")),
        spacing="2", width="100%")


@app_page("Documento")
def sale_document_page() -> rx.Component:
    return rx.cond(
        D.missing != "", rx.callout(D.missing, icon="triangle-alert", color_scheme="amber"),
        rx.cond(D.editing, sales_form(), rx.vstack(
            summary(), waiting_for_dian(), rejected(), downloads(), buyer_events_panel(D.status),
            rx.link("← Volver a Ventas", href="/ventas"),
            spacing="3", width="100%", max_width="960px")),
    )
