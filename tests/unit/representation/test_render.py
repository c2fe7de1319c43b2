"""The rendered PDF and HTML: text content, the QR as scanned, and page 1 against a golden."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from loggro_app.core.clock import FixedClock
from loggro_app.dian import build_document, samples
from loggro_app.representation import GraphicData, render_html, render_pdf
from tests.unit.representation.conftest import (
    GOLDEN,
    ISSUED_AT,
    graphic_data,
    need_binary,
    pdf_page_png,
    update_golden,
)

GOLDEN_DPI = 60
GOLDEN_INVOICE = GOLDEN / "invoice-page1.png"
# Share of pixels allowed to differ visibly (channel difference > 64 of 255): room for
# anti-aliasing differences between poppler/cairo builds, far below any layout change
# (one changed digit of the total already moves more than this).
PIXEL_TOLERANCE = 0.002


@pytest.fixture(scope="module")
def invoice_data() -> GraphicData:
    return graphic_data(samples.invoice(ISSUED_AT))


@pytest.fixture(scope="module")
def invoice_pdf(invoice_data: GraphicData) -> bytes:
    return render_pdf(invoice_data)


def pdf_text(pdf: bytes) -> str:
    """All pages' text with whitespace runs collapsed (line breaks fall anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_pdf_is_a4_and_holds_the_legal_content(invoice_pdf: bytes, invoice_data) -> None:
    page = PdfReader(io.BytesIO(invoice_pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = pdf_text(invoice_pdf)
    assert invoice_data.unique_code in text  # the CUFE in full, 96 characters
    assert "Factura electrónica de venta" in text
    assert "SETP990000001" in text
    assert "NIT 900123456-8" in text and "NIT 800199436-4" in text
    assert (
        "Resolución N° 18760000001 del 19/01/2019, prefijo SETP del 990000000 al 995000000, "
        "vigencia desde el 19/01/2019 hasta el 19/01/2030" in text
    )
    assert "TRESCIENTOS SESENTA Y DOS MIL OCHOCIENTOS CINCUENTA Y UN PESOS" in text
    assert "Comercializadora Andina & Cía <Ltda>" in text  # escaped in HTML, literal in PDF
    assert "Proveedor tecnológico: Loggro S.A.S. NIT 900123456-8" in text
    assert "22/11/2026 10:30:09" in text


def test_note_pdf_prints_the_referenced_invoice() -> None:
    invoice = samples.invoice(ISSUED_AT)
    code = build_document(invoice, signer=None, clock=FixedClock(ISSUED_AT)).unique_code
    text = pdf_text(render_pdf(graphic_data(samples.credit_note(ISSUED_AT, code))))
    assert "Nota crédito electrónica" in text and "NC1" in text
    assert code in text  # the CUFE of the corrected invoice
    assert "Devolución parcial de mercancía" in text


def test_contingency_pdf_carries_the_legend() -> None:
    from dataclasses import replace

    contingency = replace(samples.invoice(ISSUED_AT), invoice_type="04")
    text = pdf_text(render_pdf(graphic_data(contingency, validated=False)))
    assert "contingencia DIAN (tipo 04)" in text


def test_forty_lines_flow_onto_more_pages_with_numbers() -> None:
    pdf = render_pdf(graphic_data(samples.invoice(ISSUED_AT, line_count=40)))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert f"Página {len(reader.pages)} de {len(reader.pages)}" in last
    assert "Total a pagar" in last


def test_qr_decodes_to_the_document_qr_text(
    invoice_pdf: bytes, invoice_data: GraphicData, tmp_path: Path
) -> None:
    zbarimg = need_binary("zbarimg", "zbar-tools")
    png = pdf_page_png(invoice_pdf, tmp_path, dpi=150)
    scanned = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        check=True, capture_output=True, timeout=60,
    ).stdout.decode("utf-8")
    assert scanned.removesuffix("\n") == invoice_data.qr_text


def test_page_one_matches_the_golden_image(invoice_pdf: bytes, tmp_path: Path) -> None:
    png = pdf_page_png(invoice_pdf, tmp_path, dpi=GOLDEN_DPI)
    if update_golden():
        GOLDEN.mkdir(exist_ok=True)
        GOLDEN_INVOICE.write_bytes(png.read_bytes())
    with Image.open(GOLDEN_INVOICE) as golden, Image.open(png) as rendered:
        assert rendered.size == golden.size
        changed = different_pixels(golden.convert("RGB"), rendered.convert("RGB"))
    assert changed / (golden.width * golden.height) <= PIXEL_TOLERANCE, (
        f"{changed} pixels differ from {GOLDEN_INVOICE.name}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the image"
    )


def different_pixels(a: Image.Image, b: Image.Image) -> int:
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 64 else 0)
    return sum(1 for v in diff.getdata() if v)


def test_the_golden_comparison_sees_a_changed_total(invoice_data: GraphicData,
                                                    tmp_path: Path) -> None:
    """The tolerance is not so loose that a different amount would pass."""
    from dataclasses import replace

    document = invoice_data.document
    cheaper = replace(document, lines=(replace(document.lines[0], unit_price=document.lines[0]
                                               .unit_price - 1), *document.lines[1:]))
    png = pdf_page_png(render_pdf(graphic_data(cheaper)), tmp_path, dpi=GOLDEN_DPI)
    with Image.open(GOLDEN_INVOICE) as golden, Image.open(png) as rendered:
        changed = different_pixels(golden.convert("RGB"), rendered.convert("RGB"))
    assert changed / (golden.width * golden.height) > PIXEL_TOLERANCE


def test_html_preview_is_self_contained_escaped_and_responsive(invoice_data) -> None:
    html = render_html(invoice_data)
    assert "@media screen and (max-width: 640px)" in html  # the phone layout
    assert '<meta name="viewport"' in html
    assert "Comercializadora Andina &amp; Cía &lt;Ltda&gt;" in html
    assert "<Ltda>" not in html
    assert 'src="data:image/png;base64,' in html  # QR embedded, no outside request
    assert invoice_data.unique_code in html
