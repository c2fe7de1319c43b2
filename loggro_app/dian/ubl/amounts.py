"""UBL money blocks: taxes, withholdings, monetary totals, allowances, lines (SPEC §2.7, §2.8)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from lxml import etree

from loggro_app.core.money import fmt2, fmt_quantity, fmt_rate
from loggro_app.dian import codes
from loggro_app.dian.model.document import Payment
from loggro_app.dian.model.lines import AllowanceCharge, Line
from loggro_app.dian.totals import LineTotals, TaxTotal, Totals
from loggro_app.dian.ubl.parties import tax_scheme
from loggro_app.dian.xmlns import cac, cbc, copied_block, filled_block


def payment_means(parent: etree._Element, payment: Payment) -> None:
    """PaymentMeans: ID = forma (1/2), code = medio; due date required for crédito."""
    node = cac(parent, "PaymentMeans")
    cbc(node, "ID", payment.form)
    cbc(node, "PaymentMeansCode", payment.means_code)
    if payment.due_date is not None:
        cbc(node, "PaymentDueDate", payment.due_date.isoformat())


def allowance_charge(
    parent: etree._Element, index: int, item: AllowanceCharge, base: Decimal, currency: str
) -> None:
    """AllowanceCharge: ChargeIndicator, reason, percent of base, amount, base (FAQ/FBE rules)."""
    shape = _allowance_shape(index, item, base, currency)
    _allowance_charge(shape, parent, iter(_allowance_texts(item, base)))


# An allowance's shape: its index, whether it is a charge, whether it has a base, currency.
AllowanceShape = tuple[int, bool, bool, str]


def _allowance_shape(
    index: int, item: AllowanceCharge, base: Decimal, currency: str
) -> AllowanceShape:
    return index, item.is_charge, base > 0, currency


def _allowance_texts(item: AllowanceCharge, base: Decimal) -> list[str]:
    """Reason, percent of base (with a base), amount, base: in `_allowance_charge`'s order."""
    percent = [fmt_rate(item.amount * 100 / base)] if base > 0 else []
    return [item.reason, *percent, fmt2(item.amount), fmt2(base)]


def _allowance_charge(shape: AllowanceShape, parent: etree._Element, texts: Iterator[str]) -> None:
    index, is_charge, with_base, currency = shape
    node = cac(parent, "AllowanceCharge")
    cbc(node, "ID", str(index))
    cbc(node, "ChargeIndicator", "true" if is_charge else "false")
    if not is_charge:
        cbc(node, "AllowanceChargeReasonCode", "00")  # 00 = descuento no condicionado (13.3.8)
    cbc(node, "AllowanceChargeReason", next(texts))
    if with_base:
        cbc(node, "MultiplierFactorNumeric", next(texts))
    cbc(node, "Amount", next(texts), currencyID=currency)
    cbc(node, "BaseAmount", next(texts), currencyID=currency)


def tax_total(
    parent: etree._Element, total: TaxTotal, currency: str, element: str = "TaxTotal"
) -> None:
    """TaxTotal / WithholdingTaxTotal: one per scheme, one TaxSubtotal per rate (FAS01b)."""
    shape = _tax_shape(total, currency, element)
    filled_block(parent, (_tax_total, shape), partial(_tax_total, shape), _tax_texts(total))


# A tax total's shape: element, currency and (percent, scheme) of each subtotal.
TaxShape = tuple[str, str, tuple[tuple[str, str], ...]]


def _tax_shape(total: TaxTotal, currency: str, element: str) -> TaxShape:
    return element, currency, tuple((fmt_rate(sub.percent), sub.scheme) for sub in total.subtotals)


def _tax_texts(total: TaxTotal) -> list[str]:
    """The amount, then each subtotal's taxable amount and tax: in `_tax_total`'s order."""
    texts = [fmt2(total.amount)]
    for sub in total.subtotals:
        texts += (fmt2(sub.taxable), fmt2(sub.amount))
    return texts


def _tax_total(shape: TaxShape, parent: etree._Element, texts: Iterator[str]) -> None:
    element, currency, categories = shape
    node = cac(parent, element)
    cbc(node, "TaxAmount", next(texts), currencyID=currency)
    for percent, scheme in categories:
        subtotal = cac(node, "TaxSubtotal")
        cbc(subtotal, "TaxableAmount", next(texts), currencyID=currency)
        cbc(subtotal, "TaxAmount", next(texts), currencyID=currency)
        # A handful of (rate, scheme) pairs recur on every line: copied (`copied_block`).
        key = (tax_category, percent, scheme)
        copied_block(subtotal, key, partial(tax_category, percent=percent, scheme=scheme))


def tax_category(parent: etree._Element, percent: str, scheme: str) -> None:
    category = cac(parent, "TaxCategory")
    cbc(category, "Percent", percent)
    tax_scheme(category, scheme, codes.TAX_NAMES[scheme])


def monetary_total(
    parent: etree._Element, totals: Totals, currency: str, element: str = "LegalMonetaryTotal"
) -> None:
    """LegalMonetaryTotal (RequestedMonetaryTotal for debit notes) (FAU02..FAU14)."""
    amounts = [
        ("LineExtensionAmount", totals.line_extension),
        ("TaxExclusiveAmount", totals.tax_exclusive),
        ("TaxInclusiveAmount", totals.tax_inclusive),
        ("AllowanceTotalAmount", totals.allowance_total),
        ("ChargeTotalAmount", totals.charge_total),
    ]
    if totals.prepaid:
        amounts.append(("PrepaidAmount", totals.prepaid))
    amounts.append(("PayableAmount", totals.payable))
    shape = (element, currency, tuple(name for name, _ in amounts))
    texts = [fmt2(amount) for _, amount in amounts]
    filled_block(parent, (_monetary_total, shape), partial(_monetary_total, shape), texts)


