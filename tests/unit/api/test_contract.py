"""The API against its own OpenAPI description (schemathesis, in-process over ASGI): for
generated requests, valid and invalid, no answer is a 5xx and every answer (status, media
type, body, headers) is one the description documents. The schema is read from the app, so
every router listed in `loggro_app.api.ROUTERS` is covered as soon as it is added."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    missing_required_header,
    positive_data_acceptance,
)

from loggro_app.api import OPENAPI_URL, api
from loggro_app.settings import get_settings

pytestmark = pytest.mark.contract
EXAMPLES = 25  # per operation and mode: a few seconds in all, yet past the edge cases

schema = schemathesis.openapi.from_asgi(OPENAPI_URL, api)
schema.config.generation.update(max_examples=EXAMPLES, modes=[
    schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated SQLite database for the endpoints that read one (sessions, documents)."""
    from loggro_app.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'api.db'}"
    upgrade(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFLEX_DB_URL", url)
        get_settings.cache_clear()
        yield url
    get_settings.cache_clear()


def signed(case: schemathesis.Case) -> bool:
    """A request authenticated by a signature of its body (a webhook): no generator makes a
    valid one, so its schema-valid requests are rightly refused (400) and "valid data is
    accepted" cannot hold there; the other checks still do."""
    parameters = case.operation.definition.raw.get("parameters", [])
    return any(p.get("in") == "header" and p["name"].lower().endswith("signature")
               for p in parameters)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_it_is_described(case: schemathesis.Case) -> None:
    excluded = [positive_data_acceptance] if signed(case) else []
    case.call_and_validate(excluded_checks=excluded)


@pytest.fixture(scope="module")
def property_token(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo hotel connected to a PMS: the PMS routes are also called authenticated, so
    the checks reach past the token into validation, the rules and the stored documents."""
    from sqlmodel import Session, select

    from loggro_app.db import get_engine
    from loggro_app.models import User
    from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
    from loggro_app.services import pms_connection
    from loggro_app.services.scope import Scope
    from loggro_app.services.secrets import secret_box

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOGGRO_DATA_DIR", str(tmp_path_factory.mktemp("contract-data")))
        patch.setenv("LOGGRO_PMS_RATE_PER_SECOND", "100000")
        get_settings.cache_clear()
        secret_box.cache_clear()
        with Session(get_engine(database)) as session:
            load_enabled_demo(session, password="Demo2026*")
            user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
            scope = Scope(user.organization_id, user.id or 0, user.role, user.is_principal)
            saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                                 pms_url="http://127.0.0.1:9")
        assert saved.token is not None
        yield saved.token
    get_settings.cache_clear()
    secret_box.cache_clear()


@schema.include(path_regex="^/api/pms/").parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_pms_api_answers_as_described_to_its_property(case: schemathesis.Case,
                                                          property_token: str) -> None:
    """Valid data may still break a DIAN or hotel rule (a 422 that names it), so "valid
    data is accepted" does not hold here, and the token is always sent, so "a missing
    header is refused" is the other test's; no 5xx and nothing undocumented still hold."""
    from loggro_app.api import pms as pms_api

    pms_api._limits.clear()
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {property_token}"}
    case.call_and_validate(excluded_checks=[positive_data_acceptance,
                                            missing_required_header])
