"""Lines, tax summary, withholdings and totals as printed; every figure from compute_totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from loggro_app.core.money import ZERO, format_amount
from loggro_app.dian import Document, Line, TaxTotal, Totals, codes, cop_equivalents

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    is_code: bool = False  # a CUFE/CUDE/CUDS: printed in monospace on one line


@dataclass(frozen=True)
class LineView:
    number: int
    code: str
    description: str
    detail: str  # brand / model (export), discount reasons
    quantity: str
    unit: str
    unit_price: str
    discount: str
    taxes: str
    total: str


@dataclass(frozen=True)
class TaxRow:
    name: str
    rate: str
    base: str
    amount: str


def money(amount: Decimal, currency: str = "COP") -> str:
    """'$ 1.234,50' for pesos, 'USD 1.234,50' otherwise."""
    text = format_amount(amount)
    symbol = "$" if currency == "COP" else currency
    return f"-{symbol} {text[1:]}" if text.startswith("-") else f"{symbol} {text}"


def number(value: Decimal) -> str:
    """A quantity or rate without trailing zeros, decimal comma: 1.50 -> '1,5'."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def percent(value: Decimal) -> str:
    return f"{number(value)} %"


def line_views(document: Document, totals: Totals) -> tuple[LineView, ...]:
    units = codes.units()
    views = []
    for i, (line, lt) in enumerate(zip(document.lines, totals.lines, strict=True), start=1):
        discount = format_amount(lt.allowance) if lt.allowance else ""
        if lt.charge:
            discount = f"{discount} +{format_amount(lt.charge)}".strip()
        views.append(
            LineView(
                number=i,
                code=line.code,
                description=line.description,
                detail=_detail(line),
                quantity=number(line.quantity),
                unit=units.get(line.unit_code, line.unit_code),
                unit_price=format_amount(line.unit_price),
                discount=discount,
                taxes=", ".join(f"{t.name} {percent(t.percent)}" for t in line.taxes),
                total=format_amount(lt.line_extension),
            )
        )
    return tuple(views)


def _detail(line: Line) -> str:
    parts = []
    if line.brand:
        parts.append(f"Marca: {line.brand}")
    if line.model:
        parts.append(f"Modelo: {line.model}")
    parts += [a.reason for a in line.allowances]
    return " · ".join(parts)


def tax_rows(groups: tuple[TaxTotal, ...], currency: str) -> tuple[TaxRow, ...]:
    """One row per tax and rate (the FAS01b grouping of compute_totals)."""
    return tuple(
        TaxRow(
            name=codes.TAX_NAMES[sub.scheme],
            rate=percent(sub.percent),
            base=money(sub.taxable, currency),
            amount=money(sub.amount, currency),
        )
        for group in groups
        for sub in group.subtotals
    )


def total_rows(document: Document, totals: Totals) -> tuple[Row, ...]:
    """Gross, discounts, subtotal, each tax, global allowances, prepaid, in reading order."""
    currency = document.currency
    gross = sum((lt.gross for lt in totals.lines), ZERO)
    line_allowance = sum((lt.allowance for lt in totals.lines), ZERO)
    line_charge = sum((lt.charge for lt in totals.lines), ZERO)
    rows = [Row("Valor bruto", money(gross, currency))]
    if line_allowance:
        rows.append(Row("Descuentos", money(-line_allowance, currency)))
    if line_charge:
        rows.append(Row("Cargos", money(line_charge, currency)))
    rows.append(Row("Subtotal", money(totals.line_extension, currency)))
    rows += [Row(codes.TAX_NAMES[t.scheme], money(t.amount, currency)) for t in totals.tax_totals]
    if totals.allowance_total:
        rows.append(Row("Descuentos globales", money(-totals.allowance_total, currency)))
    # each charge on the whole document by its reason: a tip reads "Propina voluntaria"
    rows += [Row(charge.reason, money(charge.amount, currency))
             for charge in document.allowances if charge.is_charge]
    if totals.prepaid:
        rows.append(Row("Anticipos", money(-totals.prepaid, currency)))
    return tuple(rows)


def withholding_total(totals: Totals, currency: str) -> str | None:
    if not totals.withholding_totals:
        return None
    return money(sum((w.amount for w in totals.withholding_totals), ZERO), currency)


def currency_rows(document: Document, totals: Totals) -> tuple[Row, ...]:
    """Currency, exchange rate and the COP equivalents of a foreign-currency document."""
    if document.exchange_rate is None:
        return ()
    cop = cop_equivalents(totals, document.exchange_rate)
    rate_date = document.exchange_rate_date or document.issued_at.date()
    return (
        Row(
            "Tasa de cambio",
            f"1 {document.currency} = {money(cop.rate)} COP ({rate_date:%d/%m/%Y})",
        ),
        Row("Subtotal en pesos", money(cop.line_extension)),
        Row("Impuestos en pesos", money(cop.taxes)),
        Row("Total en pesos", money(cop.payable)),
    )
