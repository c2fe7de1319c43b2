"""Render the graphic representation: one Jinja2 template, as HTML (preview) or A4 PDF.

The compiled template is built once per process, the parsed stylesheet and WeasyPrint's font
configuration once per thread: parsing CSS and scanning fonts cost more than laying out a
page.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import segno
from jinja2 import Environment, FunctionLoader, StrictUndefined, Template
from markupsafe import Markup

from loggro_app.representation.data import GraphicData
from loggro_app.representation.view import DocumentView, document_view

PACKAGE = "loggro_app.representation"


def _read(name: str) -> str:
    return resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")


@cache
def _template() -> Template:
    environment = Environment(
        loader=FunctionLoader(_read),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("document.html")


@cache
def _css_text() -> str:
    return _read("document.css")


@lru_cache(maxsize=64)  # the PDF and the preview of one document share the QR
def qr_data_uri(text: str) -> str:
    """The QR as a PNG data URI, 4 px per module, drawn without smoothing (CSS
    image-rendering). A PNG rather than SVG: WeasyPrint draws an SVG path of a few thousand
    segments slower than it lays out the whole page."""
    return str(segno.make(text, micro=False).png_data_uri(scale=4, border=0))


def _html(view: DocumentView, css: str | None) -> str:
    return _template().render(
        v=view, qr_uri=qr_data_uri(view.qr_text), css=Markup(css) if css else None
    )


def render_html(data: GraphicData) -> str:
    """A self-contained HTML page (stylesheet inlined) for the browser preview."""
    return _html(document_view(data), _css_text())


_per_thread = threading.local()


def _weasy() -> tuple[Any, Any]:
    """Parsed stylesheet and font configuration, one pair per thread: renders run in worker
    threads, and a Pango font map is not meant to be shared between threads."""
    if not hasattr(_per_thread, "weasy"):
        from weasyprint import CSS  # heavy import, only when a PDF is really wanted
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        _per_thread.weasy = (CSS(string=_css_text(), font_config=fonts), fonts)
    return _per_thread.weasy  # type: ignore[no-any-return]


def render_pdf(data: GraphicData) -> bytes:
    """The A4 PDF the buyer receives; the same template as `render_html`."""
    from weasyprint import HTML

    stylesheet, fonts = _weasy()
    html = _html(document_view(data), css=None)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)
    return pdf
