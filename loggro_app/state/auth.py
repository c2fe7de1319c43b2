"""Session state shared by every page: who is logged in, login and logout.

Page state is not a vault: Reflex pickles it to `.states/` (or Redis) and anyone holding a
copy may replay what it finds. So the session token never reaches persisted state (only
its hash, which is not a credential), that hash only counts on the websocket connection
that presented the token, and passwords are read from the submitted form, never stored.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import reflex as rx

from loggro_app.core.errors import AuthError
from loggro_app.db import session_scope
from loggro_app.services import auth as auth_service
from loggro_app.services.scope import Scope

T = TypeVar("T")

LOGIN_ROUTE = "/login"
TOKEN_FIELD = "token"
TOKEN_STORAGE = "loggro_session"  # the browser's localStorage key (downloads send it)

# Password hashing gets its own threads: a login flood queues here and never takes the
# shared worker threads that webhooks and page handlers use.
_PASSWORD_WORK = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1),
                                    thread_name_prefix="password")


async def off_the_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking password work (scrypt, its database reads) on the password threads."""
    return await asyncio.get_running_loop().run_in_executor(_PASSWORD_WORK, fn, *args)


def _current_user(token_hash: str, activity: bool) -> auth_service.SessionUser:
    with session_scope() as session:
        return auth_service.current_user(session=session, token_hash=token_hash,
                                         activity=activity)


def _connection(state: rx.State) -> str:
    """The websocket connection (Socket.IO sid) the current event arrived on."""
    try:
        return str(state.router.session.session_id or "")
    except AttributeError:  # while Reflex builds the state, before any router data
        return ""


class AuthState(rx.State):
    """The token lives in the browser (re-sent on every connect); the server keeps its hash."""

    token: str = rx.LocalStorage("", name=TOKEN_STORAGE, sync=True)
    user_name: str = ""
    user_email: str = ""
    organization_name: str = ""
    role: str = ""
    is_principal: bool = False
    is_authenticated: bool = False
    _session_hash: str = ""
    _bound_connection: str = ""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == TOKEN_FIELD:
            # The browser (on connect) or a login presents the token: bind it to this
            # connection, so a copied state used from another connection is worthless.
            super().__setattr__("_session_hash", auth_service.hash_token(value or ""))
            super().__setattr__("_bound_connection", _connection(self))
        super().__setattr__(name, value)

    def __getstate__(self) -> dict[str, Any]:
        fields = dict(super().__getstate__())
        fields[TOKEN_FIELD] = ""  # only the live process's memory holds the token
        return fields

    def _forget(self) -> None:
        self.token = ""
        self.user_name = self.user_email = self.organization_name = self.role = ""
        self.is_principal = False
        self.is_authenticated = False

    async def scope(self, *, activity: bool = True) -> Scope:
        """Re-check the session on every action, so expiry and logout take effect at once.

        Background polling passes activity=False: it must not keep an idle session alive.
        """
        if not self._session_hash or self._bound_connection != _connection(self):
            raise AuthError(auth_service.SESSION_EXPIRED)
        user = await asyncio.to_thread(_current_user, self._session_hash, activity)
        self.user_name, self.user_email = user.full_name, user.email
        self.organization_name, self.role = user.organization_name, user.scope.role
        self.is_principal = user.scope.is_principal
        self.is_authenticated = True
        return user.scope

    async def begin(self, token: str) -> None:
        """Open the session a login just created in this tab."""
        self.token = token
        await self.scope()

    @rx.event
    async def check_login(self):  # type: ignore[no-untyped-def]
        """on_load of every protected page."""
        try:
            await self.scope()
        except AuthError:
            self._forget()
            return rx.redirect(LOGIN_ROUTE)
        return None

    @rx.event
    async def redirect_if_logged_in(self):  # type: ignore[no-untyped-def]
        """on_load of the login page: a live session goes straight to Inicio."""
        if not self._session_hash:
            return None
        try:
            await self.scope()
        except AuthError:
            self._forget()
            return None
        return rx.redirect("/")

    @rx.event
    async def logout(self):  # type: ignore[no-untyped-def]
        if self._session_hash:
            await asyncio.to_thread(_logout, self._session_hash)
        await reset_user_states(self)
        return rx.redirect(LOGIN_ROUTE)


