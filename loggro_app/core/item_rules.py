"""Validation of items (*productos*) and payment methods (*formas de pago*)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from loggro_app.core.errors import ValidationError
from loggro_app.core.money import CENT
from loggro_app.dian.codes import PAYMENT_FORMS, TAX_OPTIONS, payment_means, units

MAX_PRICE = Decimal("999999999999.99")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_PLAIN_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")  # no exponent, sign, '_' nor 'Infinity'
PRICE_HINT = "Entre 0 y 999.999.999.999,99; máximo dos decimales."


def parse_price(raw: str, field: str = "price") -> Decimal:
    """A COP amount typed by a person: '1.500,50', '1500.5' or '1500' -> Decimal('1500.50')."""
    text = (raw or "").strip().replace("$", "").replace(" ", "")
    if not text:
        raise ValidationError({field: "Escribe el precio."})
    if "," in text or _THOUSANDS.fullmatch(text):
        # Colombian style: '.' groups thousands, ',' marks decimals ("84.000" is 84 mil)
        text = text.replace(".", "").replace(",", ".")
    if text.startswith("-") and _PLAIN_AMOUNT.fullmatch(text[1:]):
        raise ValidationError({field: "El precio no puede ser negativo."})
    if not _PLAIN_AMOUNT.fullmatch(text) or len(text) > 40:
        raise ValidationError({field: f"«{raw[:40]}» no es un precio: escribe solo dígitos, "
                                      "con coma para los decimales (p. ej. 84.000 o 1500,50)."})
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        raise ValidationError({field: f"«{raw}» no es un precio válido."}) from None
    if value != value.quantize(CENT):
        raise ValidationError({field: "El precio admite máximo dos decimales."})
    if value > MAX_PRICE:
        raise ValidationError({field: "El precio admite máximo 999.999.999.999,99."})
    return value.quantize(CENT)


@dataclass(frozen=True)
class ItemData:
    code: str
    name: str
    unit_code: str
    price: Decimal
    tax_code: str

    @classmethod
    def parse(cls, *, code: str, name: str, unit_code: str, price: str, tax_code: str) -> ItemData:
        errors: dict[str, str] = {}
        code, name = (code or "").strip(), (name or "").strip()
        if not code:
            errors["code"] = "Escribe el código del producto."
        elif len(code) > 50:
            errors["code"] = "El código admite máximo 50 caracteres."
        if not name:
            errors["name"] = "Escribe el nombre del producto."
        elif len(name) > 300:
            errors["name"] = "El nombre admite máximo 300 caracteres."
        if unit_code not in units():
            errors["unit_code"] = "Selecciona una unidad de medida de la lista de la DIAN."
        if tax_code not in TAX_OPTIONS:
            errors["tax_code"] = "Selecciona el impuesto: IVA 0 %, 5 %, 19 % o INC 8 %."
        parsed = Decimal("0")
        try:
            parsed = parse_price(price)
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            raise ValidationError(errors)
        return cls(code=code, name=name, unit_code=unit_code, price=parsed, tax_code=tax_code)


@dataclass(frozen=True)
class PaymentMethodData:
    name: str
    form_code: str
    means_code: str

    @classmethod
    def parse(cls, *, name: str, form_code: str, means_code: str) -> PaymentMethodData:
        errors: dict[str, str] = {}
        name = (name or "").strip()
        if not name:
            errors["name"] = "Escribe el nombre de la forma de pago."
        elif len(name) > 100:
            errors["name"] = "El nombre admite máximo 100 caracteres."
        if form_code not in PAYMENT_FORMS:
            errors["form_code"] = "Selecciona si es de contado o a crédito."
        if means_code not in payment_means():
            errors["means_code"] = "Selecciona un medio de pago de la lista de la DIAN."
        if errors:
            raise ValidationError(errors)
        return cls(name=name, form_code=form_code, means_code=means_code)
