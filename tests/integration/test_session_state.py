"""The login, sign-up and logout handlers driven through Reflex's real state tree, against a
migrated database: what a copy of the saved state gives a thief, whether the event loop
stays free while passwords are checked, and what logout leaves behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from types import MethodType
from typing import Any

import pytest
import wrapt
from reflex.state import BaseState, State
from reflex_base import constants
from sqlmodel import Session

import loggro_app.loggro_app  # noqa: F401  (registers every page state)
from loggro_app.core.errors import AuthError
from loggro_app.core.passwords import hash_password
from loggro_app.pages.signup import SignupState
from loggro_app.settings import get_settings
from loggro_app.state.auth import AuthState, LoginState, _app_states, acting_scope
from loggro_app.state.customers import CustomersState
from tests.factories import make_org

EMAIL, PASSWORD = "ana@empresa.co", "Clave2026*"
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Reflex runs on asyncio


@pytest.fixture
def app_db(db_url: str, session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The handlers' own session_scope() points at the test database, holding one user."""
    make_org(session, "900123456", EMAIL, PASSWORD)
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def connect(root: BaseState, connection: str, address: str = "203.0.113.7") -> None:
    """What Reflex records when an event arrives on a websocket connection."""
    data = {constants.RouteVar.SESSION_ID: connection, constants.RouteVar.CLIENT_IP: address,
            constants.RouteVar.CLIENT_TOKEN: "tab-1"}
    root.router_data = root._update_router_vars(data, root.router_data)


def tab(connection: str = "sid-victim", address: str = "203.0.113.7") -> BaseState:
    root = State(_reflex_internal_init=True)
    connect(root, connection, address)
    return root


def sub(root: BaseState, cls: type[BaseState]) -> Any:
    return root.get_substate(cls.get_full_name().split(".")[1:])


def persisted(root: BaseState) -> bytes:
    """Every state of the tab as the state manager writes it (`.states/*.pkl`, Redis)."""
    return b"".join(sub(root, cls)._serialize() for cls in _app_states(State))


class Held(wrapt.ObjectProxy):  # type: ignore[misc]
    """What Reflex hands a background event as `self`, minus the lock it takes on
    `async with self` (one tab per test, nothing else writes to it)."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.__wrapped__, name)
        if (isinstance(value, MethodType) and value.__self__ is self.__wrapped__
                and value.__module__.startswith("loggro_app.")):
            return MethodType(value.__func__, self)  # as Reflex rebinds the app's methods
        return value

    async def __aenter__(self) -> Held:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


async def submit(state: BaseState, form: dict[str, str]) -> Any:
    """Run a form's submit as Reflex runs a background event."""
    handler = type(state).event_handlers["submit"]
    assert handler.is_background  # the password wait must not hold the tab's state lock
    return await handler.fn(Held(state), form)


async def log_in(root: BaseState, email: str = EMAIL, password: str = PASSWORD) -> Any:
    login = sub(root, LoginState)
    login.set_email(email)
    return await submit(login, {"email": email, "password": password})


def test_no_state_field_can_hold_a_password() -> None:
    for cls in _app_states(State):
        names = [*cls.base_vars, *getattr(cls, "backend_vars", {})]
        held = [name for name in names if "password" in name or "secret" in name
                or "pin" in name.split("_")]
        assert held == [], f"{cls.__name__} keeps {held} in page state"


async def test_a_copied_state_is_no_session(app_db: str) -> None:
    victim = tab("sid-victim")
    await log_in(victim)
    auth = sub(victim, AuthState)
    assert auth.is_authenticated and auth.token
    token, saved = auth.token, persisted(victim)
    assert token.encode() not in saved and PASSWORD.encode() not in saved

    # The thief connects with the victim's tab token and sends events without the browser's
    # token: the server loads the saved state, now on the thief's connection.
    stolen = AuthState._deserialize(auth._serialize())
    assert stolen.token == ""
    connect(victim, "sid-thief", "198.51.100.9")
    with pytest.raises(AuthError):
        await auth.scope()
    # Nor does any value in the copy work as a token in the thief's own browser.
    for value in [v for v in vars(stolen).values() if isinstance(v, str) and v]:
        auth.token = value  # what hydrating from localStorage does
        with pytest.raises(AuthError):
            await auth.scope()

    # The victim's browser reconnecting with its token is still logged in.
    connect(victim, "sid-victim-2")
    auth.token = token
    assert (await auth.scope()).user_id


