"""Re-check any DIAN XML: XSD, XAdES signature, CUFE/CUDE/CUDS and total arithmetic."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from cryptography import x509
from lxml import etree
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from loggro_app.dian.rules.untrusted_xml import SCHEMA_RULE, RefusedXml, parse_untrusted
from loggro_app.dian.rules.xml import xml_rule_errors
from loggro_app.dian.rules.xsd import only_missing_qr_code, xsd_errors
from loggro_app.dian.signing.signer import POLICY
from loggro_app.dian.unique_code import CodeFields, CudsFields, EventFields, sha384
from loggro_app.dian.xmlns import XPATH_NS

RULE_BY_TYPE = {
    "01": "FAD06",
    "02": "FAD06",
    "04": "FAD06",
    "03": "FAD06",
    "91": "CAD06",
    "92": "DAD06",
    "05": "DSAD06",
    "95": "DSAD06",
    "96": "AAD06",
}

DIAN_RESPONSE_NOTE = (
    "ApplicationResponse emitido por la DIAN (NIT 800197268) sin sts:QRCode: el XSD lo exige, "
    "pero la DIAN no lo incluye en los documentos que ella misma firma; se acepta."
)


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # accepted deviations, said out loud
    unique_code: str | None = None
    unreadable: bool = False  # not a document at all (malformed XML, a DTD): nothing checked

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(root: etree._Element, path: str) -> str:
    found = root.xpath(path, namespaces=XPATH_NS)
    return str(found[0]).strip() if found else ""


def type_code(root: etree._Element) -> str:
    """01-05 from InvoiceTypeCode, 91/95 from CreditNoteTypeCode, 92 debit, 96 events."""
    name = etree.QName(root).localname
    if name == "DebitNote":
        return "92"
    if name == "ApplicationResponse":
        return "96"
    return _text(root, "cbc:InvoiceTypeCode/text()|cbc:CreditNoteTypeCode/text()")


def _tax(root: etree._Element, scheme: str) -> str:
    value = _text(
        root,
        f"cac:TaxTotal[cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID="
        f"'{scheme}'][1]/cbc:TaxAmount/text()",
    )
    return value or "0.00"


def recompute_code(root: etree._Element, secret: str) -> str:
    """The pre-hash string from the XML's own values plus the secret (SPEC §1 XPaths)."""
    code = type_code(root)
    get = lambda path: _text(root, path)  # noqa: E731 - local shorthand
    party = "cac:{}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID/text()"
    totals = "cac:LegalMonetaryTotal|cac:RequestedMonetaryTotal"
    head = (get("cbc:ID/text()"), get("cbc:IssueDate/text()"), get("cbc:IssueTime/text()"))
    if code == "96":
        return EventFields(
            *head,
            get("cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID/text()"),
            get("cac:ReceiverParty/cac:PartyTaxScheme/cbc:CompanyID/text()"),
            get("cac:DocumentResponse/cac:Response/cbc:ResponseCode/text()"),
            get("cac:DocumentResponse/cac:DocumentReference/cbc:ID/text()"),
            get("cac:DocumentResponse/cac:DocumentReference/cbc:DocumentTypeCode/text()"),
            secret,
        ).input()
    ext = get(f"({totals})/cbc:LineExtensionAmount/text()")
    payable = get(f"({totals})/cbc:PayableAmount/text()")
    env = get("cbc:ProfileExecutionID/text()")
    supplier = get(party.format("AccountingSupplierParty"))
    customer = get(party.format("AccountingCustomerParty"))
    if code in ("05", "95"):
        return CudsFields(
            *head, ext, _tax(root, "01"), payable, supplier, customer, secret, env
        ).input()
    return CodeFields(
        *head,
        ext,
        _tax(root, "01"),
        _tax(root, "04"),
        _tax(root, "03"),
        payable,
        supplier,
        customer,
        secret,
        env,
    ).input()


def _dec(value: str) -> Decimal:
    try:
        return Decimal(value or "0")
    except InvalidOperation:
        return Decimal("NaN")


def total_errors(root: etree._Element) -> list[str]:
    """FAU02 / FAU06 / FAU14 arithmetic on the written amounts."""
    totals = root.xpath("cac:LegalMonetaryTotal|cac:RequestedMonetaryTotal", namespaces=XPATH_NS)
    if not totals:
        return []
    get = lambda name: _dec(_text(totals[0], f"cbc:{name}/text()"))  # noqa: E731
    lines = root.xpath("cac:InvoiceLine|cac:CreditNoteLine|cac:DebitNoteLine", namespaces=XPATH_NS)
    errors = []
    line_sum = sum(
        (_dec(_text(line, "cbc:LineExtensionAmount/text()")) for line in lines), Decimal(0)
    )
    if line_sum != get("LineExtensionAmount"):
        errors.append(
            f"[FAU02] La suma de las líneas ({line_sum}) no coincide con "
            f"LineExtensionAmount ({get('LineExtensionAmount')})."
        )
    taxes = sum(
        (_dec(t) for t in root.xpath("cac:TaxTotal/cbc:TaxAmount/text()", namespaces=XPATH_NS)),
        Decimal(0),
    )
    if get("LineExtensionAmount") + taxes != get("TaxInclusiveAmount"):
        errors.append("[FAU06] TaxInclusiveAmount no es la base más los impuestos.")
    expected = (
        get("TaxInclusiveAmount")
        - get("AllowanceTotalAmount")
        + get("ChargeTotalAmount")
        - get("PrepaidAmount")
        + get("PayableRoundingAmount")
    )
    if expected != get("PayableAmount"):
        errors.append(f"[FAU14] PayableAmount ({get('PayableAmount')}) debería ser {expected}.")
    return errors


