"""Reading and checking a RADIAN event (ApplicationResponse 030-034) someone sent us.

    event = check_event(xml, expected=Expected(...), pins={software_id: pin})

Refuses, with a Spanish message that says what is wrong, an event that is not XML, not an
event, badly signed or altered after signing (XAdES), whose CUDE does not match its values
(when the PIN of its software is known), that refers to another invoice, that is not
between this invoice's buyer and issuer, or a 031 without its claim reason. The order of
events is `core.buyer_events.order_error`'s, checked by the caller against what is stored.

The CUDE of a buyer's event hashes the PIN of the *buyer's* software (SPEC §1.5): the
issuer can recompute it only when that software is one whose PIN it holds (its own
provider's). Otherwise `cude_checked` is False and the caller must find the event among
the ones DIAN registered for the invoice (DIAN checked the CUDE when it registered it).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID
from lxml import etree

from loggro_app.core.errors import ValidationError
from loggro_app.dian import codes
from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.dian.xmlns import XPATH_NS

_RESPONSE = "cac:DocumentResponse/cac:Response/"
_REFERENCE = "cac:DocumentResponse/cac:DocumentReference/"
_PERSON = "cac:DocumentResponse/cac:IssuerParty/cac:Person/"
_COMPANY = "cac:{}/cac:PartyTaxScheme/cbc:CompanyID"


@dataclass(frozen=True)
class Expected:
    """The invoice an event must be about, and its two parties."""

    document_number: str  # e.g. SETP990000123
    document_key: str  # its CUFE
    issuer_nit: str  # the organization (receiver of 030-033, sender of 034)
    buyer_id: str  # the buyer's NIT or document number


@dataclass(frozen=True)
class ReceivedEvent:
    code: str
    claim_reason: str
    event_key: str  # the event's CUDE
    number: str
    issued_at: datetime
    sender_id: str
    sender_name: str
    receiver_id: str
    document_number: str
    document_key: str
    software_id: str
    person: str  # "Nombre Apellido (CC 123)" for 030/032
    note: str
    cude_checked: bool
    xml: bytes = field(repr=False)

    def summary(self) -> str:
        """What the history shows of the event."""
        parts = [f"{self.number} CUDE {self.event_key[:16]}…", f"de {self.sender_name}"]
        if self.claim_reason:
            parts.append(f"motivo {self.claim_reason} "
                         f"{codes.CLAIM_REASONS.get(self.claim_reason, '')}".strip())
        if self.person:
            parts.append(f"recibió {self.person}")
        return " · ".join(parts)


def _text(root: etree._Element, path: str) -> str:
    return str(root.xpath(f"string({path})", namespaces=XPATH_NS)).strip()


def _refuse(message: str) -> ValidationError:
    return ValidationError({"evento": message})


def read_event(xml: bytes) -> tuple[etree._Element, ReceivedEvent]:
    """The event's values as written, without judging them."""
    try:
        root = parse_untrusted(xml)
    except (etree.XMLSyntaxError, RefusedXml) as exc:
        raise _refuse(f"El archivo no es un XML válido: {exc}") from None
    if etree.QName(root).localname != "ApplicationResponse":
        raise _refuse("El archivo no es un evento (ApplicationResponse) de la DIAN.")
    person_id = _text(root, _PERSON + "cbc:ID")
    person = " ".join(filter(None, (_text(root, _PERSON + "cbc:FirstName"),
                                    _text(root, _PERSON + "cbc:FamilyName"))))
    issued = f"{_text(root, 'cbc:IssueDate')}T{_text(root, 'cbc:IssueTime')}"
    try:
        issued_at = datetime.fromisoformat(issued)
    except ValueError:
        raise _refuse(f"El evento tiene una fecha de emisión inválida ({issued}).") from None
    return root, ReceivedEvent(
        code=_text(root, _RESPONSE + "cbc:ResponseCode"),
        claim_reason=_text(root, _RESPONSE + "cbc:ResponseCode/@listID"),
        event_key=_text(root, "cbc:UUID"),
        number=_text(root, "cbc:ID"),
        issued_at=issued_at,
        sender_id=_text(root, _COMPANY.format("SenderParty")),
        sender_name=_text(root, "cac:SenderParty/cac:PartyTaxScheme/cbc:RegistrationName"),
        receiver_id=_text(root, _COMPANY.format("ReceiverParty")),
        document_number=_text(root, _REFERENCE + "cbc:ID"),
        document_key=_text(root, _REFERENCE + "cbc:UUID"),
        software_id=_text(root, "//sts:SoftwareProvider/sts:SoftwareID"),
        person=f"{person} ({person_id})" if person_id else person,
        note=_text(root, "cbc:Note"),
        cude_checked=False,
        xml=xml,
    )


