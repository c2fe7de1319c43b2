from decimal import Decimal

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.core.item_rules import ItemData, PaymentMethodData, parse_price
from loggro_app.core.money import format_cop


@pytest.mark.parametrize(("raw", "expected"), [
    ("1500", "1500.00"), ("1.500,50", "1500.50"), ("1500.5", "1500.50"),
    ("$ 84.000", "84000.00"), ("1.234.567", "1234567.00"), ("0", "0.00"), ("12.50", "12.50"),
])
def test_prices_typed_by_people(raw: str, expected: str) -> None:
    # "84.000" is how Colombians write 84 mil: dots grouping thousands, not decimals
    assert parse_price(raw) == Decimal(expected)


NOT_A_PRICE = ("«{}» no es un precio: escribe solo dígitos, con coma para los decimales "
               "(p. ej. 84.000 o 1500,50).")


@pytest.mark.parametrize(("raw", "message"), [
    ("", "Escribe el precio."),
    ("abc", NOT_A_PRICE.format("abc")),
    ("-5", "El precio no puede ser negativo."),
    ("1.2345", "El precio admite máximo dos decimales."),
    ("NaN", NOT_A_PRICE.format("NaN")),
    ("1e5", NOT_A_PRICE.format("1e5")),
    ("1_000", NOT_A_PRICE.format("1_000")),
    ("Infinity", NOT_A_PRICE.format("Infinity")),
    ("9" * 20, "El precio admite máximo 999.999.999.999,99."),
])
def test_bad_prices_are_explained(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_price(raw)
    assert err.value.errors == {"price": message}


def test_item_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        ItemData.parse(code="", name="", unit_code="XX9", price="-1", tax_code="IVA_16")
    assert set(err.value.errors) == {"code", "name", "unit_code", "price", "tax_code"}


def test_valid_item() -> None:
    item = ItemData.parse(code=" A1 ", name="Café", unit_code="KGM", price="18.500,00",
                          tax_code="IVA_5")
    assert (item.code, item.price, item.tax_code) == ("A1", Decimal("18500.00"), "IVA_5")


def test_payment_method_codes_come_from_dian_lists() -> None:
    cash = PaymentMethodData.parse(name="Efectivo", form_code="1", means_code="10")
    assert cash.means_code == "10"
    with pytest.raises(ValidationError) as err:
        PaymentMethodData.parse(name=" ", form_code="3", means_code="999")
    assert set(err.value.errors) == {"name", "form_code", "means_code"}


def test_cop_format() -> None:
    assert format_cop(Decimal("1234567.5")) == "$ 1.234.567,50"
    assert format_cop(Decimal("84000")) == "$ 84.000,00"
    assert format_cop(Decimal("-0.5")) == "-$ 0,50"
    assert format_cop(Decimal("999")) == "$ 999,00"


def test_dian_payment_means_keep_their_codes_with_corrected_labels() -> None:
    from loggro_app.dian.codes import payment_means, payment_means_labels

    shown = payment_means_labels()
    assert shown.keys() == payment_means().keys()  # DIAN's codes, all of them
    assert payment_means()["42"] == "Consiganción bancaria"  # DIAN's table as published
    assert shown["42"] == "Consignación bancaria"
    typos = ("Poyecto", "Neogcio", "Transferecia", "Drédito", "Consiganción", " pro el ",
             "por el por el", "tranferible", "traferible", "usuado")
    assert not [label for label in shown.values() if any(t in label for t in typos)]
