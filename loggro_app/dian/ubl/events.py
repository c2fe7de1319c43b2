"""ApplicationResponse (events 030-034) and AttachedDocument builders (SPEC §6)."""

from __future__ import annotations

from datetime import date, time

from lxml import etree

from loggro_app.dian import codes
from loggro_app.dian.model.event import Event
from loggro_app.dian.model.parties import Party
from loggro_app.dian.ubl.extensions import dian_extensions, ubl_extensions
from loggro_app.dian.ubl.parties import party_tax_scheme
from loggro_app.dian.unique_code import CATALOG_URL, EventFields, software_security_code
from loggro_app.dian.xmlns import cac, cbc, new_root

EVENT_PROFILE = "DIAN 2.1: ApplicationResponse de la Factura Electrónica de Venta"
TACIT_NOTE = (
    "Manifiesto bajo la gravedad de juramento que transcurridos 3 días hábiles contados "
    "desde la creación del Recibo de bienes y servicios {receipt} con CUDE {receipt_cude}, "
    "el adquirente {buyer} identificado con NIT {nit} no manifestó expresamente la "
    "aceptación o rechazo de la referida factura, ni reclamó en contra de su contenido."
)


def tacit_note(*, receipt: str, receipt_cude: str, buyer: str, nit: str) -> str:
    """DIAN's sworn statement of a 034 (annex §6.5.5.7 as quoted in SPEC §6.3): it names
    the buyer's *Recibo de bienes y servicios* (event 032) — its ID and CUDE — not the
    invoice."""
    return TACIT_NOTE.format(receipt=receipt, receipt_cude=receipt_cude, buyer=buyer, nit=nit)


def event_fields(event: Event) -> EventFields:
    """Event CUDE: no environment field (SPEC §1.5)."""
    return EventFields(
        event.number_text,
        event.issued_at.date().isoformat(),
        event.issued_at.strftime("%H:%M:%S") + "-05:00",
        event.sender.id_number,
        event.receiver_party.id_number,
        event.code,
        event.invoice_number,
        event.invoice_type,
        event.software.pin,
    )


def _party(root: etree._Element, role: str, party: Party) -> None:
    """SenderParty / ReceiverParty carry only PartyTaxScheme (SPEC §6.3)."""
    party_tax_scheme(cac(root, role), party, with_address=False)


def _document_response(root: etree._Element, event: Event) -> None:
    node = cac(root, "DocumentResponse")
    response = cac(node, "Response")
    if event.claim_reason is not None:
        # 031: the claim reason travels as listID/name of ResponseCode (table 13.3.11) [U].
        cbc(
            response,
            "ResponseCode",
            event.code,
            listID=event.claim_reason,
            name=codes.CLAIM_REASONS[event.claim_reason],
        )
    else:
        cbc(response, "ResponseCode", event.code)
    cbc(response, "Description", codes.EVENT_CODES[event.code])
    reference = cac(node, "DocumentReference")
    cbc(reference, "ID", event.invoice_number)
    cbc(reference, "UUID", event.invoice_uuid, schemeName="CUFE-SHA384")
    cbc(reference, "DocumentTypeCode", event.invoice_type)
    if event.person is not None:
        person = cac(cac(node, "IssuerParty"), "Person")
        cbc(person, "ID", event.person.id_number, schemeName=event.person.id_type)
        cbc(person, "FirstName", event.person.first_name)
        cbc(person, "FamilyName", event.person.family_name)
        cbc(person, "JobTitle", event.person.job_title)
        cbc(person, "OrganizationDepartment", event.person.department)


