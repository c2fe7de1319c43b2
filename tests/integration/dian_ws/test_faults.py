"""Reliability: retries on network errors and 5xx only; a retry after a timeout never
creates a second document (rule 90 resolved through GetStatus)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from loggro_app.core.errors import DianRejected, DianUnavailable
from loggro_app.dian.client import ClientConfig, DianClient, RetryPolicy
from tests.integration.dian_ws.conftest import AdminApi, Factory, WallClock

pytestmark = pytest.mark.integration


class Counting:
    """A client whose HTTP requests are counted (what reached the sandbox)."""

    def __init__(self, base: str, signer, clock: WallClock, timeout: float = 10.0) -> None:
        self.requests: list[str] = []
        http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            trust_env=False,
            event_hooks={"request": [lambda request: self.requests.append(request.url.path)]},
        )
        config = ClientConfig(
            "sandbox",
            url=base + "/WcfDianCustomerServices.svc",
            timeout=timeout,
            retry=RetryPolicy(attempts=3, backoff=0.01),
        )
        self.client = DianClient(signer=signer, clock=clock, config=config, http=http)


@pytest.fixture()
def counting(sandbox: str, signer, clock: WallClock, admin: AdminApi) -> Iterator[Counting]:
    wrapper = Counting(sandbox, signer, clock, timeout=1.0)
    yield wrapper
    wrapper.client.close()
    admin.http.delete("/admin/faults")


def _fault(admin: AdminApi, kind: str, count: int = 1, **extra) -> None:
    admin.post("/admin/faults", kind=kind, count=count, operation="SendBillSync", **extra)


def test_timeout_then_retry_yields_exactly_one_accepted_document(
    counting: Counting, admin: AdminApi, factory: Factory
) -> None:
    built = factory.build(factory.invoice())
    before = admin.get("/admin/stats")["documents"]
    _fault(admin, "timeout", seconds=2.5)  # processed, answer held past the 1 s timeout
    answer = counting.client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert answer.accepted and answer.previously_processed
    assert answer.document_key == built.unique_code
    assert admin.get("/admin/stats")["documents"] == before + 1
    # first send (timed out), retry (rule 90), GetStatus (the earlier acceptance)
    assert len(counting.requests) == 3


@pytest.mark.parametrize("kind", ["http503", "http500", "drop"])
def test_5xx_and_dropped_connections_are_retried(
    kind: str, counting: Counting, admin: AdminApi, factory: Factory
) -> None:
    built = factory.build(factory.invoice())
    _fault(admin, kind, count=2)
    answer = counting.client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert answer.accepted and not answer.previously_processed
    assert len(counting.requests) == 3


def test_persistent_5xx_gives_dian_unavailable(
    counting: Counting, admin: AdminApi, factory: Factory
) -> None:
    built = factory.build(factory.invoice())
    _fault(admin, "http503", count=3)
    with pytest.raises(DianUnavailable) as caught:
        counting.client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert "3 intentos" in caught.value.message
    assert len(counting.requests) == 3


def test_4xx_is_not_retried(sandbox: str, signer, clock: WallClock) -> None:
    wrapper = Counting(sandbox + "/no-existe", signer, clock)
    with pytest.raises(DianRejected) as caught:
        wrapper.client.get_status("x")
    wrapper.client.close()
    assert caught.value.rules[0][0] == "LGS06"  # the sandbox names the wrong path
    assert len(wrapper.requests) == 1


def test_sender_fault_is_not_retried(sandbox: str, factory: Factory, signer) -> None:
    wrapper = Counting(sandbox, signer, WallClock(offset=timedelta(hours=-1)))
    with pytest.raises(DianRejected):
        wrapper.client.get_status("x")
    wrapper.client.close()
    assert len(wrapper.requests) == 1


def test_malformed_answer_is_reported_not_retried(
    counting: Counting, admin: AdminApi, factory: Factory
) -> None:
    built = factory.build(factory.invoice())
    _fault(admin, "malformed")
    with pytest.raises(DianUnavailable) as caught:
        counting.client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert "ilegible" in caught.value.message
    assert len(counting.requests) == 1
    # It was processed: the safe follow-up is GetStatus, which finds it accepted.
    assert counting.client.get_status(built.unique_code).accepted


def test_latency_and_per_request_header(
    sandbox: str, signer, clock: WallClock, factory: Factory
) -> None:
    headers = {"X-Sandbox-Fault": "latency;seconds=0.2"}
    http = httpx.Client(timeout=5, trust_env=False, headers=headers)
    config = ClientConfig("sandbox", url=sandbox + "/WcfDianCustomerServices.svc")
    with DianClient(signer=signer, clock=clock, config=config, http=http) as client:
        assert client.get_acquirer("31", "800199436").email
