"""The lines of the sales form: picked from Inventario or typed, and their live totals."""

from __future__ import annotations

from typing import Any

import reflex as rx

from loggro_app.core.sales import MAX_LINES
from loggro_app.state.items import UNIT_OPTIONS
from loggro_app.state.sales_form import TAX_OPTIONS
from loggro_app.state.sales_form import SalesFormState as S


def choice(value: Any, on_change: Any, options: list[dict[str, str]], id: str = "",
           **props: Any) -> rx.Component:
    """A select over fixed {code, name} options."""
    return rx.select.root(
        rx.select.trigger(width="100%", id=id or None, **props),
        rx.select.content(*[rx.select.item(o["name"], value=o["code"]) for o in options]),
        value=value, on_change=on_change,
    )


def line_error(i: rx.Var, name: str) -> rx.Component:
    message = S.line_errors[i][name]
    return rx.cond(message != "", rx.text(message, color=rx.color("red", 11), size="1",
                                          class_name="field-error"))


def cell(label: str, control: rx.Component, i: rx.Var, name: str, **props: Any) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control, line_error(i, name),
                     spacing="1", width="100%", min_width="0", **props)


def line_input(line: rx.Var, i: rx.Var, name: str, **props: Any) -> rx.Component:
    return rx.input(value=line[name], on_change=lambda v: S.set_line(i, name, v), width="100%",
                    class_name=f"line-{name}", **props)


def line_card(line: rx.Var, i: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text("Línea ", i + 1, size="1", color=rx.color("gray", 11)),
            rx.icon_button(rx.icon("trash-2", size=14), on_click=S.remove_line(i),
                           variant="ghost", color_scheme="red", size="1", type="button",
                           aria_label="Quitar línea", class_name="remove-line"),
            justify="between", width="100%",
        ),
        rx.grid(
            cell("Descripción", line_input(line, i, "description", max_length=300), i,
                 "description", grid_column=["span 2", "span 2", "span 6"]),
            cell("Cantidad", line_input(line, i, "quantity", input_mode="decimal"), i,
                 "quantity"),
            cell("Unidad", choice(line["unit_code"], lambda v: S.set_line(i, "unit_code", v),
                                  UNIT_OPTIONS), i, "unit_code"),
            cell("Precio unitario", line_input(line, i, "unit_price", input_mode="decimal"), i,
                 "unit_price"),
            cell("Descuento", line_input(line, i, "discount", input_mode="decimal",
                                         placeholder="0"), i, "discount"),
            cell("Impuesto", choice(line["tax"], lambda v: S.set_line(i, "tax", v),
                                    TAX_OPTIONS), i, "tax", grid_column=["span 2", "span 2",
                                                                         "span 2"]),
            # an export line names the product's brand and model (cbc:BrandName, ModelName)
            rx.cond(S.is_export, cell("Marca", line_input(line, i, "brand", max_length=100),
                                      i, "brand", grid_column=["span 1", "span 1", "span 3"])),
            rx.cond(S.is_export, cell("Modelo", line_input(line, i, "model", max_length=100),
                                      i, "model", grid_column=["span 1", "span 1", "span 3"])),
            columns=rx.breakpoints(initial="2", md="6"), spacing="2", width="100%",
        ),
        width="100%", class_name="sale-line",
    )


def item_picker() -> rx.Component:
    return rx.vstack(
        rx.input(rx.input.slot(rx.icon("search", size=16)), value=S.item_search,
                 on_change=S.search_items, debounce_timeout=300, id="item-search",
                 placeholder="Agregar desde Inventario: nombre o código", width="100%"),
        rx.flex(
            rx.foreach(S.item_options, lambda item: rx.button(
                rx.icon("plus", size=14), item["name"],
                rx.text(item["price_label"], size="1", color=rx.color("gray", 11)),
                on_click=S.pick_item(item), variant="outline", size="2", type="button",
                class_name="item-option", max_width="100%", white_space="normal",
                height="auto", padding_y="0.35em")),
            wrap="wrap", spacing="2", width="100%",
        ),
        spacing="2", width="100%",
    )


def totals_panel() -> rx.Component:
    return rx.card(
        rx.cond(
            S.totals.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(rx.foreach(S.totals, lambda row: rx.hstack(
                rx.text(row["label"], size="2",
                        weight=rx.cond(row["role"] == "total", "bold", "regular")),
                rx.text(row["amount"], size="2", class_name="total-amount",
                        weight=rx.cond(row["role"] == "total", "bold", "regular")),
                justify="between", width="100%", class_name="total-row",
                id="total-" + row["role"])), spacing="1", width="100%"),
            rx.text("Los totales aparecen cuando una línea está completa.", size="2",
                    color=rx.color("gray", 11)),
        ),
        width="100%", id="totals",
    )


def lines_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Líneas", size="3"),
        item_picker(),
        rx.foreach(S.lines, line_card),
        rx.cond(S.errors.contains("lines"),  # type: ignore[attr-defined]
                rx.text(S.errors["lines"], color=rx.color("red", 11), size="1",
                        id="error-lines")),
        rx.button(rx.icon("plus", size=14), "Agregar línea", on_click=S.add_line,
                  disabled=~S.can_add_line, variant="soft", type="button", id="add-line"),
        rx.text(f"Máximo {MAX_LINES} líneas por documento.", size="1",
                color=rx.color("gray", 11)),
        totals_panel(),
        spacing="3", width="100%",
    )
