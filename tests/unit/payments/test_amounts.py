from __future__ import annotations

from decimal import Decimal

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.core.plans import purchase_total
from loggro_app.payments.amounts import format_pesos, from_minor_units, to_minor_units


def test_two_fifty_packs_cost_168000_pesos_and_go_to_stripe_in_centavos() -> None:
    total = purchase_total(50, 2)
    assert total == Decimal("168000")
    assert to_minor_units(total, "COP") == 16_800_000
    assert to_minor_units(total, "cop") == 16_800_000


def test_minor_units_round_trip() -> None:
    assert from_minor_units(16_800_000, "COP") == Decimal("168000")
    assert from_minor_units(1234, "JPY") == Decimal("1234")
    assert to_minor_units(Decimal("1234"), "JPY") == 1234


def test_fractions_a_currency_cannot_carry_are_refused() -> None:
    with pytest.raises(ValidationError):
        to_minor_units(Decimal("1.005"), "COP")
    with pytest.raises(ValidationError):
        to_minor_units(Decimal("10.5"), "JPY")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("168000", "$ 168.000"),
        ("84000", "$ 84.000"),
        ("1680000", "$ 1.680.000"),
        ("0", "$ 0"),
        ("999", "$ 999"),
        ("999.50", "$ 1.000"),
        ("-84000", "-$ 84.000"),
    ],
)
def test_pesos_are_formatted_like_colombian_receipts(amount: str, text: str) -> None:
    assert format_pesos(Decimal(amount)) == text
