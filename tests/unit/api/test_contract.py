"""The API against its own OpenAPI description (schemathesis, in-process over ASGI): for
generated requests, valid and invalid, no answer is a 5xx and every answer (status, media
type, body, headers) is one the description documents. The schema is read from the app, so
every router listed in `loggro_app.api.ROUTERS` is covered as soon as it is added."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

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