def build_event_unsigned(event: Event) -> tuple[etree._Element, EventFields]:
    fields = event_fields(event)
    root = new_root("ApplicationResponse")
    dian_extensions(
        ubl_extensions(root),
        software=event.software,
        resolution=None,
        security_code=software_security_code(
            event.software.software_id, event.software.pin, event.number_text
        ),
        qr=CATALOG_URL[event.environment] + event.invoice_uuid,
    )
    cbc(root, "UBLVersionID", "UBL 2.1")
    cbc(root, "CustomizationID", "1")
    cbc(root, "ProfileID", EVENT_PROFILE)
    cbc(root, "ProfileExecutionID", str(event.environment))
    cbc(root, "ID", event.number_text)
    cbc(root, "UUID", fields.hash(), schemeID=str(event.environment), schemeName="CUDE-SHA384")
    cbc(root, "IssueDate", fields.issue_date)
    cbc(root, "IssueTime", fields.issue_time)
    note = event.note
    if event.code == "034" and note is None:
        # Without the 032 at hand, the invoice stands in for it; the issuing service
        # always passes the note made by tacit_note with the 032's ID and CUDE.
        note = tacit_note(
            receipt=event.invoice_number,
            receipt_cude=event.invoice_uuid,
            buyer=event.receiver_party.name,
            nit=event.receiver_party.id_number,
        )
    if note:
        cbc(root, "Note", note)
    _party(root, "SenderParty", event.sender)
    _party(root, "ReceiverParty", event.receiver_party)
    _document_response(root, event)
    return root, fields


def external_reference(parent: etree._Element, payload: str) -> etree._Element:
    """Attachment/ExternalReference: text/xml, UTF-8, the XML itself as Description."""
    reference = cac(cac(parent, "Attachment"), "ExternalReference")
    cbc(reference, "MimeCode", "text/xml")
    cbc(reference, "EncodingCode", "UTF-8")
    return cbc(reference, "Description", payload)


def attached_unsigned(
    *,
    container_id: str,
    issued_date: date,
    issued_time: str,
    environment: int,
    document_type: str,
    profile: str,
    parent_id: str,
    parent_uuid: str,
    parent_scheme: str,
    parent_date: date,
    sender: Party,
    receiver: Party,
    document_xml: str,
    response_xml: str | None,
    validated_at: tuple[date, time] | None,
) -> etree._Element:
    """AttachedDocument (contenedor electrónico) as in DIAN's production sample (SPEC §6.1)."""
    root = new_root("AttachedDocument")
    ubl_extensions(root, with_dian=False)
    cbc(root, "UBLVersionID", "UBL 2.1")
    cbc(root, "CustomizationID", "Documentos adjuntos")
    cbc(root, "ProfileID", profile)
    cbc(root, "ProfileExecutionID", str(environment))
    cbc(root, "ID", container_id)
    cbc(root, "IssueDate", issued_date.isoformat())
    cbc(root, "IssueTime", issued_time)
    cbc(root, "DocumentType", document_type)
    cbc(root, "ParentDocumentID", parent_id)
    _party(root, "SenderParty", sender)
    _party(root, "ReceiverParty", receiver)
    external_reference(root, document_xml)
    if response_xml is not None:  # contingency type 04 travels without DIAN's response
        line = cac(root, "ParentDocumentLineReference")
        cbc(line, "LineID", "1")
        reference = cac(line, "DocumentReference")
        cbc(reference, "ID", parent_id)
        cbc(reference, "UUID", parent_uuid, schemeName=parent_scheme)
        cbc(reference, "IssueDate", parent_date.isoformat())
        cbc(reference, "DocumentType", "ApplicationResponse")
        external_reference(reference, response_xml)
        verification = cac(reference, "ResultOfVerification")
        cbc(
            verification,
            "ValidatorID",
            "Unidad Especial Dirección de Impuestos y Aduanas Nacionales",
        )
        cbc(verification, "ValidationResultCode", "02")  # 02 = documento validado por la DIAN
        if validated_at is not None:
            cbc(verification, "ValidationDate", validated_at[0].isoformat())
            cbc(verification, "ValidationTime", validated_at[1].strftime("%H:%M:%S") + "-05:00")
    return root
