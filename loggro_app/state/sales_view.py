"""View models of *Ventas*: what the pages show of documents, lines and totals, as text.

Page state holds serializable strings (never Decimal nor table rows); these functions make
them. Amounts come from the DIAN core's totals (`core.sales.preview_totals`): nothing here
adds or multiplies money.
"""

from __future__ import annotations

from decimal import Decimal

from loggro_app.core.clock import BOGOTA, aware
from loggro_app.core.money import format_cop
from loggro_app.core.sales import KINDS, LineInput
from loggro_app.dian import Totals, codes
from loggro_app.models import SalesDocument
from loggro_app.services.issuing import (
    STEP_ACCEPTED,
    STEP_CONTINGENCY,
    STEP_NUMBERING,
    STEP_PENDING,
    STEP_REJECTED,
    STEP_SENDING,
    STEP_SIGNING,
)
from loggro_app.services.sales import STATUS_LABELS

# Radix colour of each status badge.
STATUS_COLORS = {"draft": "gray", "queued": "blue", "sending": "blue", "pending": "amber",
                 "accepted": "green", "rejected": "red", "contingency": "amber"}
# The page keeps reading the row while the work runs.
WORKING = ("queued", "sending", "pending", "contingency")
PROGRESS = (STEP_NUMBERING, STEP_SIGNING, STEP_SENDING, STEP_ACCEPTED)
LINE_FIELDS = ("description", "quantity", "unit_code", "unit_price", "discount", "tax",
               "item_code", "brand", "model")


def money(value: Decimal, currency: str = "COP") -> str:
    """An amount as people read it; foreign currencies keep the Colombian separators."""
    text = format_cop(value)
    return text if currency == "COP" else f"{currency} {text.removeprefix('$ ')}"


def percent_text(percent: Decimal) -> str:
    """Decimal('19.00') -> '19', Decimal('2.50') -> '2,5'."""
    text = format(percent.normalize(), "f")
    return text.replace(".", ",")


def totals_rows(totals: Totals | None, currency: str = "COP") -> list[dict[str, str]]:
    """Subtotal, each tax per rate, the total, each withholding and what is left to collect."""
    if totals is None:
        return []
    rows = [{"label": "Subtotal", "amount": money(totals.line_extension, currency),
             "role": "subtotal"}]
    for tax in totals.tax_totals:
        for sub in tax.subtotals:
            name = codes.TAX_NAMES.get(tax.scheme, tax.scheme)
            rows.append({"label": f"{name} {percent_text(sub.percent)} %",
                         "amount": money(sub.amount, currency), "role": "tax"})
    rows.append({"label": "Total", "amount": money(totals.payable, currency), "role": "total"})
    held = Decimal(0)
    for withholding in totals.withholding_totals:
        for sub in withholding.subtotals:
            name = codes.TAX_NAMES.get(withholding.scheme, withholding.scheme)
            held += sub.amount
            rows.append({"label": f"{name} {percent_text(sub.percent)} %",
                         "amount": money(-sub.amount, currency), "role": "withholding"})
    if held:
        rows.append({"label": "Neto a recibir", "amount": money(totals.payable - held, currency),
                     "role": "net"})
    return rows


def blank_line() -> dict[str, str]:
    return {"description": "", "quantity": "1", "unit_code": "94", "unit_price": "",
            "discount": "", "tax": "IVA_19", "item_code": "", "brand": "", "model": ""}


def line_view(line: LineInput) -> dict[str, str]:
    return {name: str(getattr(line, name)) for name in LINE_FIELDS}


def line_input(view: dict[str, str]) -> LineInput:
    return LineInput(**{name: str(view.get(name, "")) for name in LINE_FIELDS})


def document_number(row: SalesDocument) -> str:
    return f"{row.prefix}{row.number}" if row.number is not None else "Sin número"


def document_date(row: SalesDocument) -> str:
    # how dates are written in Colombia: day/month/year
    return aware(row.issued_at or row.created_at).astimezone(BOGOTA).strftime("%d/%m/%Y")


def document_row(row: SalesDocument) -> dict[str, str]:
    """One row of the *Ventas* list."""
    return {
        "id": str(row.id), "kind": row.kind, "kind_label": KINDS.get(row.kind, row.kind),
        "number": document_number(row), "customer": row.customer_name or "Sin cliente",
        "total": money(row.total, row.currency) if row.number is not None else "—",
        "status": row.status, "status_label": STATUS_LABELS.get(row.status, row.status),
        "color": STATUS_COLORS.get(row.status, "gray"), "date": document_date(row),
    }


def steps_of(status: str, step: str) -> list[dict[str, str]]:
    """The issuing steps with each one's state: done, current, todo, failed."""
    if status == "draft":
        return []
    if status == "accepted":
        return [{"label": label, "state": "done"} for label in PROGRESS]
    if status in ("pending", "contingency"):
        done = PROGRESS[:2]
        waiting = STEP_PENDING if status == "pending" else STEP_CONTINGENCY
        return [*({"label": label, "state": "done"} for label in done),
                {"label": waiting, "state": "current"}]
    if status == "rejected":
        return [*({"label": label, "state": "done"} for label in PROGRESS[:2]),
                {"label": STEP_REJECTED, "state": "failed"}]
    current = PROGRESS.index(step) if step in PROGRESS else 0
    return [{"label": label, "state": "done" if i < current else
             "current" if i == current else "todo"} for i, label in enumerate(PROGRESS)]
