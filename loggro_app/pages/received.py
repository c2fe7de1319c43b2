"""Compras → Facturas recibidas: upload a supplier's ZIP or XML, the grid of invoices
received (filters, sort, pages), the quarantine with its reasons; and the detail of one
received invoice with its lines, taxes, totals and original files."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.components.purchase_events import purchase_events_panel
from loggro_app.components.sales_lines import choice
from loggro_app.services.reception import MAX_PACKAGE_BYTES
from loggro_app.state.received import STATUS_FILTERS, UPLOAD_ID
from loggro_app.state.received import ReceivedDetailState as D
from loggro_app.state.received import ReceivedState as S

WIDE_ONLY = ["none", "none", "table-cell"]
PHONE_ONLY = ["block", "block", "none"]
MUTED = rx.color("gray", 11)


def upload_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("Cargar una factura recibida", weight="bold"),
        rx.text("El ZIP que te envió el proveedor por correo (o el XML del AttachedDocument). "
                "Verificamos las firmas del proveedor y de la DIAN, los totales y que esté "
                "dirigida a tu NIT.", size="2", color=MUTED),
        rx.upload(rx.vstack(rx.icon("upload", size=20),
                            rx.text("Arrastra el archivo o haz clic para elegirlo", size="2"),
                            align="center", spacing="1"),
                  id=UPLOAD_ID, max_files=1, max_size=MAX_PACKAGE_BYTES,
                  accept={"application/zip": [".zip"], "application/xml": [".xml"],
                          "text/xml": [".xml"]},
                  border=f"1px dashed {rx.color('gray', 8)}", padding="1em", width="100%"),
        rx.text(rx.selected_files(UPLOAD_ID), size="1", id="selected-file",
                word_break="break-all"),
        rx.button(rx.icon("file-check", size=14), "Verificar y registrar",
                  on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID)),  # type: ignore[call-arg]
                  id="upload-received"),
        rx.cond(S.upload_error != "", rx.callout(
            rx.vstack(rx.text(S.upload_error, weight="medium"),
                      rx.foreach(S.upload_reasons, lambda r: rx.text(
                          "• ", r, size="2", class_name="upload-reason",
                          word_break="break-word")),
                      spacing="1"),
            color_scheme="red", icon="triangle-alert", id="upload-error", width="100%")),
        spacing="2", width="100%"), width="100%")


def field(label: str, control: rx.Component, name: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control,
                     rx.cond(S.errors.contains(name), rx.text(  # type: ignore[attr-defined]
                         S.errors[name], size="1", color="red")),
                     spacing="1", flex="1 1 10em", min_width="0")


def filters() -> rx.Component:
    return rx.flex(
        field("Desde", rx.input(type="date", value=S.date_from, id="filter-date_from",
                                on_change=lambda v: S.set_filter("date_from", v),
                                width="100%"), "date_from"),
        field("Hasta", rx.input(type="date", value=S.date_to, id="filter-date_to",
                                on_change=lambda v: S.set_filter("date_to", v),
                                width="100%"), "date_to"),
        field("Estado", choice(S.status, lambda v: S.set_filter("status", v), STATUS_FILTERS,
                               "status-filter"), "status"),
        field("Proveedor", rx.input(value=S.supplier, placeholder="Nombre o NIT",
                                    on_change=lambda v: S.set_filter("supplier", v),
                                    debounce_timeout=400, id="filter-supplier", width="100%"),
              "supplier"),
        spacing="2", wrap="wrap", width="100%", id="grid-filters",
        class_name=rx.cond(S.filters_open, "", "filters-folded"))


def sort_header(label: str, column: str, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    arrow = rx.cond(S.sort == column, rx.cond(S.descending, " ↓", " ↑"), "")
    return rx.table.column_header_cell(
        rx.link(label, arrow, on_click=S.sort_by(column), cursor="pointer",
                id=f"sort-{column}", underline="none", white_space="nowrap"), **props)


def grid_row(row: rx.Var) -> rx.Component:
    link = f"/compras/recibidas/{row['id']}"
    return rx.table.row(
        rx.table.cell(rx.link(rx.vstack(
            rx.text(row["number"], weight="medium", white_space="nowrap"),
            rx.text(row["supplier"], size="1", display=PHONE_ONLY, word_break="break-word"),
            rx.text(row["date"], size="1", color=MUTED, display=PHONE_ONLY),
            spacing="0"), href=link, class_name="received-link")),
        rx.table.cell(rx.vstack(rx.text(row["supplier"]),
                                rx.text("NIT ", row["nit"], size="1", color=MUTED),
                                spacing="0"), display=WIDE_ONLY),
        rx.table.cell(row["date"], display=WIDE_ONLY, white_space="nowrap"),
        rx.table.cell(rx.vstack(rx.text(row["total"], white_space="nowrap"),
                                rx.text("Imp. ", row["taxes"], size="1", color=MUTED,
                                        white_space="nowrap", display=PHONE_ONLY),
                                spacing="0")),
        rx.table.cell(row["taxes"], display=WIDE_ONLY, white_space="nowrap"),
        rx.table.cell(row["due"], display=WIDE_ONLY, white_space="nowrap"),
        rx.table.cell(rx.badge(row["status"], color_scheme="green", class_name="status-badge")),
        rx.table.cell(rx.vstack(
            rx.text(rx.cond(row["events"] != "", row["events"], "—"), size="1",
                    white_space="nowrap", class_name="our-events"),
            rx.cond(row["closing"] != "", rx.badge(
                rx.icon("clock", size=12), "Reclamo hasta ", row["closing"],
                color_scheme="amber", class_name="claim-term-badge")),
            spacing="1")),
        class_name="received-row",
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.icon_button(rx.icon("refresh-cw", size=14), variant="soft", size="1",
                       on_click=S.load, aria_label="Actualizar", id="grid-refresh"),
        rx.button(rx.icon("chevron-left", size=14), "Anterior", variant="soft", size="1",
                  on_click=S.go_page(S.page - 1), disabled=S.page <= 1, id="page-prev"),
        rx.text("Página ", S.page, " de ", S.pages, " · ", S.total, " facturas", size="1",
                id="page-info"),
        rx.button("Siguiente", rx.icon("chevron-right", size=14), variant="soft", size="1",
                  on_click=S.go_page(S.page + 1), disabled=S.page >= S.pages, id="page-next"),
        align="center", spacing="2", wrap="wrap")


def grid() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("sliders-horizontal", size=14),
                  rx.cond(S.filters_open, "Ocultar filtros", "Filtros"), variant="soft",
                  on_click=S.toggle_filters, class_name="filters-toggle", id="filters-toggle"),
        filters(),
        rx.cond(S.rows.length() > 0, rx.box(rx.table.root(  # type: ignore[attr-defined]
            rx.table.header(rx.table.row(
                sort_header("Número", "number"),
                sort_header("Proveedor", "supplier", display=WIDE_ONLY),
                sort_header("Fecha", "date", display=WIDE_ONLY),
                sort_header("Total", "total"),
                rx.table.column_header_cell("Impuestos", display=WIDE_ONLY),
                rx.table.column_header_cell("Vence", display=WIDE_ONLY),
                rx.table.column_header_cell("Estado DIAN"),
                rx.table.column_header_cell("Nuestros eventos"),
            )),
            rx.table.body(rx.foreach(S.rows, grid_row)),
            width="100%", size="1", id="received-grid",
        ), width="100%", overflow_x="auto"),
            rx.text("No hay facturas recibidas con estos filtros. Carga el ZIP que te envió "
                    "un proveedor.", color=MUTED, id="empty-received", size="2")),
        pager(),
        spacing="3", width="100%")


def quarantine_item(item: rx.Var) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.badge("Cuarentena", color_scheme="red"),
                  rx.text(item["at"], " · ", item["source"], size="1", color=MUTED),
                  spacing="2", align="center", wrap="wrap"),
        rx.text(item["what"], size="2", weight="medium", word_break="break-word"),
        rx.text(item["reasons"], size="1", white_space="pre-line", word_break="break-word",
                class_name="quarantine-reasons"),
        spacing="1", width="100%"), width="100%", class_name="quarantine-item")


def quarantine() -> rx.Component:
    return rx.vstack(
        rx.cond(S.quarantine_total > 0, rx.vstack(
            rx.text("Estos archivos no se registraron. Se guardan como llegaron, con las "
                    "razones; pide al proveedor que los corrija o que reenvíe el ZIP completo.",
                    size="2", color=MUTED),
            rx.foreach(S.quarantine, quarantine_item),
            rx.hstack(
                rx.button("Anterior", variant="soft", size="1", disabled=S.quarantine_page <= 1,
                          on_click=S.go_quarantine_page(S.quarantine_page - 1)),
                rx.text("Página ", S.quarantine_page, " de ", S.quarantine_pages, " · ",
                        S.quarantine_total, " archivos", size="1"),
                rx.button("Siguiente", variant="soft", size="1",
                          disabled=S.quarantine_page >= S.quarantine_pages,
                          on_click=S.go_quarantine_page(S.quarantine_page + 1)),
                align="center", spacing="2", wrap="wrap"),
            spacing="2", width="100%"),
            rx.text("No hay archivos en cuarentena.", size="2", color=MUTED)),
        spacing="2", width="100%", id="quarantine")


def simulate_card() -> rx.Component:
    """Sandbox only: a supplier's invoice arriving by mail, for a demo or a try."""
    return rx.cond(S.is_sandbox, rx.card(rx.vstack(
        rx.hstack(rx.badge("Sandbox DIAN", color_scheme="amber"),
                  rx.text("Simular proveedor", weight="bold"), align="center"),
        rx.text("Un proveedor de prueba emite una factura electrónica a tu NIT, la DIAN del "
                "sandbox la valida y el proveedor la envía por correo a tu dirección de "
                "recepción, como lo haría uno real.", size="2", color=MUTED),
        rx.button(rx.icon("truck", size=14), "Simular proveedor",
                  on_click=S.simulate_supplier, loading=S.simulating,
                  id="simulate-supplier", variant="soft"),
        rx.cond(S.simulate_error != "", rx.callout(
            S.simulate_error, color_scheme="red", icon="triangle-alert",
            id="simulate-error", width="100%")),
        spacing="2", width="100%"), width="100%"))


