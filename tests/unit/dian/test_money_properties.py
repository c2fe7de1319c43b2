"""DIAN's total identities (FAU02, FAU04, FAU06, FAU14) hold to the cent for random lines with
discounts, charges, IVA/INC and withholdings, and the XML carries exactly those amounts.

The expected figures are computed here from the lines, independently of dian/totals.py.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from loggro_app.core.errors import ValidationError
from loggro_app.dian import samples
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.totals import compute_totals
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TAXES = [("01", "0"), ("01", "5"), ("01", "19"), ("04", "8")]
WITHHOLDINGS = [("06", "4"), ("06", "2.5"), ("07", "1.5")]
cents = st.integers(1, 2_000_000).map(lambda c: Decimal(c) / 100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


@st.composite
def lines(draw: st.DrawFn) -> Line:
    quantity = Decimal(draw(st.integers(1, 10_000))) / 100
    price = Decimal(draw(st.integers(0, 10_000_000))) / 100
    taxes = draw(st.lists(st.sampled_from(TAXES), max_size=2, unique_by=lambda t: t[0]))
    withholdings = draw(st.lists(st.sampled_from(WITHHOLDINGS), max_size=2,
                                 unique_by=lambda w: w[0]))
    if any(scheme == "01" for scheme, _ in taxes) and draw(st.booleans()):
        withholdings.append(("05", draw(st.sampled_from(["15", "100"]))))
    gross = _round(quantity * price)
    allowances = []
    if gross > 1 and draw(st.booleans()):
        allowances.append(AllowanceCharge(Decimal(draw(st.integers(1, int(gross * 100)))) / 100,
                                          "Descuento"))
    if draw(st.booleans()):
        allowances.append(AllowanceCharge(draw(cents), "Cargo", is_charge=True))
    return Line(
        "X", "Item", quantity, price,
        taxes=tuple(TaxRate(s, Decimal(p)) for s, p in taxes),
        withholdings=tuple(Withholding(s, Decimal(p)) for s, p in withholdings),
        allowances=tuple(allowances),
    )


def _expected_line(line: Line) -> tuple[Decimal, dict[str, Decimal], dict[str, Decimal]]:
    """(line extension, tax per scheme, withholding per scheme) of one line, by hand."""
    extension = _round(line.quantity * line.unit_price) + sum(
        (a.amount if a.is_charge else -a.amount for a in line.allowances), ZERO)
    taxes = {t.scheme: _round(extension * t.percent / 100) for t in line.taxes}
    withholdings = {
        w.scheme: _round((taxes.get("01", ZERO) if w.scheme == "05" else extension)
                         * w.percent / 100)
        for w in line.withholdings
    }
    return extension, taxes, withholdings


def _amounts(root: etree._Element, path: str) -> list[Decimal]:
    return [Decimal(str(v)) for v in root.xpath(path, namespaces=XPATH_NS)]


def _by_scheme(root: etree._Element, element: str) -> dict[str, Decimal]:
    found = {}
    for node in root.xpath(f"cac:{element}", namespaces=XPATH_NS):
        scheme = node.xpath("string(cac:TaxSubtotal[1]//cac:TaxScheme/cbc:ID)",
                            namespaces=XPATH_NS)
        found[scheme] = Decimal(node.xpath("string(cbc:TaxAmount)", namespaces=XPATH_NS))
    return found


# Hypothesis' default of 100 examples (10 under `make mutation`, tests/unit/conftest.py).
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(lines(), min_size=1, max_size=6),
    st.lists(st.tuples(cents, st.booleans()), max_size=2),
    st.integers(0, 100_000).map(lambda c: Decimal(c) / 100),
)
def test_totals_and_xml_satisfy_dians_identities(
    items: list[Line], globals_: list[tuple[Decimal, bool]], prepaid: Decimal
) -> None:
    document = dataclasses.replace(
        samples.invoice(ISSUED_AT),
        lines=tuple(items),
        allowances=tuple(AllowanceCharge(a, "Global", is_charge=c) for a, c in globals_),
        prepaid=prepaid,
    )
    expected = [_expected_line(line) for line in items]
    line_sum = sum((e[0] for e in expected), ZERO)  # FAU02
    taxed_base = sum((e[0] for e in expected if e[1]), ZERO)  # FAU04
    taxes: dict[str, Decimal] = {}
    withholdings: dict[str, Decimal] = {}
    for _, line_taxes, line_withholdings in expected:
        for scheme, amount in line_taxes.items():
            taxes[scheme] = taxes.get(scheme, ZERO) + amount
        for scheme, amount in line_withholdings.items():
            withholdings[scheme] = withholdings.get(scheme, ZERO) + amount
    inclusive = line_sum + sum(taxes.values(), ZERO)  # FAU06
    allowance = sum((a for a, charge in globals_ if not charge), ZERO)
    charge = sum((a for a, is_charge in globals_ if is_charge), ZERO)
    payable = inclusive - allowance + charge - prepaid  # FAU14
    if payable < 0:
        try:
            compute_totals(document)
        except ValidationError as error:
            assert list(error.errors) == ["total"]
            return
        raise AssertionError("a negative payable must be refused (VLR01)")

    totals = compute_totals(document)
    assert [lt.line_extension for lt in totals.lines] == [e[0] for e in expected]
    assert (totals.line_extension, totals.tax_exclusive, totals.tax_inclusive) == (
        line_sum, taxed_base, inclusive)
    assert (totals.allowance_total, totals.charge_total, totals.prepaid, totals.payable) == (
        allowance, charge, prepaid, payable)
    assert {t.scheme: t.amount for t in totals.tax_totals} == taxes
    assert {w.scheme: w.amount for w in totals.withholding_totals} == withholdings

    root = build_unsigned(document).root
    money = "cac:LegalMonetaryTotal/cbc:{}/text()"
    assert _amounts(root, "cac:InvoiceLine/cbc:LineExtensionAmount/text()") == [
        e[0] for e in expected]
    assert _amounts(root, money.format("LineExtensionAmount")) == [line_sum]
    assert _amounts(root, money.format("TaxExclusiveAmount")) == [taxed_base]
    assert _amounts(root, money.format("TaxInclusiveAmount")) == [inclusive]
    assert _amounts(root, money.format("AllowanceTotalAmount")) == [allowance]
    assert _amounts(root, money.format("ChargeTotalAmount")) == [charge]
    assert _amounts(root, money.format("PrepaidAmount")) == ([prepaid] if prepaid else [])
    assert _amounts(root, money.format("PayableAmount")) == [payable]
    assert _by_scheme(root, "TaxTotal") == taxes
    assert _by_scheme(root, "WithholdingTaxTotal") == withholdings
