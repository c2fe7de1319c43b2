"""What a sale to a buyer abroad asks of the *Ventas* form: it is a factura de exportación
(InvoiceTypeCode 02), so besides the lines (each with brand and model, `core.sales`) it names
the delivery terms (INCOTERMS) and a foreign currency with its exchange rate. The DIAN core
refuses an export without them (`dian/rules/export.py`); here the person learns it field by
field, in the form, before anything is numbered.
"""

from __future__ import annotations

from loggro_app.core.customer_rules import is_abroad
from loggro_app.dian import INCOTERMS

MAX_BRAND = 100  # cbc:BrandName / cbc:ModelName as the DIAN core bounds them
MAX_PLACE = 300  # cbc:SpecialTerms
INCOTERM_CHOICES = {code: f"{code} · {name}" for code, name in INCOTERMS.items()}


HOTEL_ORIGIN = "alojamientos"  # SalesDocument.origin of what the hotel PMS sends


def is_export(kind: str, country_code: str, origin: str = "") -> bool:
    """An invoice to a customer abroad is an export; its notes are plain notes. A hotel's
    invoice to a foreign guest is not: the lodging is a service rendered in Colombia."""
    return kind == "FE" and is_abroad(country_code) and origin != HOTEL_ORIGIN


def brand_model_errors(brand: str, model: str, *, export: bool) -> dict[str, str]:
    """Errors of a line's brand and model, keyed 'brand' / 'model'."""
    errors: dict[str, str] = {}
    for name, value, noun, pronoun in (("brand", brand, "la marca", "la"),
                                       ("model", model, "el modelo", "lo")):
        text = value.strip()
        if export and not text:
            errors[name] = (f"Escribe {noun} del producto: la DIAN {pronoun} exige en cada "
                            "línea de una factura de exportación.")
        elif len(text) > MAX_BRAND:
            errors[name] = f"{noun.capitalize()} admite máximo {MAX_BRAND} caracteres."
    return errors


def terms_errors(currency: str, incoterm: str, place: str) -> dict[str, str]:
    """Currency, INCOTERM and agreed place of an export invoice."""
    errors: dict[str, str] = {}
    if currency == "COP":
        errors["currency"] = ("Una factura de exportación va en la moneda pactada con el "
                              "comprador: elige USD o EUR y escribe la tasa de cambio.")
    if incoterm not in INCOTERMS:
        errors["incoterm"] = ("Elige el INCOTERM pactado con el comprador (p. ej. FOB, CIF o "
                              "EXW): la DIAN lo exige en una factura de exportación.")
    if len(place.strip()) > MAX_PLACE:
        errors["delivery_place"] = f"El lugar de entrega admite máximo {MAX_PLACE} caracteres."
    return errors
