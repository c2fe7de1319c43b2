"""Monetary totals computed from the lines (SPEC §2.8, rules FAU02..FAU14, FAS01b).

Each line amount is rounded to cents once (money.round_money); header totals are exact sums of
the rounded line figures, so every total in the XML adds up to the cent and the values
the CUFE hashes are the ones written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from loggro_app.core.errors import ValidationError
from loggro_app.core.money import ZERO, round_money
from loggro_app.dian.model.document import Document
from loggro_app.dian.model.lines import AllowanceCharge, Line

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxAmount:
    """One tax (or withholding) at one rate: base, percent, amount."""

    scheme: str
    percent: Decimal
    taxable: Decimal
    amount: Decimal


@dataclass(frozen=True)
class TaxTotal:
    """Header group for one tax scheme, one subtotal per rate (FAS01b)."""

    scheme: str
    amount: Decimal
    subtotals: tuple[TaxAmount, ...]


@dataclass(frozen=True)
class LineTotals:
    gross: Decimal  # quantity x unit price
    allowance: Decimal
    charge: Decimal
    line_extension: Decimal
    taxes: tuple[TaxAmount, ...]
    withholdings: tuple[TaxAmount, ...]


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotals, ...]
    line_extension: Decimal
    tax_exclusive: Decimal
    tax_inclusive: Decimal
    allowance_total: Decimal
    charge_total: Decimal
    prepaid: Decimal
    payable: Decimal
    tax_totals: tuple[TaxTotal, ...]
    withholding_totals: tuple[TaxTotal, ...]

    def tax_amount(self, scheme: str) -> Decimal:
        """Header TaxAmount of a scheme, 0.00 when absent (CUFE ValImp)."""
        for total in self.tax_totals:
            if total.scheme == scheme:
                return total.amount
        return ZERO


def line_totals(line: Line, index: int = 1) -> LineTotals:
    gross = round_money(line.quantity * line.unit_price)
    allowance = sum((a.amount for a in line.allowances if not a.is_charge), ZERO)
    charge = sum((a.amount for a in line.allowances if a.is_charge), ZERO)
    extension = gross - allowance + charge
    if extension < 0:
        raise ValidationError(
            {
                f"lineas[{index}]": f"línea {index}: los descuentos superan el "
                "valor de la línea (regla VLR01: no se admiten valores negativos)."
            }
        )
    taxes = tuple(
        TaxAmount(t.scheme, t.percent, extension, round_money(extension * t.percent / HUNDRED))
        for t in line.taxes
    )
    iva = sum((t.amount for t in taxes if t.scheme == "01"), ZERO)
    withholdings = tuple(
        TaxAmount(w.scheme, w.percent, base, round_money(base * w.percent / HUNDRED))
        for w in line.withholdings
        for base in [iva if w.scheme == "05" else extension]  # ReteIVA is on the IVA amount
    )
    return LineTotals(gross, allowance, charge, extension, taxes, withholdings)


def _group(amounts: list[TaxAmount]) -> tuple[TaxTotal, ...]:
    by_rate: dict[tuple[str, Decimal], list[TaxAmount]] = defaultdict(list)
    for item in amounts:
        by_rate[(item.scheme, item.percent)].append(item)
    by_scheme: dict[str, list[TaxAmount]] = defaultdict(list)
    for (scheme, percent), items in sorted(by_rate.items()):
        taxable = sum((i.taxable for i in items), ZERO)
        amount = sum((i.amount for i in items), ZERO)
        by_scheme[scheme].append(TaxAmount(scheme, percent, taxable, amount))
    return tuple(
        TaxTotal(scheme, sum((s.amount for s in subs), ZERO), tuple(subs))
        for scheme, subs in sorted(by_scheme.items())
    )


def compute_totals(document: Document) -> Totals:
    return totals_of(document.lines, document.allowances, document.prepaid)


def totals_of(document_lines: Sequence[Line], allowances: Sequence[AllowanceCharge] = (),
              prepaid_amount: Decimal = ZERO) -> Totals:
    """The totals of lines not yet in a document: the form's live totals use the very
    arithmetic the XML is built with."""
    lines = tuple(line_totals(line, i) for i, line in enumerate(document_lines, start=1))
    line_extension = sum((lt.line_extension for lt in lines), ZERO)
    tax_totals = _group([t for lt in lines for t in lt.taxes])
    withholding_totals = _group([w for lt in lines for w in lt.withholdings])
    # FAU04: Σ bases of the lines that carry a tax (each line counted once).
    tax_exclusive = sum((lt.line_extension for lt in lines if lt.taxes), ZERO)
    tax_inclusive = line_extension + sum((t.amount for t in tax_totals), ZERO)
    allowance_total = sum((a.amount for a in allowances if not a.is_charge), ZERO)
    charge_total = sum((a.amount for a in allowances if a.is_charge), ZERO)
    prepaid = round_money(prepaid_amount)
    payable = tax_inclusive - allowance_total + charge_total - prepaid
    if payable < 0:
        raise ValidationError(
            {
                "total": "total: descuentos globales y anticipos superan el total "
                "del documento (regla VLR01)."
            }
        )
    return Totals(
        lines,
        line_extension,
        tax_exclusive,
        tax_inclusive,
        allowance_total,
        charge_total,
        prepaid,
        payable,
        tax_totals,
        withholding_totals,
    )


@dataclass(frozen=True)
class CopEquivalents:
    """Pesos of a foreign-currency document: document amount x rate, rounded to cents.

    Res. 000165/2023 art. 66: documents are expressed in pesos colombianos, another
    currency may be added; the XML keeps the document currency (which the CUFE hashes)
    and states these COP values next to `cac:PaymentExchangeRate`.
    """

    rate: Decimal
    line_extension: Decimal
    taxes: Decimal
    payable: Decimal


def cop_equivalents(totals: Totals, rate: Decimal) -> CopEquivalents:
    taxes = sum((t.amount for t in totals.tax_totals), ZERO)
    return CopEquivalents(
        rate,
        round_money(totals.line_extension * rate),
        round_money(taxes * rate),
        round_money(totals.payable * rate),
    )
