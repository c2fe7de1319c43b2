"""Sales to a customer abroad: the Ventas form of a factura de exportación (02) asks for brand
and model on every line, the INCOTERM and a foreign currency, each with its own message."""

from __future__ import annotations

from datetime import date

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.core.export_sale import INCOTERM_CHOICES, is_export
from loggro_app.core.sales import DocumentForm, LineInput, check_form, parse_line

TODAY = date(2026, 12, 2)
COFFEE = LineInput("Café verde excelso, saco de 70 kg", "40", "315,50", "IVA_0",
                   brand="Loggro Origen", model="Excelso EP 70 kg")
EXPORT = DocumentForm("FE", 1, (COFFEE,), currency="USD", exchange_rate="4012,35",
                      incoterm="FOB", delivery_place="Puerto de Cartagena")


def export_errors(form: DocumentForm) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        check_form(form, today=TODAY, export=True)
    return err.value.errors


def test_only_an_invoice_to_a_customer_abroad_is_an_export() -> None:
    assert is_export("FE", "US") and is_export("FE", "ES")
    assert not is_export("FE", "CO") and not is_export("FE", "")
    assert not is_export("NC", "US") and not is_export("DS", "US")  # notes stay notes


def test_a_complete_export_form_carries_brand_and_model_to_the_dian_lines() -> None:
    checked = check_form(EXPORT, today=TODAY, export=True)
    assert (checked.lines[0].brand, checked.lines[0].model) == ("Loggro Origen",
                                                                "Excelso EP 70 kg")
    assert str(checked.exchange_rate) == "4012.35"
    assert "FOB" in INCOTERM_CHOICES and INCOTERM_CHOICES["FOB"] == "FOB · Franco a bordo"


def test_every_export_line_needs_its_brand_and_model() -> None:
    blank = LineInput("Mochila arhuaca", "2", "48,75", "IVA_0", brand=" ")
    errors = export_errors(DocumentForm("FE", 1, (COFFEE, blank), currency="USD",
                                        exchange_rate="4012", incoterm="CIF"))
    assert errors == {
        "lines.1.brand": ("Escribe la marca del producto: la DIAN la exige en cada línea de "
                          "una factura de exportación."),
        "lines.1.model": ("Escribe el modelo del producto: la DIAN lo exige en cada línea de "
                          "una factura de exportación."),
    }
    # the same lines are fine on a national invoice: brand and model are optional there
    assert check_form(DocumentForm("FE", 1, (COFFEE, blank)), today=TODAY).lines[1].brand \
        is None


def test_an_export_needs_a_foreign_currency_and_an_incoterm() -> None:
    errors = export_errors(DocumentForm("FE", 1, (COFFEE,), incoterm="XYZ",
                                        delivery_place="x" * 301))
    assert errors == {
        "currency": ("Una factura de exportación va en la moneda pactada con el comprador: "
                     "elige USD o EUR y escribe la tasa de cambio."),
        "incoterm": ("Elige el INCOTERM pactado con el comprador (p. ej. FOB, CIF o EXW): la "
                     "DIAN lo exige en una factura de exportación."),
        "delivery_place": "El lugar de entrega admite máximo 300 caracteres.",
    }
    missing_rate = export_errors(DocumentForm("FE", 1, (COFFEE,), currency="EUR",
                                              incoterm="EXW"))
    assert missing_rate == {"exchange_rate": "Escribe la tasa de cambio: pesos por 1 EUR."}


def test_brand_and_model_are_bounded_on_any_line() -> None:
    long = LineInput("Pan", "1", "1000", "IVA_19", brand="b" * 101, model="m" * 101)
    with pytest.raises(ValidationError) as err:
        parse_line(long, 0)
    assert err.value.errors == {"lines.0.brand": "La marca admite máximo 100 caracteres.",
                                "lines.0.model": "El modelo admite máximo 100 caracteres."}
