"""Factura electrónica de exportación (02): golden file, CUFE in USD, export rules, JSON."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from signxml.exceptions import InvalidSignature

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo, samples
from loggro_app.dian.build import BuiltDocument, build_document
from loggro_app.dian.json_format.document import load_json, parse_document
from loggro_app.dian.model.document import Kind
from loggro_app.dian.model.export import Delivery, DeliveryTerms
from loggro_app.dian.model.parties import Address
from loggro_app.dian.rules.document import check_document
from loggro_app.dian.rules.export import export_violations
from loggro_app.dian.rules.xsd import xsd_errors
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.dian.totals import compute_totals, cop_equivalents
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.unique_code import sha384
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import GOLDEN, ISSUED_AT, update_golden
from tests.unit.dian.test_golden import signxml_verify, xmlsec1_verify

D = Decimal
GOLDEN_FILE = GOLDEN / "export_invoice.xml"
EXAMPLE = Path(__file__).parents[3] / "examples" / "export-invoice.json"


def _export(**changes: object):  # type: ignore[no-untyped-def]
    return dataclasses.replace(samples.export_invoice(ISSUED_AT), **changes)


def _errors(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        _export(**changes)
    return info.value.errors


def _xpath(root: etree._Element, path: str) -> str:
    return str(root.xpath(f"string({path})", namespaces=XPATH_NS))


@pytest.fixture(scope="module")
def built(signer: Signer) -> BuiltDocument:
    return build_document(
        samples.export_invoice(ISSUED_AT), signer=signer, clock=FixedClock(ISSUED_AT)
    )


def tamper_usd(data: bytes) -> bytes:
    """Add one dollar to the payable amount (one amount changed, nothing else)."""
    pattern = rb"(<cbc:PayableAmount currencyID=\"USD\">)(\d+)(\.\d\d<)"
    tampered, count = re.subn(
        pattern, lambda m: m[1] + str(int(m[2]) + 1).encode() + m[3], data, count=1
    )
    assert count == 1
    return tampered


# --- golden file ------------------------------------------------------------------------


def test_output_matches_golden(built: BuiltDocument) -> None:
    if update_golden():
        GOLDEN_FILE.write_bytes(built.xml_bytes)
    assert GOLDEN_FILE.exists(), "run with UPDATE_GOLDEN=1 to create the golden file"
    assert built.xml_bytes == GOLDEN_FILE.read_bytes()


def test_golden_is_schema_valid() -> None:
    assert xsd_errors(etree.fromstring(GOLDEN_FILE.read_bytes())) == []


def test_golden_verifies_with_xmlsec1_signxml_and_our_verifier(
    built: BuiltDocument, signer: Signer, cert_pem: Path
) -> None:
    result = xmlsec1_verify(GOLDEN_FILE, cert_pem)
    assert result.returncode == 0, result.stderr.decode()
    assert b"SignedInfo References (ok/all): 3/3" in result.stderr
    data = GOLDEN_FILE.read_bytes()
    signxml_verify(data, signer)
    report = verify_xml(data, secret=demo.TECHNICAL_KEY)
    assert report.errors == [] and report.warnings == []
    assert report.unique_code == built.unique_code


def test_tampered_copy_fails_everywhere(signer: Signer, cert_pem: Path, tmp_path: Path) -> None:
    data = tamper_usd(GOLDEN_FILE.read_bytes())
    path = tmp_path / "tampered.xml"
    path.write_bytes(data)
    assert xmlsec1_verify(path, cert_pem).returncode != 0
    with pytest.raises(InvalidSignature):
        signxml_verify(data, signer)
    errors = verify_xml(data, secret=demo.TECHNICAL_KEY).errors
    assert any(e.startswith("[ZE02]") for e in errors)
    assert any("FAU14" in e for e in errors)
    assert errors[-1].startswith("[FAD06]")


def test_verify_checks_export_requirements_on_any_xml() -> None:
    from loggro_app.dian.rules.xml import export_errors

    root = etree.fromstring(GOLDEN_FILE.read_bytes())
    assert export_errors(root) == []
    for node in root.xpath(
        "cac:InvoiceLine[2]/cac:Item/cbc:ModelName|cac:DeliveryTerms|cac:PaymentExchangeRate",
        namespaces=XPATH_NS,
    ):
        node.getparent().remove(node)
    assert export_errors(root) == [
        "Exportación: falta la tasa de cambio de USD a COP.",
        "Exportación: falta el INCOTERM (cac:DeliveryTerms).",
        "Exportación: la línea 2 no tiene ModelName.",
    ]


# --- what the export carries ------------------------------------------------------------


def test_cufe_hashes_the_usd_amounts_written_in_the_xml(built: BuiltDocument) -> None:
    """SPEC §1.2: ValFac/ValImp/ValTot are the XML values, i.e. in the document currency."""
    expected = "".join(
        [
            "SETP990000201",
            "2026-11-22",
            "10:30:00-05:00",
            "13778.75",  # LineExtensionAmount, USD: 40 x 315.50 + 25 x 48.75 - 60.00
            "01",
            "0.00",  # IVA 0 % (exempt export)
            "04",
            "0.00",
            "03",
            "0.00",
            "13778.75",  # PayableAmount, USD
            "900123456",  # issuer NIT without DV
            "981234567",  # foreign buyer id (type 50)
            demo.TECHNICAL_KEY,
            "2",
        ]
    )
    assert built.code_input == expected
    assert built.unique_code == sha384(expected)
    assert built.scheme_name == "CUFE-SHA384"


def test_header_currency_rate_delivery_and_terms() -> None:
    root = etree.fromstring(GOLDEN_FILE.read_bytes())
    assert _xpath(root, "cbc:CustomizationID") == "10"
    assert _xpath(root, "cbc:InvoiceTypeCode") == "02"
    assert _xpath(root, "cbc:DocumentCurrencyCode") == "USD"
    rate = "cac:PaymentExchangeRate/cbc:"
    assert [
        _xpath(root, rate + name)
        for name in ("SourceCurrencyCode", "TargetCurrencyCode", "CalculationRate", "Date")
    ] == ["USD", "COP", "4012.35", "2026-11-22"]
    assert _xpath(root, "cac:DeliveryTerms/cbc:LossRiskResponsibilityCode") == "FOB"
    assert _xpath(root, "cac:DeliveryTerms/cbc:LossRisk") == "Franco a bordo"
    assert _xpath(root, "cac:DeliveryTerms/cbc:SpecialTerms") == "Puerto de Cartagena, Colombia"
    address = "cac:Delivery/cac:DeliveryAddress/"
    assert _xpath(root, address + "cac:Country/cbc:IdentificationCode") == "US"
    assert _xpath(root, address + "cbc:CityName") == "Newark"
    assert not root.xpath(address + "cbc:ID", namespaces=XPATH_NS)  # no DIVIPOLA abroad
    customer = "cac:AccountingCustomerParty/cac:Party/"
    assert _xpath(root, customer + "cac:PartyTaxScheme/cbc:CompanyID/@schemeName") == "50"
    assert _xpath(root, customer + "cac:PhysicalLocation//cbc:IdentificationCode") == "US"
    assert all(
        node.get("currencyID") == "USD"
        for node in root.xpath("//*[@currencyID]", namespaces=XPATH_NS)
    )


def test_lines_carry_brand_and_model_in_item_order() -> None:
    root = etree.fromstring(GOLDEN_FILE.read_bytes())
    items = root.xpath("cac:InvoiceLine/cac:Item", namespaces=XPATH_NS)
    assert [(_xpath(i, "cbc:BrandName"), _xpath(i, "cbc:ModelName")) for i in items] == [
        ("Loggro Origen", "Excelso EP 70 kg"),
        ("Tejidos de la Sierra", "Arhuaca mediana"),
    ]
    names = [etree.QName(child).localname for child in items[0]][:4]
    assert names == ["Description", "BrandName", "ModelName", "SellersItemIdentification"]


def test_cop_equivalents_are_stated_next_to_the_rate() -> None:
    document = samples.export_invoice(ISSUED_AT)
    cop = cop_equivalents(compute_totals(document), D("4012.35"))
    assert (cop.line_extension, cop.taxes, cop.payable) == (
        D("55285167.56"),  # 13778.75 x 4012.35 = 55285167.5625
        D("0.00"),
        D("55285167.56"),
    )
    root = etree.fromstring(GOLDEN_FILE.read_bytes())
    note = root.xpath("cbc:Note", namespaces=XPATH_NS)[-1].text
    assert note.startswith("Valores en pesos colombianos (COP) a la tasa de cambio de 4012.35")
    assert "total a pagar 55285167.56" in note


def test_rate_date_is_written_and_checked() -> None:
    earlier = ISSUED_AT.date() - timedelta(days=1)
    root = build_unsigned(_export(exchange_rate_date=earlier)).root
    assert _xpath(root, "cac:PaymentExchangeRate/cbc:Date") == "2026-11-21"
    later = _export(exchange_rate_date=ISSUED_AT.date() + timedelta(days=1))
    violations = check_document(later, compute_totals(later), signing_date=ISSUED_AT.date())
    assert [v.hint for v in violations] == [
        "Use la tasa de cambio (TRM) vigente en la fecha de emisión o una anterior."
    ]


def test_valid_export_passes_the_local_rules() -> None:
    document = samples.export_invoice(ISSUED_AT)
    totals = compute_totals(document)
    assert check_document(document, totals, signing_date=ISSUED_AT.date()) == []
    assert export_violations(samples.invoice(ISSUED_AT)) == []  # not an export: no rules


# --- bad input ----------------------------------------------------------------------------


def test_colombian_buyer_is_refused() -> None:
    errors = _errors(counterparty=samples.buyer())
    assert set(errors) == {"adquirente.pais", "adquirente.tipo_identificacion"}
    assert errors["adquirente.pais"].startswith(
        "adquirente.pais: El adquirente de una factura de exportación está en Colombia"
    )
    assert "tipo 01" in errors["adquirente.pais"]  # the fix hint
    assert "31 (NIT)" in errors["adquirente.tipo_identificacion"]
    assert "50 (NIT de otro país)" in errors["adquirente.tipo_identificacion"]


def test_buyer_abroad_needs_an_address() -> None:
    buyer = dataclasses.replace(samples.foreign_buyer(), address=None)
    assert set(_errors(counterparty=buyer)) == {"adquirente.direccion"}


def test_missing_exchange_rate() -> None:
    errors = _errors(exchange_rate=None)
    assert errors == {
        "tasa_cambio": "tasa_cambio: es obligatoria para documentos en USD "
        "(cac:PaymentExchangeRate); informe cuántos pesos vale 1 USD (ej. 4012.35)."
    }


def test_export_in_pesos_is_refused() -> None:
    errors = _errors(currency="COP", exchange_rate=None)
    assert list(errors) == ["moneda"]
    assert "cac:PaymentExchangeRate" in errors["moneda"] and "ej. USD" in errors["moneda"]


def test_non_positive_exchange_rate() -> None:
    assert "tasa_cambio" in _errors(exchange_rate=D("0"))


def test_missing_brand_and_model() -> None:
    first, second = samples.export_lines()
    lines = (dataclasses.replace(first, brand=None), dataclasses.replace(second, model=" "))
    errors = _errors(lines=lines)
    assert set(errors) == {"lineas[1].marca", "lineas[2].modelo"}
    assert errors["lineas[1].marca"] == (
        "lineas[1].marca: La línea 1 (CAF-EXP-70) no tiene marca (cbc:BrandName), "
        "obligatoria en las líneas de una factura de exportación. — "
        "Informe la marca del producto exportado en la línea 1."
    )


def test_missing_incoterm_and_unknown_incoterm() -> None:
    assert set(_errors(delivery_terms=None)) == {"condiciones_entrega"}
    with pytest.raises(ValidationError, match="'XYZ' no es un código INCOTERMS válido"):
        DeliveryTerms("XYZ")


def test_foreign_address_has_no_divipola() -> None:
    with pytest.raises(ValidationError, match="no lleva código DIVIPOLA"):
        Address("1 Main St", country_code="US", municipality_code="11001", city_name="Miami")
    with pytest.raises(ValidationError, match="ciudad: es obligatorio"):
        Address("1 Main St", country_code="US")


def test_delivery_only_on_invoices() -> None:
    note = samples.credit_note(ISSUED_AT, "0" * 96)
    with pytest.raises(ValidationError, match="solo se informan en facturas"):
        dataclasses.replace(note, delivery_terms=DeliveryTerms("EXW"))
    assert note.kind == Kind.CREDIT_NOTE


def test_domestic_invoice_may_carry_delivery_and_brand() -> None:
    """Type 01 accepts the same blocks (optional there) and stays XSD-valid."""
    invoice = dataclasses.replace(
        samples.invoice(ISSUED_AT),
        delivery=Delivery(Address("Calle 80 # 10-20", municipality_code="11001")),
        lines=(dataclasses.replace(samples.lines(1)[0], brand="Sello Rojo"),),
    )
    root = build_unsigned(invoice).root
    assert _xpath(root, "cac:Delivery/cac:DeliveryAddress/cbc:ID") == "11001"
    assert _xpath(root, "cac:InvoiceLine/cac:Item/cbc:BrandName") == "Sello Rojo"
    assert not root.xpath("cac:DeliveryTerms|cac:PaymentExchangeRate", namespaces=XPATH_NS)


# --- JSON --------------------------------------------------------------------------------


def test_json_example_is_the_sample_export(signer: Signer) -> None:
    parsed = parse_document(load_json(EXAMPLE.read_bytes()), clock=FixedClock(ISSUED_AT))
    sample = samples.export_invoice(ISSUED_AT)
    assert parsed.issuer == sample.issuer and parsed.counterparty == sample.counterparty
    assert (parsed.lines, parsed.delivery, parsed.delivery_terms) == (
        sample.lines,
        sample.delivery,
        sample.delivery_terms,
    )
    assert build_unsigned(parsed).code_input == build_unsigned(sample).code_input
    built = build_document(parsed, signer=signer, clock=FixedClock(ISSUED_AT))
    assert verify_xml(built.xml_bytes, secret=demo.TECHNICAL_KEY).errors == []


def test_json_export_keys_are_checked() -> None:
    raw = load_json(EXAMPLE.read_bytes())
    raw["delivery_terms"]["place"] = "Cartagena"
    with pytest.raises(ValidationError, match="delivery_terms: claves desconocidas: place"):
        parse_document(raw, clock=FixedClock(ISSUED_AT))
    raw = load_json(EXAMPLE.read_bytes())
    raw["exchange_rate_date"] = "2026-11-21"
    del raw["lines"][0]["brand"]
    with pytest.raises(ValidationError) as info:
        parse_document(raw, clock=FixedClock(ISSUED_AT))
    assert set(info.value.errors) == {"lineas[1].marca"}
    del raw["lines"]
    raw["lines"] = load_json(EXAMPLE.read_bytes())["lines"]
    parsed = parse_document(raw, clock=FixedClock(ISSUED_AT))
    assert str(parsed.exchange_rate_date) == "2026-11-21"


def test_cli_builds_and_verifies_the_export_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from loggro_app.dian.cli import main
    from tests.unit.dian.conftest import FIXTURES

    monkeypatch.setenv("TEST_P12_PASSWORD", "demo")
    out = tmp_path / "fv.xml"
    p12 = ["--p12", str(FIXTURES / "demo-cert.p12"), "--password-env", "TEST_P12_PASSWORD"]
    assert main(["build", str(EXAMPLE), "-o", str(out), *p12]) == 0
    cufe = capsys.readouterr().out.split("CUFE: ")[1].split()[0]
    assert main(["verify", str(out)]) == 0
    assert f"OK {cufe}" in capsys.readouterr().out


def test_cli_explains_a_colombian_buyer_on_an_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from loggro_app.dian.cli import main

    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["buyer"]["address"] = {"street": "Calle 10 # 43-12", "municipality_code": "05001"}
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["build", str(spec), "-o", str(tmp_path / "x.xml")]) == 1
    err = capsys.readouterr().err
    assert "está en Colombia" in err and "tipo 01" in err
    assert not (tmp_path / "x.xml").exists()
