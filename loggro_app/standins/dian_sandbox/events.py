"""SendEventUpdateStatus: buyer/RADIAN events (ApplicationResponse) about accepted documents."""

from __future__ import annotations

import base64
import sqlite3
from datetime import UTC
from typing import TYPE_CHECKING

from lxml import etree

from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.standins.dian_sandbox import identity
from loggro_app.standins.dian_sandbox.processing import rejected
from loggro_app.standins.dian_sandbox.rules import finding
from loggro_app.standins.dian_sandbox.soap_out import Answer, Finding
from loggro_app.standins.dian_sandbox.validate import text_at, verifier_findings

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService

_REFERENCE = "cac:DocumentResponse/cac:DocumentReference/"
_SENDER = "cac:SenderParty/cac:PartyTaxScheme/"


def _findings(service: SandboxService, root: etree._Element, xml: bytes) -> list[Finding]:
    """Duplicate (rule 90), registered software (its PIN makes the CUDE, SPEC §1.5), the
    referenced document, then the core verifier (XSD, signature, CUDE, AAD09e)."""
    store = service.store
    key, document_key = text_at(root, "cbc:UUID"), text_at(root, _REFERENCE + "cbc:UUID")
    code = text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode")
    if store.one("SELECT 1 FROM events WHERE event_key = ?", key) or store.one(
        "SELECT 1 FROM events WHERE document_key = ? AND code = ?", document_key, code
    ):
        return [finding("90")]  # SPEC §6.3: an event is registered once per document
    software = store.software(text_at(root, "//sts:SoftwareProvider/sts:SoftwareID"))
    found = [] if software is not None else [finding("FAB24b")]
    if store.accepted(document_key) is None:
        found.append(finding("AAH07", f"CUFE {document_key[:16]}…"))
    secret = software["pin"] if software is not None else None
    return found + verifier_findings(verify_xml(xml, secret=secret).errors)


def receive_event(service: SandboxService, name: str, xml: bytes) -> Answer:
    stem = name.rsplit("/", 1)[-1].removesuffix(".xml")
    try:
        root = parse_untrusted(xml)
    except (etree.XMLSyntaxError, RefusedXml) as exc:
        return rejected([finding("ZB01", str(exc))], name=stem)
    key = text_at(root, "cbc:UUID")
    found = _findings(service, root, xml)
    if any(f.blocking for f in found):
        return rejected(found, key=key, name=stem)
    code = text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode")
    ar = identity.application_response(
        signer=service.dian,
        clock=service.clock,
        document_key=key,
        document_number=text_at(root, "cbc:ID"),
        document_type="96",
        issuer_nit=text_at(root, _SENDER + "cbc:CompanyID"),
        issuer_name=text_at(root, _SENDER + "cbc:RegistrationName"),
        environment=text_at(root, "cbc:ProfileExecutionID"),
        notifications=[f.line() for f in found],
    )
    referenced = text_at(root, _REFERENCE + "cbc:ID")
    answer = Answer(
        True,
        "00",
        "Procesado Correctamente.",
        f"El evento {code} sobre el documento {referenced} ha sido registrado.",
        [f.line() for f in found],
        key,
        stem,
        base64.b64encode(ar).decode(),
    )
    return answer if _store(service, root, xml) else rejected([finding("90")], key=key, name=stem)


def _store(service: SandboxService, root: etree._Element, xml: bytes) -> bool:
    """False when a concurrent identical event won the race (rule 90)."""
    row = (
        text_at(root, "cbc:UUID"),
        text_at(root, _REFERENCE + "cbc:UUID"),
        text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode"),
        text_at(root, _SENDER + "cbc:CompanyID"),
        xml,
        service.clock().astimezone(UTC).isoformat(),
    )
    try:
        with service.store.transaction() as db:
            db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", row)
    except sqlite3.IntegrityError:
        return False
    return True
