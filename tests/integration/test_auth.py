"""Login, throttling, session expiry and logout against a migrated database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from loggro_app.core.errors import AuthError
from loggro_app.models import LoginAttempt
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
          password: str = "Clave2026*", address: str = "203.0.113.7") -> str:
    return auth.login(session=session, email=email, password=password, address=address,
                      clock=clock, settings=SETTINGS)


def me(session: Session, clock: FakeClock, token: str, **kw: bool) -> auth.SessionUser:
    return auth.current_user(session=session, token_hash=auth.hash_token(token), clock=clock,
                             settings=SETTINGS, **kw)


def test_login_opens_a_session(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock, email="  ANA@empresa.co ")
    who = me(session, clock, token)
    assert who.email == "ana@empresa.co"
    assert who.scope == user


def test_wrong_password_and_unknown_email_say_the_same(session: Session, clock: FakeClock,
                                                       user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuthError) as wrong:
        login(session, clock, password="otra")
    with pytest.raises(AuthError) as unknown:
        login(session, clock, email="nadie@empresa.co")
    assert wrong.value.message == unknown.value.message == auth.BAD_CREDENTIALS


def test_oversized_emails_and_passwords_are_refused_and_counted(
        session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    for email, password in (("a" * 5000 + "@empresa.co", "Clave2026*"),
                            ("ana@empresa.co", "x" * 1_000_000)):
        with pytest.raises(AuthError) as refused:
            login(session, clock, email=email, password=password)
        assert refused.value.message == auth.BAD_CREDENTIALS
    attempts = session.exec(select(LoginAttempt)).all()
    assert len(attempts) == 2 and not any(a.succeeded for a in attempts)
    assert max(len(a.email) for a in attempts) <= auth.MAX_EMAIL_LENGTH


def test_failures_from_one_address_back_off_there_only(
        session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        with pytest.raises(AuthError):
            login(session, clock, password="mala", address="198.51.100.9")
        clock.advance(seconds=5)
    with pytest.raises(AuthError) as err:  # even the right password waits, from there
        login(session, clock, address="198.51.100.9")
    assert "Espera" in err.value.message and "segundos" in err.value.message
    assert login(session, clock, address="203.0.113.7")  # the owner, elsewhere, gets in
    clock.advance(seconds=60)
    assert login(session, clock, address="198.51.100.9")


def test_backoff_doubles_with_each_further_failure(
        session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        with pytest.raises(AuthError):
            login(session, clock, password="mala")
    clock.advance(seconds=61)
    with pytest.raises(AuthError) as err:  # the 6th failure: the next wait is 120 s
        login(session, clock, password="mala")
    assert err.value.message == auth.BAD_CREDENTIALS
    clock.advance(seconds=90)
    with pytest.raises(AuthError) as err:
        login(session, clock)
    assert "Espera 30 segundos" in err.value.message
    clock.advance(seconds=31)
    assert login(session, clock)


def test_spraying_one_password_over_many_accounts_is_slowed(
        session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    for n in range(20):  # a different account each time: no per-account limit is reached
        with pytest.raises(AuthError) as err:
            login(session, clock, email=f"victima{n}@empresa.co", address="198.51.100.9")
        assert err.value.message == auth.BAD_CREDENTIALS
    with pytest.raises(AuthError) as err:
        login(session, clock, address="198.51.100.9")
    assert "Espera" in err.value.message
    assert login(session, clock, address="203.0.113.7")


def test_login_upgrades_an_old_hash(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from loggro_app.core.passwords import COST_N, hash_password, needs_rehash
    from loggro_app.models import User

    row = session.exec(select(User)).one()
    row.password_hash = hash_password("Clave2026*", n=2**14)
    session.add(row)
    session.commit()
    assert login(session, clock)
    session.refresh(row)
    assert row.password_hash.startswith(f"scrypt${COST_N}$") and not needs_rehash(row.password_hash)
    assert login(session, clock)  # the new hash verifies the same password


def test_polling_does_not_refresh_the_idle_timer(session: Session, clock: FakeClock,
                                                 user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    for _ in range(5):  # an open page re-checking every 5 minutes for 25 minutes
        clock.advance(minutes=5)
        me(session, clock, token, activity=False)
    clock.advance(minutes=6)  # 31 minutes without a person's action, beyond the 30 allowed
    with pytest.raises(AuthError):
        me(session, clock, token, activity=False)


def test_a_success_clears_the_count(session: Session, clock: FakeClock,
                                    user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(AuthError) as err:
                login(session, clock, password="mala")
            assert err.value.message == auth.BAD_CREDENTIALS
        assert login(session, clock)


def test_idle_session_expires(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    clock.advance(minutes=29)
    me(session, clock, token)
    clock.advance(minutes=29)  # activity refreshed the idle timer
    me(session, clock, token)
    clock.advance(minutes=31)
    with pytest.raises(AuthError) as err:
        me(session, clock, token)
    assert err.value.message == auth.SESSION_EXPIRED


def test_session_has_an_absolute_lifetime(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    for _ in range(4):
        clock.advance(minutes=25)
        me(session, clock, token)
    clock.advance(minutes=25)  # 125 minutes after login, beyond the 120-minute lifetime
    with pytest.raises(AuthError):
        me(session, clock, token)


def test_logout_revokes_and_bad_tokens_fail(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    token = login(session, clock)
    auth.logout(session=session, token_hash=auth.hash_token(token))
    for bad in (token, "", "inventado"):
        with pytest.raises(AuthError):
            me(session, clock, bad)


def test_token_is_not_stored_in_clear(session: Session, clock: FakeClock, user) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from loggro_app.models import UserSession

    token = login(session, clock)
    stored = session.exec(select(UserSession)).one()
    assert token not in stored.token_hash
