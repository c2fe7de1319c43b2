"""NIT check digit (dígito de verificación, DV) as DIAN computes it (SPEC §1.7 item 9).

The computation lives in `loggro_app.core.nit`; this module keeps the names the DIAN core
uses and its ValueError contract for malformed input.
"""

from __future__ import annotations

from loggro_app.core.nit import compute_dv


def check_digit(nit: str) -> int:
    """Return the DV of a NIT given as digits only (no dots, dashes or DV)."""
    if not nit.isdigit() or not nit.isascii() or not 1 <= len(nit) <= 15:
        raise ValueError("El NIT debe tener solo dígitos (máximo 15), sin puntos ni DV.")
    return compute_dv(nit)


def is_valid(nit: str, dv: int | str) -> bool:
    """True when `dv` is the check digit of `nit`."""
    try:
        return check_digit(nit) == int(dv)
    except ValueError:
        return False
