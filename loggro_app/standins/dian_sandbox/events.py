"""SendEventUpdateStatus and GetStatusEvent: RADIAN events (ApplicationResponse) about
accepted documents.

Besides the document checks (signature, CUDE with the sender's software PIN), DIAN's event
rules: the referenced document exists; the buyer sends 030-033 and the issuer 034, each to
the other; the order 030 → 032 → 033/031/034 and one event of each kind (rule 90); a 034
only once 3 business days passed after the 032, counted on the issuer's portal clock (which
the admin API moves), and carrying the sworn statement that names that 032.

GetStatusEvent answers, for a document's CUFE, one DianResponse per registered event
(oldest first) whose XmlBase64Bytes is the event's signed XML: the shape of GetStatusZip's
list. Only the document's issuer or receiver may ask (the request certificate's NIT).
"""

from __future__ import annotations

import base64
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree

from loggro_app.core.business_days import tacit_acceptance_from
from loggro_app.core.buyer_events import order_error
from loggro_app.core.clock import BOGOTA
from loggro_app.dian.client.wsverify import Request
from loggro_app.dian.event_check import certificate_nit
from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.standins.dian_sandbox import identity, soap_out
from loggro_app.standins.dian_sandbox.admin import taxpayer_offset
from loggro_app.standins.dian_sandbox.processing import rejected
from loggro_app.standins.dian_sandbox.rules import finding
from loggro_app.standins.dian_sandbox.soap_out import Answer, Finding
from loggro_app.standins.dian_sandbox.validate import text_at, verifier_findings

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService

_REFERENCE = "cac:DocumentResponse/cac:DocumentReference/"
_SENDER = "cac:SenderParty/cac:PartyTaxScheme/"
_RECEIVER = "cac:ReceiverParty/cac:PartyTaxScheme/"
SWORN = "Manifiesto bajo la gravedad de juramento"


def business_now(service: SandboxService, issuer_nit: str) -> datetime:
    """The time legal terms run on: the sandbox clock plus the issuer's own offset."""
    return service.clock() + taxpayer_offset(service.store, issuer_nit)


def _rule_findings(service: SandboxService, root: etree._Element, document: sqlite3.Row
                   ) -> list[Finding]:
    """Who sends to whom, the order of events, and a 034's term and statement."""
    code = text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode")
    sender, receiver = text_at(root, _SENDER + "cbc:CompanyID"), text_at(
        root, _RECEIVER + "cbc:CompanyID")
    expected = ((document["nit"], document["receiver_nit"]) if code == "034"
                else (document["receiver_nit"], document["nit"]))
    found = []
    if (sender, receiver) != expected:
        who = "el emisor" if code == "034" else "el adquirente"
        found.append(finding("LGS08", f"El evento {code} lo envía {who} de la factura "
                                      f"({expected[0]}) a su contraparte ({expected[1]})."))
    registered = service.store.all("SELECT code, received_at, xml FROM events "
                                   "WHERE document_key = ?", document["document_key"])
    problem = order_error([r["code"] for r in registered], code)
    if problem is not None:
        found.append(finding("LGS07", problem))
    reason = text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode/@listID")
    if code == "031" and not reason:
        found.append(finding("AAH10"))
    receipt = next((r for r in registered if r["code"] == "032"), None)
    if code == "034" and receipt is not None:
        found += _tacit_findings(service, root, document, receipt)
    return found


def _tacit_findings(service: SandboxService, root: etree._Element, document: sqlite3.Row,
                    receipt: sqlite3.Row) -> list[Finding]:
    due = tacit_acceptance_from(datetime.fromisoformat(receipt["received_at"]))
    now = business_now(service, document["nit"])
    found = []
    if now < due:
        found.append(finding("LGS09", "Disponible desde " + due.astimezone(BOGOTA).isoformat()
                                      + "."))
    receipt_key = text_at(parse_untrusted(receipt["xml"]), "cbc:UUID")
    note = text_at(root, "cbc:Note")
    if not note.startswith(SWORN) or receipt_key not in note:
        found.append(finding("LGS10", f"Debe nombrar el recibo (032) con CUDE "
                                      f"{receipt_key[:16]}…"))
    return found


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
    document = store.accepted(document_key)
    if document is None:
        found.append(finding("AAH07", f"CUFE {document_key[:16]}…"))
    else:
        found += _rule_findings(service, root, document)
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
    if not _store(service, root, xml):
        return rejected([finding("90")], key=key, name=stem)
    return Answer(
        True,
        "00",
        "Procesado Correctamente.",
        f"El evento {code} sobre el documento {referenced} ha sido registrado.",
        [f.line() for f in found],
        key,
        stem,
        base64.b64encode(ar).decode(),
    )


def _store(service: SandboxService, root: etree._Element, xml: bytes) -> bool:
    """False when a concurrent identical event won the race (rule 90)."""
    document_key = text_at(root, _REFERENCE + "cbc:UUID")
    document = service.store.accepted(document_key)
    issuer = document["nit"] if document is not None else ""
    row = (
        text_at(root, "cbc:UUID"),
        document_key,
        text_at(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode"),
        text_at(root, _SENDER + "cbc:CompanyID"),
        xml,
        business_now(service, issuer).astimezone(UTC).isoformat(),
    )
    try:
        with service.store.transaction() as db:
            db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", row)
    except sqlite3.IntegrityError:
        return False
    return True


def status_event(service: SandboxService, request: Request) -> etree._Element:
    """GetStatusEvent(trackId = the document's CUFE): its events, oldest first."""
    key = request.params.get("trackId", "")
    document = service.store.accepted(key) if key else None
    node = soap_out.result_element("GetStatusEvent", "DianResponse")
    if document is None:
        answers = [Answer(False, "66", "TrackId no existe en los registros de la DIAN.",
                          "TrackId no encontrado.", document_key=key)]
    elif certificate_nit(request.certificate) not in (document["nit"], document["receiver_nit"]):
        answers = [Answer(False, "89", "No autorizado.",
                          "Solo el emisor o el adquirente consultan los eventos.",
                          document_key=key)]
    else:
        rows = service.store.all("SELECT * FROM events WHERE document_key = ? "
                                 "ORDER BY received_at, rowid", key)
        answers = [Answer(True, "00", "Procesado Correctamente.",
                          f"Evento {r['code']} registrado el {r['received_at']}.", [],
                          r["event_key"], "", base64.b64encode(r["xml"]).decode())
                   for r in rows]
    for answer in answers:
        soap_out.fill_dian_response(
            etree.SubElement(node, f"{{{soap_out.CONTRACT}DianResponse}}DianResponse"), answer)
    return node
