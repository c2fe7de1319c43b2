"""The page for an address that does not exist, in Spanish, with a way back."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import brand

TITLE = "Página no encontrada · Loggro"


def not_found_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                brand(),
                rx.heading("No encontramos esta página", size="6", id="not-found"),
                rx.text("La dirección no existe o cambió. Revisa el enlace o vuelve al inicio.",
                        size="2", color=rx.color("gray", 11)),
                rx.link(rx.button("Volver al inicio", size="3", width="100%"), href="/",
                        width="100%", id="not-found-home"),
                spacing="3", width="100%",
            ),
            width="100%", max_width="400px",
        ),
        min_height="100vh", padding="1em", background=rx.color("gray", 2),
    )