def _integrity(xml: bytes, event: ReceivedEvent, pins: Mapping[str, str]) -> bool:
    """Signature, schema and (with a known PIN) CUDE; True when the CUDE was recomputed."""
    pin = pins.get(event.software_id)
    report = verify_xml(xml, secret=pin)
    signature = [e for e in report.errors if e.startswith("[ZE02]") or "firma" in e.lower()]
    if signature:
        raise _refuse("La firma digital del evento no es válida: el evento fue alterado "
                      "después de firmado o no lo firmó quien dice. " + signature[0])
    cude = [e for e in report.errors if e.startswith("[AAD06]")]
    if cude:
        raise _refuse(f"El CUDE del evento {event.number} no corresponde a sus datos "
                      "(regla AAD06): el evento fue alterado o mal generado.")
    if report.errors:
        raise _refuse("El evento no cumple el formato de la DIAN: " + report.errors[0])
    return pin is not None


def certificate_nit(cert: x509.Certificate) -> str:
    """The identification a certificate carries: the subject's serialNumber (where
    Colombian ECD certificates put the NIT) or "NIT n" in its common name."""
    for attr in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        digits = re.sub(r"\D", "", str(attr.value))
        if digits:
            return digits[:10] if len(digits) > 10 else digits
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    found = re.search(r"NIT\D*(\d+)", str(names[0].value)) if names else None
    return found.group(1) if found else ""


def certificate_holder(root: etree._Element) -> str:
    """Who signed: the identification of the certificate embedded in the signature."""
    text = _text(root, "//ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate")
    try:
        return certificate_nit(x509.load_der_x509_certificate(base64.b64decode(text)))
    except ValueError:
        return ""


def _signed_by_sender(root: etree._Element, event: ReceivedEvent) -> None:
    holder = certificate_holder(root)
    if holder != event.sender_id[:10]:
        raise _refuse(f"El evento dice venir de la identificación {event.sender_id}, pero lo "
                      f"firmó el certificado de {holder or 'un titular sin identificación'}.")


def _parties(event: ReceivedEvent, expected: Expected) -> None:
    by_issuer = event.code in ("034",)
    sender, receiver = ((expected.issuer_nit, expected.buyer_id) if by_issuer
                        else (expected.buyer_id, expected.issuer_nit))
    if event.receiver_id != receiver:
        whom = "al comprador" if by_issuer else "a esta organización"
        raise _refuse(f"El evento está dirigido a la identificación {event.receiver_id}, "
                      f"no {whom} ({receiver}).")
    if event.sender_id != sender:
        who = "esta organización" if by_issuer else "el comprador de la factura"
        raise _refuse(f"El evento lo emite la identificación {event.sender_id}, que no es "
                      f"{who} ({sender}).")


def check_event(xml: bytes, *, expected: Expected, pins: Mapping[str, str]) -> ReceivedEvent:
    """The event, when it is genuine and about `expected`; ValidationError otherwise."""
    root, event = read_event(xml)
    if event.code not in codes.EVENT_CODES:
        raise _refuse(f"El código de evento {event.code or '(vacío)'} no es un evento de "
                      "factura (030 a 034).")
    checked = _integrity(xml, event, pins)  # nothing in it is trusted before this
    if event.document_key != expected.document_key:
        raise _refuse(f"El evento se refiere a otra factura ({event.document_number or '?'}, "
                      f"CUFE {event.document_key[:16]}…), no a {expected.document_number}.")
    if event.document_number != expected.document_number:
        raise _refuse(f"El evento nombra la factura {event.document_number}, pero su CUFE es "
                      f"el de {expected.document_number}.")
    _parties(event, expected)
    _signed_by_sender(root, event)
    if event.code == "031" and event.claim_reason not in codes.CLAIM_REASONS:
        raise _refuse("El reclamo (031) no indica su motivo: debe ser uno de 01 a 04 "
                      "(tabla 13.3.11 de la DIAN).")
    if event.code in ("030", "032") and not event.person:
        raise _refuse(f"El evento {event.code} no identifica a la persona que recibió "
                      "(nombre y documento).")
    return replace(event, cude_checked=checked)


def expected_of_invoice(invoice_xml: bytes) -> Expected:
    """What an event about this signed invoice must name: its number, CUFE and parties,
    read from the invoice as DIAN accepted it (not from today's customer record)."""
    root = parse_untrusted(invoice_xml)
    party = "cac:{}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    return Expected(
        document_number=_text(root, "cbc:ID"),
        document_key=_text(root, "cbc:UUID"),
        issuer_nit=_text(root, party.format("AccountingSupplierParty")),
        buyer_id=_text(root, party.format("AccountingCustomerParty")),
    )
