"""Amounts in Spanish words, as Colombian invoices print them ("UN MILLÓN DE PESOS M/CTE").

num2words writes the cardinal; two rules of Spanish grammar it does not apply to amounts are
added here: "uno" drops to "un"/"veintiún" before a masculine noun (mil, millones, pesos),
and a round million takes "de" before the currency ("un millón de pesos").
"""

from __future__ import annotations

import re
from decimal import Decimal

from num2words import num2words

from loggro_app.core.money import round_money

# Currency names read aloud: (singular, plural). COP adds "M/CTE" (moneda corriente).
CURRENCY_WORDS = {
    "COP": ("PESO", "PESOS"),
    "USD": ("DÓLAR ESTADOUNIDENSE", "DÓLARES ESTADOUNIDENSES"),
    "EUR": ("EURO", "EUROS"),
}
_BEFORE_NOUN = re.compile(r"\b(veinti)?uno(?= (mil|millón|millones|billón|billones)\b)")
_LAST_UNO = re.compile(r"\b(veinti)?uno$")


def _apocope(found: re.Match[str]) -> str:
    return "veintiún" if found.group(1) else "un"


def cardinal(number: int) -> str:
    """An integer in words, ready to stand before a masculine noun: 21 -> 'veintiún'."""
    words = num2words(number, lang="es")
    words = _BEFORE_NOUN.sub(_apocope, words)
    return _LAST_UNO.sub(_apocope, words)


def amount_in_words(amount: Decimal, currency: str = "COP") -> str:
    """Decimal('1000000.50') -> 'UN MILLÓN DE PESOS CON CINCUENTA CENTAVOS M/CTE'."""
    value = round_money(amount)
    if value < 0:
        raise ValueError("amount_in_words: the amount must not be negative")
    whole = int(value)
    cents = int((value - whole) * 100)
    singular, plural = CURRENCY_WORDS.get(currency, (currency, currency))
    words = cardinal(whole)
    if words.endswith(("millón", "millones", "billón", "billones")):
        words += " de"
    text = f"{words} {singular if whole == 1 else plural}"
    if cents:
        if currency == "COP":
            text += f" con {cardinal(cents)} {'centavo' if cents == 1 else 'centavos'}"
        else:
            text += f" con {cents:02d}/100"
    if currency == "COP":
        text += " M/CTE"
    return text.upper()
