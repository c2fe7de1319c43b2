"""Our answer as buyer on a received invoice (RADIAN events): what was sent and DIAN's
answer, the buttons of the events allowed next, who receives (030 and 032), the claim
reason (031), the automatic acuse, and the warning when the term to claim is ending."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.sales_lines import choice
from loggro_app.state.purchase_events import ID_TYPES, REASONS
from loggro_app.state.purchase_events import PurchaseEventsState as P

MUTED = rx.color("gray", 11)


def _event_row(event: rx.Var) -> rx.Component:
    color = rx.match(event["state"], ("accepted", "green"), ("rejected", "red"), "amber")
    return rx.vstack(
        rx.hstack(
            rx.badge(event["code"], variant="soft"),
            rx.text(event["name"], size="2", weight="medium"),
            rx.badge(rx.cond(event["state"] == "pending", rx.hstack(
                rx.spinner(size="1"), rx.text(event["label"]), spacing="1", align="center"),
                event["label"]), color_scheme=color, class_name="purchase-event-state"),
            align="center", spacing="2", wrap="wrap"),
        rx.text(event["date"], rx.cond(event["by"] != "", " · " + event["by"], ""),
                rx.cond(event["reason"] != "", " · Motivo: " + event["reason"], ""),
                size="1", color=MUTED, word_break="break-word"),
        rx.cond(event["cude"] != "", rx.text("CUDE ", event["cude"], size="1", color=MUTED,
                                             word_break="break-all")),
        rx.cond(event["message"] != "", rx.text(event["message"], size="1",
                                                white_space="pre-line",
                                                word_break="break-word")),
        spacing="1", width="100%", class_name="purchase-event",
        id="purchase-event-" + event["code"])


def _person_field(label: str, name: str, control: rx.Component | None = None) -> rx.Component:
    key = f"person_{name}"
    return rx.vstack(
        rx.text(label, size="1", weight="medium"),
        control if control is not None else rx.input(
            value=P.person[name], on_change=lambda v: P.set_person(name, v),
            id=f"person-{name}", width="100%"),
        rx.cond(P.person_errors.contains(key), rx.text(  # type: ignore[attr-defined]
            P.person_errors[key], size="1", color="red")),
        spacing="1", flex="1 1 12em", min_width="0")


def _person() -> rx.Component:
    return rx.vstack(
        rx.text("Quién recibe (acuse y recibo del bien)", size="2", weight="medium"),
        rx.flex(
            _person_field("Nombres", "first_name"), _person_field("Apellidos", "family_name"),
            _person_field("Tipo de documento", "id_type", choice(
                P.person["id_type"], lambda v: P.set_person("id_type", v), ID_TYPES,
                "person-id_type")),
            _person_field("Número de documento", "id_number"),
            _person_field("Cargo", "job_title"), _person_field("Área", "department"),
            gap="2", wrap="wrap", width="100%"),
        spacing="1", width="100%", id="receiver-person")


def _button(code: str, label: str, icon: str, color: str | None = None) -> rx.Component:
    colored = {"color_scheme": color} if color else {}  # the theme's accent otherwise
    return rx.cond(P.allowed.contains(code), rx.button(  # type: ignore[attr-defined]
        rx.icon(icon, size=14), label, on_click=P.send(code), loading=P.busy,
        id=f"send-{code}", class_name="purchase-event-button", **colored))


def _actions() -> rx.Component:
    needs_person = P.allowed.contains("030") | P.allowed.contains("032")  # type: ignore[attr-defined]
    return rx.vstack(
        rx.cond(needs_person, _person()),
        rx.cond(P.allowed.contains("031"), rx.vstack(  # type: ignore[attr-defined]
            rx.text("Motivo del reclamo", size="1", weight="medium"),
            choice(P.claim_reason, P.set_claim_reason, REASONS, "claim-reason"),
            rx.text_area(value=P.note, on_change=P.set_note, id="event-note",
                         placeholder="Nota para el proveedor (opcional)", width="100%"),
            spacing="1", width="100%")),
        rx.flex(
            _button("030", "Acuse de recibo (030)", "mail-check"),
            _button("032", "Recibo del bien o servicio (032)", "package-check"),
            _button("033", "Aceptación expresa (033)", "circle-check", "green"),
            _button("031", "Reclamo (031)", "circle-alert", "red"),
            gap="2", wrap="wrap", width="100%", id="purchase-event-buttons"),
        spacing="2", width="100%")


def purchase_events_panel() -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(rx.text("Nuestros eventos ante la DIAN", weight="bold"),
                  rx.badge(P.status, color_scheme="green", id="purchase-status"),
                  align="center", spacing="2", wrap="wrap"),
        rx.cond(P.closing_on != "", rx.callout(
            "El plazo para reclamar o aceptar esta factura vence el " + P.closing_on
            + ". Después queda aceptada tácitamente.", color_scheme="amber", icon="clock",
            id="claim-term-warning", width="100%")),
        rx.cond(P.term_text != "", rx.text(P.term_text, size="2", id="claim-term")),
        rx.cond(P.events.length() > 0, rx.vstack(  # type: ignore[attr-defined]
            rx.foreach(P.events, _event_row), spacing="2", width="100%"),
            rx.text("Aún no has enviado eventos sobre esta factura.", size="2", color=MUTED)),
        rx.cond(P.sending, rx.hstack(rx.spinner(size="2"), rx.text(
            "Esperando la respuesta de la DIAN…", size="2"), align="center",
            id="purchase-event-sending")),
        rx.cond(P.error != "", rx.callout(P.error, color_scheme="red", icon="triangle-alert",
                                          id="purchase-event-error", width="100%")),
        rx.cond(P.allowed.length() > 0, _actions()),  # type: ignore[attr-defined]
        rx.hstack(rx.switch(checked=P.auto_acknowledge, on_change=P.set_auto_acknowledge,
                            id="auto-acknowledge"),
                  rx.text("Enviar el acuse de recibo automáticamente al registrar cada "
                          "factura", size="2"), align="center", spacing="2"),
        spacing="3", width="100%"), width="100%", id="purchase-events")
