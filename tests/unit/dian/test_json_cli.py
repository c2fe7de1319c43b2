"""JSON format, examples/ and the `python -m loggro_app.dian` commands."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo, samples
from loggro_app.dian.build import build_document
from loggro_app.dian.cli import main
from loggro_app.dian.json_format.document import load_json, parse_document
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.dian.ubl.documents import build_unsigned
from tests.unit.dian.conftest import FIXTURES, ISSUED_AT

EXAMPLES = Path(__file__).parents[3] / "examples"
KINDS = ["invoice", "credit_note", "debit_note", "support_document", "support_adjustment"]


def _example(kind: str) -> dict:  # type: ignore[type-arg]
    return load_json((EXAMPLES / f"{kind}.json").read_bytes())  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS)
def test_examples_build_sign_and_verify(kind: str, signer: Signer) -> None:
    document = parse_document(_example(kind), clock=FixedClock(ISSUED_AT))
    assert document.kind.value == kind
    assert document.issuer.id_number == demo.ISSUER_NIT
    built = build_document(document, signer=signer, clock=FixedClock(ISSUED_AT))
    secret = demo.TECHNICAL_KEY if kind == "invoice" else demo.SOFTWARE_PIN
    assert verify_xml(built.xml_bytes, secret=secret).errors == []


def test_example_invoice_has_the_sample_cufe() -> None:
    """The JSON example and samples.invoice describe the same sale: same CUFE fields."""
    parsed = parse_document(_example("invoice"), clock=FixedClock(ISSUED_AT))
    assert (
        build_unsigned(parsed).code_input == build_unsigned(samples.invoice(ISSUED_AT)).code_input
    )


def test_examples_use_the_demo_constants() -> None:
    invoice = _example("invoice")
    assert invoice["resolution"]["technical_key"] == demo.TECHNICAL_KEY
    assert invoice["resolution"]["number"] == demo.RESOLUTION_NUMBER
    assert (invoice["resolution"]["from"], invoice["resolution"]["to"]) == (
        demo.RESOLUTION_FROM,
        demo.RESOLUTION_TO,
    )
    assert invoice["environment"] == demo.ENVIRONMENT == 2


def test_json_numbers_become_exact_decimals() -> None:
    raw = _example("invoice")
    raw["lines"][1]["unit_price"] = Decimal("21900.50")  # what load_json gives for 21900.50
    data = load_json(b'{"x": 21900.10}')
    assert data["x"] == Decimal("21900.10")
    document = parse_document(raw, clock=FixedClock(ISSUED_AT))
    assert document.lines[1].unit_price == Decimal("21900.50")


def test_unknown_key_is_refused() -> None:
    raw = _example("invoice")
    raw["lines"][0]["qty"] = "2"
    with pytest.raises(ValidationError, match=r"lines\[1\]: claves desconocidas: qty"):
        parse_document(raw, clock=FixedClock(ISSUED_AT))


def test_missing_buyer_object() -> None:
    raw = _example("invoice")
    del raw["buyer"]
    with pytest.raises(ValidationError, match="falta el objeto 'buyer'"):
        parse_document(raw, clock=FixedClock(ISSUED_AT))


def test_non_utf8_file() -> None:
    with pytest.raises(ValidationError, match="no está codificado en UTF-8"):
        load_json('{"name": "Café"}'.encode("latin-1"))


def test_cli_build_then_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TEST_P12_PASSWORD", "demo")
    out, archive = tmp_path / "fv.xml", tmp_path / "fv.zip"
    code = main(
        [
            "build",
            str(EXAMPLES / "invoice.json"),
            "-o",
            str(out),
            "--zip",
            str(archive),
            "--p12",
            str(FIXTURES / "demo-cert.p12"),
            "--password-env",
            "TEST_P12_PASSWORD",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    cufe = printed.split("CUFE: ")[1].split()[0]
    assert len(cufe) == 96 and cufe.encode() in out.read_bytes()
    assert archive.read_bytes()[:2] == b"PK"
    assert main(["verify", str(out)]) == 0
    assert f"OK {cufe}" in capsys.readouterr().out


def test_cli_verify_rejects_tampered_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.dian.test_golden import golden_path, tamper

    path = tmp_path / "bad.xml"
    path.write_bytes(tamper(golden_path("invoice").read_bytes()))
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[ZE02]" in out and "[FAD06]" in out and "[FAU14]" in out


def test_cli_reports_validation_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.loads((EXAMPLES / "invoice.json").read_text(encoding="utf-8"))
    raw["number"] = 995000001
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["build", str(spec), "-o", str(tmp_path / "x.xml")]) == 1
    assert "FAD05c" in capsys.readouterr().err
    assert not (tmp_path / "x.xml").exists()


def test_cli_missing_password_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_SUCH_PASSWORD_VAR", raising=False)
    code = main(
        [
            "build",
            str(EXAMPLES / "invoice.json"),
            "-o",
            str(tmp_path / "x.xml"),
            "--p12",
            str(FIXTURES / "demo-cert.p12"),
            "--password-env",
            "NO_SUCH_PASSWORD_VAR",
        ]
    )
    assert code == 1
    assert "NO_SUCH_PASSWORD_VAR" in capsys.readouterr().err


def test_cli_devcert_creates_loadable_p12(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.x509.oid import NameOID

    monkeypatch.setenv("DEV_PASS", "s3creto")
    path = tmp_path / "dev.p12"
    assert (
        main(
            [
                "devcert",
                "-o",
                str(path),
                "--nit",
                "900123456",
                "--name",
                "Demo SAS",
                "--password-env",
                "DEV_PASS",
            ]
        )
        == 0
    )
    signer = Signer.from_pkcs12(path.read_bytes(), b"s3creto")
    serial = signer.certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    assert serial[0].value == "900123456"
    with pytest.raises(ValidationError, match="contraseña incorrecta"):
        Signer.from_pkcs12(path.read_bytes(), b"wrong")


def test_verify_reports_missing_signature_and_bad_xml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = build_document(samples.invoice(ISSUED_AT), signer=None, clock=FixedClock(ISSUED_AT))
    report = verify_xml(draft.xml_bytes, secret=demo.TECHNICAL_KEY)
    assert report.errors == [
        "El documento no tiene firma digital (ds:Signature con X509Certificate)."
    ]
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Invoice><unclosed></Invoice>")
    assert main(["verify", str(broken)]) == 2  # not a document at all: an input error
    assert "[ZB01] XML mal formado" in capsys.readouterr().out


def with_dtd(xml: bytes) -> bytes:
    """The document with an internal DTD whose entity is used in a field."""
    head, _, rest = xml.partition(b"?>")
    doctype = b'\n<!DOCTYPE Invoice [<!ENTITY x "hola">]>\n'
    return head + b"?>" + doctype + rest.replace(b"<cbc:Note>", b"<cbc:Note>&x;", 1)


def test_verify_refuses_a_document_with_a_dtd_with_a_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.dian.test_golden import golden_path

    path = tmp_path / "dtd.xml"
    path.write_bytes(with_dtd(golden_path("invoice").read_bytes()))
    assert b"&x;" in path.read_bytes()
    assert main(["verify", str(path)]) == 2
    assert "[ZB01]" in capsys.readouterr().out


def test_verify_without_secret_warns_but_passes(tmp_path: Path) -> None:
    from tests.unit.dian.test_golden import golden_path

    data = (
        golden_path("invoice")
        .read_bytes()
        .replace(demo.SOFTWARE_ID.encode(), b"00000000-0000-0000-0000-000000000000")
    )
    # changing the software id breaks the signature: verify reports it, and warns that
    # the CUFE could not be checked without the technical key
    report = verify_xml(data, secret=None)
    assert report.warnings == ["CUFE/CUDE no verificado: falta la clave técnica o el PIN."]
    assert report.errors and report.errors[0].startswith("[ZE02]")


def test_event_example_builds_via_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TEST_P12_PASSWORD", "demo")
    out = tmp_path / "ar.xml"
    spec = str(EXAMPLES / "application_response.json")
    assert main(["build", spec, "-o", str(out)]) == 1  # events are never unsigned
    assert "los eventos solo se generan firmados" in capsys.readouterr().err
    code = main(
        [
            "build",
            spec,
            "-o",
            str(out),
            "--p12",
            str(FIXTURES / "demo-cert.p12"),
            "--password-env",
            "TEST_P12_PASSWORD",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.startswith("CUDE: ")
    assert verify_xml(out.read_bytes(), secret=demo.SOFTWARE_PIN).errors == []


def test_event_json_matches_sample_event() -> None:
    from loggro_app.dian.json_format.event import parse_event
    from loggro_app.dian.ubl.events import event_fields

    raw = load_json((EXAMPLES / "application_response.json").read_bytes())
    parsed = parse_event(raw, clock=FixedClock(ISSUED_AT))
    sample = samples.receipt_acknowledgement(ISSUED_AT, raw["invoice"]["uuid"])
    assert event_fields(parsed).input() == event_fields(sample).input()


def test_cli_verifies_attached_document_with_the_carried_invoice_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.unit.dian.test_golden import golden_path

    assert main(["verify", str(golden_path("attached_document"))]) == 0
    assert capsys.readouterr().out.startswith("OK")
