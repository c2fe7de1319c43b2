"""The cash payment reference the payer prints or shows at the cash desk, as PDF bytes.

Rendering is kept apart from delivery (download, e-mail); the template is plain HTML with
`$name` fields, and every value is HTML-escaped before it is placed, so a description or an
organization name cannot inject markup into the document.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape
from importlib import resources
from string import Template

from loggro_app.core.clock import BOGOTA
from loggro_app.payments.amounts import format_pesos

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre")


def spanish_datetime(value: datetime) -> str:
    """An aware datetime as Bogotá time: '29 de noviembre de 2026, 18:30'."""
    if value.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    local = value.astimezone(BOGOTA)
    return f"{local.day} de {_MONTHS[local.month - 1]} de {local.year}, {local:%H:%M}"


def render_cash_reference_html(
    *,
    reference: str,
    payment_code: str,
    amount: Decimal,
    expires_at: datetime,
    description: str,
    organization: str = "",
) -> str:
    template = Template(
        resources.files("loggro_app.payments")
        .joinpath("cash_reference.html")
        .read_text(encoding="utf-8")
    )
    values = {
        "reference": reference,
        "payment_code": payment_code,
        "amount": format_pesos(amount),
        "expires_at": spanish_datetime(expires_at),
        "description": description,
        "organization": organization,
    }
    return template.substitute({key: escape(value) for key, value in values.items()})


def render_cash_reference_pdf(
    *,
    reference: str,
    payment_code: str,
    amount: Decimal,
    expires_at: datetime,
    description: str,
    organization: str = "",
) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is really wanted

    html = render_cash_reference_html(
        reference=reference,
        payment_code=payment_code,
        amount=amount,
        expires_at=expires_at,
        description=description,
        organization=organization,
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
