"""The hotel PMS card of Parámetros: Sí/No, the PMS's address, the token shown once, and
how its delivery to the PMS went."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.catalog_table import choice
from loggro_app.components.forms import labeled
from loggro_app.state.hotel_integration import TOKEN_ELEMENT
from loggro_app.state.hotel_integration import HotelIntegrationState as H

YES_NO = [{"code": "si", "name": "Sí"}, {"code": "no", "name": "No"}]
PUSH_COLORS = {"delivered": "green", "pending": "amber", "failed": "red", "revoked": "gray"}


def _missing(item: rx.Var) -> rx.Component:
    return rx.hstack(rx.text(item["message"], size="2"),
                     rx.link(item["link_text"], href=item["link"], size="2", weight="medium"),
                     wrap="wrap", spacing="2")


def _token_once() -> rx.Component:
    return rx.cond(H.token_shown, rx.callout(rx.vstack(
        rx.text("Token de conexión (se muestra solo esta vez; ya se envió al PMS):",
                size="2", weight="medium"),
        rx.code(id=TOKEN_ELEMENT, word_break="break-all", size="2"),
        spacing="1", width="100%"), icon="key-round", color_scheme="teal", width="100%"))


def _push() -> rx.Component:
    return rx.cond(H.property_id != "", rx.vstack(
        rx.hstack(rx.text("Propiedad:", size="2"), rx.code(H.property_id, size="2"),
                  rx.badge(H.push_label, id="pms-push-state",
                           color_scheme=rx.match(H.push_state, *PUSH_COLORS.items(), "gray")),
                  wrap="wrap", align="center", spacing="2"),
        rx.cond(H.pushed_at != "", rx.text("Entregado el ", H.pushed_at, size="1",
                                           color=rx.color("gray", 11))),
        rx.cond(H.push_error != "", rx.text(H.push_error, " Intentos: ", H.push_attempts, ".",
                                            size="1", color=rx.color("red", 11),
                                            id="pms-push-error")),
        rx.cond(H.enabled == "si", rx.flex(
            rx.button("Reenviar token", variant="soft", on_click=H.resend, id="pms-resend",
                      disabled=H.busy),
            rx.button("Rotar token", variant="soft", color_scheme="amber", on_click=H.rotate,
                      id="pms-rotate", disabled=H.busy),
            gap="3", wrap="wrap")),
        spacing="2", width="100%"))


def hotel_integration_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.text("Integración con Loggro Alojamientos (PMS)", weight="medium"),
        labeled("La organización está utilizando la aplicación de Alojamientos",
                choice(YES_NO, H.enabled, H.set_enabled, "pms-enabled")),
        rx.cond(H.enabled == "si", labeled(
            "Dirección del PMS",
            rx.input(value=H.pms_url, on_change=H.set_pms_url, placeholder="https://…",
                     id="pms-url", width="100%", max_length=300, input_mode="url"),
            hint="Al guardar, Loggro envía al PMS el token de conexión.")),
        rx.cond(H.missing.length() > 0, rx.callout(rx.vstack(
            rx.text("Antes de activarla falta:", size="2", weight="medium"),
            rx.foreach(H.missing, _missing), spacing="1"),
            icon="triangle-alert", color_scheme="amber", id="pms-missing", width="100%")),
        rx.cond(H.error != "", rx.callout(H.error, icon="triangle-alert", color_scheme="red",
                                          id="pms-error", width="100%")),
        rx.button("Guardar", on_click=H.save, id="pms-save", loading=H.busy),
        _token_once(),
        _push(),
        rx.box(id="caja"),
        rx.cond(~H.has_register, rx.callout(rx.vstack(
            rx.text("El usuario principal necesita una caja asignada.", size="2"),
            rx.button("Asignar caja al usuario principal", size="2", variant="soft",
                      on_click=H.assign_register, id="pms-assign-register"),
            spacing="2"), icon="info", width="100%")),
        spacing="3", width="100%"))
