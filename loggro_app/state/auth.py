"""Session state shared by every page: who is logged in, login and logout."""

from __future__ import annotations

import reflex as rx

from loggro_app.core.errors import AuthError
from loggro_app.db import session_scope
from loggro_app.services import auth as auth_service
from loggro_app.services.scope import Scope

LOGIN_ROUTE = "/login"


class AuthState(rx.State):
    """The token lives in the browser; the server keeps only its hash."""

    token: str = rx.LocalStorage("", name="loggro_session", sync=True)
    user_name: str = ""
    user_email: str = ""
    organization_name: str = ""
    role: str = ""
    is_principal: bool = False
    is_authenticated: bool = False

    def _forget(self) -> None:
        self.token = ""
        self.user_name = self.user_email = self.organization_name = self.role = ""
        self.is_principal = False
        self.is_authenticated = False

    def scope(self) -> Scope:
        """Re-check the session on every action, so expiry and logout take effect at once."""
        with session_scope() as session:
            user = auth_service.current_user(session=session, token=self.token)
        self.user_name, self.user_email = user.full_name, user.email
        self.organization_name, self.role = user.organization_name, user.scope.role
        self.is_principal = user.scope.is_principal
        self.is_authenticated = True
        return user.scope

    @rx.event
    def check_login(self):  # type: ignore[no-untyped-def]
        """on_load of every protected page."""
        try:
            self.scope()
        except AuthError:
            self._forget()
            return rx.redirect(LOGIN_ROUTE)
        return None

    @rx.event
    def redirect_if_logged_in(self):  # type: ignore[no-untyped-def]
        """on_load of the login page: a live session goes straight to Inicio."""
        if not self.token:
            return None
        try:
            self.scope()
        except AuthError:
            self._forget()
            return None
        return rx.redirect("/")

    @rx.event
    def logout(self):  # type: ignore[no-untyped-def]
        if self.token:
            with session_scope() as session:
                auth_service.logout(session=session, token=self.token)
        self._forget()
        return rx.redirect(LOGIN_ROUTE)


async def acting_scope(state: rx.State) -> Scope | None:
    """The scope of the tab's logged-in user, or None when the session is gone."""
    try:
        return (await state.get_state(AuthState)).scope()
    except AuthError:
        return None


class LoginState(rx.State):
    email: str = ""
    password: str = ""
    error: str = ""
    busy: bool = False

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value

    @rx.event
    async def submit(self, _form: dict | None = None):  # type: ignore[no-untyped-def]
        self.error = ""
        if not self.email.strip() or not self.password:
            self.error = "Escribe tu correo y tu contraseña."
            return None
        try:
            with session_scope() as session:
                token = auth_service.login(session=session, email=self.email,
                                           password=self.password)
        except AuthError as exc:
            self.error = exc.message
            self.password = ""
            return None
        auth = await self.get_state(AuthState)
        auth.token = token
        auth.scope()
        self.password = ""
        return rx.redirect("/")
