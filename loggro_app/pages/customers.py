"""Contactos: the organization's customers."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.forms import (
    confirm_delete,
    form_dialog,
    labeled,
    pager,
    row_actions,
    search_bar,
    text_input,
)
from loggro_app.components.layout import app_page
from loggro_app.core.limits import MAX_ADDRESS, PHONE_HINT
from loggro_app.state.customers import COUNTRIES, DEPARTMENTS, ID_TYPES
from loggro_app.state.customers import CustomersState as S

E = S.errors
# On a phone the emails go under the name instead of a column of their own.
WIDE_ONLY = ["none", "none", "table-cell"]
PHONE_ONLY = ["block", "block", "none"]


def _identification() -> rx.Component:
    return rx.grid(
        labeled("Tipo de identificación", rx.select.root(
            rx.select.trigger(width="100%", id="id-type"),
            rx.select.content(*[rx.select.item(t["name"], value=t["code"]) for t in ID_TYPES]),
            value=S.id_type, on_change=lambda v: S.set_field("id_type", v),
        ), E, "identification_type"),
        labeled("Número", text_input(S.id_number, lambda v: S.set_field("id_number", v),
                                     "id-number", placeholder="Sin puntos"),
                E, "identification_number"),
        rx.cond(S.is_nit, labeled("DV", text_input(S.dv, lambda v: S.set_field("dv", v), "dv",
                                                   placeholder=S.dv_hint, max_length=1),
                                  E, "dv")),
        columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
    )


def _country() -> rx.Component:
    """Colombia by default; abroad, a city name replaces municipality and postal code."""
    return rx.grid(
        labeled("País", rx.select.root(
            rx.select.trigger(width="100%", id="country"),
            rx.select.content(*[rx.select.item(c["name"], value=c["code"]) for c in COUNTRIES]),
            value=S.country_code, on_change=S.set_country,
        ), E, "country_code"),
        rx.cond(S.is_abroad, labeled("Ciudad", text_input(
            S.city_name, lambda v: S.set_field("city_name", v), "city-name", max_length=100),
            E, "city_name", hint="Las facturas a este cliente son de exportación.")),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
    )


def _location() -> rx.Component:
    return rx.grid(
        labeled("Departamento", rx.select.root(
            rx.select.trigger(placeholder="Selecciona", width="100%", id="department"),
            rx.select.content(*[rx.select.item(d["name"], value=d["code"]) for d in DEPARTMENTS]),
            value=S.department_code, on_change=S.set_department,
        )),
        labeled("Municipio", rx.fragment(
            rx.el.input(value=S.municipality_text, on_change=S.set_municipality_text,
                        list="municipality-list", id="municipality",
                        placeholder="Escribe para buscar", auto_complete="off",
                        class_name="rt-reset rt-TextFieldInput",
                        style={"width": "100%", "padding": "6px 8px", "border_radius": "6px",
                               "border": f"1px solid {rx.color('gray', 7)}",
                               "font_size": "14px", "background": rx.color("gray", 1)}),
            rx.el.datalist(rx.foreach(S.municipality_options, lambda n: rx.el.option(value=n)),
                           id="municipality-list"),
        ), E, "municipality_code"),
        labeled("Barrio (opcional)", rx.fragment(
            rx.el.input(value=S.neighborhood, on_change=S.set_neighborhood,
                        list="neighborhood-list", id="neighborhood", auto_complete="off",
                        placeholder="Para un código postal más preciso",
                        style={"width": "100%", "padding": "6px 8px", "border_radius": "6px",
                               "border": f"1px solid {rx.color('gray', 7)}",
                               "font_size": "14px", "background": rx.color("gray", 1)}),
            rx.el.datalist(rx.foreach(S.neighborhood_options, lambda n: rx.el.option(value=n)),
                           id="neighborhood-list"),
        )),
        labeled("Código postal", rx.hstack(
            text_input(S.postal_code, S.set_postal_code, "postal-code", max_length=6,
                       list="postal-list"),
            rx.el.datalist(rx.foreach(S.postal_options, lambda c: rx.el.option(value=c)),
                           id="postal-list"),
            rx.cond(S.postal_overridden, rx.icon_button(
                rx.icon("rotate-ccw", size=14), on_click=S.reset_postal_code, variant="soft",
                aria_label="Usar el código derivado", type="button")),
            width="100%",
        ), E, "postal_code"),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
    )


def _emails() -> rx.Component:
    return rx.vstack(
        rx.checkbox("Recibir e-mail con documentación electrónica en formato XML",
                    checked=S.send_xml_email, on_change=S.set_send_xml_email, id="send-xml"),
        rx.text("Correos de notificación", size="2", weight="medium"),
        rx.foreach(S.emails, lambda email, i: rx.hstack(
            rx.input(value=email, on_change=lambda v: S.set_email(i, v), type="email",
                     placeholder="correo@cliente.com", width="100%", class_name="email-input"),
            rx.icon_button(rx.icon("x", size=14), on_click=S.remove_email(i), variant="soft",
                           color_scheme="gray", aria_label="Quitar correo", type="button"),
            width="100%",
        )),
        rx.button(rx.icon("plus", size=14), "Agregar correo", on_click=S.add_email,
                  variant="soft", size="1", id="add-email", type="button"),
        rx.cond(E.contains("emails"), rx.text(E["emails"], color=rx.color("red", 11), size="1",
                                              id="error-emails")),
        spacing="2", width="100%",
    )


def customer_form() -> rx.Component:
    return rx.vstack(
        _identification(),
        labeled("Nombre o razón social", text_input(S.name, lambda v: S.set_field("name", v),
                                                    "name"), E, "name"),
        rx.grid(
            labeled("Dirección", text_input(S.address, lambda v: S.set_field("address", v),
                                            "address"), E, "address",
                    hint=f"Máximo {MAX_ADDRESS} caracteres."),
            labeled("Teléfono", text_input(S.phone, lambda v: S.set_field("phone", v), "phone",
                                           input_mode="tel"), E, "phone", hint=PHONE_HINT),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        _country(),
        rx.cond(~S.is_abroad, _location()),
        _emails(),
        spacing="3", width="100%",
    )


def customer_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(row["name"], weight="medium"),
                                rx.text(row["identification"], size="1",
                                        color=rx.color("gray", 11)),
                                rx.text(row["emails"], size="1", word_break="break-all",
                                        display=PHONE_ONLY), spacing="0")),
        rx.table.cell(rx.text(row["place"]), rx.text(row["postal_code"], size="1",
                                                     color=rx.color("gray", 11))),
        rx.table.cell(rx.text(row["emails"], size="1", word_break="break-all"),
                      display=WIDE_ONLY),
        rx.table.cell(row_actions(S.open_edit(row["id"]),
                                  S.ask_delete(row["id"], "el cliente " + row["name"]))),
        class_name="customer-row",
    )


@app_page("Contactos")
def customers_page() -> rx.Component:
    return rx.vstack(
        search_bar(S.search, S.set_search, "Buscar por nombre o identificación",
                   S.open_new, "Nuevo cliente"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Cliente"),
                rx.table.column_header_cell("Ubicación"),
                rx.table.column_header_cell("Correos", display=WIDE_ONLY),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(S.rows, customer_row)),
            width="100%", size="1",
        ), width="100%", overflow_x="auto"),
        pager(S.page, S.pages, S.total, S.prev_page, S.next_page),
        form_dialog(S.form_open, S.set_form_open,
                    rx.cond(S.editing_id == 0, "Nuevo cliente", "Editar cliente"),
                    customer_form(), S.save, S.saving, S.form_error),
        confirm_delete(S.delete_open, S.set_delete_open, S.delete_message, S.confirm_delete),
        spacing="3", width="100%",
    )
