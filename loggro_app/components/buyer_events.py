"""The buyer's answer (RADIAN events) on the document page; in the sandbox, *Simular
comprador* sends the buyer's events and moves the sandbox clock by days."""

from __future__ import annotations

import reflex as rx

from loggro_app.state.buyer_events import CLAIM_REASONS
from loggro_app.state.buyer_events import BuyerEventsState as B

UPLOAD_ID = "buyer-event-xml"


def _event_row(event: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(event["code"], variant="soft"),
        rx.text(event["name"], size="2", weight="medium"),
        rx.text(event["date"], " · ", event["source"], size="1", color=rx.color("gray", 11)),
        align="center", spacing="2", wrap="wrap", class_name="buyer-event")


def _upload() -> rx.Component:
    return rx.vstack(
        rx.text("¿El comprador te envió un evento por correo? Cárgalo para verificarlo:",
                size="2"),
        rx.upload(rx.text("Arrastra el XML del evento o haz clic para elegirlo", size="2"),
                  id=UPLOAD_ID, max_files=1, accept={"application/xml": [".xml"]},
                  border=f"1px dashed {rx.color('gray', 8)}", padding="0.75em", width="100%"),
        rx.text(rx.selected_files(UPLOAD_ID), size="1"),
        rx.button(rx.icon("file-check", size=14), "Verificar y registrar evento",
                  variant="soft", id="upload-buyer-event",
                  on_click=B.upload_event(rx.upload_files(upload_id=UPLOAD_ID))),
        spacing="2", width="100%")


def _simulate() -> rx.Component:
    def send(code: str, label: str) -> rx.Component:
        return rx.button(label, size="1", variant="soft", on_click=B.simulate(code),
                         id=f"simulate-{code}")

    return rx.card(rx.vstack(
        rx.text("Simular comprador (sandbox DIAN)", weight="bold", size="2"),
        rx.flex(send("030", "Acuse de recibo (030)"), send("032", "Recibo del bien (032)"),
                send("033", "Aceptación expresa (033)"), gap="2", wrap="wrap"),
        rx.flex(
            rx.select.root(rx.select.trigger(id="claim-reason"), rx.select.content(
                *[rx.select.item(r["label"], value=r["code"]) for r in CLAIM_REASONS]),
                value=B.claim_reason, on_change=B.set_claim_reason, size="1"),
            send("031", "Reclamo (031)"), gap="2", wrap="wrap", align="center"),
        rx.flex(
            rx.text("Reloj del sandbox:", size="2"),
            rx.button("+1 día", size="1", variant="outline", on_click=B.advance_days(1),
                      id="advance-1-day"),
            rx.button("+3 días", size="1", variant="outline", on_click=B.advance_days(3),
                      id="advance-3-days"),
            rx.cond(B.sandbox_now != "", rx.text(B.sandbox_now, size="1", id="sandbox-now")),
            gap="2", wrap="wrap", align="center"),
        spacing="2"), width="100%", variant="surface")


def buyer_events_panel(status: rx.Var) -> rx.Component:
    """Mounted anew (and so reloaded) whenever the document's status changes."""
    return rx.box(rx.cond(B.can_receive, rx.card(rx.vstack(
        rx.hstack(rx.text("Respuesta del cliente", weight="bold"),
                  rx.badge(B.label, id="buyer-status"), align="center", wrap="wrap"),
        rx.foreach(B.events, _event_row),
        rx.cond(B.tacit_from != "", rx.text(
            "Si el cliente no acepta ni reclama, Loggro registra la aceptación tácita desde "
            "el ", rx.text.strong(B.tacit_from), ".", size="2", id="tacit-from")),
        rx.cond(B.error != "", rx.callout(B.error, color_scheme="red", icon="triangle-alert",
                                          id="buyer-event-error")),
        _upload(),
        rx.cond(B.is_sandbox, _simulate()),
        spacing="2", width="100%"), width="100%")), width="100%", key=status, on_mount=B.load)
