"""Ventas: the buttons that start a new document, the drafts in progress and the *Relación de
Transacciones de Venta* (tab *Facturación Electrónica*) with its filters, sort, pages and the
history of each document."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.components.sales_lines import choice
from loggro_app.state.sales import BUYER_FILTERS, KIND_FILTERS, STATUS_FILTERS
from loggro_app.state.sales import SalesListState as S

NEW = (("FE", "Nueva factura", "file-plus"), ("NC", "Nota crédito", "file-minus"),
       ("ND", "Nota débito", "file-plus-2"), ("DS", "Documento soporte", "file-input"),
       ("NA", "Nota de ajuste", "file-pen"))
WIDE_ONLY = ["none", "none", "table-cell"]
PHONE_ONLY = ["block", "block", "none"]
BUYER_COLORS = {"Confirmado por el Cliente": "green", "Confirmado Automáticamente": "green",
                "Aceptado expresamente": "green", "Reclamado": "red", "Recibido": "blue",
                "Acuse de recibo": "blue"}


def new_buttons() -> rx.Component:
    # two columns on a phone: every label fits and each button is a wide target
    return rx.grid(
        *[rx.link(rx.button(rx.icon(icon, size=16), label, variant="solid" if kind == "FE"
                            else "soft", id=f"new-{kind}", width="100%"),
                  href=f"/ventas/nuevo?tipo={kind}") for kind, label, icon in NEW],
        columns=rx.breakpoints(initial="2", sm="5"), spacing="2", width="100%",
    )


def draft_row(row: rx.Var) -> rx.Component:
    link = f"/ventas/documento/{row['id']}"
    return rx.card(rx.hstack(
        rx.link(rx.vstack(
            rx.text(row["kind_label"], weight="medium", size="2"),
            rx.text(row["customer"], " · ", row["date"], size="1", color=rx.color("gray", 11)),
            spacing="0"), href=link, flex="1", min_width="0"),
        rx.badge(row["status_label"], color_scheme="gray", class_name="status-badge"),
        rx.icon_button(rx.icon("trash-2", size=14), variant="ghost", color_scheme="red",
                       on_click=S.delete_draft(row["id"]), aria_label="Eliminar borrador"),
        align="center", width="100%"), class_name="sales-row draft-row", width="100%")


def drafts() -> rx.Component:
    return rx.cond(S.drafts.length() > 0, rx.vstack(  # type: ignore[attr-defined]
        rx.heading("Borradores", size="3"),
        rx.grid(rx.foreach(S.drafts, draft_row), columns=rx.breakpoints(initial="1", sm="2"),
                spacing="2", width="100%"),
        spacing="2", width="100%"))


def field(label: str, control: rx.Component, name: str) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", weight="medium"), control,
                     rx.cond(S.errors.contains(name), rx.text(  # type: ignore[attr-defined]
                         S.errors[name], size="1", color="red")),
                     spacing="1", flex="1 1 10em", min_width="0")


def text_filter(label: str, name: str, placeholder: str) -> rx.Component:
    return field(label, rx.input(value=getattr(S, name), placeholder=placeholder,
                                 on_change=lambda v: S.set_filter(name, v),
                                 debounce_timeout=400, id=f"filter-{name}", width="100%"), name)


def filters() -> rx.Component:
    return rx.flex(
        field("Desde", rx.input(type="date", value=S.date_from, id="filter-date_from",
                                on_change=lambda v: S.set_filter("date_from", v),
                                width="100%"), "date_from"),
        field("Hasta", rx.input(type="date", value=S.date_to, id="filter-date_to",
                                on_change=lambda v: S.set_filter("date_to", v),
                                width="100%"), "date_to"),
        field("Tipo", choice(S.kind, lambda v: S.set_filter("kind", v), KIND_FILTERS,
                             "kind-filter"), "kind"),
        field("Estado DIAN", choice(S.status, lambda v: S.set_filter("status", v),
                                    STATUS_FILTERS, "status-filter"), "status"),
        field("Cliente respondió", choice(S.buyer, lambda v: S.set_filter("buyer", v),
                                          BUYER_FILTERS, "buyer-filter"), "buyer_status"),
        text_filter("Cliente", "customer", "Nombre"),
        text_filter("Número", "number", "p. ej. FE 123"),
        text_filter("CUFE", "document_key", "Primeros caracteres"),
        spacing="2", wrap="wrap", width="100%", id="grid-filters",
        class_name=rx.cond(S.filters_open, "", "filters-folded"))


def sort_header(label: str, column: str, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    arrow = rx.cond(S.sort == column, rx.cond(S.descending, " ↓", " ↑"), "")
    return rx.table.column_header_cell(
        rx.link(label, arrow, on_click=S.sort_by(column), cursor="pointer",
                id=f"sort-{column}", underline="none", white_space="nowrap"), **props)


def actions(row: rx.Var) -> rx.Component:
    link = f"/ventas/documento/{row['id']}"
    title = row["kind_label"] + " " + row["number"]
    return rx.menu.root(
        rx.menu.trigger(rx.icon_button(rx.icon("ellipsis-vertical", size=16), variant="ghost",
                                       aria_label="Acciones", class_name="row-actions")),
        rx.menu.content(
            rx.menu.item("Ver documento", on_click=rx.redirect(link)),
            rx.menu.item("Ver Detalle Historial", class_name="show-history",
                         on_click=S.show_history(row["id"], title)),
            rx.menu.item("Enviar Detalle Historial", class_name="mail-history",
                         on_click=S.open_history_mail(row["id"], title)),
            rx.cond(row["mailable"] == "yes", rx.fragment(
                rx.menu.separator(),
                rx.menu.item("Reenviar Notificación", class_name="resend",
                             on_click=S.open_resend(row["id"], title)),
                rx.menu.item("Ver Acuses de Recibo Cliente", class_name="show-ack",
                             on_click=S.open_ack(row["id"], title)),
            )),
        ))


def grid_row(row: rx.Var) -> rx.Component:
    link = f"/ventas/documento/{row['id']}"
    return rx.table.row(
        rx.table.cell(rx.link(rx.vstack(
            rx.text(row["kind"], " ", row["number"], weight="medium", white_space="nowrap"),
            rx.cond(row["origin"] != "", rx.badge(row["origin"], variant="soft", size="1",
                                                  color_scheme="violet", class_name="origin")),
            rx.text(row["customer"], size="1", display=PHONE_ONLY),
            rx.text(row["date"], size="1", color=rx.color("gray", 11), display=PHONE_ONLY),
            spacing="0"), href=link)),
        rx.table.cell(row["date"], display=WIDE_ONLY, white_space="nowrap"),
        rx.table.cell(row["customer"], display=WIDE_ONLY),
        rx.table.cell(rx.text(row["total"], white_space="nowrap")),
        rx.table.cell(rx.vstack(
            rx.badge(row["status_label"], color_scheme=row["color"],  # type: ignore[arg-type]
                     class_name="status-badge"),
            rx.cond(row["notification"] != "", rx.text(row["notification"], size="1",
                                                       class_name="dian-notification")),
            rx.cond(row["buyer"] != "", rx.badge(
                row["buyer"], variant="outline", class_name="buyer-status",
                color_scheme=rx.match(row["buyer"], *BUYER_COLORS.items(),  # type: ignore[arg-type]
                                      "gray"))),
            spacing="1")),
        rx.table.cell(actions(row)),
        class_name="sales-row grid-row",
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.icon_button(rx.icon("refresh-cw", size=14), variant="soft", size="1",
                       on_click=S.load, aria_label="Actualizar", id="grid-refresh"),
        rx.button(rx.icon("chevron-left", size=14), "Anterior", variant="soft", size="1",
                  on_click=S.go_page(S.page - 1), disabled=S.page <= 1, id="page-prev"),
        rx.text("Página ", S.page, " de ", S.pages, " · ", S.total, " documentos", size="1",
                id="page-info"),
        rx.button("Siguiente", rx.icon("chevron-right", size=14), variant="soft", size="1",
                  on_click=S.go_page(S.page + 1), disabled=S.page >= S.pages, id="page-next"),
        align="center", spacing="2", wrap="wrap")


def history_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Historial · ", S.history_title),
        rx.vstack(rx.foreach(S.history, lambda m: rx.box(
            rx.hstack(rx.text(m["at"], size="1", color=rx.color("gray", 11),
                              white_space="nowrap"),
                      rx.text(m["state"], size="2", weight="medium"), spacing="2",
                      align="baseline", wrap="wrap"),
            rx.cond(m["email"] != "", rx.text(m["email"], size="1")),
            rx.cond(m["detail"] != "", rx.text(m["detail"], size="1",
                                               color=rx.color("gray", 11),
                                               word_break="break-word")),
            class_name="history-item", width="100%", padding_y="0.25em",
            border_bottom=f"1px solid {rx.color('gray', 4)}")),
            spacing="1", width="100%", max_height="60vh", overflow_y="auto", id="history"),
        rx.dialog.close(rx.button("Cerrar", variant="soft", margin_top="1em")),
        max_width="640px"), open=S.history_open, on_open_change=S.set_history_open)


def resend_dialog() -> rx.Component:
    return rx.vstack(
        rx.text("Elige a quién reenviar el documento, o escribe otro correo.", size="2"),
        rx.foreach(S.addresses, lambda email: rx.checkbox(
            email, checked=S.chosen.contains(email),  # type: ignore[attr-defined]
            on_change=lambda checked: S.choose(email, checked), class_name="resend-address")),
        rx.input(value=S.typed_email, on_change=S.set_typed_email, placeholder="otro@correo.com",
                 type="email", id="resend-email", width="100%"),
        rx.button(rx.icon("send", size=14), "Reenviar", on_click=S.confirm_resend,
                  id="confirm-resend"),
        spacing="2", width="100%")


def ack_dialog() -> rx.Component:
    return rx.vstack(
        rx.text("Última notificación: ", rx.text.strong(rx.cond(S.ack_email != "",
                                                                  S.ack_email, "ninguna")),
                rx.cond(S.ack_at != "", rx.text.span(" · ", S.ack_at)), size="2",
                id="ack-email"),
        rx.text("Respuesta del cliente: ", rx.text.strong(S.ack_status), size="2",
                id="ack-status"),
        rx.foreach(S.ack_messages, lambda m: rx.text(m, size="1")),
        spacing="2", width="100%")


def history_mail_dialog() -> rx.Component:
    return rx.vstack(
        rx.text("Enviamos el historial completo a uno de los correos confirmados.", size="2"),
        rx.radio_group.root(rx.vstack(rx.foreach(S.addresses, lambda email: rx.radio_group.item(
            email, value=email))), value=rx.cond(S.chosen.length() > 0,  # type: ignore[attr-defined]
                                                 S.chosen[0], ""),
            on_change=S.pick, id="history-address"),
        rx.button(rx.icon("mail", size=14), "Enviar historial",
                  on_click=S.confirm_history_mail, id="confirm-history-mail"),
        spacing="2", width="100%")


def action_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(rx.match(S.action, ("resend", "Reenviar Notificación"),
                                 ("ack", "Acuses de Recibo Cliente"),
                                 ("history_mail", "Enviar Detalle Historial"), ""),
                        " · ", S.action_title),
        rx.match(S.action, ("resend", resend_dialog()), ("ack", ack_dialog()),
                 ("history_mail", history_mail_dialog()), rx.fragment()),
        rx.cond(S.action_error != "", rx.text(S.action_error, color="red", size="2",
                                              id="action-error")),
        rx.dialog.close(rx.button("Cerrar", variant="soft", margin_top="1em")),
        max_width="520px"), open=S.action != "", on_open_change=S.close_action)


def grid() -> rx.Component:
    return rx.vstack(
        rx.button(rx.icon("sliders-horizontal", size=14),
                  rx.cond(S.filters_open, "Ocultar filtros", "Filtros"), variant="soft",
                  on_click=S.toggle_filters, class_name="filters-toggle", id="filters-toggle"),
        filters(),
        rx.cond(S.rows.length() > 0, rx.box(rx.table.root(  # type: ignore[attr-defined]
            rx.table.header(rx.table.row(
                sort_header("Documento", "number"),
                sort_header("Fecha", "date", display=WIDE_ONLY),
                sort_header("Cliente", "customer", display=WIDE_ONLY),
                sort_header("Total", "total"),
                rx.table.column_header_cell("Estado"),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(S.rows, grid_row)),
            width="100%", size="1",
        ), width="100%", overflow_x="auto"),
            rx.text("No hay documentos emitidos con estos filtros. Empieza con «Nueva "
                    "factura» o amplía el rango de fechas.", color=rx.color("gray", 11),
                    id="empty-sales", size="2")),
        pager(),
        spacing="3", width="100%")


@app_page("Ventas")
def sales_page() -> rx.Component:
    return rx.vstack(
        new_buttons(),
        drafts(),
        rx.tabs.root(
            rx.tabs.list(rx.tabs.trigger("Facturación Electrónica", value="fe")),
            rx.tabs.content(grid(), value="fe", padding_top="0.75em"),
            default_value="fe", width="100%"),
        history_dialog(),
        action_dialog(),
        spacing="3", width="100%",
    )
