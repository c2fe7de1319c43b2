"""Configuración → Consecutivos de Facturación."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.catalog_table import choice
from loggro_app.components.forms import form_dialog, labeled, text_input
from loggro_app.components.layout import app_page
from loggro_app.components.sandbox_records import resolution_record
from loggro_app.core.limits import NUMBERING_RANGE, RESOLUTION_NUMBER_DIGITS
from loggro_app.core.numbering import CHANNELS, KINDS
from loggro_app.state.numbering import NumberingState as N

E = N.errors
KIND_OPTIONS = [{"code": c, "name": n} for c, n in KINDS.items()]
RESOLUTION_HINT = f"Solo dígitos, máximo {RESOLUTION_NUMBER_DIGITS}."
CHANNEL_OPTIONS = [{"code": c, "name": n} for c, n in CHANNELS.items()]


def _field(label: str, name: str, hint: str = "", **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return labeled(label, text_input(getattr(N, name), lambda v: N.set_field(name, v),
                                     f"num-{name}", **props), E, name, hint=hint)


def numbering_form() -> rx.Component:
    return rx.vstack(
        _field("Nombre", "name"),
        rx.grid(
            labeled("Documento", choice(KIND_OPTIONS, N.document_kind,
                                        lambda v: N.set_field("document_kind", v), "num-kind"),
                    E, "document_kind"),
            labeled("Canal", choice(CHANNEL_OPTIONS, N.channel,
                                    lambda v: N.set_field("channel", v), "num-channel"),
                    E, "channel"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        rx.link("Para definir o visualizar las vigencias y resolución del consecutivo dé clic "
                "aquí", on_click=N.toggle_resolution, id="toggle-resolution", size="2"),
        rx.cond(N.show_resolution, resolution_record()),
        rx.cond(N.show_resolution, rx.grid(
            _field("Número de resolución", "resolution_number", RESOLUTION_HINT,
                   input_mode="numeric"),
            _field("Prefijo", "prefix", "Hasta 4 letras o dígitos; puede quedar vacío."),
            _field("Numeración inicial", "range_from", NUMBERING_RANGE.hint + ".",
                   input_mode="numeric"),
            _field("Numeración final", "range_to", NUMBERING_RANGE.hint + ".",
                   input_mode="numeric"),
            _field("Vigencia desde", "valid_from", type="date"),
            _field("Vigencia hasta", "valid_to", type="date"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")),
        spacing="3", width="100%",
    )


def numbering_card(row: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.flex(rx.text(row["name"], weight="bold"),
                rx.badge(row["state"], color_scheme=rx.match(
                    row["state"], ("Activo", "grass"), ("Pendiente de asociar", "amber"), "red"),
                    class_name="numbering-state"),
                justify="between", width="100%", gap="2"),
        rx.text(row["kind"], " · ", row["channel"], size="2"),
        rx.text("Prefijo ", row["prefix"], " · Rango ", row["range"], " · Siguiente ",
                row["next"], size="2"),
        rx.text("Vigencia ", row["validity"], size="2"),
        rx.cond(row["warnings"] != "", rx.callout(row["warnings"], icon="triangle-alert",
                                                  color_scheme="amber", size="1")),
        rx.cond(row["checked"] != "", rx.text("Confirmado con la DIAN el ", row["checked"],
                                              size="1", color=rx.color("gray", 10))),
        rx.flex(rx.button("Editar", size="1", variant="soft", on_click=N.open_edit(row["id"])),
                rx.button(rx.icon("refresh-cw", size=14), "Consultar DIAN", size="1",
                          on_click=N.verify(row["id"]), class_name="verify-button"),
                gap="2"),
        spacing="2", width="100%"), width="100%", class_name="numbering-row")


@app_page("Consecutivos de Facturación")
def numbering_page() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("plus", size=16), "Nuevo Consecutivo", on_click=N.open_new,
                  id="new-button"),
        rx.cond(N.rows.length() > 0,
                rx.grid(rx.foreach(N.rows, numbering_card),
                        columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"),
                rx.text("Todavía no hay consecutivos.", color=rx.color("gray", 11))),
        form_dialog(N.form_open, N.set_form_open,
                    rx.cond(N.editing_id == 0, "Nuevo Consecutivo", "Editar consecutivo"),
                    numbering_form(), N.save, N.saving, N.form_error),
        spacing="3", width="100%",
    )
