"""The sales form apart from its lines: customer, note reference, payment, withholdings,
currency, notes, and what stops issuing."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.forms import labeled
from loggro_app.components.sales_lines import choice, lines_section
from loggro_app.state.items import MEANS_CHOICES
from loggro_app.state.sales_form import CURRENCY_OPTIONS, INCOTERM_OPTIONS, RETEIVA_OPTIONS
from loggro_app.state.sales_form import SalesFormState as S

E = S.errors
FORMS = [{"code": "1", "name": "Contado"}, {"code": "2", "name": "Crédito"}]
TWO = rx.breakpoints(initial="1", sm="2")
THREE = rx.breakpoints(initial="1", sm="3")


def dynamic_choice(value: rx.Var, on_change, options: rx.Var, id: str,  # type: ignore[no-untyped-def]
                   key: str = "code", label: str = "name") -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", id=id, placeholder="Selecciona"),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o[label],
                                                                       value=o[key]))),
        value=value, on_change=on_change,
    )


def customer_picker() -> rx.Component:
    chosen = rx.card(rx.hstack(
        rx.text(S.customer_label, weight="medium", id="customer-chosen", min_width="0"),
        rx.button("Cambiar", on_click=S.change_customer, variant="soft", size="1",
                  type="button", id="change-customer"),
        justify="between", align="center", width="100%"), width="100%")
    search = rx.vstack(
        rx.hstack(
            rx.input(rx.input.slot(rx.icon("search", size=16)), value=S.customer_search,
                     on_change=S.search_customers, debounce_timeout=300, id="customer-search",
                     placeholder="Buscar por nombre o NIT", flex="1", min_width="0"),
            rx.cond(S.final_consumer_id != "", rx.button(
                "Consumidor final", on_click=S.pick_final_consumer, variant="soft",
                type="button", id="final-consumer")),
            width="100%", wrap="wrap",
        ),
        rx.foreach(S.customer_options, lambda c: rx.button(
            rx.vstack(rx.text(c["name"], size="2", weight="medium"),
                      rx.text(c["identification"], size="1", color=rx.color("gray", 11)),
                      spacing="0", align="start"),
            on_click=S.pick_customer(c["id"], c["name"], c["country"]), variant="ghost",
            type="button",
            class_name="customer-option", width="100%", justify="start", height="auto",
            padding_y="0.4em")),
        spacing="1", width="100%",
    )
    return labeled(rx.cond(S.is_support, "Proveedor", "Cliente"),  # type: ignore[arg-type]
                   rx.cond(S.customer_id != "", chosen, search), E, "customer_id")


def reference_section() -> rx.Component:
    return rx.cond(S.is_note, rx.vstack(
        labeled("Documento que corrige", rx.cond(
            S.reference_options.length() > 0,  # type: ignore[attr-defined]
            dynamic_choice(S.reference_id, lambda v: S.set_field("reference_id", v),
                           S.reference_options, "reference", key="id", label="label"),
            rx.text("No hay documentos aceptados por la DIAN que corregir.", size="2",
                    color=rx.color("gray", 11))), E, "reference_id"),
        rx.button(rx.icon("copy", size=14), "Tomar las líneas del documento",
                  on_click=S.take_reference_lines, variant="soft", type="button",
                  id="take-lines"),
        rx.grid(
            labeled("Concepto", dynamic_choice(S.concept, lambda v: S.set_field("concept", v),
                                               S.concept_options, "concept"), E, "concept"),
            labeled("Descripción de la corrección", rx.input(
                value=S.concept_description, max_length=500, id="concept-description", width="100%",
                on_change=lambda v: S.set_field("concept_description", v)), E,
                "concept_description"),
            columns=TWO, spacing="3", width="100%"),
        spacing="3", width="100%"))


def percent_field(label: str, name: str) -> rx.Component:
    return labeled(label, rx.input(value=getattr(S, name), input_mode="decimal", id=name,
                                   width="100%", on_change=lambda v: S.set_field(name, v)),
                   E, name, hint="Entre 0 y 100.")


def withholdings_section() -> rx.Component:
    return rx.cond(S.takes_withholdings, rx.grid(
        percent_field("ReteFuente %", "retefuente"),
        percent_field("ReteICA %", "reteica"),
        labeled("ReteIVA", choice(S.reteiva, lambda v: S.set_field("reteiva", v),
                                  RETEIVA_OPTIONS, "reteiva"), E, "reteiva"),
        columns=THREE, spacing="3", width="100%"))


def export_section() -> rx.Component:
    """A customer abroad makes the invoice an export (type 02): the delivery terms."""
    return rx.cond(S.is_export, rx.vstack(
        rx.callout("Factura de exportación: el cliente está en el exterior. Informa la marca "
                   "y el modelo de cada línea, el INCOTERM, la moneda y la tasa de cambio.",
                   icon="ship", color_scheme="blue", id="export-notice", width="100%"),
        rx.grid(
            labeled("INCOTERM (condiciones de entrega)", choice(
                S.incoterm, lambda v: S.set_field("incoterm", v), INCOTERM_OPTIONS, "incoterm",
                placeholder="Selecciona"), E, "incoterm"),
            labeled("Lugar de entrega pactado (opcional)", rx.input(
                value=S.delivery_place, max_length=300, id="delivery-place", width="100%",
                placeholder="p. ej. Puerto de Cartagena",
                on_change=lambda v: S.set_field("delivery_place", v)), E, "delivery_place"),
            columns=TWO, spacing="3", width="100%"),
        spacing="3", width="100%"))


def payment_section() -> rx.Component:
    return rx.grid(
        labeled("Forma de pago", choice(S.payment_form, lambda v: S.set_field("payment_form", v),
                                        FORMS, "payment-form"), E, "payment_form"),
        labeled("Medio de pago", choice(S.payment_means,
                                        lambda v: S.set_field("payment_means", v),
                                        MEANS_CHOICES, "payment-means"), E, "payment_means"),
        rx.cond(S.payment_form == "2", labeled("Vencimiento", rx.input(
            type="date", value=S.due_date, id="due-date", width="100%",
            on_change=lambda v: S.set_field("due_date", v)), E, "due_date")),
        labeled("Moneda", choice(S.currency, lambda v: S.set_field("currency", v),
                                 CURRENCY_OPTIONS, "currency"), E, "currency"),
        rx.cond(S.currency != "COP", labeled("Tasa de cambio (pesos por unidad)", rx.input(
            value=S.exchange_rate, input_mode="decimal", id="exchange-rate", width="100%",
            on_change=lambda v: S.set_field("exchange_rate", v)), E, "exchange_rate")),
        columns=TWO, spacing="3", width="100%",
    )


def blocks_list() -> rx.Component:
    return rx.cond(S.blocks.length() > 0, rx.callout.root(  # type: ignore[attr-defined]
        rx.callout.icon(rx.icon("octagon-alert")),
        rx.vstack(
            rx.text("Antes de emitir:", weight="bold"),
            rx.foreach(S.blocks, lambda b: rx.flex(
                rx.text(b["message"], size="2", flex="1", min_width="12em"),
                rx.link(rx.button(b["action"], size="1", variant="soft", type="button"),
                        href=b["link"]),
                spacing="2", align="center", wrap="wrap", width="100%", class_name="issue-block")),
            spacing="2", width="100%"),
        color_scheme="red", id="issue-blocks", width="100%"))


def actions() -> rx.Component:
    return rx.vstack(
        rx.cond(S.form_error != "", rx.callout(S.form_error, icon="triangle-alert",
                                               color_scheme="red", id="form-error",
                                               width="100%")),
        blocks_list(),
        rx.flex(
            rx.button("Guardar borrador", on_click=S.save_draft, loading=S.saving,
                      variant="soft", type="button", id="save-draft", flex="1"),
            rx.button(rx.icon("send", size=16), "Emitir", on_click=S.issue, loading=S.saving,
                      type="button", id="issue", flex="1"),
            spacing="2", width="100%", max_width="480px",
        ),
        spacing="3", width="100%",
    )


def sales_form() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(S.kind_label, size="4", id="form-kind"),
                  rx.cond(S.number != "", rx.badge(S.number)), align="center", wrap="wrap"),
        customer_picker(),
        reference_section(),
        export_section(),
        lines_section(),
        withholdings_section(),
        payment_section(),
        labeled("Notas", rx.text_area(value=S.notes, max_length=1000, id="notes", width="100%",
                                      on_change=lambda v: S.set_field("notes", v)),
                E, "notes", hint="Máximo 1000 caracteres."),
        actions(),
        spacing="4", width="100%", max_width="960px",
    )
