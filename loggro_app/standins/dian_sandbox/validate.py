"""What DIAN checks on a received document, against the sandbox registry.

The document-intrinsic checks (XSD, XAdES signature, CUFE/CUDE/CUDS recomputation, total
arithmetic, DVs, QR, signing date) are the core verifier's (`dian.verify.verify_xml`); this
module adds what only DIAN knows: the issuer's enablement, the registered software and PIN
(SoftwareSecurityCode), the numbering resolution with its technical key, the prefix
association, and duplicates.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from lxml import etree

from loggro_app.dian.rules.untrusted_xml import parse_untrusted
from loggro_app.dian.signing.verify import type_code, verify_xml
from loggro_app.dian.unique_code import software_security_code, uses_technical_key
from loggro_app.dian.xmlns import XPATH_NS
from loggro_app.standins.dian_sandbox.rules import finding
from loggro_app.standins.dian_sandbox.soap_out import Finding
from loggro_app.standins.dian_sandbox.store import Store

_CODED = re.compile(r"^\[(\w+)\]\s*(.*)$", re.S)
NUMBERED_TYPES = {"01", "02", "04", "05"}  # carry sts:InvoiceControl (SPEC §2.3)
KIND_LABELS = {  # (article, label) for "La Factura electrónica X, ha sido autorizada."
    "01": ("La", "Factura electrónica"),
    "02": ("La", "Factura electrónica de exportación"),
    "03": ("La", "Factura de contingencia"),
    "04": ("La", "Factura electrónica de contingencia"),
    "05": ("El", "Documento soporte"),
    "91": ("La", "Nota Crédito electrónica"),
    "92": ("La", "Nota Débito electrónica"),
    "95": ("La", "Nota de ajuste del documento soporte"),
}
TEST_SET_KIND = {"01": "01", "02": "01", "03": "01", "04": "01", "91": "91", "92": "92"}


@dataclass(frozen=True)
class Facts:
    """The values DIAN reads from a document before validating it."""

    root: etree._Element
    type_code: str
    number: str
    issuer_nit: str
    issuer_name: str
    receiver_nit: str
    uuid: str
    software_id: str
    provider_id: str
    security_code: str
    issue_date: date | None
    resolution_number: str
    prefix: str
    environment: str

    def authorized_message(self) -> str:
        article, label = KIND_LABELS.get(self.type_code, ("El", "Documento electrónico"))
        ending = "a" if article == "La" else "o"
        return f"{article} {label} {self.number}, ha sido autorizad{ending}."


def text_at(root: etree._Element, path: str) -> str:
    return str(root.xpath(f"string({path})", namespaces=XPATH_NS)).strip()


def read_facts(xml: bytes) -> Facts:
    """Raises etree.XMLSyntaxError when the bytes are not XML, RefusedXml for a DTD."""
    root = parse_untrusted(xml)
    code = type_code(root)
    party = "cac:{}/cac:Party/cac:PartyTaxScheme/"
    issuer, receiver = "AccountingSupplierParty", "AccountingCustomerParty"
    if code in ("05", "95"):  # documento soporte: the issuer (ABS) is the customer party
        issuer, receiver = receiver, issuer
    try:
        issued: date | None = date.fromisoformat(text_at(root, "cbc:IssueDate"))
    except ValueError:
        issued = None
    number = text_at(root, "cbc:ID")
    prefix = text_at(root, "//sts:InvoiceControl/sts:AuthorizedInvoices/sts:Prefix")
    return Facts(
        root=root,
        type_code=code,
        number=number,
        issuer_nit=text_at(root, party.format(issuer) + "cbc:CompanyID"),
        issuer_name=text_at(root, party.format(issuer) + "cbc:RegistrationName"),
        receiver_nit=text_at(root, party.format(receiver) + "cbc:CompanyID"),
        uuid=text_at(root, "cbc:UUID"),
        software_id=text_at(root, "//sts:SoftwareProvider/sts:SoftwareID"),
        provider_id=text_at(root, "//sts:SoftwareProvider/sts:ProviderID"),
        security_code=text_at(root, "//sts:SoftwareSecurityCode"),
        issue_date=issued,
        resolution_number=text_at(root, "//sts:InvoiceControl/sts:InvoiceAuthorization"),
        prefix=prefix or re.sub(r"\d+$", "", number),
        environment=text_at(root, "cbc:ProfileExecutionID"),
    )


def duplicate(store: Store, facts: Facts) -> Finding | None:
    """Rule 90: the same document key, or the same issuer/type/number, already accepted."""
    if store.accepted(facts.uuid) or store.accepted_number(
        facts.issuer_nit, facts.type_code, facts.number
    ):
        return finding("90")
    return None


def _issuer(store: Store, facts: Facts, *, test_set: bool) -> list[Finding]:
    taxpayer = store.taxpayer(facts.issuer_nit)
    if taxpayer is None:
        return [finding("LGS01", f"NIT {facts.issuer_nit}.")]
    found = []
    mode = store.mode(facts.issuer_nit, facts.software_id)
    # In production the issuer must be habilitado with this software; a test set only
    # needs the operation mode (en pruebas) it belongs to (SPEC §5).
    if mode is None or (not test_set and (not taxpayer["enabled"] or mode["state"] != "Aceptado")):
        found.append(finding("LGS02"))
    if facts.issuer_name and facts.issuer_name.upper() != str(taxpayer["name"]).upper():
        found.append(finding("FAJ43b", f"RUT: {taxpayer['name']}."))
    return found


def _software(store: Store, facts: Facts) -> tuple[list[Finding], sqlite3.Row | None]:
    software = store.software(facts.software_id)
    if software is None:
        return [finding("FAB24b")], None
    found = []
    if software["provider_nit"] != facts.provider_id:
        found.append(finding("FAB19b"))
    expected = software_security_code(facts.software_id, software["pin"], facts.number)
    if facts.security_code != expected:  # SPEC §1.6: SHA384(SoftwareID + PIN + cbc:ID)
        found.append(finding("FAB27b"))
    return found, software


def _numbering(store: Store, facts: Facts) -> tuple[list[Finding], sqlite3.Row | None]:
    """FAB05a/b, FAB10b, FAD05b/c, FAB07a/b against the *registered* resolution."""
    candidates = store.resolutions_of(facts.issuer_nit, facts.resolution_number)
    if not candidates:
        return [finding("FAB05a", f"Resolución {facts.resolution_number}.")], None
    resolution = next((r for r in candidates if r["prefix"] == facts.prefix), None)
    if resolution is None:
        return [finding("FAB10b", f"Prefijo {facts.prefix}.")], None
    found = []
    if store.association(facts.issuer_nit, facts.prefix, facts.software_id) is None:
        found.append(finding("FAB05b"))
    digits = facts.number[len(facts.prefix) :]
    number = int(digits) if digits.isdigit() else -1
    if number < resolution["range_from"]:
        found.append(
            finding("FAD05b", f"Rango {resolution['range_from']}-{resolution['range_to']}.")
        )
    if number > resolution["range_to"]:
        found.append(
            finding("FAD05c", f"Rango {resolution['range_from']}-{resolution['range_to']}.")
        )
    issued = facts.issue_date.isoformat() if facts.issue_date else ""
    if issued and issued < resolution["valid_from"]:
        found.append(finding("FAB07a", f"Vigencia desde {resolution['valid_from']}."))
    if issued and issued > resolution["valid_to"]:
        found.append(finding("FAB07b", f"Vigencia hasta {resolution['valid_to']}."))
    return found, resolution


def verifier_findings(messages: list[str]) -> list[Finding]:
    found = []
    schema = [m[6:] for m in messages if m.startswith("[XSD]")]
    if schema:
        found.append(finding("ZB01", "; ".join(schema[:3])))
    for message in messages:
        coded = _CODED.match(message)
        if coded and coded.group(1) != "XSD":
            found.append(finding(coded.group(1), coded.group(2)))
        elif not coded and "firma" in message.lower():
            found.append(finding("ZE02", message))
        elif not coded and "prefijo" in message.lower():
            found.append(finding("FAB10b", message))
        elif not coded:
            found.append(finding("LGS99", message))
    return found


def check_document(
    store: Store, xml: bytes, facts: Facts, *, today: date, test_set: bool
) -> list[Finding]:
    """Every rule result for a received invoice, note or support document."""
    found = _issuer(store, facts, test_set=test_set)
    software_findings, software = _software(store, facts)
    found += software_findings
    secret = software["pin"] if software is not None else None
    if facts.type_code in NUMBERED_TYPES:
        numbering, resolution = _numbering(store, facts)
        found += numbering
        if uses_technical_key(facts.type_code):
            secret = resolution["technical_key"] if resolution is not None else None
    if facts.issue_date and facts.issue_date > today:
        found.append(finding("LGS03", f"Emitido {facts.issue_date}, recibido {today}."))
    found += verifier_findings(verify_xml(xml, secret=secret).errors)
    return _dedupe(found)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    unique = []
    for item in findings:
        if item.code not in seen:
            seen.add(item.code)
            unique.append(item)
    return unique
