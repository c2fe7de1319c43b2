"""DianClient with httpx.MockTransport: requests, retries, duplicates (no network)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import httpx
import pytest
from lxml import etree

from loggro_app.core.errors import DianRejected, DianUnavailable
from loggro_app.dian.client import ClientConfig, DianClient, RetryPolicy, SoapFault
from loggro_app.dian.client.envelope import NS
from loggro_app.dian.signing.packaging import deterministic_zip
from tests.unit.dian_ws.conftest import fixture

Handler = Callable[[httpx.Request], httpx.Response]


def soap(name: str, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, content=fixture(name), headers={"content-type": "application/soap+xml"}
    )


class Script:
    """Answers in order; records every request and every backoff sleep."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, signer, clock, environment: str = "habilitacion") -> DianClient:
        return DianClient(
            signer=signer,
            clock=clock,
            config=ClientConfig(environment, retry=RetryPolicy(attempts=3, backoff=0.5)),
            http=httpx.Client(transport=httpx.MockTransport(self)),
            sleep=self.sleeps.append,
        )

    def operations(self) -> list[str]:
        return [
            etree.QName(
                etree.fromstring(r.content).xpath("soap:Body/*", namespaces=NS)[0]
            ).localname
            for r in self.requests
        ]


ZIP = deterministic_zip([("fv.xml", b"<Invoice><UUID>" + b"3c2f" * 24 + b"</UUID></Invoice>")])


def test_request_goes_to_the_environment_endpoint_with_soap12_headers(signer, clock) -> None:
    script = Script(soap("send_bill_sync_accepted.xml"))
    answer = script.client(signer, clock).send_bill_sync("z.zip", ZIP)
    assert answer.accepted
    (request,) = script.requests
    assert str(request.url) == "https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc"
    content_type = request.headers["content-type"]
    assert content_type.startswith("application/soap+xml; charset=utf-8")
    assert 'action="http://wcf.dian.colombia/IWcfDianCustomerServices/SendBillSync"' in content_type
    body = etree.fromstring(request.content)
    assert body.xpath("string(//wcf:fileName)", namespaces=NS) == "z.zip"


def test_application_response_signature_is_checked(signer, clock) -> None:
    script = Script(soap("send_bill_sync_accepted.xml"))
    assert script.client(signer, clock).send_bill_sync("z.zip", ZIP).application_response_verified
    tampered = fixture("send_bill_sync_accepted.xml")
    encoded = re.search(rb"<b:XmlBase64Bytes>(.*?)</b:XmlBase64Bytes>", tampered).group(1)
    bad = base64.b64decode(encoded).replace(b"Documento validado", b"Documento alterado!")
    tampered = tampered.replace(encoded, base64.b64encode(bad))
    script = Script(httpx.Response(200, content=tampered))
    assert (
        script.client(signer, clock).send_bill_sync("z.zip", ZIP).application_response_verified
        is False
    )


def test_5xx_and_network_errors_are_retried_with_backoff(signer, clock) -> None:
    script = Script(
        httpx.Response(503, text="Service Unavailable"),
        httpx.ConnectError("refused"),
        soap("get_status_accepted.xml"),
    )
    assert script.client(signer, clock).get_status("x").accepted
    assert len(script.requests) == 3 and script.sleeps == [0.5, 1.0]


def test_receiver_fault_500_is_retried(signer, clock) -> None:
    script = Script(soap("fault_internal.xml", 500), soap("get_acquirer.xml"))
    assert script.client(signer, clock).get_acquirer("31", "800199436").email
    assert len(script.requests) == 2


def test_retries_are_bounded(signer, clock) -> None:
    script = Script(*(httpx.ReadTimeout("slow") for _ in range(3)))
    with pytest.raises(DianUnavailable) as caught:
        script.client(signer, clock).get_status("x")
    assert "tiempo de espera agotado" in caught.value.message
    assert len(script.requests) == 3


def test_4xx_and_sender_faults_are_not_retried(signer, clock) -> None:
    script = Script(httpx.Response(400))
    with pytest.raises(DianRejected):
        script.client(signer, clock).get_status("x")
    assert len(script.requests) == 1
    script = Script(soap("fault_invalid_security.xml", 500))
    with pytest.raises(SoapFault):
        script.client(signer, clock).get_status("x")
    assert len(script.requests) == 1


def test_rule_90_resolved_as_success_of_the_earlier_send(signer, clock) -> None:
    script = Script(soap("send_bill_sync_duplicate.xml"), soap("get_status_accepted.xml"))
    answer = script.client(signer, clock).send_bill_sync("z.zip", ZIP)
    assert answer.accepted and answer.previously_processed
    assert script.operations() == ["SendBillSync", "GetStatus"]
    sent = etree.fromstring(script.requests[1].content)
    assert sent.xpath("string(//wcf:trackId)", namespaces=NS) == "3c2f" * 24


def test_rule_90_for_another_document_stays_a_rejection(signer, clock) -> None:
    script = Script(soap("send_bill_sync_duplicate.xml"), soap("get_status_not_found.xml"))
    answer = script.client(signer, clock).send_bill_sync("z.zip", ZIP)
    assert not answer.accepted and answer.rule_codes() == ["90"]


@pytest.mark.parametrize(
    ("call", "fixture_name", "operation"),
    [
        (lambda c: c.send_bill_async("z.zip", ZIP), "send_bill_async_refused.xml", "SendBillAsync"),
        (
            lambda c: c.send_test_set_async("z.zip", ZIP, "id"),
            "send_test_set_async.xml",
            "SendTestSetAsync",
        ),
        (lambda c: c.get_status_zip("k"), "get_status_zip_done.xml", "GetStatusZip"),
        (
            lambda c: c.get_numbering_range("1", "1", "s"),
            "get_numbering_range.xml",
            "GetNumberingRange",
        ),
        (
            lambda c: c.get_xml_by_document_key("k"),
            "get_xml_by_document_key.xml",
            "GetXmlByDocumentKey",
        ),
        (
            lambda c: c.send_event_update_status(ZIP),
            "send_event_update_status.xml",
            "SendEventUpdateStatus",
        ),
    ],
)
def test_every_operation_sends_its_body(signer, clock, call, fixture_name, operation) -> None:
    script = Script(soap(fixture_name))
    assert call(script.client(signer, clock)) is not None
    assert script.operations() == [operation]


def test_secrets_never_in_errors(signer, clock) -> None:
    script = Script(*(httpx.Response(503) for _ in range(3)))
    with pytest.raises(DianUnavailable) as caught:
        script.client(signer, clock).get_numbering_range("1", "1", "s")
    assert "BEGIN" not in str(caught.value) and "contentFile" not in str(caught.value)


def test_environments() -> None:
    assert ClientConfig().endpoint.startswith("http://127.0.0.1:")
    assert (
        ClientConfig("produccion").endpoint
        == "https://vpfe.dian.gov.co/WcfDianCustomerServices.svc"
    )
    assert ClientConfig("sandbox", url="http://127.0.0.1:1/x").endpoint == "http://127.0.0.1:1/x"
    with pytest.raises(ValueError):
        ClientConfig("pruebas")
