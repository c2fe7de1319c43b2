"""The cash reference PDF: real weasyprint output, text read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from loggro_app.payments.cash_reference import (
    render_cash_reference_html,
    render_cash_reference_pdf,
    spanish_datetime,
)

# 03:30 UTC on the 30th is still the 29th in Bogotá (UTC-5): the date must be local.
EXPIRES = datetime(2026, 11, 30, 3, 30, tzinfo=UTC)
FIELDS = {
    "reference": "LG-2026-000123",
    "payment_code": "480215937761",
    "amount": Decimal("168000"),
    "expires_at": EXPIRES,
    "description": "2 paquetes de 50 documentos electrónicos",
    "organization": "Panadería La Espiga S.A.S.",
}


@pytest.fixture(scope="module")
def pdf_text() -> str:
    pdf = render_cash_reference_pdf(**FIELDS)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_shows_reference_code_amount_and_local_deadline(pdf_text: str) -> None:
    flat = " ".join(pdf_text.split())
    assert "LG-2026-000123" in flat
    assert "480215937761" in flat
    assert "$ 168.000" in flat
    assert "29 de noviembre de 2026, 22:30" in flat
    assert "Panadería La Espiga S.A.S." in flat


def test_pdf_explains_how_to_pay(pdf_text: str) -> None:
    flat = " ".join(pdf_text.split())
    assert "Cómo pagar" in flat
    assert "efectivo" in flat


def test_values_are_escaped_in_the_html() -> None:
    html = render_cash_reference_html(**{**FIELDS, "organization": "<script>x</script> & Cía"})  # type: ignore[arg-type]
    assert "<script>x" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Cía" in html


def test_a_dollar_sign_in_a_value_is_not_a_template_field() -> None:
    html = render_cash_reference_html(**{**FIELDS, "description": "Pago $reference"})  # type: ignore[arg-type]
    assert "Pago $reference" in html


def test_naive_deadlines_are_refused() -> None:
    with pytest.raises(ValueError):
        spanish_datetime(datetime(2026, 11, 30, 3, 30))