def _logout(token_hash: str) -> None:
    with session_scope() as session:
        auth_service.logout(session=session, token_hash=token_hash)


def _app_states(cls: type[rx.State]) -> list[type[rx.State]]:
    found = []
    for sub in cls.get_substates():
        if sub.__module__.startswith("loggro_app."):
            found.append(sub)
        found.extend(_app_states(sub))
    return found


async def reset_user_states(state: rx.State) -> None:
    """Every page state of the tab back to its defaults: the next person sees nothing of
    the previous one (lists, forms, the email typed at login)."""
    for cls in _app_states(state.get_root_state()):
        (await state.get_state(cls)).reset()


async def acting_scope(state: rx.State, *, activity: bool = True) -> Scope | None:
    """The scope of the tab's logged-in user, or None when the session is gone."""
    try:
        return await (await state.get_state(AuthState)).scope(activity=activity)
    except AuthError:
        return None


def client_address(state: rx.State) -> str:
    """The client's IP address as Reflex saw it (honouring its trusted_proxy_hops)."""
    try:
        return str(state.router.session.client_ip or "")
    except AttributeError:
        return ""


def _login(email: str, password: str, address: str) -> str:
    with session_scope() as session:
        return auth_service.login(session=session, email=email, password=password,
                                  address=address)


# A form stays busy while its password work runs; a mark older than this belongs to a
# process that died on the way, and the form is usable again.
STALE_BUSY_SECONDS = 60.0


class PasswordForm(rx.State, mixin=True):
    """A form whose submit waits for password hashing as a background event, without holding
    the tab's state lock: under a burst of logins the wait for the password threads outlasts
    the lock's expiry (10 s with Redis), and Reflex would discard the result without a word."""

    busy: bool = False
    _busy_since: float = 0.0

    def _take(self) -> bool:
        """Mark the form busy; False while an earlier submit is still being checked."""
        if self.busy and time.time() - self._busy_since < STALE_BUSY_SECONDS:
            return False
        self.busy, self._busy_since = True, time.time()
        return True

    async def _unlocked(self, fn: Callable[..., T], *args: Any) -> T:
        """The password work, run with the tab's lock released; a failure frees the form."""
        try:
            return await off_the_loop(fn, *args)
        except BaseException:
            async with self:  # type: ignore[attr-defined]  # self is Reflex's StateProxy
                self.busy = False
            raise

    async def _open_session(self, token: str) -> None:
        async with self:  # type: ignore[attr-defined]
            self.busy = False
            await (await self.get_state(AuthState)).begin(token)

    @rx.event
    def forget_stale_busy(self) -> None:
        """on_load: a spinner left by a process that died mid-check goes away."""
        if self.busy and time.time() - self._busy_since >= STALE_BUSY_SECONDS:
            self.busy = False


class LoginState(PasswordForm, rx.State):
    email: str = ""
    error: str = ""

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value

    @rx.event(background=True)
    async def submit(self, form: dict[str, Any]):  # type: ignore[no-untyped-def]
        # The password comes with the submitted form and lives only in this call.
        password = str(form.get("password") or "")
        async with self:
            if not self._take():  # a second click while the first is checked
                return None
            self.error = ""
            # The email as the form shows it: a browser's autofill, or typing before the
            # page is connected, may never reach the state through on_change.
            if typed := str(form.get("email") or "").strip()[:254]:
                self.email = typed
            if not self.email.strip() or not password:
                self.error = "Escribe tu correo y tu contraseña."
                self.busy = False
                return None
            email, address = self.email, client_address(self)
        try:
            token = await self._unlocked(_login, email, password, address)
        except AuthError as exc:
            async with self:
                self.error = exc.message
            return rx.set_value("password", "")
        await self._open_session(token)
        return rx.redirect("/")
