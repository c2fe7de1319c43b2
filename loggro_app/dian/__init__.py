"""DIAN electronic documents (UBL 2.1, annex 1.9): pure core — no Reflex, DB or network.

The one public way to make a document:

    from loggro_app.dian import build_document, Signer, FixedClock
    signer = Signer.from_file("cert.p12", password_env="LOGGRO_P12_PASSWORD")  # load once
    built = build_document(document, signer=signer, clock=clock)
    built.xml_bytes, built.unique_code, built.file_names, built.zip_bytes

`document` is a `Document` (model_document.py) built directly or parsed from JSON with
`jsonio_document.parse_document` (format: docs/dian-json.md). Events and the
AttachedDocument container are in `api_events`. The CLI is `python -m loggro_app.dian`.
"""

from loggro_app.dian.api import BuiltDocument, build_document
from loggro_app.dian.api_events import build_attached_document, build_event
from loggro_app.dian.clock import Clock, FixedClock
from loggro_app.dian.model_document import Document, Kind
from loggro_app.dian.signing import Signer
from loggro_app.dian.verify import verify_xml

__all__ = [
    "BuiltDocument",
    "Clock",
    "Document",
    "FixedClock",
    "Kind",
    "Signer",
    "build_attached_document",
    "build_document",
    "build_event",
    "verify_xml",
]
