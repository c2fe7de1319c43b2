"""Login page."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import brand
from loggro_app.state.auth import LoginState


def login_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    brand(),
                    rx.heading("Ingresar", size="6"),
                    rx.text("Facturación electrónica para tu empresa", size="2",
                            color=rx.color("gray", 11)),
                    rx.text("Correo electrónico", size="2", weight="medium"),
                    rx.input(value=LoginState.email, on_change=LoginState.set_email,
                             type="email", placeholder="tu@empresa.com", id="email", name="email",
                             autocomplete="username", width="100%", size="3"),
                    rx.text("Contraseña", size="2", weight="medium"),
                    # Not bound to the state: the password travels only with the submit.
                    rx.input(type="password", id="password", name="password",
                             autocomplete="current-password",
                             width="100%", size="3"),
                    rx.cond(LoginState.error != "",
                            rx.callout(LoginState.error, icon="triangle-alert", color_scheme="red",
                                       id="login-error", width="100%")),
                    rx.button("Ingresar", type="submit", width="100%", size="3", id="login-submit",
                              loading=LoginState.busy),
                    rx.link("¿Tu empresa aún no tiene cuenta? Crear cuenta", href="/registro",
                            size="2", id="signup-link"),
                    spacing="3", width="100%",
                ),
                on_submit=LoginState.submit,
                reset_on_submit=False,
            ),
            width="100%", max_width="400px",
        ),
        min_height="100vh", padding="1em", background=rx.color("gray", 2),
    )
