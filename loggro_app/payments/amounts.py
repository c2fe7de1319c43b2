"""Converting payment amounts between pesos, gateway units and text (pure, Decimal only)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from loggro_app.core.errors import ValidationError

# Stripe counts COP in centavos although Colombia has no coins below one peso, so
# COP 168.000 is sent as 16800000; the zero-decimal currencies below are sent as is.
# https://docs.stripe.com/currencies#zero-decimal
_ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG",
                           "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"})


def _exponent(currency: str) -> int:
    return 0 if currency.upper() in _ZERO_DECIMAL else 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Decimal('168000') COP -> 16800000; refuses fractions the currency cannot carry."""
    scaled = amount.scaleb(_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValidationError({"amount": f"El valor {amount} tiene demasiados decimales."})
    return int(scaled)


def from_minor_units(value: int, currency: str) -> Decimal:
    return Decimal(value).scaleb(-_exponent(currency))


def format_pesos(amount: Decimal) -> str:
    """Decimal('168000') -> '$ 168.000': whole pesos, dot grouping, as on Colombian receipts.

    Centavos are rounded half-up because cash is paid in whole pesos.
    """
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    grouped = f"{abs(whole):,}".replace(",", ".")
    return f"{'-' if whole < 0 else ''}$ {grouped}"
