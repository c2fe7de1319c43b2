"""What a person types to issue a document from *Ventas*: kind, lines, payment, references.

Everything is checked at once, one Spanish message per field, so the form can be fixed in
one pass. Lines become DIAN lines, and the live totals of the form come from the DIAN core's
own arithmetic (`dian.totals.totals_of`): the page never has a second formula.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from loggro_app.core import numbering
from loggro_app.core.errors import ValidationError
from loggro_app.core.export_sale import brand_model_errors, terms_errors
from loggro_app.core.item_rules import parse_price
from loggro_app.dian import (
    AllowanceCharge,
    Kind,
    Line,
    TaxRate,
    Totals,
    Withholding,
    codes,
    totals_of,
)

KINDS = numbering.KINDS  # one list of document kinds: what is numbered is what is sold
DIAN_KIND = {"FE": Kind.INVOICE, "NC": Kind.CREDIT_NOTE, "ND": Kind.DEBIT_NOTE,
             "DS": Kind.SUPPORT_DOCUMENT, "NA": Kind.SUPPORT_ADJUSTMENT}
# A note corrects a document of this kind, which DIAN must have accepted.
REFERENCED_KIND = {"NC": "FE", "ND": "FE", "NA": "DS"}
CONCEPTS = {"NC": codes.credit_note_concepts(), "ND": codes.debit_note_concepts(),
            "NA": codes.SUPPORT_ADJUSTMENT_CONCEPTS}

# Notes do not carry withholdings: their UBL has no slot for them.
WITHHOLDING_KINDS = ("FE", "DS")
EXCLUDED = "EXCLUIDO"  # no IVA at all: the line stays out of the taxable base (FAU04)
TAX_CHOICES = {
    "IVA_19": "IVA 19 %",
    "IVA_5": "IVA 5 %",
    "IVA_0": "IVA 0 % (exento)",
    "INC_8": "INC 8 %",
    EXCLUDED: "Excluido de IVA",
}
CURRENCIES = {"COP": "Peso colombiano", "USD": "Dólar estadounidense", "EUR": "Euro"}
RETEIVA_CHOICES = {"": "No aplica", **{rate: f"ReteIVA {rate} %" for rate in codes.RETEIVA_RATES}}

MAX_LINES = 200
MAX_NOTES = 1000
MAX_DESCRIPTION = 300
MAX_QUANTITY = Decimal("999999999")
QUANTITY_DECIMALS = 6
MAX_RATE = Decimal("100000")  # COP per unit of a foreign currency
TIP_REASON = "Propina voluntaria"
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def line_field(index: int, name: str) -> str:
    """The error key of one field of one line (index from 0, as the page lists them)."""
    return f"lines.{index}.{name}"


@dataclass(frozen=True)
class LineInput:
    """One line as typed: every value is the text of its input."""

    description: str
    quantity: str
    unit_price: str
    tax: str
    unit_code: str = "94"
    discount: str = ""
    item_code: str = ""
    brand: str = ""  # cbc:BrandName and cbc:ModelName: required on export invoices
    model: str = ""


@dataclass(frozen=True)
class Withholdings:
    """The withholdings the buyer practices on an invoice, as percents typed ('' = none)."""

    retefuente: str = ""
    reteica: str = ""
    reteiva: str = ""


@dataclass(frozen=True)
class DocumentForm:
    kind: str
    customer_id: int | None
    lines: tuple[LineInput, ...]
    payment_form: str = "1"
    payment_means: str = "10"
    due_date: str = ""
    notes: str = ""
    currency: str = "COP"
    exchange_rate: str = ""
    reference_id: int | None = None
    concept: str = ""
    concept_description: str = ""
    withholdings: Withholdings = field(default_factory=Withholdings)
    incoterm: str = ""  # delivery terms of an export invoice (INCOTERMS code)
    delivery_place: str = ""  # the place agreed with them, e.g. "Puerto de Cartagena"
    tip: str = ""  # a voluntary tip (propina): a charge on the whole invoice, outside IVA


@dataclass(frozen=True)
class CheckedForm:
    """A form that passed every check, with its values parsed."""

    form: DocumentForm
    lines: tuple[Line, ...]
    totals: Totals
    due_date: date | None
    exchange_rate: Decimal | None
    charges: tuple[AllowanceCharge, ...] = ()  # on the whole document (the tip)


def _decimal(raw: str) -> Decimal | None:
    text = (raw or "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not _NUMBER.fullmatch(text) or len(text) > 30:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def parse_quantity(raw: str, key: str) -> Decimal:
    value = _decimal(raw)
    if value is None:
        raise ValidationError({key: "Escribe la cantidad con números (p. ej. 2 o 1,5)."})
    if value <= 0:
        raise ValidationError({key: "La cantidad debe ser mayor que cero."})
    if value > MAX_QUANTITY:
        raise ValidationError({key: "La cantidad admite máximo 999.999.999."})
    if value != value.quantize(Decimal(1).scaleb(-QUANTITY_DECIMALS)):
        raise ValidationError({key: f"La cantidad admite máximo {QUANTITY_DECIMALS} decimales."})
    return value


def _taxes(tax: str) -> tuple[TaxRate, ...]:
    if tax == EXCLUDED:
        return ()
    _label, scheme, percent = codes.TAX_OPTIONS[tax]
    return (TaxRate(scheme, percent),)


def _withholdings(kind: str, tax: str, held: Withholdings,
                  errors: dict[str, str]) -> tuple[Withholding, ...]:
    if kind not in WITHHOLDING_KINDS:
        return ()
    found: list[Withholding] = []
    for scheme, raw, key in (("06", held.retefuente, "retefuente"),
                             ("07", held.reteica, "reteica")):
        if not raw.strip():
            continue
        value = _decimal(raw)
        if value is None or value <= 0 or value > 100:
            errors[key] = "Escribe el porcentaje de la retención, mayor que 0 y hasta 100."
        elif value != value.quantize(Decimal("0.001")):
            errors[key] = "El porcentaje admite máximo 3 decimales."
        else:
            found.append(Withholding(scheme, value))
    if held.reteiva:
        if held.reteiva not in codes.RETEIVA_RATES:
            errors["reteiva"] = "ReteIVA es 15 % o 100 %."
        elif tax.startswith("IVA_") and tax != "IVA_0":
            found.append(Withholding("05", Decimal(held.reteiva)))
    return tuple(found)


def parse_line(line: LineInput, index: int, kind: str = "FE",
               held: Withholdings = Withholdings(), *, export: bool = False) -> Line:
    """One typed line as a DIAN line; every problem of the line at once."""
    errors = {line_field(index, name): message for name, message in
              brand_model_errors(line.brand, line.model, export=export).items()}
    description = line.description.strip()
    if not description:
        errors[line_field(index, "description")] = "Escribe qué vendes en esta línea."
    elif len(description) > MAX_DESCRIPTION:
        errors[line_field(index, "description")] = (
            f"La descripción admite máximo {MAX_DESCRIPTION} caracteres.")
    quantity = price = None
    try:
        quantity = parse_quantity(line.quantity, line_field(index, "quantity"))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        price = parse_price(line.unit_price, line_field(index, "unit_price"))
        if price == 0:
            errors[line_field(index, "unit_price")] = "Escribe el precio unitario de la línea."
    except ValidationError as exc:
        errors.update(exc.errors)
    discount = Decimal(0)
    if line.discount.strip():
        try:
            discount = parse_price(line.discount, line_field(index, "discount"))
        except ValidationError as exc:
            errors.update({k: v.replace("precio", "descuento") for k, v in exc.errors.items()})
    if line.tax not in TAX_CHOICES:
        errors[line_field(index, "tax")] = "Elige el impuesto de la línea (IVA, INC o excluido)."
    if line.unit_code not in codes.units():
        errors[line_field(index, "unit_code")] = "Elige la unidad de medida."
    held_rates = _withholdings(kind, line.tax, held, errors) if line.tax in TAX_CHOICES else ()
    if quantity is not None and price is not None and discount > quantity * price:
        errors[line_field(index, "discount")] = (
            "El descuento no puede superar el valor de la línea.")
    if errors:
        raise ValidationError(errors)
    assert quantity is not None and price is not None
    code = line.item_code.strip() or f"L{index + 1}"
    allowances = (AllowanceCharge(discount, "Descuento"),) if discount else ()
    return Line(code[:50], description, quantity, price, unit_code=line.unit_code,
                taxes=_taxes(line.tax), withholdings=held_rates, allowances=allowances,
                brand=line.brand.strip() or None, model=line.model.strip() or None)


def parse_lines(lines: Sequence[LineInput], kind: str = "FE",
                held: Withholdings = Withholdings(), *,
                export: bool = False) -> tuple[Line, ...]:
    errors: dict[str, str] = {}
    if not lines:
        errors["lines"] = "Agrega al menos una línea."
    elif len(lines) > MAX_LINES:
        errors["lines"] = f"Un documento admite máximo {MAX_LINES} líneas."
    parsed: list[Line] = []
    for index, line in enumerate(lines[:MAX_LINES]):
        try:
            parsed.append(parse_line(line, index, kind, held, export=export))
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return tuple(parsed)


def preview_totals(lines: Sequence[LineInput], kind: str = "FE",
                   held: Withholdings = Withholdings()) -> Totals | None:
    """Totals of the lines that are complete, for the form while it is typed (None: none)."""
    complete = []
    for index, line in enumerate(lines[:MAX_LINES]):
        try:
            complete.append(parse_line(line, index, kind, held))
        except ValidationError:
            continue
    return totals_of(complete) if complete else None


def check_form(form: DocumentForm, *, today: date, export: bool = False) -> CheckedForm:
    """Every rule of the form at once; DIAN's own data checks come later, before numbering.
    `export`: an invoice to a customer abroad (`export_sale.is_export`)."""
    errors: dict[str, str] = {}
    if form.kind not in KINDS:
        raise ValidationError({"kind": "Elige el tipo de documento."})
    if form.customer_id is None:
        errors["customer_id"] = ("Elige el proveedor del documento soporte." if form.kind
                                 in ("DS", "NA") else "Elige el cliente (o consumidor final).")
    lines: tuple[Line, ...] = ()
    try:
        lines = parse_lines(form.lines, form.kind, form.withholdings, export=export)
    except ValidationError as exc:
        errors.update(exc.errors)
    if export:
        errors.update(terms_errors(form.currency, form.incoterm, form.delivery_place))
    if form.payment_form not in codes.PAYMENT_FORMS:
        errors["payment_form"] = "Elige la forma de pago: contado o crédito."
    if form.payment_means not in codes.payment_means():
        errors["payment_means"] = "Elige el medio de pago."
    due = None
    if form.payment_form == "2":
        try:
            due = date.fromisoformat(form.due_date)
        except ValueError:
            errors["due_date"] = "A crédito, escribe la fecha de vencimiento."
        else:
            if due < today:
                errors["due_date"] = "La fecha de vencimiento no puede ser anterior a hoy."
    if len(form.notes) > MAX_NOTES:
        errors["notes"] = f"Las notas admiten máximo {MAX_NOTES} caracteres."
    rate = None
    if form.currency not in CURRENCIES:
        errors["currency"] = "Elige la moneda: COP, USD o EUR."
    elif form.currency != "COP":
        rate = _decimal(form.exchange_rate)
        if rate is None or rate <= 0 or rate > MAX_RATE:
            errors["exchange_rate"] = (f"Escribe la tasa de cambio: pesos por 1 {form.currency}.")
            rate = None
        elif rate != rate.quantize(Decimal("0.01")):
            errors["exchange_rate"] = "La tasa de cambio admite máximo dos decimales."
            rate = None
    if form.kind in REFERENCED_KIND:
        if form.reference_id is None:
            referenced = KINDS[REFERENCED_KIND[form.kind]].lower()
            errors["reference_id"] = f"Elige la {referenced} que corrige esta nota."
        if form.concept not in CONCEPTS[form.kind]:
            errors["concept"] = "Elige el concepto de corrección."
        if not form.concept_description.strip():
            errors["concept_description"] = "Explica brevemente la corrección."
        elif len(form.concept_description) > 500:
            errors["concept_description"] = "La explicación admite máximo 500 caracteres."
    charges = _tip(form, errors)
    totals = None
    if lines and not errors:
        try:
            totals = totals_of(lines, charges)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    assert totals is not None
    return CheckedForm(form, lines, totals, due, rate, charges)


def _tip(form: DocumentForm, errors: dict[str, str]) -> tuple[AllowanceCharge, ...]:
    """The tip is not part of the sale: a charge after the taxes, outside IVA's base."""
    if not form.tip.strip():
        return ()
    amount = _decimal(form.tip)
    if form.kind != "FE":
        errors["tip"] = "La propina solo va en facturas."
    elif amount is None or amount <= 0 or amount > MAX_QUANTITY:
        errors["tip"] = "Escribe la propina como un valor mayor que cero."
    elif amount != amount.quantize(Decimal("0.01")):
        errors["tip"] = "La propina admite máximo dos decimales."
    else:
        return (AllowanceCharge(amount, TIP_REASON, is_charge=True),)
    return ()
