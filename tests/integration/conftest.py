"""Integration fixtures: a real PostgreSQL server, started once and stopped at the end."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text

from tests.integration.postgres import postgres_server

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path

    from sqlmodel import Session

    from loggro_app.dian.client import DianClient
    from loggro_app.mail import MailSettings
    from loggro_app.models import TestSetRun
    from loggro_app.services.dian_link import DianLink
    from loggro_app.services.scope import Scope

SMALL_PLAN = (("FE", 3), ("NC", 1), ("ND", 1))

_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    with postgres_server() as base:
        yield base


@pytest.fixture
def postgres_url(postgres_base: str) -> Iterator[str]:
    """A new database on the server, brought to the latest schema by the migrations."""
    from loggro_app.db import get_engine
    from loggro_app.migrate import upgrade

    name = f"loggro_test_{next(_names)}"
    admin = create_engine(f"{postgres_base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{postgres_base}/{name}"
    upgrade(url)
    yield url
    # Close the pooled connections now, while the server is up, not at garbage collection.
    get_engine(url).dispose()
    gc.collect()  # a connection leaked by the test is reported here, against that test


@pytest.fixture(scope="session")
def stack_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Every stand-in started once; what the app's environment would hold to reach them."""
    from loggro_app.local_stack import LocalStack
    from tests.integration import issuing_env

    with LocalStack(log_dir=tmp_path_factory.mktemp("stack"),
                    app_url="http://127.0.0.1:9") as stack:
        issuing_env.STACK_ENV.update(stack.env())
        yield stack.env()


@pytest.fixture(scope="session")
def link(stack_env: dict[str, str]) -> DianLink:
    """The DIAN sandbox, as the app reaches it."""
    from loggro_app.services.dian_link import DianLink

    return DianLink(environment="sandbox", url=stack_env["LOGGRO_DIAN_URL"])


@pytest.fixture(scope="session")
def mail_settings(stack_env: dict[str, str]) -> MailSettings:
    """The local SMTP server of the same stack, as the app reaches it."""
    from loggro_app.mail import MailSettings

    return MailSettings.from_env(stack_env)


def signed_up(session: Session, nit: str, email: str) -> Scope:
    """A new organization with its principal user and the development certificate."""
    from loggro_app.services import certificates
    from loggro_app.services.signup import sign_up

    scope = sign_up(session=session, legal_name=f"Empresa {nit} S.A.S.", nit=nit, dv="",
                    municipality_code="05001", address="Calle 33", full_name="Marta",
                    email=email, password="Espiga2026*", plan_code="fe_estandar")
    certificates.install_development_certificate(session=session, scope=scope)
    return scope


@pytest.fixture
def org(session: Session, link: DianLink) -> Scope:
    return signed_up(session, "901234567", "marta@espiga.example")


@pytest.fixture
def seller(session: Session, db_url: str, link: DianLink, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Scope]:
    """La Ceiba, seeded to sell, with DBOS launched on the test's database (issuing tests)."""
    from tests.integration.issuing_env import configure, durable_running, seed_seller

    configure(monkeypatch, tmp_path, db_url, link)
    scope = seed_seller(session)
    with durable_running():
        yield scope


@pytest.fixture
def sandbox_base(link: DianLink) -> str:
    """The sandbox's origin, for its admin API (faults, clock)."""
    assert link.url is not None
    return link.url.split("/WcfDianCustomerServices")[0]


def advance_to_end(session: Session, run_id: int, link: DianLink,
                   factory: Callable[[], DianClient], *, batch: int = 10,
                   clock: Callable[[], datetime] | None = None) -> TestSetRun:
    """Call the test-set worker until the run finishes, as the background worker would."""
    from loggro_app.core.clock import system_clock
    from loggro_app.services import test_set

    for _ in range(20):
        run = test_set.advance(session=session, run_id=run_id, link=link,
                               client_factory=factory, batch=batch, clock=clock or system_clock)
        if run.status != "running":
            return run
    raise AssertionError("the run never finished")


def minutes_apart() -> Iterator[datetime]:
    """A clock for the runner whose every reading is a minute after the previous one."""
    from datetime import timedelta

    from loggro_app.core.clock import system_clock

    start = system_clock()
    return (start + timedelta(minutes=n) for n in itertools.count())
