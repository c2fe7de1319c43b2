"""Graphic representation (representación gráfica) of DIAN electronic documents.

Pure of Reflex and the database: it takes a `GraphicData` (the `loggro_app.dian.Document`
plus what exists after signing and sending) and returns an A4 PDF or an HTML preview made
from the same template (Res. 000042/2020 art. 11 and 29; SPEC §7).

    data = GraphicData.of(document, unique_code=built.unique_code,
                          scheme_name=built.scheme_name, signed_at=signed_at,
                          provider=SoftwareProvider(nit, name, "Loggro FE"),
                          dian_status="Aceptado por la DIAN", validated_at=validated_at)
    pdf_bytes = render_pdf(data)

Rendering is CPU-bound (tens of milliseconds per page): call it off the event loop.
"""

from loggro_app.representation.data import GraphicData, SoftwareProvider
from loggro_app.representation.render import qr_data_uri, render_html, render_pdf
from loggro_app.representation.words import amount_in_words

__all__ = [
    "GraphicData",
    "SoftwareProvider",
    "amount_in_words",
    "qr_data_uri",
    "render_html",
    "render_pdf",
]
