"""UBL money blocks: taxes, withholdings, monetary totals, allowances, lines (SPEC §2.7, §2.8)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from lxml import etree

from loggro_app.core.money import fmt2, fmt_quantity, fmt_rate
from loggro_app.dian import codes
from loggro_app.dian.model.document import Payment
from loggro_app.dian.model.lines import AllowanceCharge, Line
from loggro_app.dian.totals import LineTotals, TaxTotal, Totals
from loggro_app.dian.ubl.parties import tax_scheme
from loggro_app.dian.xmlns import cac, cbc, copied_block


def money(parent: etree._Element, name: str, amount: Decimal, currency: str) -> None:
    cbc(parent, name, fmt2(amount), currencyID=currency)


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
    node = cac(parent, "AllowanceCharge")
    cbc(node, "ID", str(index))
    cbc(node, "ChargeIndicator", "true" if item.is_charge else "false")
    if not item.is_charge:
        cbc(
            node, "AllowanceChargeReasonCode", "00"
        )  # 00 = descuento no condicionado (table 13.3.8)
    cbc(node, "AllowanceChargeReason", item.reason)
    if base > 0:
        cbc(node, "MultiplierFactorNumeric", fmt_rate(item.amount * 100 / base))
    money(node, "Amount", item.amount, currency)
    money(node, "BaseAmount", base, currency)


def tax_total(
    parent: etree._Element, total: TaxTotal, currency: str, element: str = "TaxTotal"
) -> None:
    """TaxTotal / WithholdingTaxTotal: one per scheme, one TaxSubtotal per rate (FAS01b)."""
    node = cac(parent, element)
    money(node, "TaxAmount", total.amount, currency)
    for sub in total.subtotals:
        subtotal = cac(node, "TaxSubtotal")
        money(subtotal, "TaxableAmount", sub.taxable, currency)
        money(subtotal, "TaxAmount", sub.amount, currency)
        percent = fmt_rate(sub.percent)
        # A handful of (rate, scheme) pairs recur on every line: copied (`copied_block`).
        key = (tax_category, percent, sub.scheme)
        copied_block(subtotal, key, partial(tax_category, percent=percent, scheme=sub.scheme))


def tax_category(parent: etree._Element, percent: str, scheme: str) -> None:
    category = cac(parent, "TaxCategory")
    cbc(category, "Percent", percent)
    tax_scheme(category, scheme, codes.TAX_NAMES[scheme])


def monetary_total(
    parent: etree._Element, totals: Totals, currency: str, element: str = "LegalMonetaryTotal"
) -> None:
    """LegalMonetaryTotal (RequestedMonetaryTotal for debit notes) (FAU02..FAU14)."""
    node = cac(parent, element)
    money(node, "LineExtensionAmount", totals.line_extension, currency)
    money(node, "TaxExclusiveAmount", totals.tax_exclusive, currency)
    money(node, "TaxInclusiveAmount", totals.tax_inclusive, currency)
    money(node, "AllowanceTotalAmount", totals.allowance_total, currency)
    money(node, "ChargeTotalAmount", totals.charge_total, currency)
    if totals.prepaid:
        money(node, "PrepaidAmount", totals.prepaid, currency)
    money(node, "PayableAmount", totals.payable, currency)


def _per_line_group(lt: LineTotals, taxes: bool) -> list[TaxTotal]:
    items = lt.taxes if taxes else lt.withholdings
    return [TaxTotal(t.scheme, t.amount, (t,)) for t in items]


def _line_allowances(node: etree._Element, item: Line, lt: LineTotals, currency: str) -> None:
    for i, allowance in enumerate(item.allowances, start=1):
        allowance_charge(node, i, allowance, lt.gross, currency)


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
    """InvoiceLine / CreditNoteLine / DebitNoteLine (FAV..FBD rules)."""
    node = cac(parent, element)
    cbc(node, "ID", str(index))
    cbc(node, quantity_name, fmt_quantity(item.quantity), unitCode=item.unit_code)
    money(node, "LineExtensionAmount", lt.line_extension, currency)
    if period_start is not None:
        # DSFC01: documento soporte lines carry InvoicePeriod (1 = por operación).
        period = cac(node, "InvoicePeriod")
        cbc(period, "StartDate", period_start)
        cbc(period, "DescriptionCode", "1")
        cbc(period, "Description", "Por operación")
    # InvoiceLine: AllowanceCharge, TaxTotal, WithholdingTaxTotal; note lines put TaxTotal
    # first and have no WithholdingTaxTotal (UBL 2.1 CreditNoteLine/DebitNoteLine).
    is_invoice_line = element == "InvoiceLine"
    if is_invoice_line:
        _line_allowances(node, item, lt, currency)
    for group in _per_line_group(lt, taxes=True):
        tax_total(node, group, currency)
    if is_invoice_line:
        for group in _per_line_group(lt, taxes=False):
            tax_total(node, group, currency, element="WithholdingTaxTotal")
    else:
        _line_allowances(node, item, lt, currency)
    # Catalogue items recur from document to document: Item and Price are copied.
    unit_price = fmt_quantity(item.unit_price)
    key = (item_and_price, item.description, item.brand, item.model, item.code)
    copied_block(
        node,
        (*key, unit_price, item.unit_code, currency),
        partial(item_and_price, item=item, unit_price=unit_price, currency=currency),
    )


def item_and_price(parent: etree._Element, *, item: Line, unit_price: str, currency: str) -> None:
    item_node = cac(parent, "Item")
    cbc(item_node, "Description", item.description)
    if item.brand:  # export lines (02) carry brand and model
        cbc(item_node, "BrandName", item.brand)
    if item.model:
        cbc(item_node, "ModelName", item.model)
    sellers = cac(item_node, "SellersItemIdentification")
    cbc(sellers, "ID", item.code)
    standard = cac(item_node, "StandardItemIdentification")
    # FAZ09: 999 = estándar de adopción del contribuyente.
    cbc(
        standard,
        "ID",
        item.code,
        schemeID="999",
        schemeName="Estándar de adopción del contribuyente",
    )
    price = cac(parent, "Price")
    # Unit prices may carry more than 2 decimals; only computed amounts are cents.
    cbc(price, "PriceAmount", unit_price, currencyID=currency)
    cbc(price, "BaseQuantity", "1.00", unitCode=item.unit_code)
