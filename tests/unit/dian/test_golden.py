"""Golden files per document kind: byte-identical output, XSD-valid, signatures verified by
two independent verifiers (xmlsec1 and signxml), and a tampered copy rejected by both."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from signxml.exceptions import InvalidSignature
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from loggro_app.core.clock import FixedClock
from loggro_app.dian import demo, samples
from loggro_app.dian.build import BuiltDocument, build_document
from loggro_app.dian.build_events import build_attached_document, build_event
from loggro_app.dian.rules.xsd import xsd_errors
from loggro_app.dian.signing.signer import POLICY, Signer
from loggro_app.dian.signing.verify import verify_xml
from tests.unit.dian.conftest import GOLDEN, ISSUED_AT, update_golden

KINDS = ["invoice", "credit_note", "debit_note", "support_document", "support_adjustment"]
CONTAINERS = ["application_response", "attached_document"]
ALL = KINDS + CONTAINERS
# the container is checked with the secret of the document it carries (an invoice)
SECRET = {"invoice": demo.TECHNICAL_KEY, "attached_document": demo.TECHNICAL_KEY}
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"


def attach(invoice: BuiltDocument, response: bytes, signer: Signer) -> BuiltDocument:
    """The sample invoice in its AttachedDocument, with `response` as DIAN's answer."""
    return build_attached_document(
        samples.invoice(ISSUED_AT),
        invoice,
        container_id="AD-990000001",
        signer=signer,
        clock=FixedClock(ISSUED_AT),
        application_response=response,
        validated_at=(ISSUED_AT.date(), ISSUED_AT.time()),
    )


@pytest.fixture(scope="module")
def built(signer: Signer) -> dict[str, BuiltDocument]:
    clock = FixedClock(ISSUED_AT)
    invoice = build_document(samples.invoice(ISSUED_AT), signer=signer, clock=clock)
    support = build_document(samples.support_document(ISSUED_AT), signer=signer, clock=clock)
    event = samples.receipt_acknowledgement(ISSUED_AT, invoice.unique_code)
    response = build_event(event, signer=signer, clock=clock)
    attached = attach(invoice, response.xml_bytes, signer)
    return {
        "application_response": response,
        "attached_document": attached,
        "invoice": invoice,
        "credit_note": build_document(
            samples.credit_note(ISSUED_AT, invoice.unique_code), signer=signer, clock=clock
        ),
        "debit_note": build_document(
            samples.debit_note(ISSUED_AT, invoice.unique_code), signer=signer, clock=clock
        ),
        "support_document": support,
        "support_adjustment": build_document(
            samples.support_adjustment(ISSUED_AT, support.unique_code), signer=signer, clock=clock
        ),
    }


def golden_path(kind: str) -> Path:
    return GOLDEN / f"{kind}.xml"


def tamper(data: bytes) -> bytes:
    """Add one peso to the payable amount (one amount changed, nothing else)."""
    pattern = rb"(<cbc:PayableAmount currencyID=\"COP\">)(\d+)(\.\d\d<)"
    tampered, count = re.subn(
        pattern, lambda m: m[1] + str(int(m[2]) + 1).encode() + m[3], data, count=1
    )
    assert count == 1
    return tampered


