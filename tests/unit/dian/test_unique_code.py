"""Known-answer tests for CUFE/CUDE/CUDS, event CUDE and SoftwareSecurityCode (SPEC §1.7)."""

from __future__ import annotations

import hashlib
import json

import pytest

from loggro_app.core.money import fmt2
from loggro_app.dian import demo, samples
from loggro_app.dian.totals import compute_totals
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.unique_code import (
    CodeFields,
    CudsFields,
    EventFields,
    software_security_code,
    uses_technical_key,
)
from tests.unit.dian.conftest import FIXTURES, ISSUED_AT

VECTORS = json.loads((FIXTURES / "test_vectors.json").read_text(encoding="utf-8"))


def _cufe_fields(fields: list[str]) -> CodeFields:
    # Vector order: num, date, time, ext, "01", iva, "04", inc, "03", ica, total, nit, adq, key, env
    assert (fields[4], fields[6], fields[8]) == ("01", "04", "03")
    return CodeFields(
        fields[0],
        fields[1],
        fields[2],
        fields[3],
        fields[5],
        fields[7],
        fields[9],
        fields[10],
        fields[11],
        fields[12],
        fields[13],
        fields[14],
    )


@pytest.mark.parametrize(
    "name", ["cufe_invoice_annex", "cude_credit_note_annex", "cude_type03_annex"]
)
def test_cufe_and_cude_annex_vectors(name: str) -> None:
    vector = VECTORS[name]
    fields = _cufe_fields(vector["fields"])
    assert fields.input() == "".join(vector["fields"])
    assert fields.hash() == vector["expected"]


def test_cufe_annex_pre_hash_string_verbatim() -> None:
    fields = _cufe_fields(VECTORS["cufe_invoice_annex"]["fields"])
    assert fields.input() == (
        "3232000001292019-01-1610:53:10-05:001500000.0001285000.00040.00030.001785000.00"
        "700085371800199436693ff6f2a553c3646a063436fd4dd9ded03114711"
    )


def test_debit_note_composition_only() -> None:
    vector = VECTORS["cude_debit_note_composition_only"]
    fields = _cufe_fields(vector["fields"])
    assert fields.input() == vector["expected_concatenation"]
    assert fields.hash() == vector["expected_sha384_of_concatenation"]


def test_event_cude_vector() -> None:
    vector = VECTORS["cude_application_response_annex"]
    fields = EventFields(*vector["fields"])
    assert fields.input() == "12019-04-3019:48:50-05:0099998888800197268030FE1230111111"
    assert fields.hash() == vector["expected"]


def test_cuds_vector_puts_seller_before_issuer() -> None:
    vector = VECTORS["cuds_support_document_toolkit"]
    values = vector["fields"]
    fields = CudsFields(
        values[0],
        values[1],
        values[2],
        values[3],
        values[5],
        values[6],
        values[7],
        values[8],
        values[9],
        values[10],
    )
    assert (
        fields.input()
        == "DS2360000002022-02-1813:34:59-05:003899000.0001322430.004152176.001020800197268123452"
    )
    assert fields.hash() == vector["expected"]


def test_software_security_code_vector() -> None:
    vector = VECTORS["software_security_code"]
    assert software_security_code(*vector["fields"]) == vector["expected"]


def test_policy_digest_constant_matches_vector() -> None:
    from loggro_app.dian.signing.signer import POLICY

    assert POLICY.DigestValue == VECTORS["signature_policy_digest"]["expected_sha256_b64"]


def test_type_codes_choose_key_or_pin() -> None:
    assert [uses_technical_key(c) for c in ("01", "02", "03", "04", "91", "92")] == [
        True,
        True,
        False,
        True,
        False,
        False,
    ]


def test_invoice_cufe_from_document_field_by_field() -> None:
    document = samples.invoice(ISSUED_AT)
    totals = compute_totals(document)
    built = build_unsigned(document)
    expected_input = "".join(
        [
            "SETP990000001",
            "2026-11-22",
            "10:30:00-05:00",
            fmt2(totals.line_extension),
            "01",
            fmt2(totals.tax_amount("01")),
            "04",
            fmt2(totals.tax_amount("04")),
            "03",
            "0.00",
            fmt2(totals.payable),
            "900123456",
            "800199436",
            demo.TECHNICAL_KEY,
            "2",
        ]
    )
    assert built.code_input == expected_input
    assert built.unique_code == hashlib.sha384(expected_input.encode()).hexdigest()
    assert built.scheme_name == "CUFE-SHA384"


def test_own_vector_demo_invoice() -> None:
    """The 5-line sample computed by hand:
    3 x 18500 - 1500 = 54000 (IVA 19% 10260.00); 2 x 21900.50 = 43801 (IVA 5% 2190.05);
    4 x 15000 = 60000 (INC 8% 4800.00); 45000 (IVA 0%); 1.5 x 80000 = 120000 (IVA 19% 22800).
    Base 322801.00, IVA 35250.05, INC 4800.00, payable 362851.05 (ReteFuente not deducted).
    """
    built = build_unsigned(samples.invoice(ISSUED_AT))
    assert built.code_input == (
        "SETP9900000012026-11-2210:30:00-05:00322801.000135250.05044800.00030.00"
        "362851.05900123456800199436fc8eac422eba16e22ffd8c6f94b3f40a6e38162c2"
    )


def test_support_document_uses_cuds_with_pin() -> None:
    document = samples.support_document(ISSUED_AT)
    built = build_unsigned(document)
    assert built.scheme_name == "CUDS-SHA384"
    assert built.code_input == (
        "SETP9900001012026-11-2210:30:00-05:001140000.00010.001140000.00"
        f"1020304050900123456{demo.SOFTWARE_PIN}2"
    )


def test_notes_use_cude_with_pin() -> None:
    built = build_unsigned(samples.credit_note(ISSUED_AT, "a" * 96))
    assert built.scheme_name == "CUDE-SHA384"
    assert built.code_input.endswith(f"900123456800199436{demo.SOFTWARE_PIN}2")


def test_qr_and_security_code_in_dian_extensions() -> None:
    from lxml import etree

    from loggro_app.dian.xmlns import XPATH_NS

    built = build_unsigned(samples.invoice(ISSUED_AT))
    root = built.root
    qr = root.xpath("string(//sts:QRCode)", namespaces=XPATH_NS)
    lines = qr.split("\n")
    assert lines[0] == "NumFac: SETP990000001"
    assert "ValTolFac: 362851.05" in lines
    assert lines[-1] == (
        "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=" + built.unique_code
    )
    expected_ssc = hashlib.sha384(
        (demo.SOFTWARE_ID + demo.SOFTWARE_PIN + "SETP990000001").encode()
    ).hexdigest()
    assert root.xpath("string(//sts:SoftwareSecurityCode)", namespaces=XPATH_NS) == expected_ssc
    assert root.xpath("string(cbc:UUID/@schemeID)", namespaces=XPATH_NS) == "2"
    assert etree.QName(root).localname == "Invoice"
