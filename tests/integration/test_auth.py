"""Login, throttling, session expiry and logout against a migrated database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from loggro_app.core.errors import AuthError
from loggro_app.services import auth
from loggro_app.settings import Settings
from tests.factories import T0, make_org

SETTINGS = Settings(db_url="sqlite://", data_dir=None,  # type: ignore[arg-type]
                    session_ttl_minutes=120, session_idle_minutes=30)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now

    def advance(self, **kw: int) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def user(session: Session):  # type: ignore[no-untyped-def]
    return make_org(session, "900123456", "ana@empresa.co")


def login(session: Session, clock: FakeClock, email: str = "ana@empresa.co",
          password: str = "Clave2026*") -> str:
    return auth.login(session=session, email=email, password=password, clock=clock,
                      settings=SETTINGS)


def test_login_opens_a_session(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock, email="  ANA@empresa.co ")
    me = auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)
    assert me.email == "ana@empresa.co"
    assert me.scope == user


def test_wrong_password_and_unknown_email_say_the_same(session: Session, clock: FakeClock,
                                                       user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthError) as wrong:
        login(session, clock, password="otra")
    with pytest.raises(AuthError) as unknown:
        login(session, clock, email="nadie@empresa.co")
    assert wrong.value.message == unknown.value.message == auth.BAD_CREDENTIALS


def test_five_failures_in_a_minute_throttle_even_the_right_password(
        session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        with pytest.raises(AuthError):
            login(session, clock, password="mala")
        clock.advance(seconds=5)
    with pytest.raises(AuthError) as err:
        login(session, clock)
    assert err.value.message == auth.THROTTLED
    clock.advance(seconds=60)
    assert login(session, clock)


def test_failures_spread_over_time_do_not_throttle(session: Session, clock: FakeClock,
                                                   user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        with pytest.raises(AuthError):
            login(session, clock, password="mala")
        clock.advance(seconds=20)
    assert login(session, clock)


def test_idle_session_expires(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    clock.advance(minutes=29)
    auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)
    clock.advance(minutes=29)  # activity refreshed the idle timer
    auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)
    clock.advance(minutes=31)
    with pytest.raises(AuthError) as err:
        auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)
    assert err.value.message == auth.SESSION_EXPIRED


def test_session_has_an_absolute_lifetime(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    for _ in range(4):
        clock.advance(minutes=25)
        auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)
    clock.advance(minutes=25)  # 125 minutes after login, beyond the 120-minute lifetime
    with pytest.raises(AuthError):
        auth.current_user(session=session, token=token, clock=clock, settings=SETTINGS)


def test_logout_revokes_and_bad_tokens_fail(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    auth.logout(session=session, token=token)
    for bad in (token, "", "inventado"):
        with pytest.raises(AuthError):
            auth.current_user(session=session, token=bad, clock=clock, settings=SETTINGS)


def test_token_is_not_stored_in_clear(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from loggro_app.models import UserSession

    token = login(session, clock)
    stored = session.exec(select(UserSession)).one()
    assert token not in stored.token_hash
