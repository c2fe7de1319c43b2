"""`verify` accepts DIAN's own signed ApplicationResponse, which carries no sts:QRCode although
the XSD requires one; every other schema problem (or the same one from another issuer) fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import demo, samples
from loggro_app.dian.build import build_document
from loggro_app.dian.cli import main
from loggro_app.dian.rules.xsd import only_missing_qr_code, xsd_errors
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import DIAN_RESPONSE_NOTE, verify_xml
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT
from tests.unit.dian.dian_response import dian_application_response, dian_test_signer
from tests.unit.dian.test_golden import attach, xmlsec1_verify


def _drop_security_code(root: etree._Element) -> None:
    (node,) = root.xpath("//sts:SoftwareSecurityCode", namespaces=XPATH_NS)
    node.getparent().remove(node)


@pytest.fixture(scope="module")
def dian_response() -> bytes:
    return dian_application_response()


@pytest.fixture(scope="module")
def dian_cert_pem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dian") / "dian.pem"
    path.write_bytes(dian_test_signer().certificate.public_bytes(Encoding.PEM))
    return path


def test_the_fixture_fails_the_schema_only_for_the_missing_qr_code(dian_response: bytes) -> None:
    (error,) = xsd_errors(etree.fromstring(dian_response))
    assert "Missing child element" in error and "QRCode" in error


def test_dian_response_without_qr_code_passes_with_a_note(dian_response: bytes) -> None:
    report = verify_xml(dian_response, secret=None)
    assert report.ok, report.errors
    assert report.notes == [DIAN_RESPONSE_NOTE]


def test_same_document_from_another_issuer_still_fails_the_schema() -> None:
    report = verify_xml(dian_application_response(sender_nit="900373115"), secret=None)
    assert [e for e in report.errors if e.startswith("[XSD]") and "QRCode" in e]
    assert report.notes == []


def test_dian_response_with_another_schema_problem_still_fails() -> None:
    data = dian_application_response(change=_drop_security_code)
    assert not only_missing_qr_code(etree.fromstring(data))
    report = verify_xml(data, secret=None)
    assert any("SoftwareSecurityCode" in e for e in report.errors)
    assert report.notes == []


def test_tampered_dian_response_fails_the_signature(dian_response: bytes) -> None:
    tampered = dian_response.replace(b"SETP990000001", b"SETP990000002")
    report = verify_xml(tampered, secret=None)
    assert any(e.startswith("[ZE02]") for e in report.errors)


def test_cli_verify_prints_the_note_and_exits_0(
    dian_response: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ar.xml"
    path.write_bytes(dian_response)
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"nota: {DIAN_RESPONSE_NOTE}" in out
    assert "OK " + "c" * 96 in out


def test_cli_verify_rejects_a_non_dian_response_without_qr_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ar.xml"
    path.write_bytes(dian_application_response(sender_nit="900373115"))
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: [XSD]" in out and "QRCode" in out and "nota:" not in out


def test_dian_response_signature_verifies_with_xmlsec1(
    dian_response: bytes, dian_cert_pem: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ar.xml"
    path.write_bytes(dian_response)
    result = xmlsec1_verify(path, dian_cert_pem)
    assert result.returncode == 0, result.stderr.decode()
    assert b"SignedInfo References (ok/all): 3/3" in result.stderr
    path.write_bytes(dian_response.replace(b"SETP990000001", b"SETP990000002"))
    assert xmlsec1_verify(path, dian_cert_pem).returncode != 0


def test_attached_document_carrying_dian_response_verifies(
    signer: Signer, dian_response: bytes
) -> None:
    invoice = build_document(samples.invoice(ISSUED_AT), signer=signer, clock=FixedClock(ISSUED_AT))
    attached = attach(invoice, dian_response, signer)
    report = verify_xml(attached.xml_bytes, secret=demo.TECHNICAL_KEY)
    assert report.ok, report.errors
