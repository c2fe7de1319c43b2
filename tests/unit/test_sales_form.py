"""The Ventas form's rules: every field with its Spanish message, and totals that come from
the DIAN core's own arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.core.sales import (
    MAX_LINES,
    DocumentForm,
    LineInput,
    Withholdings,
    check_form,
    parse_line,
    preview_totals,
)
from loggro_app.dian import totals_of

TODAY = date(2026, 12, 2)
GOOD = LineInput("Café de origen", "2", "12.500", "IVA_19")


def errors_of(form: DocumentForm) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        check_form(form, today=TODAY)
    return err.value.errors


def line_errors(line: LineInput) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_line(line, 0)
    return err.value.errors


@pytest.mark.parametrize(("quantity", "message"), [
    ("0", "mayor que cero"), ("-1", "mayor que cero"), ("", "con números"),
    ("dos", "con números"), ("1e3", "con números"), ("1000000000", "999.999.999"),
    ("1,1234567", "6 decimales"),
])
def test_quantities_refused_with_their_reason(quantity: str, message: str) -> None:
    assert message in line_errors(LineInput("Pan", quantity, "1000", "IVA_19"))[
        "lines.0.quantity"]


@pytest.mark.parametrize(("price", "message"), [
    ("0", "precio unitario"), ("-5", "negativo"), ("12,345", "dos decimales"),
    ("", "Escribe el precio"), ("abc", "no es un precio"),
])
def test_prices_refused_with_their_reason(price: str, message: str) -> None:
    assert message in line_errors(LineInput("Pan", "1", price, "IVA_19"))["lines.0.unit_price"]


def test_every_problem_of_a_line_at_once() -> None:
    errors = line_errors(LineInput("", "0", "", "", unit_code="XYZ", discount="1,234"))
    assert set(errors) == {"lines.0.description", "lines.0.quantity", "lines.0.unit_price",
                           "lines.0.tax", "lines.0.unit_code", "lines.0.discount"}
    assert "impuesto" in errors["lines.0.tax"]


def test_a_discount_cannot_exceed_the_line() -> None:
    errors = line_errors(LineInput("Pan", "2", "1000", "IVA_19", discount="2000,01"))
    assert "no puede superar" in errors["lines.0.discount"]
    assert parse_line(LineInput("Pan", "2", "1000", "IVA_19", discount="2000"), 0)


def test_amounts_typed_the_colombian_way() -> None:
    line = parse_line(LineInput("Pan", "1,5", "1.234,50", "IVA_5"), 0)
    assert line.quantity == Decimal("1.5") and line.unit_price == Decimal("1234.50")


def test_excluded_lines_carry_no_tax_and_stay_out_of_the_taxable_base() -> None:
    totals = preview_totals([GOOD, LineInput("Libro", "1", "50000", "EXCLUIDO")])
    assert totals is not None
    assert totals.tax_exclusive == Decimal("25000.00")  # only the taxed line (FAU04)
    assert totals.line_extension == Decimal("75000.00")
    assert totals.payable == Decimal("79750.00")


def test_exempt_is_iva_at_zero_and_counts_in_the_base() -> None:
    totals = preview_totals([LineInput("Leche", "1", "4000", "IVA_0")])
    assert totals is not None and totals.tax_exclusive == Decimal("4000.00")
    assert [(t.scheme, t.amount) for t in totals.tax_totals] == [("01", Decimal("0.00"))]


def test_live_totals_are_the_core_totals_of_the_complete_lines() -> None:
    typed = [GOOD, LineInput("Almuerzo", "3", "18000", "INC_8", discount="1000"),
             LineInput("a medio escribir", "", "", "")]
    shown = preview_totals(typed)
    expected = totals_of([parse_line(GOOD, 0), parse_line(typed[1], 1)])
    assert shown == expected
    assert preview_totals([LineInput("", "", "", "")]) is None


def test_withholdings_on_invoices_and_support_documents_reteiva_only_on_iva() -> None:
    held = Withholdings(retefuente="2,5", reteica="0,966", reteiva="15")
    invoice_line = parse_line(GOOD, 0, "FE", held)
    assert sorted(w.scheme for w in invoice_line.withholdings) == ["05", "06", "07"]
    assert parse_line(GOOD, 0, "NC", held).withholdings == ()
    assert len(parse_line(GOOD, 0, "DS", held).withholdings) == 3  # a purchase withholds too
    inc = parse_line(LineInput("Almuerzo", "1", "18000", "INC_8"), 0, "FE", held)
    assert sorted(w.scheme for w in inc.withholdings) == ["06", "07"]
    with pytest.raises(ValidationError) as err:
        parse_line(GOOD, 0, "FE", Withholdings(retefuente="101", reteiva="10"))
    assert set(err.value.errors) == {"retefuente", "reteiva"}


def test_form_rules_each_with_its_message() -> None:
    errors = errors_of(DocumentForm("FE", None, (), payment_form="2", due_date="2026-12-01",
                                    payment_means="XX", notes="n" * 1001, currency="USD",
                                    exchange_rate="0"))
    assert set(errors) == {"customer_id", "lines", "due_date", "payment_means", "notes",
                           "exchange_rate"}
    assert "anterior a hoy" in errors["due_date"]
    assert "pesos por 1 USD" in errors["exchange_rate"]
    assert "crédito" in errors_of(DocumentForm("FE", 1, (GOOD,), payment_form="2"))["due_date"]
    assert "dos decimales" in errors_of(DocumentForm("FE", 1, (GOOD,), currency="EUR",
                                                     exchange_rate="4100,123"))["exchange_rate"]
    assert "moneda" in errors_of(DocumentForm("FE", 1, (GOOD,), currency="JPY"))["currency"]


def test_notes_need_their_reference_and_concept() -> None:
    errors = errors_of(DocumentForm("NC", 1, (GOOD,)))
    assert set(errors) == {"reference_id", "concept", "concept_description"}
    assert "factura electrónica" in errors["reference_id"]
    support = errors_of(DocumentForm("NA", None, (GOOD,), reference_id=3, concept="9",
                                     concept_description="x"))
    assert set(support) == {"customer_id", "concept"}
    assert "proveedor" in support["customer_id"]
    checked = check_form(DocumentForm("ND", 1, (GOOD,), reference_id=3, concept="1",
                                      concept_description="Intereses de mora"), today=TODAY)
    assert checked.totals.payable == Decimal("29750.00")


def test_line_count_is_bounded() -> None:
    errors = errors_of(DocumentForm("FE", 1, (GOOD,) * (MAX_LINES + 1)))
    assert str(MAX_LINES) in errors["lines"]


def test_a_valid_form_parses_dates_and_rates() -> None:
    checked = check_form(DocumentForm("FE", 1, (GOOD,), payment_form="2",
                                      due_date="2026-12-31", currency="USD",
                                      exchange_rate="4.100,50"), today=TODAY)
    assert checked.due_date == date(2026, 12, 31)
    assert checked.exchange_rate == Decimal("4100.50")
    with pytest.raises(ValidationError) as err:
        check_form(DocumentForm("XX", 1, (GOOD,)), today=TODAY)
    assert set(err.value.errors) == {"kind"}
