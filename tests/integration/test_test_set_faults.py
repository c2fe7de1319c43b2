"""The test-set runner when DIAN's answer is lost: the sandbox processes a send and holds
its answer past the client's timeout (fault injection, docs/dian-sandbox.md)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlmodel import Session

from loggro_app.core.clock import system_clock
from loggro_app.dian.client import ClientConfig, DianClient, RetryPolicy
from loggro_app.models import Organization
from loggro_app.services import sandbox_portal, test_set
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from tests.integration.conftest import SMALL_PLAN, advance_to_end, minutes_apart

pytestmark = pytest.mark.integration


def _impatient(session: Session, scope: Scope, link: DianLink) -> Callable[[], DianClient]:
    """A client that gives up on an answer after one second and retries once."""
    def make() -> DianClient:
        signer = load_signer(session=session, organization_id=scope.organization_id)
        config = ClientConfig(environment="sandbox", url=link.url, timeout=1.0,
                              retry=RetryPolicy(attempts=2, backoff=0.1))
        return DianClient(signer=signer, clock=system_clock, config=config)
    return make


def _hold_answers(sandbox_base: str, count: int) -> None:
    httpx.post(f"{sandbox_base}/admin/faults", json={
        "kind": "timeout", "seconds": 2.5, "operation": "SendTestSetAsync", "count": count},
        timeout=5).raise_for_status()


def _start(session: Session, scope: Scope, link: DianLink) -> int:
    set_id = sandbox_portal.new_test_set(session=session, scope=scope, link=link)
    run = test_set.start_run(session=session, scope=scope, test_set_id=set_id, plan=SMALL_PLAN)
    assert run.id is not None
    return run.id


def test_a_lost_answer_is_resolved_with_what_dian_holds(session: Session, org: Scope,
                                                       link: DianLink, sandbox_base: str) -> None:
    run_id = _start(session, org, link)
    _hold_answers(sandbox_base, 1)  # first send processed, its answer lost; the retry is rule 90
    done = advance_to_end(session, run_id, link, _impatient(session, org, link))
    first = test_set.items(session=session, run_id=run_id)[0]
    assert first.status == "accepted", first.messages
    assert done.status == "accepted", done.message


def test_after_a_crash_the_same_signed_document_is_sent_again(
        session: Session, org: Scope, link: DianLink, sandbox_base: str) -> None:
    run_id = _start(session, org, link)
    clock = minutes_apart().__next__  # a rebuilt document would get a new CUFE
    _hold_answers(sandbox_base, 2)  # every attempt of the first send loses its answer
    factory = _impatient(session, org, link)
    test_set.advance(session=session, run_id=run_id, link=link, client_factory=factory,
                     clock=clock, batch=1)
    first = test_set.items(session=session, run_id=run_id)[0]
    assert first.status == "pending" and first.signed_zip
    sent_key, sent_bytes = first.document_key, first.signed_zip
    with Session(session.get_bind()) as fresh:  # a new process picks the run up
        done = advance_to_end(fresh, run_id, link, factory, clock=clock)
        again = test_set.items(session=fresh, run_id=run_id)[0]
    assert (again.document_key, again.signed_zip) == (sent_key, sent_bytes)
    assert again.status == "accepted", again.messages
    assert done.status == "accepted", done.message


def test_an_unknown_test_set_id_stops_the_run_at_the_first_answer(
        session: Session, org: Scope, link: DianLink) -> None:
    organization = session.get(Organization, org.organization_id)
    assert organization is not None
    sandbox_portal.register_software(session=session, scope=org, link=link)
    run = test_set.start_run(session=session, scope=org,
                             test_set_id="6f66faaf-9cb0-4972-8840-424b55f36fd7", plan=SMALL_PLAN)
    assert run.id is not None
    done = advance_to_end(session, run.id, link, _impatient(session, org, link))
    assert done.status == "failed"
    assert "TestSetId" in done.message
    states = [i.status for i in test_set.items(session=session, run_id=run.id)]
    assert states == ["rejected", "pending", "pending", "pending", "pending"]
