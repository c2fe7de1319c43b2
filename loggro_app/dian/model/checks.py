"""Small validators shared by the document model; each raises ValidationError in Spanish."""

from __future__ import annotations

import re
from decimal import Decimal

from loggro_app.core.errors import ValidationError

# Characters XML 1.0 cannot carry at all (even escaped): C0 controls except TAB/LF/CR,
# and U+FFFE/U+FFFF. Lone surrogates are caught by the UTF-8 encode below.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fail(field: str, message: str) -> None:
    raise ValidationError({field: message})


def text(field: str, value: object, *, required: bool = True, max_len: int = 500) -> None:
    """Text that can be written into UTF-8 XML unchanged ('<', '&' are fine: lxml escapes)."""
    if value is None or value == "":
        if required:
            fail(field, f"{field}: es obligatorio.")
        return
    if not isinstance(value, str):
        fail(field, f"{field}: debe ser texto.")
    assert isinstance(value, str)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        fail(
            field, f"{field}: contiene caracteres que no son UTF-8 válido; corrija la codificación."
        )
    if _XML_ILLEGAL.search(value):
        fail(field, f"{field}: contiene caracteres de control no permitidos en XML.")
    if required and not value.strip():
        fail(field, f"{field}: es obligatorio.")
    if len(value) > max_len:
        fail(field, f"{field}: supera {max_len} caracteres.")


def digits(field: str, value: object, *, min_len: int = 1, max_len: int = 15) -> None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        fail(field, f"{field}: debe contener solo dígitos, sin puntos, guiones ni DV.")
    assert isinstance(value, str)
    if not min_len <= len(value) <= max_len:
        fail(field, f"{field}: debe tener entre {min_len} y {max_len} dígitos.")


def decimal(field: str, value: object, *, positive: bool = False) -> None:
    """A finite Decimal, not negative (VLR01); strictly positive when asked."""
    if not isinstance(value, Decimal) or not value.is_finite():
        fail(field, f"{field}: debe ser un número decimal.")
    assert isinstance(value, Decimal)
    if value < 0:
        fail(field, f"{field}: no puede ser negativo (regla VLR01).")
    if positive and value == 0:
        fail(field, f"{field}: debe ser mayor que cero.")


def one_of(field: str, value: object, allowed: object, label: str) -> None:
    if value not in allowed:  # type: ignore[operator]
        options = ", ".join(sorted(str(a) for a in allowed))  # type: ignore[attr-defined]
        fail(field, f"{field}: '{value}' no es un {label} válido (use uno de: {options}).")


def email(field: str, value: str | None) -> None:
    if value is None:
        return
    text(field, value, max_len=254)
    if not _EMAIL.match(value):
        fail(field, f"{field}: '{value}' no es un correo electrónico válido.")
