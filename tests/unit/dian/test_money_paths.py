"""Money paths the samples do not take: line charges, ReteIVA, anticipos, COP conversion."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.core.errors import ValidationError
from loggro_app.dian import samples
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.totals import TaxAmount, compute_totals, cop_equivalents, line_totals
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT

D = Decimal
IVA_19 = (TaxRate("01", D("19")),)


def _texts(root: etree._Element, path: str) -> list[str]:
    return [str(v) for v in root.xpath(path, namespaces=XPATH_NS)]


def test_a_line_charge_adds_to_the_line_and_is_written_as_a_charge() -> None:
    line = Line(
        "S-1",
        "Instalación",
        D("2"),
        D("50000"),
        taxes=IVA_19,
        allowances=(
            AllowanceCharge(D("3000.00"), "Descuento"),
            AllowanceCharge(D("5000.00"), "Transporte", is_charge=True),
        ),
    )
    totals = line_totals(line)
    assert (totals.gross, totals.allowance, totals.charge) == (
        D("100000.00"), D("3000.00"), D("5000.00"))
    assert totals.line_extension == D("102000.00")
    assert totals.taxes == (TaxAmount("01", D("19"), D("102000.00"), D("19380.00")),)
    document = dataclasses.replace(samples.invoice(ISSUED_AT), lines=(line,))
    root = build_unsigned(document).root
    base = "cac:InvoiceLine/cac:AllowanceCharge"
    assert _texts(root, f"{base}/cbc:ChargeIndicator/text()") == ["false", "true"]
    assert _texts(root, f"{base}/cbc:Amount/text()") == ["3000.00", "5000.00"]
    assert _texts(root, f"{base}/cbc:MultiplierFactorNumeric/text()") == ["3.00", "5.00"]
    assert _texts(root, f"{base}/cbc:BaseAmount/text()") == ["100000.00", "100000.00"]
    assert _texts(root, f"{base}/cbc:AllowanceChargeReasonCode/text()") == ["00"]
    assert _texts(root, "cac:InvoiceLine/cbc:LineExtensionAmount/text()") == ["102000.00"]


def test_reteiva_is_on_the_iva_and_retefuente_on_the_line() -> None:
    line = Line(
        "S-1",
        "Asesoría",
        D("1"),
        D("100000"),
        taxes=IVA_19,
        withholdings=(Withholding("05", D("15")), Withholding("06", D("4"))),
    )
    assert line_totals(line).withholdings == (
        TaxAmount("05", D("15"), D("19000.00"), D("2850.00")),
        TaxAmount("06", D("4"), D("100000.00"), D("4000.00")),
    )
    document = dataclasses.replace(samples.invoice(ISSUED_AT), lines=(line,))
    totals = compute_totals(document)
    assert [(w.scheme, w.amount) for w in totals.withholding_totals] == [
        ("05", D("2850.00")), ("06", D("4000.00"))]
    assert totals.payable == D("119000.00")  # withholdings are reported, not deducted
    root = build_unsigned(document).root
    header = "cac:WithholdingTaxTotal/cac:TaxSubtotal"
    assert _texts(root, f"{header}/cbc:TaxableAmount/text()") == ["19000.00", "100000.00"]
    assert _texts(root, f"{header}/cbc:TaxAmount/text()") == ["2850.00", "4000.00"]


def test_an_anticipo_is_written_and_deducted() -> None:
    plain = samples.invoice(ISSUED_AT)
    root = build_unsigned(plain).root
    assert _texts(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount") == []
    document = dataclasses.replace(plain, prepaid=D("50000.00"))
    totals = compute_totals(document)
    assert totals.prepaid == D("50000.00")
    assert totals.payable == compute_totals(plain).payable - D("50000.00")
    root = build_unsigned(document).root
    assert _texts(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount/text()") == ["50000.00"]
    assert _texts(root, "cac:LegalMonetaryTotal/cbc:PrepaidAmount/@currencyID") == ["COP"]
    assert _texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == [
        str(totals.payable)]


def test_taxes_of_a_foreign_currency_note_are_converted_to_pesos() -> None:
    line = Line("P-1", "Repuesto", D("10"), D("100"), taxes=IVA_19)
    note = dataclasses.replace(
        samples.credit_note(ISSUED_AT, "a" * 96),
        lines=(line,),
        currency="USD",
        exchange_rate=D("4012.35"),
    )
    cop = cop_equivalents(compute_totals(note), D("4012.35"))
    assert cop.rate == D("4012.35")
    assert (cop.line_extension, cop.taxes, cop.payable) == (
        D("4012350.00"), D("762346.50"), D("4774696.50"))
    notes = _texts(build_unsigned(note).root, "cbc:Note/text()")
    assert any(
        "valor antes de impuestos 4012350.00, impuestos 762346.50, total a pagar 4774696.50"
        in text for text in notes
    )


def test_tax_amount_of_an_absent_scheme_is_zero() -> None:
    totals = compute_totals(samples.invoice(ISSUED_AT))
    assert totals.tax_amount("04") == D("4800.00")
    assert totals.tax_amount("03") == D("0.00")


def test_a_charge_on_a_free_line_has_no_percent() -> None:
    line = Line("S-2", "Flete", D("1"), D("0"),
                allowances=(AllowanceCharge(D("8000.00"), "Flete", is_charge=True),))
    assert line_totals(line).line_extension == D("8000.00")
    root = build_unsigned(dataclasses.replace(samples.invoice(ISSUED_AT), lines=(line,))).root
    charge = "cac:InvoiceLine/cac:AllowanceCharge"
    assert _texts(root, f"{charge}/cbc:MultiplierFactorNumeric") == []  # no base to divide
    assert _texts(root, f"{charge}/cbc:BaseAmount/text()") == ["0.00"]


def test_a_percent_is_written_for_a_base_under_one_peso() -> None:
    line = Line("P-9", "Tornillo", D("1"), D("0.50"),
                allowances=(AllowanceCharge(D("0.10"), "Empaque", is_charge=True),))
    root = build_unsigned(dataclasses.replace(samples.invoice(ISSUED_AT), lines=(line,))).root
    path = "cac:InvoiceLine/cac:AllowanceCharge/cbc:MultiplierFactorNumeric/text()"
    assert _texts(root, path) == ["20.00"]


def test_a_line_total_names_its_line() -> None:
    too_much = Line("X", "Item", D("1"), D("10"), allowances=(AllowanceCharge(D("11.00"), "D"),))
    for kwargs, field in (({}, "lineas[1]"), ({"index": 3}, "lineas[3]")):
        with pytest.raises(ValidationError) as caught:
            line_totals(too_much, **kwargs)
        assert list(caught.value.errors) == [field]


def test_support_document_lines_carry_their_period() -> None:  # DSFC01
    root = build_unsigned(samples.support_document(ISSUED_AT)).root
    period = "cac:InvoiceLine/cac:InvoicePeriod/cbc:{}/text()"
    assert _texts(root, period.format("StartDate")) == [ISSUED_AT.date().isoformat()]
    assert _texts(root, period.format("DescriptionCode")) == ["1"]
    assert _texts(root, period.format("Description")) == ["Por operación"]
