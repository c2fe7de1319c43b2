"""Inventario (items) and Configuración → Formas de Pago."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.catalog_table import catalog_table, choice
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
from loggro_app.core.item_rules import PRICE_HINT
from loggro_app.pages.customers import PHONE_ONLY, WIDE_ONLY
from loggro_app.state.items import (
    FORM_CHOICES,
    TAX_CHOICES,
    UNIT_OPTIONS,
    ItemsState,
    PaymentMethodsState,
)


def _crud_page(state, headers, render_row, form, search_hint, new_label, title_new,  # type: ignore[no-untyped-def]
               title_edit) -> rx.Component:
    return rx.vstack(
        search_bar(state.search, state.set_search, search_hint, state.open_new, new_label),
        catalog_table(headers, state.rows, render_row),
        pager(state.page, state.pages, state.total, state.prev_page, state.next_page),
        form_dialog(state.form_open, state.set_form_open,
                    rx.cond(state.editing_id == 0, title_new, title_edit), form, state.save,
                    state.saving, state.form_error),
        confirm_delete(state.delete_open, state.set_delete_open, state.delete_message,
                       state.confirm_delete),
        spacing="3", width="100%",
    )


def item_form() -> rx.Component:
    s, e = ItemsState, ItemsState.errors
    return rx.grid(
        labeled("Código", text_input(s.code, lambda v: s.set_field("code", v), "code"), e, "code"),
        labeled("Nombre", text_input(s.name, lambda v: s.set_field("name", v), "name"), e, "name"),
        labeled("Unidad", choice(UNIT_OPTIONS, s.unit_code, lambda v: s.set_field("unit_code", v),
                                 "unit"), e, "unit_code"),
        labeled("Precio (COP, sin impuestos)", text_input(
            s.price, lambda v: s.set_field("price", v), "price", placeholder="0,00",
            input_mode="decimal"), e, "price", hint=PRICE_HINT),
        labeled("Impuesto", choice(TAX_CHOICES, s.tax_code, lambda v: s.set_field("tax_code", v),
                                   "tax"), e, "tax_code"),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
    )


def item_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["code"], size="1"), display=WIDE_ONLY),
        rx.table.cell(rx.text(row["name"], weight="medium"),
                      rx.text(row["code"], " · ", row["unit"], size="1", display=PHONE_ONLY,
                              color=rx.color("gray", 11))),
        rx.table.cell(row["unit"], display=WIDE_ONLY),
        rx.table.cell(rx.text(row["price"], white_space="nowrap")),
        rx.table.cell(row["tax"]),
        rx.table.cell(row_actions(ItemsState.open_edit(row["id"]),
                                  ItemsState.ask_delete(row["id"], "el producto " + row["name"]))),
        class_name="item-row",
    )


@app_page("Inventario")
def items_page() -> rx.Component:
    return _crud_page(ItemsState, ["Código*", "Nombre", "Unidad*", "Precio", "Impuesto"], item_row,
                      item_form(), "Buscar por código o nombre", "Nuevo producto",
                      "Nuevo producto", "Editar producto")


def method_form() -> rx.Component:
    s, e = PaymentMethodsState, PaymentMethodsState.errors
    return rx.vstack(
        labeled("Nombre", text_input(s.name, lambda v: s.set_field("name", v), "name"), e, "name"),
        labeled("Forma de pago", choice(FORM_CHOICES, s.form_code,
                                        lambda v: s.set_field("form_code", v), "form"),
                e, "form_code"),
        labeled("Medio de pago (código DIAN)", rx.vstack(
            rx.input(rx.input.slot(rx.icon("search", size=14)), value=s.means_search,
                     on_change=s.set_means_search, placeholder="Buscar: tarjeta, transferencia…",
                     id="means-search", width="100%"),
            rx.select.root(
                rx.select.trigger(width="100%", id="means"),
                rx.select.content(rx.foreach(s.means_options, lambda o: rx.select.item(
                    o["name"], value=o["code"]))),
                value=s.means_code, on_change=lambda v: s.set_field("means_code", v)),
            spacing="1", width="100%"), e, "means_code"),
        spacing="3", width="100%",
    )


def method_row(row: rx.Var) -> rx.Component:
    s = PaymentMethodsState
    return rx.table.row(
        rx.table.cell(rx.text(row["name"], weight="medium")),
        rx.table.cell(row["form"]),
        rx.table.cell(row["means"]),
        rx.table.cell(row_actions(s.open_edit(row["id"]),
                                  s.ask_delete(row["id"], "la forma de pago " + row["name"]))),
        class_name="method-row",
    )


@app_page("Formas de Pago")
def payment_methods_page() -> rx.Component:
    return _crud_page(PaymentMethodsState, ["Nombre", "Forma", "Medio de pago"], method_row,
                      method_form(), "Buscar forma de pago", "Nueva forma de pago",
                      "Nueva forma de pago", "Editar forma de pago")