def _monetary_total(
    shape: tuple[str, str, tuple[str, ...]], parent: etree._Element, texts: Iterator[str]
) -> None:
    element, currency, names = shape
    node = cac(parent, element)
    for name in names:
        cbc(node, name, next(texts), currencyID=currency)


def _per_line_group(lt: LineTotals, taxes: bool) -> list[TaxTotal]:
    items = lt.taxes if taxes else lt.withholdings
    return [TaxTotal(t.scheme, t.amount, (t,)) for t in items]


class LineShape(NamedTuple):
    """All of a line but its texts: lines of one shape differ only in the texts. (A tuple:
    made and hashed for every line, faster than a frozen dataclass.)"""

    element: str  # InvoiceLine / CreditNoteLine / DebitNoteLine
    quantity_name: str
    unit_code: str
    currency: str
    with_period: bool  # documento soporte lines
    allowances: tuple[AllowanceShape, ...]
    taxes: tuple[TaxShape, ...]  # TaxTotal, then (invoice lines) WithholdingTaxTotal
    with_brand: bool
    with_model: bool


def line(
    parent: etree._Element,
    element: str,
    quantity_name: str,
    index: int,
    item: Line,
    lt: LineTotals,
    currency: str,
    *,
    period_start: str | None = None,
) -> None:
    """InvoiceLine / CreditNoteLine / DebitNoteLine (FAV..FBD rules), copied from the line
    last built in the same shape and filled with this one's texts (`filled_block`)."""
    is_invoice_line = element == "InvoiceLine"
    taxes = [(group, "TaxTotal") for group in _per_line_group(lt, taxes=True)]
    if is_invoice_line:
        withheld = _per_line_group(lt, taxes=False)
        taxes += [(group, "WithholdingTaxTotal") for group in withheld]
    allowances = list(enumerate(item.allowances, start=1))
    shape = LineShape(
        element=element,
        quantity_name=quantity_name,
        unit_code=item.unit_code,
        currency=currency,
        with_period=period_start is not None,
        allowances=tuple(_allowance_shape(i, a, lt.gross, currency) for i, a in allowances),
        taxes=tuple(_tax_shape(group, currency, name) for group, name in taxes),
        with_brand=bool(item.brand),
        with_model=bool(item.model),
    )
    texts = [str(index), fmt_quantity(item.quantity), fmt2(lt.line_extension)]
    if period_start is not None:  # DSFC01: documento soporte lines carry InvoicePeriod
        texts.append(period_start)
    allowance_texts = [text for _, a in allowances for text in _allowance_texts(a, lt.gross)]
    tax_texts = [text for group, _ in taxes for text in _tax_texts(group)]
    # Invoice lines: AllowanceCharge, TaxTotal, WithholdingTaxTotal; note lines put TaxTotal
    # first and have no WithholdingTaxTotal (UBL 2.1 CreditNoteLine/DebitNoteLine).
    if is_invoice_line:
        texts += allowance_texts + tax_texts
    else:
        texts += tax_texts + allowance_texts
    texts += _item_texts(item)
    filled_block(parent, (_line, shape), partial(_line, shape), texts)


def _line(shape: LineShape, parent: etree._Element, texts: Iterator[str]) -> None:
    node = cac(parent, shape.element)
    cbc(node, "ID", next(texts))
    cbc(node, shape.quantity_name, next(texts), unitCode=shape.unit_code)
    cbc(node, "LineExtensionAmount", next(texts), currencyID=shape.currency)
    if shape.with_period:  # 1 = por operación
        period = cac(node, "InvoicePeriod")
        cbc(period, "StartDate", next(texts))
        cbc(period, "DescriptionCode", "1")
        cbc(period, "Description", "Por operación")
    if shape.element == "InvoiceLine":
        for allowance in shape.allowances:
            _allowance_charge(allowance, node, texts)
    for tax in shape.taxes:
        _tax_total(tax, node, texts)
    if shape.element != "InvoiceLine":
        for allowance in shape.allowances:
            _allowance_charge(allowance, node, texts)
    item_and_price(node, shape, texts)


def _item_texts(item: Line) -> list[str]:
    """Description, brand, model, code (twice), unit price: in `item_and_price`'s order."""
    optional = [text for text in (item.brand, item.model) if text]
    return [item.description, *optional, item.code, item.code, fmt_quantity(item.unit_price)]


def item_and_price(parent: etree._Element, shape: LineShape, texts: Iterator[str]) -> None:
    item_node = cac(parent, "Item")
    cbc(item_node, "Description", next(texts))
    if shape.with_brand:  # export lines (02) carry brand and model
        cbc(item_node, "BrandName", next(texts))
    if shape.with_model:
        cbc(item_node, "ModelName", next(texts))
    sellers = cac(item_node, "SellersItemIdentification")
    cbc(sellers, "ID", next(texts))
    standard = cac(item_node, "StandardItemIdentification")
    # FAZ09: 999 = estándar de adopción del contribuyente.
    cbc(
        standard,
        "ID",
        next(texts),
        schemeID="999",
        schemeName="Estándar de adopción del contribuyente",
    )
    price = cac(parent, "Price")
    # Unit prices may carry more than 2 decimals; only computed amounts are cents.
    cbc(price, "PriceAmount", next(texts), currencyID=shape.currency)
    cbc(price, "BaseQuantity", "1.00", unitCode=shape.unit_code)