@app_page("Facturas recibidas")
def received_page() -> rx.Component:
    return rx.vstack(
        upload_card(),
        simulate_card(),
        rx.tabs.root(
            rx.tabs.list(rx.tabs.trigger("Recibidas", value="recibidas"),
                         rx.tabs.trigger(rx.text("Cuarentena (", S.quarantine_total, ")"),
                                         value="cuarentena", id="tab-quarantine")),
            rx.tabs.content(grid(), value="recibidas", padding_top="0.75em"),
            rx.tabs.content(quarantine(), value="cuarentena", padding_top="0.75em"),
            default_value="recibidas", width="100%"),
        spacing="3", width="100%")


# --- detail --------------------------------------------------------------------------


def info(label: str, key: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color=MUTED),
                     rx.text(D.info[key], size="2", word_break="break-all", id=f"info-{key}"),
                     spacing="0", min_width="0")


def amounts_table(title: str, rows: rx.Var, label_key: str, id: str) -> rx.Component:
    return rx.vstack(
        rx.text(title, weight="bold", size="2"),
        rx.foreach(rows, lambda r: rx.hstack(
            rx.text(r[label_key], size="2"), rx.text(r["amount"], size="2", white_space="nowrap"),
            justify="between", width="100%")),
        spacing="1", width="100%", id=id)