async def test_passwords_leave_no_trace_on_any_path(app_db: str) -> None:
    root = tab()
    await log_in(root, email="", password="Secreto-vacio-1")  # email left empty
    await log_in(root, password="Secreto-malo-2")  # wrong password
    signup = sub(root, SignupState)
    signup.set_field("email", "no-es-un-correo")
    await submit(signup, {"password": "Secreto-registro-3"})  # validation errors
    assert signup.errors
    saved = persisted(root)
    for secret in (b"Secreto-vacio-1", b"Secreto-malo-2", b"Secreto-registro-3"):
        assert secret not in saved
    await log_in(root)
    assert PASSWORD.encode() not in persisted(root)


async def test_a_login_flood_leaves_the_loop_and_worker_threads_free(app_db: str) -> None:
    gaps: list[float] = []
    waits: list[float] = []

    async def ticker(stop: asyncio.Event) -> None:
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    async def webhook_like(stop: asyncio.Event) -> None:
        while not stop.is_set():  # what webhooks and page handlers hand to worker threads
            asked = time.monotonic()
            await asyncio.to_thread(time.monotonic)
            waits.append(time.monotonic() - asked)
            await asyncio.sleep(0.05)

    stop = asyncio.Event()
    others = [asyncio.create_task(ticker(stop)), asyncio.create_task(webhook_like(stop))]
    started = time.monotonic()
    flood = [log_in(tab(f"sid-{n}", f"198.51.100.{n}"), email=f"nadie{n}@empresa.co")
             for n in range(8)]  # unknown emails: a full-cost scrypt each
    await asyncio.gather(log_in(tab("sid-owner")), *flood)
    took = time.monotonic() - started
    stop.set()
    await asyncio.gather(*others)
    # Each login costs at least one full scrypt; run on the loop, or queued in front of the
    # shared worker threads, that much would pass between two ticks or before a thread is
    # free. Off the loop on their own threads, neither waits (allowing for a busy machine).
    hashing = time.monotonic()
    hash_password("x")
    hashing = time.monotonic() - hashing
    assert took > hashing, (took, hashing)
    assert max(gaps) < hashing / 2 and max(waits) < hashing / 2, (hashing, max(gaps),
                                                                  max(waits))


async def test_a_form_busy_with_a_check_ignores_a_second_click(app_db: str) -> None:
    root = tab()
    login = sub(root, LoginState)
    login.busy, login._busy_since = True, time.time()  # the first click is being checked
    await log_in(root)
    assert not sub(root, AuthState).is_authenticated and login.busy
    login._busy_since = time.time() - 61  # its process died on the way
    login.forget_stale_busy()
    assert not login.busy
    await log_in(root)
    assert sub(root, AuthState).is_authenticated and not login.busy


async def test_the_limit_follows_the_client_address(app_db: str) -> None:
    attacker = tab("sid-attacker", "198.51.100.9")
    for _ in range(5):
        await log_in(attacker, password="mala-1234")
    await log_in(attacker)  # even the right password now waits, from that address
    assert "Espera" in sub(attacker, LoginState).error
    assert not sub(attacker, AuthState).is_authenticated
    owner = tab("sid-owner", "203.0.113.7")
    await log_in(owner)
    assert sub(owner, AuthState).is_authenticated


async def test_logout_resets_every_user_state(app_db: str) -> None:
    root = tab()
    await log_in(root)
    customers = sub(root, CustomersState)
    customers.rows = [{"name": "Cliente de la sesión anterior"}]
    customers.name, customers.total = "Cliente", 1
    await sub(root, AuthState).logout()
    for cls in _app_states(State):
        state = sub(root, cls)
        fields = cls.get_fields()
        changed = {name: getattr(state, name) for name in cls.base_vars
                   if fields[name]._owner is cls and not name.startswith("router")
                   and getattr(state, name) != fields[name].default_value()}
        assert changed == {}, f"{cls.__name__} kept {changed}"
    assert sub(root, LoginState).email == ""  # the login form is not pre-filled


async def test_background_checks_leave_the_idle_timer_alone(app_db: str,
                                                            session: Session) -> None:
    from sqlmodel import select

    from loggro_app.models import UserSession
    from loggro_app.state.enablement import EnablementState

    root = tab()
    await log_in(root)
    assert sub(root, AuthState).is_authenticated, sub(root, LoginState).error
    enablement = sub(root, EnablementState)

    def last_seen() -> object:
        session.expire_all()
        return session.exec(select(UserSession)).one().last_seen_at

    before = last_seen()
    await asyncio.sleep(0.01)
    assert await acting_scope(enablement, activity=False) is not None  # the 5-second re-check
    assert last_seen() == before
    assert await acting_scope(enablement) is not None  # a person's click
    assert last_seen() != before
