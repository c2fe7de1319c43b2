"""Ventas: the documents of the organization, and the buttons that start a new one."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.components.sales_lines import choice
from loggro_app.state.sales import KIND_FILTERS
from loggro_app.state.sales import SalesListState as S

NEW = (("FE", "Nueva factura", "file-plus"), ("NC", "Nota crédito", "file-minus"),
       ("ND", "Nota débito", "file-plus-2"), ("DS", "Documento soporte", "file-input"),
       ("NA", "Nota de ajuste", "file-pen"))
WIDE_ONLY = ["none", "none", "table-cell"]
PHONE_ONLY = ["block", "block", "none"]


def new_buttons() -> rx.Component:
    # two columns on a phone: every label fits and each button is a wide target
    return rx.grid(
        *[rx.link(rx.button(rx.icon(icon, size=16), label, variant="solid" if kind == "FE"
                            else "soft", id=f"new-{kind}", width="100%"),
                  href=f"/ventas/nuevo?tipo={kind}") for kind, label, icon in NEW],
        columns=rx.breakpoints(initial="2", sm="5"), spacing="2", width="100%",
    )


def document_row(row: rx.Var) -> rx.Component:
    link = f"/ventas/documento/{row['id']}"
    return rx.table.row(
        rx.table.cell(rx.link(rx.vstack(
            rx.text(row["kind"], " ", row["number"], weight="medium"),
            rx.text(row["customer"], size="1", display=PHONE_ONLY),
            rx.text(row["date"], size="1", color=rx.color("gray", 11)), spacing="0"),
            href=link)),
        rx.table.cell(row["customer"], display=WIDE_ONLY),
        rx.table.cell(rx.text(row["total"], white_space="nowrap")),
        rx.table.cell(rx.badge(row["status_label"], color_scheme=row["color"],  # type: ignore[arg-type]
                               class_name="status-badge")),
        class_name="sales-row", on_click=rx.redirect(link), cursor="pointer",
    )


@app_page("Ventas")
def sales_page() -> rx.Component:
    return rx.vstack(
        new_buttons(),
        rx.flex(
            rx.input(rx.input.slot(rx.icon("search", size=16)), value=S.search,
                     on_change=S.set_search, debounce_timeout=300, id="search",
                     placeholder="Buscar por cliente o CUFE", flex="1 1 16em"),
            rx.box(choice(S.kind, S.set_kind, KIND_FILTERS, "kind-filter"), flex="1 1 12em"),
            spacing="2", width="100%", wrap="wrap",
        ),
        rx.cond(S.rows.length() > 0, rx.box(rx.table.root(  # type: ignore[attr-defined]
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Documento"),
                rx.table.column_header_cell("Cliente", display=WIDE_ONLY),
                rx.table.column_header_cell("Total"),
                rx.table.column_header_cell("Estado"),
            )),
            rx.table.body(rx.foreach(S.rows, document_row)),
            width="100%", size="1",
        ), width="100%", overflow_x="auto"),
            rx.text("Aún no hay documentos. Empieza con «Nueva factura».",
                    color=rx.color("gray", 11), id="empty-sales")),
        spacing="3", width="100%",
    )
