"""DIAN electronic documents (UBL 2.1, annex 1.9): pure core — no Reflex, DB or network.

What the rest of the app imports is re-exported here; the rooms inside are
- `model/`: the document as validated frozen dataclasses (parties, lines, events, export);
- `totals.py`, `unique_code.py`: the amounts and CUFE/CUDE/CUDS arithmetic;
- `ubl/`: one lxml builder per UBL block;
- `json_format/`: the JSON format of documents and events (docs/dian-json.md);
- `rules/`: local checks that carry DIAN's rule codes, XSD validation, and `index.py`
  (rule code -> function);
- `signing/`: XAdES-EPES signer, verifier, deterministic zip, development certificates;
- `client/`: the SOAP web-service client (the only part that reaches the network);
- `cli/`: `python -m loggro_app.dian`;
- `codes.py`, `demo.py`, `samples.py`, `xmlns.py`: code lists, demo issuer, sample documents.

The one public way to make a document:

    from loggro_app.core.clock import FixedClock
    from loggro_app.dian import Signer, build_document
    signer = Signer.from_file("cert.p12", password_env="LOGGRO_P12_PASSWORD")  # load once
    built = build_document(document, signer=signer, clock=FixedClock(instant))
    built.xml_bytes, built.unique_code, built.file_names, built.zip_bytes
"""

from loggro_app.dian.build import BuiltDocument, build_document, stored_document
from loggro_app.dian.build_events import build_attached_document, build_event
from loggro_app.dian.event_check import (
    Expected,
    ReceivedEvent,
    check_event,
    expected_of_invoice,
    read_event,
)
from loggro_app.dian.invoice_parties import CUSTOMER, SUPPLIER, party_of
from loggro_app.dian.model.document import BillingReference, Correction, Document, Kind, Payment
from loggro_app.dian.model.event import Event, Receiver
from loggro_app.dian.model.export import FOREIGN_ID_TYPES, INCOTERMS, Delivery, DeliveryTerms
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.model.parties import Address, Party, Resolution, Software
from loggro_app.dian.rules.explanations import Explanation, explain
from loggro_app.dian.rules.export import EXPORT_TYPE
from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.rules.xsd import only_missing_qr_code, xsd_errors
from loggro_app.dian.signing.bounded_zip import MAX_DOCUMENT_BYTES, ZipTooLarge, read_member
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.packaging import deterministic_zip
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import signature_errors, total_errors, verify_xml
from loggro_app.dian.totals import (
    CopEquivalents,
    TaxTotal,
    Totals,
    compute_totals,
    cop_equivalents,
    totals_of,
)
from loggro_app.dian.ubl.documents import qr_content, scheme_name
from loggro_app.dian.ubl.events import tacit_note
from loggro_app.dian.xmlns import XPATH_NS

__all__ = [
    "Address",
    "AllowanceCharge",
    "BillingReference",
    "BuiltDocument",
    "CopEquivalents",
    "Correction",
    "Delivery",
    "DeliveryTerms",
    "Document",
    "CUSTOMER",
    "Event",
    "Expected",
    "EXPORT_TYPE",
    "Explanation",
    "FOREIGN_ID_TYPES",
    "INCOTERMS",
    "Kind",
    "Line",
    "MAX_DOCUMENT_BYTES",
    "Party",
    "ReceivedEvent",
    "Receiver",
    "RefusedXml",
    "Payment",
    "Resolution",
    "Signer",
    "SUPPLIER",
    "Software",
    "TaxRate",
    "TaxTotal",
    "Totals",
    "Withholding",
    "XPATH_NS",
    "ZipTooLarge",
    "build_attached_document",
    "build_document",
    "build_event",
    "check_event",
    "compute_totals",
    "cop_equivalents",
    "create_dev_p12",
    "deterministic_zip",
    "expected_of_invoice",
    "explain",
    "only_missing_qr_code",
    "parse_untrusted",
    "party_of",
    "qr_content",
    "read_event",
    "read_member",
    "scheme_name",
    "signature_errors",
    "stored_document",
    "tacit_note",
    "total_errors",
    "totals_of",
    "verify_xml",
    "xsd_errors",
]
