"""The one public way to make a DIAN document: `build_document(doc, signer=..., clock=...)`.

build -> local rules -> unique code -> sign -> XSD -> file names -> deterministic zip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.dian.model.document import Document
from loggro_app.dian.rules.document import check_document, raise_for
from loggro_app.dian.rules.xsd import xsd_errors
from loggro_app.dian.signing.packaging import FileNames, deterministic_zip, file_names
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.totals import Totals, compute_totals
from loggro_app.dian.ubl.documents import build_unsigned, scheme_name
from loggro_app.dian.xmlns import DS, EXT

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class BuiltDocument:
    """A finished document: signed XML bytes, its CUFE/CUDE/CUDS, names and zip."""

    xml_bytes: bytes
    unique_code: str
    scheme_name: str
    file_names: FileNames
    zip_bytes: bytes
    totals: Totals | None  # None for events (no amounts)
    signed: bool
    code_input: str = field(repr=False)  # holds the technical key / PIN


def stored_document(document: Document, *, xml_bytes: bytes, unique_code: str,
                    zip_name: str, zip_bytes: bytes) -> BuiltDocument:
    """A document built and signed earlier, as kept: rebuilding would sign it anew, and what
    is mailed must be the very XML DIAN validated."""
    return BuiltDocument(
        xml_bytes=xml_bytes, unique_code=unique_code, scheme_name=scheme_name(document),
        file_names=FileNames(zip_name.replace("z", "f", 1).replace(".zip", ".xml"), zip_name),
        zip_bytes=zip_bytes, totals=compute_totals(document), signed=True, code_input="")


def serialize(root: etree._Element) -> bytes:
    """UTF-8 with declaration, no pretty printing: never reformat after signing (SPEC §3.1)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8")


def drop_signature_slot(root: etree._Element) -> None:
    """Remove the empty signature UBLExtension (unsigned drafts must stay XSD-valid)."""
    for placeholder in root.iter(f"{{{DS}}}Signature"):
        extension = placeholder.getparent().getparent()  # type: ignore[union-attr]
        assert extension is not None and extension.tag == f"{{{EXT}}}UBLExtension"
        extension.getparent().remove(extension)  # type: ignore[union-attr]
        return


def check_xsd(root: etree._Element) -> None:
    errors = xsd_errors(root)
    if errors:
        raise ValidationError(
            {"xsd": "El XML generado no cumple el esquema UBL/DIAN: " + "; ".join(errors[:5])}
        )


def build_document(
    document: Document,
    *,
    signer: Signer | None,
    clock: Clock,
    file_sequence: int | None = None,
    validate_xsd: bool = True,
) -> BuiltDocument:
    """Build, check, sign and package `document`.

    Raises ValidationError (with DIAN rule codes) when a local rule or the XSD fails; a
    broken document is never returned. `signer=None` yields an unsigned draft.
    """
    totals = compute_totals(document)
    raise_for(check_document(document, totals, signing_date=bogota_now(clock).date()))
    unsigned = build_unsigned(document, totals)
    if signer is None:
        drop_signature_slot(unsigned.root)
        root = unsigned.root
        xml_bytes = serialize(root)
    else:
        root, text = signer.sign_and_serialize(
            unsigned.root, clock=clock, id_seed=unsigned.unique_code[:12]
        )
        xml_bytes = XML_DECLARATION + text  # what `serialize(root)` gives
    if validate_xsd:
        check_xsd(root)
    names = file_names(
        document.kind.value,
        nit=document.issuer.id_number,
        year=document.issued_at.year,
        sequence=file_sequence if file_sequence is not None else max(document.number, 1),
    )
    return BuiltDocument(
        xml_bytes=xml_bytes,
        unique_code=unsigned.unique_code,
        scheme_name=unsigned.scheme_name,
        file_names=names,
        zip_bytes=deterministic_zip([(names.xml, xml_bytes)]),
        totals=totals,
        signed=signer is not None,
        code_input=unsigned.code_input,
    )
