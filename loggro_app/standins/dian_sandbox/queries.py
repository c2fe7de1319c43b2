"""Read-only operations: GetNumberingRange, GetXmlByDocumentKey, GetAcquirer (SPEC §4.3).

Like DIAN, answers depend on who asks: the NIT in the request's certificate (the subject
serialNumber our development certificates carry, or "NIT n" in the common name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from loggro_app.dian.client.wsverify import Request
from loggro_app.dian.event_check import certificate_nit
from loggro_app.standins.dian_sandbox import soap_out

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService


def numbering_range(service: SandboxService, request: Request) -> etree._Element:
    """OperationCode 100 OK, 301 no ranges, 302 software mismatch, 401 unauthorised."""
    p = request.params
    nit, provider, software_id = p.get("accountCode"), p.get("accountCodeT"), p.get("softwareCode")
    caller = certificate_nit(request.certificate)
    if caller not in (nit, provider):
        return soap_out.numbering_range("401", "Usuario no autorizado para esta consulta.", [])
    software = service.store.software(software_id or "")
    if software is None or software["provider_nit"] != provider:
        return soap_out.numbering_range(
            "302", "El software no corresponde al proveedor informado.", []
        )
    rows = service.store.all(
        "SELECT r.* FROM associations a JOIN resolutions r ON r.nit = a.nit "
        "AND r.number = a.resolution_number AND r.prefix = a.prefix "
        "WHERE a.nit = ? AND a.software_id = ? ORDER BY r.number, r.prefix",
        nit,
        software_id,
    )
    if not rows:
        return soap_out.numbering_range("301", "No se encontraron rangos de numeración.", [])
    ranges = [
        {
            "ResolutionNumber": r["number"],
            "ResolutionDate": r["issued_at"][:10],
            "Prefix": r["prefix"],
            "FromNumber": str(r["range_from"]),
            "ToNumber": str(r["range_to"]),
            "ValidDateFrom": r["valid_from"],
            "ValidDateTo": r["valid_to"],
            "TechnicalKey": r["technical_key"],
        }
        for r in rows
    ]
    return soap_out.numbering_range("100", "Acción completada OK.", ranges)


def xml_by_document_key(service: SandboxService, request: Request) -> etree._Element:
    """Only the issuer or the receiver of the document may download it (SPEC §4.8)."""
    row = service.store.accepted(request.params.get("trackId", ""))
    if row is None:
        return soap_out.xml_by_key("404", "Documento no encontrado.", None, "")
    if certificate_nit(request.certificate) not in (row["nit"], row["receiver_nit"]):
        return soap_out.xml_by_key("401", "No autorizado para consultar este documento.", None, "")
    return soap_out.xml_by_key("100", "Accion completada OK", row["xml"], row["received_at"])


def acquirer(service: SandboxService, request: Request) -> etree._Element:
    """Name and reception e-mail an acquirer registered (Res. 202/2025); empty is normal."""
    row = service.store.acquirer(
        request.params.get("identificationType", ""), request.params.get("identificationNumber", "")
    )
    if row is None:
        return soap_out.acquirer("404", "No se encontró información del adquiriente.", "", "")
    return soap_out.acquirer("200", "Consulta exitosa.", row["name"], row["email"])
