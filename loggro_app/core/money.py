"""Money: Decimal only, one rounding policy, one way to write amounts for DIAN and for people.

Amounts are `Decimal` built from strings. Computed amounts are rounded half-up to 2 decimals
(`round_money`); the strings written to the XML always carry exactly 2 decimals, and
CUFE/CUDE/CUDS use the SAME strings (DIAN truncates to 2 decimals, SPEC §1.1; once we write
2 decimals, truncation is the identity, so XML and hash can never disagree).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDING = ROUND_HALF_UP


def to_decimal(value: object, field: str = "valor") -> Decimal:
    """Parse a user value into Decimal; floats are refused (binary rounding errors)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"{field}: use un texto o entero para montos, no un número flotante.")
    try:
        result = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{field}: '{value}' no es un número válido.") from None
    if not result.is_finite():
        raise ValueError(f"{field}: '{value}' no es un número finito.")
    return result


def round_money(amount: Decimal) -> Decimal:
    """Round a computed amount to centavos with the project's single policy."""
    return amount.quantize(CENT, rounding=ROUNDING)


def fmt2(amount: Decimal) -> str:
    """Format for XML and hash strings: 2 decimals, truncated as DIAN does (SPEC §1.1)."""
    return str(amount.quantize(CENT, rounding=ROUND_DOWN))


def fmt_rate(rate: Decimal) -> str:
    """Percent / quantity format: 2 decimals (e.g. 19.00)."""
    return str(rate.quantize(CENT, rounding=ROUNDING))


def fmt_quantity(quantity: Decimal) -> str:
    """Quantities keep up to 6 decimals without trailing noise."""
    text = format(quantity.quantize(Decimal("0.000001"), rounding=ROUNDING).normalize(), "f")
    return text if "." in text else text + ".00"


def format_amount(value: Decimal) -> str:
    """Decimal('-1234567.5') -> '-1.234.567,50' (Colombian grouping and decimal comma)."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents}"


def format_cop(value: Decimal) -> str:
    """Decimal('1234567.5') -> '$ 1.234.567,50'."""
    text = format_amount(value)
    return f"-$ {text[1:]}" if text.startswith("-") else f"$ {text}"
