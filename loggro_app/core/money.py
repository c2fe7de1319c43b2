"""Money: Decimal only, one rounding policy, one way to show COP."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENTS = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """The rounding used for amounts shown and stored: half-up to centavos."""
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def format_cop(value: Decimal) -> str:
    """Decimal('1234567.5') -> '$ 1.234.567,50' (Colombian grouping and decimal comma)."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}$ {'.'.join(groups)},{cents}"
