"""Cross-checks of a received document: its CUFE, DIAN's answer, its container.

Each returns Spanish sentences, one per problem, empty when all agree.
"""

from __future__ import annotations

import re

from lxml import etree

from loggro_app.reception.attached import DianAnswer, ReceivedInvoice, text

VALIDATED = "02"  # DIAN's ResponseCode for "Documento validado por la DIAN" (SPEC §6.1)
_SHA384_HEX = re.compile(r"[0-9a-f]{96}")
_REFERENCE = "cac:ParentDocumentLineReference/cac:DocumentReference/"


def unique_code_problems(invoice: ReceivedInvoice) -> list[str]:
    """The CUFE/CUDE is a SHA-384 in hex, and the QR the supplier printed carries it."""
    if not invoice.cufe:
        return ["El documento no trae CUFE/CUDE (cbc:UUID)."]
    if not _SHA384_HEX.fullmatch(invoice.cufe):
        return [f"El CUFE/CUDE «{invoice.cufe[:100]}» no es un SHA-384 (96 dígitos hexadecimales)."]
    if invoice.qr and invoice.cufe not in invoice.qr.lower():
        return ["El código QR del documento no contiene su CUFE/CUDE."]
    return []


def answer_problems(answer: DianAnswer, invoice: ReceivedInvoice, dian_nit: str) -> list[str]:
    """DIAN itself answered 02 about this document of this supplier."""
    problems = []
    if answer.sender_nit != dian_nit:
        problems.append(f"La respuesta no la emite la DIAN (NIT {dian_nit}) sino "
                        f"{answer.sender_nit or 'un emisor sin NIT'}.")
    if answer.response_code != VALIDATED:
        problems.append(f"La DIAN no validó el documento: respuesta {answer.response_code or '?'}"
                        f" «{answer.description[:200]}».")
    if answer.document_uuid != invoice.cufe:
        problems.append("La respuesta de la DIAN es de otro documento: su CUFE no coincide con el "
                        "del documento.")
    if answer.document_id != invoice.number:
        problems.append(f"La respuesta de la DIAN es del documento {answer.document_id or '?'}, "
                        f"no del {invoice.number or '?'}.")
    if answer.receiver_nit and answer.receiver_nit != invoice.supplier_nit:
        problems.append(f"La respuesta de la DIAN se dirigió a {answer.receiver_nit}, no al "
                        f"proveedor {invoice.supplier_nit}.")
    return problems


def container_problems(root: etree._Element, invoice: ReceivedInvoice) -> list[str]:
    """What the container says of its document agrees with the document."""
    problems = []
    parent = text(root, "cbc:ParentDocumentID")
    if parent and parent != invoice.number:
        problems.append(f"El AttachedDocument dice llevar el documento {parent}, pero lleva el "
                        f"{invoice.number}.")
    uuid = text(root, _REFERENCE + "cbc:UUID").lower()
    if uuid and uuid != invoice.cufe:
        problems.append("El AttachedDocument cita un CUFE distinto del de su documento.")
    result = text(root, _REFERENCE + "cac:ResultOfVerification/cbc:ValidationResultCode")
    if result and result != VALIDATED:
        problems.append(f"El AttachedDocument indica el resultado de validación {result}, no 02.")
    return problems
