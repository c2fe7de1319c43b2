"""Crear cuenta: a new organization, its principal user and a starting plan."""

from __future__ import annotations

from typing import Any

import reflex as rx

from loggro_app.components.catalog_table import choice
from loggro_app.components.forms import field_error
from loggro_app.components.layout import brand
from loggro_app.core import geo
from loggro_app.core.errors import AuthError, ValidationError
from loggro_app.core.plans import default_catalog
from loggro_app.db import session_scope
from loggro_app.services import auth as auth_service
from loggro_app.services.signup import sign_up
from loggro_app.state.auth import PasswordForm, client_address

PLANS = [{"code": p.code, "name": p.label} for p in default_catalog().plans]
MUNICIPALITIES = {geo.municipality_label(m.code): m.code for m in geo.municipalities()}
FIELDS = ("legal_name", "nit", "dv", "address", "full_name", "email", "plan")


class SignupState(PasswordForm, rx.State):
    legal_name: str = ""
    nit: str = ""
    dv: str = ""
    municipality: str = ""
    address: str = ""
    full_name: str = ""
    email: str = ""
    plan: str = "fe_estandar"
    errors: dict[str, str] = {}

    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in (*FIELDS, "municipality"):
            setattr(self, field, value)

    @rx.event(background=True)
    async def submit(self, form: dict[str, Any]):  # type: ignore[no-untyped-def]
        # A background event, like the login: two password hashes must not hold the tab's
        # state lock. The password comes with the submitted form and lives only in this call.
        password = str(form.get("password") or "")
        async with self:
            if not self._take():  # a second click while the first is being created
                return None
            self.errors = {}
            fields = {name: getattr(self, name) for name in FIELDS if name != "plan"}
            request = (fields, MUNICIPALITIES.get(self.municipality, ""), password, self.plan,
                       client_address(self))
        try:
            token = await self._unlocked(_create_and_login, *request)
        except (ValidationError, AuthError) as exc:
            async with self:
                self.errors = (exc.errors if isinstance(exc, ValidationError)
                               else {"email": exc.message})
            return None
        await self._open_session(token)
        return rx.redirect("/habilitacion")


def _create_and_login(fields: dict[str, str], municipality_code: str, password: str,
                      plan_code: str, address: str) -> str:
    """Blocking (two scrypt hashes and the database): runs in a worker thread."""
    with session_scope() as session:
        sign_up(session=session, municipality_code=municipality_code, password=password,
                plan_code=plan_code, **fields)
    with session_scope() as session:
        return auth_service.login(session=session, email=fields["email"], password=password,
                                  address=address)


def _input(label: str, name: str, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(value=getattr(SignupState, name),
                 on_change=lambda v: SignupState.set_field(name, v), id=f"signup-{name}",
                 width="100%", **props),
        field_error(SignupState.errors, name), spacing="1", width="100%")


def signup_page() -> rx.Component:
    return rx.center(rx.card(rx.form(rx.vstack(
        brand(),
        rx.heading("Crear cuenta", size="6"),
        _input("Razón social", "legal_name"),
        rx.grid(_input("NIT", "nit", input_mode="numeric"), _input("DV", "dv", max_length=1),
                columns="3fr 1fr", spacing="2", width="100%"),
        rx.vstack(rx.text("Municipio", size="2", weight="medium"),
                  rx.el.input(value=SignupState.municipality, list="signup-municipalities",
                              on_change=lambda v: SignupState.set_field("municipality", v),
                              id="signup-municipality", placeholder="Escribe para buscar",
                              style={"width": "100%", "padding": "6px 8px",
                                     "border": f"1px solid {rx.color('gray', 7)}",
                                     "border_radius": "6px"}),
                  rx.el.datalist(*[rx.el.option(value=label) for label in MUNICIPALITIES],
                                 id="signup-municipalities"),
                  field_error(SignupState.errors, "municipality_code"), spacing="1",
                  width="100%"),
        _input("Dirección", "address"),
        _input("Tu nombre", "full_name"),
        _input("Correo electrónico", "email", type="email"),
        rx.vstack(rx.text("Contraseña", size="2", weight="medium"),
                  # Not bound to the state: the password travels only with the submit.
                  rx.input(type="password", name="password", id="signup-password",
                           autocomplete="new-password", width="100%"),
                  field_error(SignupState.errors, "password"), spacing="1", width="100%"),
        rx.vstack(rx.text("Plan", size="2", weight="medium"),
                  choice(PLANS, SignupState.plan, lambda v: SignupState.set_field("plan", v),
                         "signup-plan"), field_error(SignupState.errors, "plan"),
                  spacing="1", width="100%"),
        rx.button("Crear cuenta", type="submit", width="100%", size="3", id="signup-submit",
                  loading=SignupState.busy),
        rx.link("¿Ya tienes cuenta? Ingresa", href="/login", size="2"),
        spacing="3", width="100%"), on_submit=SignupState.submit, reset_on_submit=False),
        width="100%", max_width="480px"),
        min_height="100vh", padding="1em", background=rx.color("gray", 2))
