"""Public builders for events (ApplicationResponse) and the AttachedDocument container."""

from __future__ import annotations

from datetime import date, time

from lxml import etree

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.dian.build import BuiltDocument, check_xsd, serialize
from loggro_app.dian.model.document import Document, Kind
from loggro_app.dian.model.event import Event
from loggro_app.dian.signing.packaging import deterministic_zip, file_names
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.totals import compute_totals
from loggro_app.dian.ubl.events import attached_unsigned, build_event_unsigned
from loggro_app.dian.xmlns import XPATH_NS

CONTAINER = {  # (cbc:DocumentType, cbc:ProfileID) per contained document (SPEC §6.1) [U]
    Kind.INVOICE: ("Contenedor de Factura Electrónica", "Factura Electrónica de Venta"),
    Kind.CREDIT_NOTE: ("Contenedor de Nota Crédito", "Nota de Crédito de Venta"),
    Kind.DEBIT_NOTE: ("Contenedor de Nota Débito", "Nota de Débito de Venta"),
    Kind.SUPPORT_DOCUMENT: ("Contenedor de Documento Soporte", "Documento Soporte"),
    Kind.SUPPORT_ADJUSTMENT: ("Contenedor de Nota de Ajuste", "Nota de Ajuste Documento Soporte"),
}


def build_event(
    event: Event, *, signer: Signer, clock: Clock, file_sequence: int | None = None
) -> BuiltDocument:
    """Build, sign, validate and zip an ApplicationResponse event (CUDE, SPEC §1.5)."""
    if bogota_now(clock).date() != event.issued_at.date():
        raise ValidationError(
            {
                "AAD09e": "[AAD09e] La fecha del evento difiere de la fecha de "
                "firma — genere y firme el evento el mismo día."
            }
        )
    root, fields = build_event_unsigned(event)
    code = fields.hash()
    signed = signer.sign(root, clock=clock, id_seed=code[:12])
    check_xsd(signed)
    xml_bytes = serialize(signed)
    names = file_names(
        "application_response",
        nit=event.sender.id_number,
        year=event.issued_at.year,
        sequence=file_sequence or max(event.number, 1),
    )
    return BuiltDocument(
        xml_bytes=xml_bytes,
        unique_code=code,
        scheme_name="CUDE-SHA384",
        file_names=names,
        zip_bytes=deterministic_zip([(names.xml, xml_bytes)]),
        totals=None,
        signed=True,
        code_input=fields.input(),
    )


def _restore_cdata(root: etree._Element) -> None:
    """Embedded XML goes back into CDATA after signing: C14N treats CDATA and escaped text
    alike, so the signature stays valid, and the payload bytes stay readable as sent."""
    for node in root.xpath("//cac:ExternalReference/cbc:Description", namespaces=XPATH_NS):
        if node.text and "]]>" not in node.text:
            node.text = etree.CDATA(node.text)


def build_attached_document(
    document: Document,
    built: BuiltDocument,
    *,
    container_id: str,
    signer: Signer,
    clock: Clock,
    application_response: bytes | None,
    validated_at: tuple[date, time] | None = None,
    file_sequence: int | None = None,
) -> BuiltDocument:
    """The container mailed to the buyer: signed document + DIAN's ApplicationResponse.

    `application_response` is None only for contingency invoices (type 04).
    """
    if application_response is None and document.type_code != "04":
        raise ValidationError(
            {
                "respuesta_dian": "respuesta_dian: solo las facturas de "
                "contingencia (04) se entregan sin la respuesta de la DIAN."
            }
        )
    now = bogota_now(clock)
    doc_type, profile = CONTAINER[document.kind]
    root = attached_unsigned(
        container_id=container_id,
        issued_date=now.date(),
        issued_time=now.strftime("%H:%M:%S-05:00"),
        environment=document.environment,
        document_type=doc_type,
        profile=profile,
        parent_id=document.number_text,
        parent_uuid=built.unique_code,
        parent_scheme=built.scheme_name,
        parent_date=document.issued_at.date(),
        sender=document.issuer,
        receiver=document.counterparty,
        document_xml=built.xml_bytes.decode("utf-8"),
        response_xml=application_response.decode("utf-8") if application_response else None,
        validated_at=validated_at,
    )
    signed = signer.sign(root, clock=clock, id_seed=built.unique_code[12:24])
    check_xsd(signed)
    _restore_cdata(signed)
    xml_bytes = serialize(signed)
    names = file_names(
        "attached_document",
        nit=document.issuer.id_number,
        year=now.year,
        sequence=file_sequence or max(document.number, 1),
    )
    return BuiltDocument(
        xml_bytes=xml_bytes,
        unique_code=built.unique_code,
        scheme_name=built.scheme_name,
        file_names=names,
        zip_bytes=deterministic_zip([(names.xml, xml_bytes)]),
        totals=built.totals or compute_totals(document),
        signed=True,
        code_input="",
    )