def xmlsec1_verify(path: Path, cert_pem: Path) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("xmlsec1")
    if exe is None:
        pytest.skip("xmlsec1 no está instalado")
    return subprocess.run(
        [
            exe,
            "--verify",
            "--pubkey-cert-pem",
            str(cert_pem),
            "--id-attr:Id",
            f"{XADES_NS}:SignedProperties",
            "--id-attr:Id",
            "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
            str(path),
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )


def signxml_verify(data: bytes, signer: Signer) -> None:
    config = XAdESSignatureConfiguration(expect_references=3, verification_time=ISSUED_AT)
    XAdESVerifier().verify(
        data, x509_cert=signer.certificate, expect_signature_policy=POLICY, expect_config=config
    )


@pytest.mark.parametrize("kind", ALL)
def test_output_matches_golden(kind: str, built: dict[str, BuiltDocument]) -> None:
    path = golden_path(kind)
    if update_golden():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(built[kind].xml_bytes)
    assert path.exists(), "run with UPDATE_GOLDEN=1 to create the golden file, then review it"
    assert built[kind].xml_bytes == path.read_bytes()


@pytest.mark.parametrize("kind", ALL)
def test_golden_is_schema_valid(kind: str) -> None:
    from lxml import etree

    assert xsd_errors(etree.fromstring(golden_path(kind).read_bytes())) == []


@pytest.mark.parametrize("kind", ALL)
def test_golden_verifies_with_xmlsec1(kind: str, cert_pem: Path) -> None:
    result = xmlsec1_verify(golden_path(kind), cert_pem)
    assert result.returncode == 0, result.stderr.decode()
    assert b"SignedInfo References (ok/all): 3/3" in result.stderr


@pytest.mark.parametrize("kind", ALL)
def test_golden_verifies_with_signxml_and_our_verifier(
    kind: str, signer: Signer, built: dict[str, BuiltDocument]
) -> None:
    data = golden_path(kind).read_bytes()
    signxml_verify(data, signer)
    report = verify_xml(data, secret=SECRET.get(kind, demo.SOFTWARE_PIN))
    assert report.errors == [] and report.warnings == []
    # the container has no code of its own (its UUID-like values are inside the CDATA)
    expected = None if kind == "attached_document" else built[kind].unique_code
    assert report.unique_code == expected


@pytest.mark.parametrize("kind", KINDS)
def test_tampered_copy_fails_everywhere(
    kind: str, signer: Signer, cert_pem: Path, tmp_path: Path
) -> None:
    data = tamper(golden_path(kind).read_bytes())
    path = tmp_path / "tampered.xml"
    path.write_bytes(data)
    assert xmlsec1_verify(path, cert_pem).returncode != 0
    with pytest.raises(InvalidSignature):
        signxml_verify(data, signer)
    report = verify_xml(data, secret=SECRET.get(kind, demo.SOFTWARE_PIN))
    assert any(e.startswith("[ZE02]") for e in report.errors)
    assert any("FAU14" in e for e in report.errors)
    assert any(e[1:6] in ("FAD06", "CAD06", "DAD06", "DSAD0") for e in report.errors)


def test_tampered_event_fails(signer: Signer, cert_pem: Path, tmp_path: Path) -> None:
    data = golden_path("application_response").read_bytes()
    tampered = data.replace(b"<cbc:ResponseCode>030<", b"<cbc:ResponseCode>033<")
    assert tampered != data
    path = tmp_path / "ar.xml"
    path.write_bytes(tampered)
    assert xmlsec1_verify(path, cert_pem).returncode != 0
    with pytest.raises(InvalidSignature):
        signxml_verify(tampered, signer)
    errors = verify_xml(tampered, secret=demo.SOFTWARE_PIN).errors
    assert errors[-1].startswith("[AAD06]") and errors[0].startswith("[ZE02]")


def test_tampered_attachment_fails(signer: Signer, cert_pem: Path, tmp_path: Path) -> None:
    data = tamper(golden_path("attached_document").read_bytes())  # amount inside the CDATA
    path = tmp_path / "ad.xml"
    path.write_bytes(data)
    assert xmlsec1_verify(path, cert_pem).returncode != 0
    with pytest.raises(InvalidSignature):
        signxml_verify(data, signer)
    errors = verify_xml(data, secret=demo.TECHNICAL_KEY).errors
    assert errors[0].startswith("[ZE02]")  # the container's own signature
    assert any(e.startswith("documento adjunto: [ZE02]") for e in errors)  # the invoice's
    assert any(e.startswith("documento adjunto: [FAD06]") for e in errors)


def test_attached_document_embeds_signed_invoice_verbatim() -> None:
    data = golden_path("attached_document").read_bytes()
    invoice = golden_path("invoice").read_bytes().decode()
    assert f"<![CDATA[{invoice}]]>".encode() in data
    assert b"<cbc:ValidationResultCode>02</cbc:ValidationResultCode>" in data


def test_wrong_secret_is_reported_with_rule_code() -> None:
    report = verify_xml(golden_path("invoice").read_bytes(), secret="not-the-key")
    assert report.errors == [
        "[FAD06] El CUFE/CUDE/CUDS no corresponde a los valores del documento."
    ]


def test_signature_sits_in_second_extension_with_bogota_signing_time() -> None:
    from lxml import etree

    from loggro_app.dian.xmlns import XPATH_NS

    root = etree.fromstring(golden_path("invoice").read_bytes())
    extensions = root.xpath("ext:UBLExtensions/ext:UBLExtension", namespaces=XPATH_NS)
    assert len(extensions) == 2
    assert extensions[0].xpath("ext:ExtensionContent/sts:DianExtensions", namespaces=XPATH_NS)
    assert extensions[1].xpath("ext:ExtensionContent/ds:Signature", namespaces=XPATH_NS)
    assert (
        root.xpath("string(//xades:SigningTime)", namespaces=XPATH_NS)
        == "2026-11-22T10:30:00-05:00"
    )
    assert not root.xpath("//xades:SigningCertificateV2", namespaces=XPATH_NS)
    assert (
        root.xpath(
            "string(//ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm)", namespaces=XPATH_NS
        )
        == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    )
    assert set(root.nsmap) >= {None, "cac", "cbc", "ext", "sts", "ds", "xades", "xades141"}


def test_schema_is_compiled_once_per_thread_and_rejects_reordered_elements() -> None:
    import threading

    from lxml import etree

    from loggro_app.dian.rules.xsd import schema

    assert schema() is schema()
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(schema()))
    thread.start()
    thread.join()
    assert other[0] is not schema()
    root = etree.fromstring(golden_path("invoice").read_bytes())
    issue_date = root.find("{*}IssueDate")
    root.remove(issue_date)
    root.append(issue_date)  # IssueDate after the lines: out of UBL order
    errors = xsd_errors(root)
    assert len(errors) == 1 and "IssueDate" in errors[0]
