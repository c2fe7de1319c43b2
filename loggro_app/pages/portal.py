"""Mis planes y pagos (Portal Administrativo): Tu plan, buying packs, Elementos Adicionales."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.catalog_table import choice
from loggro_app.components.counters import plan_card
from loggro_app.components.forms import field_error
from loggro_app.components.layout import app_page
from loggro_app.state.auth import AuthState
from loggro_app.state.portal import METHOD_LABELS, PACK_COUNT_HINT, PACK_OPTIONS
from loggro_app.state.portal import PortalState as P

WIDE_ONLY = ["none", "none", "table-cell"]  # the payment method column hides on a phone
TERMS = (
    "Al comprar paquetes adicionales aceptas que los documentos adquiridos se suman a los de "
    "tu plan, se descuentan solo cuando un documento queda finalizado (aceptado por la DIAN), "
    "después de los del plan; se conservan al iniciar un nuevo periodo y si la cuenta entra "
    "en extracción, y se pierden si la cuenta entra en inactividad. Los pagos no son "
    "reembolsables una vez acreditados."
)


def _row(label: str, value: rx.Var | str, id: str = "") -> rx.Component:
    return rx.flex(rx.text(label, color=rx.color("gray", 11)), rx.text(value, weight="bold", id=id),
                   justify="between", width="100%", gap="2")


def step_packs() -> rx.Component:
    # a form, so Enter in the quantity goes on to the summary like the button does
    return rx.form(rx.vstack(
        rx.text("Paquete", size="2", weight="medium"),
        choice(PACK_OPTIONS, P.pack_size, P.set_pack_size, "pack-size"),
        field_error(P.errors, "pack_size"),
        rx.cond(P.unit_price != "", rx.text("Valor del paquete: ", P.unit_price, id="pack-price")),
        rx.text("No. de Paquetes de docs.", size="2", weight="medium"),
        rx.input(value=P.pack_count, on_change=P.set_pack_count, id="pack-count",
                 input_mode="numeric", width="100%"),
        rx.text(PACK_COUNT_HINT, size="1", color=rx.color("gray", 11), id="pack-count-hint"),
        field_error(P.errors, "pack_count"),
        rx.cond(P.total != "", rx.callout(
            rx.text(P.documents, " documentos por ", P.total, id="quote-total"),
            icon="calculator")),
        rx.flex(rx.button("Comprar", type="submit", id="buy-next"), justify="end",
                width="100%"),
        spacing="2", width="100%",
    ), on_submit=lambda _data: P.to_summary, reset_on_submit=False, no_validate=True,
        width="100%")


def step_summary() -> rx.Component:
    return rx.vstack(
        rx.text("Resumen del pago", weight="bold"),
        _row("Paquete", P.pack_size + " documentos"),
        _row("Cantidad de paquetes", P.pack_count),
        _row("Documentos", P.documents.to_string()),
        _row("Valor a pagar", P.total, "summary-total"),
        rx.text("Medio de pago", size="2", weight="medium"),
        rx.radio_group.root(
            rx.vstack(*[rx.radio_group.item(label, value=code, id=f"method-{code}")
                        for code, label in METHOD_LABELS.items()], spacing="1"),
            value=P.method, on_change=P.set_method),
        rx.hstack(rx.checkbox(checked=P.terms, on_change=P.set_terms, id="terms"),
                  rx.text("Acepto los ", rx.link("Términos y condiciones", href="#",
                                                 on_click=P.set_terms_open(True)),
                          " del uso de Loggro", size="2"), align="center"),
        field_error(P.errors, "terms"), field_error(P.errors, "method"),
        rx.flex(rx.button("Volver", variant="soft", color_scheme="gray", on_click=P.back),
                rx.button("Continuar con el pago", on_click=P.continue_payment, loading=P.busy,
                          id="continue-payment"),
                justify="end", gap="2", width="100%"),
        spacing="2", width="100%",
    )


def step_pay() -> rx.Component:
    return rx.vstack(
        _row("Referencia", P.reference, "purchase-reference"),
        _row("Valor", P.total),
        rx.match(
            P.method,
            ("card", rx.vstack(
                rx.text("Ingresa tu tarjeta en el formulario seguro de Stripe:", size="2"),
                rx.box(id="card-element", width="100%", padding="0.5em",
                       border=f"1px solid {rx.color('gray', 7)}", border_radius="6px",
                       overflow_x="auto"),
                rx.button("Pagar", on_click=P.pay_card, id="pay-card", width="100%"),
                rx.text(P.card_message, size="2", id="card-message"),
                width="100%")),
            ("pse", rx.vstack(
                rx.text("Serás llevado a tu banco (PSE) para aprobar el pago.", size="2"),
                rx.link(rx.button("Ir a PSE", width="100%", id="go-pse"), href=P.redirect_url,
                        is_external=False, width="100%"),
                width="100%")),
            rx.vstack(
                rx.text("Paga en efectivo con esta referencia antes de su vencimiento. Los "
                        "documentos se acreditan cuando el pago se confirma.", size="2"),
                rx.button(rx.icon("download", size=16), "Descargar referencia de pago (PDF)",
                          on_click=P.download_reference(""), id="download-reference",
                          width="100%"),
                width="100%"),
        ),
        rx.text("Estado: ", P.pay_status, size="2", color=rx.color("gray", 11), id="pay-status"),
        spacing="3", width="100%",
    )


def buy_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Comprar Otros Elementos"),
        rx.match(P.step, (1, step_packs()), (2, step_summary()), step_pay()),
        rx.flex(rx.dialog.close(rx.button("Cerrar", variant="ghost", color_scheme="gray")),
                justify="end", margin_top="0.5em"),
        width="95vw", max_width="520px",
    ), open=P.buy_open, on_open_change=P.set_buy_open)


def terms_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Términos y condiciones"), rx.text(TERMS, size="2"),
        rx.flex(rx.dialog.close(rx.button("Entendido")), justify="end", margin_top="1em"),
        max_width="480px"), open=P.terms_open, on_open_change=P.set_terms_open)


def pending_actions(r: rx.Var) -> rx.Component:
    """A pending checkout keeps its reference and deadline, and can be resumed or cancelled."""
    return rx.vstack(
        rx.text("Ref. ", rx.code(r["reference"]), size="1", class_name="pending-reference"),
        rx.text("Vence ", r["expires"], size="1", color=rx.color("gray", 11)),
        rx.flex(
            rx.cond(r["method_code"] == "cash", rx.button(
                rx.icon("download", size=14), "PDF", size="1", variant="soft",
                on_click=P.download_reference(r["reference"]), class_name="pending-pdf")),
            rx.cond(r["method_code"] != "pse", rx.button(
                "Continuar", size="1", variant="soft", on_click=P.resume_purchase(r["reference"]),
                class_name="pending-resume")),
            rx.cond(AuthState.is_principal, rx.button(
                "Cancelar", size="1", variant="soft", color_scheme="red",
                on_click=P.cancel_purchase(r["reference"]), class_name="pending-cancel")),
            gap="1", wrap="wrap"),
        spacing="1")


def purchases_table() -> rx.Component:
    def row(r: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(r["date"]), rx.table.cell(r["documents"]),
            rx.table.cell(r["method"], display=WIDE_ONLY), rx.table.cell(r["total"]),
            rx.table.cell(rx.vstack(
                rx.badge(r["status"], color_scheme=r["status_color"],
                         class_name="purchase-status"),
                rx.cond(r["pending"] != "", pending_actions(r)), spacing="1")),
            rx.table.cell(r["remaining"]), class_name="purchase-row")

    headers = ["Fecha", "Cantidad", "Medio de pago", "Valor", "Estado", "Restantes"]
    return rx.box(rx.table.root(
        rx.table.header(rx.table.row(*[
            rx.table.column_header_cell(h, display=WIDE_ONLY if h == "Medio de pago" else None)
            for h in headers])),
        rx.table.body(rx.foreach(P.purchases, row)), size="1", width="100%"),
        width="100%", overflow_x="auto")


@app_page("Mis planes y pagos")
def portal_page() -> rx.Component:
    return rx.vstack(
        plan_card(),
        rx.cond(AuthState.is_principal,
                rx.button(rx.icon("shopping-cart", size=16), "Comprar Otros Elementos",
                          on_click=P.open_buy, id="buy-button"),
                rx.callout("Solo el usuario principal de la organización puede comprar "
                           "paquetes adicionales.", icon="info", id="not-principal")),
        rx.heading("Elementos Adicionales", size="4", margin_top="0.5em"),
        rx.cond(P.purchases.length() > 0, purchases_table(),
                rx.text("Todavía no has comprado paquetes adicionales.", size="2",
                        color=rx.color("gray", 11))),
        buy_dialog(), terms_dialog(),
        spacing="3", width="100%",
    )