class _Verifier(XAdESVerifier):  # type: ignore[misc]
    """signxml's verifier without its per-parse walk looking for entity nodes.

    signxml parses the document (or a fragment of it) about a dozen times per signature and
    walks each tree for unexpanded entity references: a fifth of a verification. Such nodes
    need a DOCTYPE (without one, an undeclared entity does not parse), so refusing any
    DOCTYPE, as `parse_untrusted` does, keeps the guarantee for the cost of one look.
    """

    def _fromstring(self, xml_string: bytes, **kwargs: object) -> etree._Element:
        node = etree.fromstring(xml_string, parser=self.parser, **kwargs)
        info = node.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise InvalidInput("DTD declarations are not supported in XML input")
        return node


def signature_errors(data: bytes, root: etree._Element) -> list[str]:
    """Verify the XAdES signature with signxml, trusting the embedded certificate."""
    cert_text = _text(root, "//ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate/text()")
    if not cert_text:
        return ["El documento no tiene firma digital (ds:Signature con X509Certificate)."]
    signing_time = _text(root, "//xades:SigningTime/text()")
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(cert_text))
        when = datetime.fromisoformat(signing_time) if signing_time else None
        config = XAdESSignatureConfiguration(expect_references=3, verification_time=when)
        _Verifier().verify(
            data, x509_cert=cert, expect_signature_policy=POLICY, expect_config=config
        )
    except (InvalidSignature, InvalidInput, ValueError, etree.XMLSyntaxError) as exc:
        return [f"[ZE02] Firma inválida: {_in_spanish(str(exc))}"]
    return []


# What signxml says in English, as the people reading our reasons say it; its own words
# stay after, in parentheses, for whoever investigates
_SIGNXML_MEANING = {
    "Digest mismatch": "el contenido cambió después de firmado",
    "Signature verification failed": "la firma no corresponde al certificado que trae",
}


def _in_spanish(message: str) -> str:
    for words, meaning in _SIGNXML_MEANING.items():
        if words in message:
            return f"{meaning} ({message})"
    return message


def embedded_errors(root: etree._Element, secret: str | None) -> list[str]:
    """An AttachedDocument is only as good as what it carries: re-verify each embedded XML."""
    errors = []
    paths = (
        "cac:Attachment/cac:ExternalReference/cbc:Description/text()",
        "cac:ParentDocumentLineReference/cac:DocumentReference/cac:Attachment"
        "/cac:ExternalReference/cbc:Description/text()",
    )
    for label, path in zip(("documento", "respuesta"), paths, strict=True):
        payload = _text(root, path)
        if payload:
            inner = verify_xml(
                payload.encode("utf-8"), secret=secret if label == "documento" else None
            )
            errors += [f"{label} adjunto: {e}" for e in inner.errors]
    return errors


def verify_xml(data: bytes, *, secret: str | None) -> Report:
    """Full check of a DIAN XML; `secret` is the technical key (CUFE) or PIN (CUDE/CUDS)."""
    report = Report()
    try:
        root = parse_untrusted(data)
    except etree.XMLSyntaxError as exc:
        report.errors.append(f"[{SCHEMA_RULE}] XML mal formado: {exc}")
        report.unreadable = True
        return report
    except RefusedXml as exc:
        report.errors.append(f"[{SCHEMA_RULE}] {exc}")
        report.unreadable = True
        return report
    schema_errors = xsd_errors(root)
    if schema_errors and only_missing_qr_code(root):
        report.notes.append(DIAN_RESPONSE_NOTE)
    else:
        report.errors += [f"[XSD] {e}" for e in schema_errors]
    report.errors += signature_errors(data, root)
    report.errors += total_errors(root)
    report.errors += xml_rule_errors(root)
    uuid = _text(root, "cbc:UUID/text()")
    report.unique_code = uuid or None
    if etree.QName(root).localname == "AttachedDocument":
        report.errors += embedded_errors(root, secret)
        return report
    if secret is None:
        report.warnings.append("CUFE/CUDE no verificado: falta la clave técnica o el PIN.")
    elif sha384(recompute_code(root, secret)) != uuid:
        rule = RULE_BY_TYPE.get(type_code(root), "FAD06")
        report.errors.append(
            f"[{rule}] El CUFE/CUDE/CUDS no corresponde a los valores del documento."
        )
    return report
