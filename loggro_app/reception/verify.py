"""Is a supplier's electronic invoice what it claims to be? `verify_received` answers.

It opens the attachment (`unpack`), finds the AttachedDocument, and checks the document it
carries against itself, against DIAN's answer and against the buyer:
- the document's XML schema and its XAdES signature (the supplier's);
- DIAN's ApplicationResponse: its schema, its signature, issued by DIAN's NIT, saying
  "02 Documento validado por la DIAN" about this very document (number and CUFE);
- the CUFE: 96 hex digits, the same in the document, its QR, DIAN's answer and the
  container. It cannot be recomputed here: its hash input ends with the supplier's
  *clave técnica* (CUFE) or software PIN (CUDE of notes), which DIAN gives only to the
  supplier. DIAN recomputed it before answering 02, so a signed answer naming the same
  CUFE is the proof a buyer can have;
- the arithmetic of the written totals (FAU02, FAU06, FAU14);
- the buyer named is the one receiving it, and it has not been received before.

Every problem found is reported, in Spanish, one reason each; nothing raises on what a
sender can put in an attachment.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Container
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.dian import (
    RefusedXml,
    only_missing_qr_code,
    parse_untrusted,
    signature_errors,
    total_errors,
    xsd_errors,
)
from loggro_app.dian.codes import DIAN_NIT
from loggro_app.reception.attached import (
    DOCUMENT_ROOTS,
    ReceivedInvoice,
    embedded,
    read_answer,
    read_document,
    text,
)
from loggro_app.reception.checks import answer_problems, container_problems, unique_code_problems
from loggro_app.reception.unpack import Member, UnsafeAttachment, unpack

# Stable codes beside the Spanish reasons, for code that must tell failures apart.
ATTACHMENT, CONTAINER, DATA, SCHEMA = "adjunto", "contenedor", "datos", "esquema"
SUPPLIER_SIGNATURE, DIAN_SIGNATURE, DIAN_ANSWER = "firma_proveedor", "firma_dian", "respuesta"
UNIQUE_CODE, TOTALS, BUYER, DUPLICATE = "cufe", "totales", "comprador", "duplicado"
ENVIRONMENT, INTERNAL = "ambiente", "interno"
MAX_SCHEMA_REASONS = 5  # libxml2 may list hundreds; the first ones tell the story
_XAdES_CERT = "//ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate"


@dataclass
class Verdict:
    ok: bool
    reasons: list[str]  # one Spanish sentence per problem
    invoice: ReceivedInvoice | None  # None when nothing could be read
    codes: list[str] = field(default_factory=list)  # parallel to `reasons`
    notes: list[str] = field(default_factory=list)  # said out loud, not failures

    @property
    def duplicate(self) -> bool:
        return DUPLICATE in self.codes


class _Findings:
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.codes: list[str] = []
        self.notes: list[str] = []

    def add(self, code: str, reason: str) -> None:
        self.codes.append(code)
        self.reasons.append(reason)

    def extend(self, code: str, reasons: list[str], prefix: str = "") -> None:
        for reason in reasons:
            self.add(code, prefix + reason)

    def schema(self, errors: list[str], label: str) -> None:
        shown = errors[:MAX_SCHEMA_REASONS]
        self.extend(SCHEMA, shown, f"{label} no cumple el esquema XSD: ")
        if len(errors) > len(shown):
            self.add(SCHEMA, f"{label}: {len(errors) - len(shown)} errores de esquema más.")

    def verdict(self, invoice: ReceivedInvoice | None) -> Verdict:
        return Verdict(not self.reasons, self.reasons, invoice, self.codes, self.notes)


def verify_received(
    data: bytes,
    *,
    buyer_nit: str,
    known_cufes: Container[str],
    dian_certificates: Collection[x509.Certificate] = (),
    environment: str | None = None,
) -> Verdict:
    """Verify a received ZIP (or bare XML); `known_cufes` holds the CUFEs already received,
    in lowercase as `ReceivedInvoice.cufe` gives them (any container: a set, or a lookup).

    `dian_certificates` pins DIAN's signing certificates: when given, DIAN's answer must be
    signed by one of them; when empty, its signature is checked with the certificate it
    carries and a note says so. `environment` ("1" production) refuses documents of the
    other environment; None only notes a habilitación document.
    """
    findings = _Findings()
    try:
        invoice = _verify(data, findings, dian_certificates)
        if invoice is not None:
            _buyer_checks(invoice, findings, buyer_nit, known_cufes, environment)
    except Exception as exc:  # noqa: BLE001 - a last guard: hostile bytes must not crash intake
        findings.add(INTERNAL, f"No se pudo terminar la verificación ({type(exc).__name__}).")
        invoice = None
    return findings.verdict(invoice)


def _parse(data: bytes, label: str, findings: _Findings, code: str) -> etree._Element | None:
    try:
        return parse_untrusted(data)
    except (etree.XMLSyntaxError, RefusedXml) as exc:
        findings.add(code, f"{label} no es un XML válido: {exc}")
        return None


def _container(xml: list[Member], findings: _Findings) -> tuple[Member, etree._Element] | None:
    if not xml:
        findings.add(ATTACHMENT, "El adjunto no trae ningún archivo XML.")
        return None
    parsed = [(m, _parse(m.data, f"«{m.name}»", findings, ATTACHMENT)) for m in xml]
    roots = [(m, r) for m, r in parsed if r is not None]
    found = [(m, r) for m, r in roots if etree.QName(r).localname == "AttachedDocument"]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        findings.add(CONTAINER, f"El adjunto trae {len(found)} AttachedDocument; se espera uno.")
    elif any(etree.QName(r).localname in DOCUMENT_ROOTS for _, r in roots):
        findings.add(CONTAINER, "El XML es el documento sin su AttachedDocument: falta la "
                                "respuesta de la DIAN que lo valida.")
    elif roots:
        findings.add(CONTAINER, "El adjunto no trae un AttachedDocument.")
    return None


def _verify(
    data: bytes, findings: _Findings, dian_certificates: Collection[x509.Certificate]
) -> ReceivedInvoice | None:
    try:
        package = unpack(data)
    except UnsafeAttachment as exc:
        findings.add(ATTACHMENT, str(exc))
        return None
    container = _container(package.xml, findings)
    if container is None:
        return None
    member, root = container
    carried = embedded(root)
    if carried.document is None:
        findings.add(CONTAINER, "El AttachedDocument no trae el documento del proveedor.")
        return None
    document = _parse(carried.document, "El documento adjunto", findings, CONTAINER)
    if document is None:
        return None
    if etree.QName(document).localname not in DOCUMENT_ROOTS:
        findings.add(CONTAINER, "El AttachedDocument no trae una factura ni una nota "
                                f"(trae {etree.QName(document).localname}).")
        return None
    answer_root, answer = None, None
    if carried.response is not None:
        answer_root = _parse(carried.response, "La respuesta de la DIAN", findings, DIAN_ANSWER)
    if answer_root is not None:
        unreadable: list[str] = []
        answer = read_answer(answer_root, unreadable)
        findings.extend(DATA, unreadable)
    invoice = read_document(
        document, document_xml=carried.document, container_xml=member.data,
        response_xml=carried.response, answer=answer,
    )
    if package.pdf:
        invoice.pdf, invoice.pdf_name = package.pdf[0].data, package.pdf[0].name
    findings.extend(DATA, invoice.problems)
    _document_checks(carried.document, document, invoice, findings)
    if carried.response is None:
        findings.add(DIAN_ANSWER, _missing_answer(invoice))
    elif answer_root is not None:
        _answer_checks(carried.response, answer_root, invoice, findings, dian_certificates)
    findings.extend(CONTAINER, container_problems(root, invoice))
    return invoice


def _missing_answer(invoice: ReceivedInvoice) -> str:
    if invoice.type_code == "04":
        return ("Factura de contingencia sin la respuesta de la DIAN: aún no se puede verificar; "
                "pídala al proveedor cuando la DIAN la valide.")
    return "El AttachedDocument no trae la respuesta de la DIAN (ApplicationResponse)."


def _document_checks(
    data: bytes, root: etree._Element, invoice: ReceivedInvoice, findings: _Findings
) -> None:
    label = f"La {DOCUMENT_ROOTS[invoice.root_name]} {invoice.number}".rstrip()
    findings.schema(xsd_errors(root), label)
    findings.extend(SUPPLIER_SIGNATURE, signature_errors(data, root), "Firma del proveedor: ")
    findings.extend(TOTALS, total_errors(root), "Totales: ")
    findings.extend(UNIQUE_CODE, unique_code_problems(invoice))


def _answer_checks(
    data: bytes, root: etree._Element, invoice: ReceivedInvoice, findings: _Findings,
    dian_certificates: Collection[x509.Certificate],
) -> None:
    schema = xsd_errors(root)
    if not (schema and only_missing_qr_code(root)):  # DIAN omits the QR the XSD asks for
        findings.schema(schema, "La respuesta de la DIAN")
    findings.extend(DIAN_SIGNATURE, signature_errors(data, root), "Firma de la DIAN: ")
    if dian_certificates:
        if not _signed_by_one_of(root, dian_certificates):
            findings.add(DIAN_SIGNATURE, "La respuesta no está firmada con un certificado de "
                                         "la DIAN conocido.")
    else:
        findings.notes.append("La firma de la DIAN se comprobó con el certificado que trae la "
                              "respuesta; no hay certificados de la DIAN configurados para "
                              "confirmar quién lo emitió.")
    if invoice.answer is not None:
        findings.extend(DIAN_ANSWER, answer_problems(invoice.answer, invoice, DIAN_NIT))


def _signed_by_one_of(root: etree._Element, pinned: Collection[x509.Certificate]) -> bool:
    try:
        der = base64.b64decode(text(root, _XAdES_CERT), validate=False)
    except (binascii.Error, ValueError):
        return False
    return any(der == cert.public_bytes(Encoding.DER) for cert in pinned)


def identification(value: str) -> str:
    """A NIT or other id as its bare characters: no dots, spaces or "-DV" suffix."""
    bare = value.strip()
    head, dash, tail = bare.rpartition("-")
    if dash and len(tail.strip()) == 1 and tail.strip().isdigit():
        bare = head
    return re.sub(r"[^0-9A-Za-z]", "", bare).upper()


def _buyer_checks(
    invoice: ReceivedInvoice, findings: _Findings, buyer_nit: str,
    known_cufes: Container[str], environment: str | None,
) -> None:
    if identification(invoice.buyer_nit) != identification(buyer_nit) or not buyer_nit.strip():
        findings.add(BUYER, f"El documento está dirigido a {invoice.buyer_nit or '(sin NIT)'}, "
                            f"no a {buyer_nit}.")
    if invoice.cufe and invoice.cufe in known_cufes:
        findings.add(DUPLICATE, f"El documento {invoice.number} (CUFE {invoice.cufe[:12]}…) ya "
                                "se había recibido.")
    if environment is not None and invoice.environment != environment:
        findings.add(ENVIRONMENT, f"El documento es del ambiente {invoice.environment or '?'}; "
                                  f"se esperaba el ambiente {environment}.")
    elif invoice.environment == "2":
        findings.notes.append("Documento del ambiente de habilitación (pruebas): no tiene "
                              "validez tributaria.")
