"""Amounts in Spanish words as Colombian invoices print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loggro_app.representation import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "CERO PESOS M/CTE"),
        ("1", "UN PESO M/CTE"),
        ("21", "VEINTIÚN PESOS M/CTE"),
        ("100", "CIEN PESOS M/CTE"),
        ("1001", "MIL UN PESOS M/CTE"),
        ("21000", "VEINTIÚN MIL PESOS M/CTE"),
        ("201000", "DOSCIENTOS UN MIL PESOS M/CTE"),
        ("1000000", "UN MILLÓN DE PESOS M/CTE"),
        ("31000000", "TREINTA Y UN MILLONES DE PESOS M/CTE"),
        ("2500000", "DOS MILLONES QUINIENTOS MIL PESOS M/CTE"),
        (
            "1234567.89",
            "UN MILLÓN DOSCIENTOS TREINTA Y CUATRO MIL QUINIENTOS SESENTA Y SIETE PESOS "
            "CON OCHENTA Y NUEVE CENTAVOS M/CTE",
        ),
        ("0.01", "CERO PESOS CON UN CENTAVO M/CTE"),
        ("1000000.50", "UN MILLÓN DE PESOS CON CINCUENTA CENTAVOS M/CTE"),
        ("41.005", "CUARENTA Y UN PESOS CON UN CENTAVO M/CTE"),  # half-up to cents
    ],
)
def test_pesos_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_foreign_currency_states_cents_as_a_fraction() -> None:
    assert amount_in_words(Decimal("13778.75"), "USD") == (
        "TRECE MIL SETECIENTOS SETENTA Y OCHO DÓLARES ESTADOUNIDENSES CON 75/100"
    )
    assert amount_in_words(Decimal("1"), "USD") == "UN DÓLAR ESTADOUNIDENSE"
    assert amount_in_words(Decimal("3"), "JPY") == "TRES JPY"


def test_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))
