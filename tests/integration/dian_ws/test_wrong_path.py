"""A request to a path the service does not have is told so, naming both paths; it is never
reported as a malformed SOAP envelope."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from loggro_app.dian.cli import main
from loggro_app.dian.client import (
    SERVICE_PATH,
    ClientConfig,
    DianClient,
    RetryPolicy,
    SoapFault,
)
from loggro_app.dian.client.envelope import CONTENT_TYPE, SOAP
from tests.integration.dian_ws.conftest import WallClock

pytestmark = pytest.mark.integration
WRONG = "/WcfDianCustomerServices"  # the ".svc" forgotten: a typical configuration slip


def test_post_to_an_unknown_path_is_a_soap_fault_naming_both_paths(sandbox: str) -> None:
    response = httpx.post(
        sandbox + WRONG,
        content=b"<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'/>",
        headers={"Content-Type": CONTENT_TYPE},
        trust_env=False,
    )
    assert response.status_code == 404
    fault = etree.fromstring(response.content).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    reason = fault.findtext(f"{{{SOAP}}}Reason/{{{SOAP}}}Text") or ""
    assert WRONG in reason and SERVICE_PATH in reason
    assert "mal formado" not in response.text


def test_the_client_reports_the_path_not_a_malformed_envelope(
    sandbox: str, signer, clock: WallClock
) -> None:
    config = ClientConfig("sandbox", url=sandbox + WRONG, retry=RetryPolicy(attempts=1))
    with DianClient(signer=signer, clock=clock, config=config) as client:
        with pytest.raises(SoapFault) as caught:
            client.get_status("x")
    assert WRONG in caught.value.message and SERVICE_PATH in caught.value.message
    assert "mal formado" not in caught.value.message


def test_cli_send_to_a_wrong_url_says_the_path_is_wrong(
    sandbox: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "doc.xml"
    path.write_bytes(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")
    assert main(["send", str(path), "--url", sandbox + WRONG]) == 1
    err = capsys.readouterr().err
    assert WRONG in err and SERVICE_PATH in err and "mal formado" not in err
