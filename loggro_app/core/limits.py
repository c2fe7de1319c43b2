"""Ranges of the numbers people type, and one parser that enforces them (pure).

Every numeric field has a minimum and a maximum, shown on the page and enforced here, so
that 20 typed digits become a Spanish message next to the field instead of an overflow in
the database (PostgreSQL's INTEGER stops at 2 147 483 647).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loggro_app.core.errors import ValidationError

_WHOLE = re.compile(r"[0-9]+")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+")


@dataclass(frozen=True)
class IntRange:
    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.minimum > self.maximum:
            raise ValueError(f"empty range {self.minimum}..{self.maximum}")

    @property
    def hint(self) -> str:
        """What the page says under the field, e.g. 'Entre 1 y 999.999.999'."""
        return f"Entre {group(self.minimum)} y {group(self.maximum)}"


# A consecutive's numbers: within INTEGER even after the last one (next_number = to + 1).
NUMBERING_RANGE = IntRange(1, 999_999_999)
# DIAN resolution numbers have 11 to 14 digits; 20 leaves room without accepting nonsense.
RESOLUTION_NUMBER_DIGITS = 20


def group(value: int) -> str:
    """An integer with Colombian thousands separators: 1234567 -> '1.234.567'."""
    return f"{value:,}".replace(",", ".")


def parse_int(raw: object, *, field: str, label: str, allowed: IntRange) -> int:
    """A whole number typed in `field`, within `allowed`; a precise Spanish error otherwise.

    `label` names the field in a sentence ("La numeración final"). Dots grouping
    thousands are accepted because that is how amounts are written in Colombia.
    """
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValidationError({field: f"Escribe {label.lower()}."})
    text = str(raw).strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if not text:
        raise ValidationError({field: f"Escribe {label.lower()}."})
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not _WHOLE.fullmatch(body):
        raise ValidationError({field: f"{label} debe ser un número entero, sin letras."})
    # Too many digits is out of range whatever they are: 5,000 digits never reach int().
    widest = len(str(max(abs(allowed.minimum), abs(allowed.maximum))))
    value = (-1 if negative else 1) * (10 ** widest if len(body.lstrip("0")) > widest
                                       else int(body))
    if value > allowed.maximum:
        raise ValidationError({field: f"{label} admite máximo {group(allowed.maximum)}."})
    if value < allowed.minimum:
        raise ValidationError({field: f"{label} debe ser al menos {group(allowed.minimum)}."})
    return value


# Free text lengths: enough for any real value, short enough for a PDF line and a UBL field.
MAX_NAME = 200
MAX_ADDRESS = 200
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*")
PHONE_DIGITS = IntRange(7, 15)  # a fixed line with area code up to an international number
PHONE_HINT = "Solo dígitos, espacios, +, - y paréntesis; de 7 a 15 dígitos."


def check_text(raw: str | None, *, field: str, label: str, maximum: int,
               required: str = "") -> str:
    """Trimmed text up to `maximum` characters; `required` is the message when empty."""
    text = (raw or "").strip()
    if not text and required:
        raise ValidationError({field: required})
    if len(text) > maximum:
        raise ValidationError({field: f"{label} admite máximo {maximum} caracteres; tiene "
                                      f"{group(len(text))}."})
    return text


def check_phone(raw: str | None, *, field: str = "phone") -> str:
    """An optional phone number as people write it: '+57 (604) 444-1234'."""
    text = (raw or "").strip()
    if not text:
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if len(text) > 25 or not _PHONE.fullmatch(text) \
            or not PHONE_DIGITS.minimum <= digits <= PHONE_DIGITS.maximum:
        raise ValidationError({field: f"«{text[:25]}» no es un teléfono. {PHONE_HINT}"})
    return text
