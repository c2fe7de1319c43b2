"""NIT check digit (dígito de verificación, DV) as DIAN computes it.

Modulo 11 with the prime weights 3, 7, 13, ... applied from the rightmost digit;
r = sum mod 11; DV = r when r < 2, else 11 - r (SPEC §1.7 item 9).
"""

from __future__ import annotations

_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


def check_digit(nit: str) -> int:
    """Return the DV of a NIT given as digits only (no dots, dashes or DV)."""
    if not nit.isdigit() or not nit.isascii() or len(nit) > len(_WEIGHTS):
        raise ValueError("El NIT debe tener solo dígitos (máximo 15), sin puntos ni DV.")
    total = sum(int(digit) * weight for digit, weight in zip(reversed(nit), _WEIGHTS, strict=False))
    remainder = total % 11
    return remainder if remainder < 2 else 11 - remainder


def is_valid(nit: str, dv: int | str) -> bool:
    """True when `dv` is the check digit of `nit`."""
    try:
        return check_digit(nit) == int(dv)
    except ValueError:
        return False