def lines_table() -> rx.Component:
    return rx.box(rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Descripción"),
            rx.table.column_header_cell("Cant.", display=WIDE_ONLY),
            rx.table.column_header_cell("Precio", display=WIDE_ONLY),
            rx.table.column_header_cell("Total"))),
        rx.table.body(rx.foreach(D.lines, lambda line: rx.table.row(
            rx.table.cell(rx.vstack(
                rx.text(line["description"], word_break="break-word"),
                rx.text(line["quantity"], " × ", line["price"], size="1", color=MUTED,
                        display=PHONE_ONLY), spacing="0")),
            rx.table.cell(line["quantity"], display=WIDE_ONLY),
            rx.table.cell(line["price"], display=WIDE_ONLY, white_space="nowrap"),
            rx.table.cell(line["total"], white_space="nowrap"),
            class_name="received-line"))),
        width="100%", size="1"), width="100%", overflow_x="auto", id="received-lines")


@app_page("Factura recibida")
def received_detail_page() -> rx.Component:
    return rx.cond(D.missing != "", rx.callout(D.missing, color_scheme="red", id="missing"),
                   rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), rx.text("Facturas recibidas"),
                          align="center", spacing="1"), href="/compras/recibidas"),
        rx.hstack(rx.heading(D.title, size="4", id="received-title"),
                  rx.badge(D.info["status"], color_scheme="green", id="received-status"),
                  align="center", spacing="2", wrap="wrap"),
        rx.card(rx.grid(
            info("Proveedor", "supplier"), info("NIT", "nit"), info("Fecha", "date"),
            info("Vence", "due"), info("Moneda", "currency"), info("Ambiente", "environment"),
            info("Registrada", "registered"), info("CUFE", "cufe"),
            columns=rx.breakpoints(initial="1", xs="2", sm="4"), spacing="3", width="100%"),
            width="100%"),
        purchase_events_panel(),
        lines_table(),
        rx.grid(
            rx.card(amounts_table("Impuestos", D.taxes, "name", "received-taxes"),
                    rx.cond(D.withholdings.length() > 0,  # type: ignore[attr-defined]
                            amounts_table("Retenciones informadas", D.withholdings, "name",
                                          "received-withholdings")), width="100%"),
            rx.card(amounts_table("Totales", D.totals, "label", "received-totals"),
                    width="100%"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        rx.flex(rx.foreach(D.files, lambda f: rx.button(
            rx.icon("download", size=14), f["label"], on_click=D.download(f["file"]),
            variant="soft", class_name="download-" + f["file"])),
            gap="2", wrap="wrap", id="received-downloads"),
        spacing="3", width="100%"))
