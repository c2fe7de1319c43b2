"""The message that delivers an accepted DIAN document to the buyer (SPEC §6.2), built
without network, clock or randomness: same input, same message.

- Subject: `NIT;Nombre;Número;Código tipo;Nombre comercial;Línea de negocio`.
- One ZIP attachment `z{stem}.zip` holding the AttachedDocument `ad{stem}.xml` and the
  graphic representation `ad{stem}.pdf`; the whole message stays under 2 MB.
- A short Spanish body whose greeting, text and closing the organization may personalise.

Date, Message-ID and From are added when the message is sent (`mail.sender`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from loggro_app.core.email import validate_email
from loggro_app.core.errors import ValidationError
from loggro_app.dian import deterministic_zip

MAX_MESSAGE_BYTES = 2_000_000  # SPEC §6.2: 2 MB per email; read as 10^6 bytes, the stricter
HEADER_ALLOWANCE = 1_024  # Date, Message-ID and From, added when sending
# Annex §6.5.8: ad + NIT (10) + provider code (3) + year (2) + consecutive (8 hex)
_XML_NAME = re.compile(r"ad(?P<stem>\d{15}[0-9a-f]{8})\.xml")
# The documents a buyer receives (annex table 6.1.3 and notes); support documents are not
# mailed: their "buyer" is the issuer itself.
MAILED_TYPES = {
    "01": "factura electrónica de venta",
    "02": "factura electrónica de exportación",
    "03": "factura de talonario o de papel (contingencia)",
    "04": "factura electrónica de contingencia DIAN",
    "91": "nota crédito electrónica",
    "92": "nota débito electrónica",
}
LIMITS = {"greeting": 200, "text": 2_000, "closing": 200}
LABELS = {"greeting": "El saludo", "text": "El texto", "closing": "La despedida"}


def _field(value: str) -> str:
    """One subject field: one line, and no `;`, which separates the fields."""
    return " ".join(str(value).replace(";", ",").split())


@dataclass(frozen=True)
class DocumentSubject:
    issuer_nit: str  # without DV
    issuer_name: str
    number: str  # cbc:ID, prefix included (SETP990000001)
    type_code: str  # 01, 02, 03, 04, 91, 92
    trade_name: str = ""  # empty: the legal name
    business_line: str = ""  # optional in the SPEC

    def __post_init__(self) -> None:
        if not self.issuer_nit.isdigit() or len(self.issuer_nit) > 10:
            raise ValidationError({"nit": "El NIT del emisor (sin DV) tiene hasta 10 dígitos."})
        if self.type_code not in MAILED_TYPES:
            raise ValidationError({"tipo": f"El tipo de documento {self.type_code!r} no se "
                                   f"envía al adquiriente (use {', '.join(MAILED_TYPES)})."})
        if not _field(self.number) or not _field(self.issuer_name):
            raise ValidationError({"asunto": "Faltan el número del documento o el nombre "
                                   "del emisor para el asunto del correo."})

    @property
    def text(self) -> str:
        return ";".join(_field(v) for v in (
            self.issuer_nit, self.issuer_name, self.number, self.type_code,
            self.trade_name or self.issuer_name, self.business_line))


@dataclass(frozen=True)
class MailTemplate:
    """What the organization may personalise; the document's own data is always added."""

    greeting: str = "Hola,"
    text: str = ("Te enviamos el documento electrónico que te expedimos, validado por la "
                 "DIAN. El archivo ZIP adjunto contiene el documento en XML y su "
                 "representación gráfica en PDF.")
    closing: str = "Cordialmente,"

    def __post_init__(self) -> None:
        errors = {name: f"{LABELS[name]} del correo admite hasta {limit} caracteres."
                  for name, limit in LIMITS.items() if len(getattr(self, name)) > limit}
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class AttachmentNames:
    zip: str
    xml: str
    pdf: str

    @classmethod
    def of(cls, xml_name: str) -> AttachmentNames:
        found = _XML_NAME.fullmatch(xml_name)
        if found is None:
            raise ValidationError({"adjunto": f"«{xml_name}» no es un nombre de "
                                   "AttachedDocument (ad + NIT + proveedor + año + "
                                   "consecutivo, .xml)."})
        stem = found["stem"]
        return cls(zip=f"z{stem}.zip", xml=f"ad{stem}.xml", pdf=f"ad{stem}.pdf")


def body_text(subject: DocumentSubject, template: MailTemplate, events_mailbox: str) -> str:
    kind = MAILED_TYPES[subject.type_code]
    lines = [template.greeting.strip(), "", template.text.strip(), "",
             f"Documento: {kind} {_field(subject.number)}",
             f"Emisor: {_field(subject.issuer_name)} (NIT {subject.issuer_nit})"]
    if events_mailbox:
        lines += ["", "Para enviar eventos sobre este documento (acuse de recibo, recibo del "
                  f"bien o servicio, aceptación o reclamo) responde a {events_mailbox}."]
    name = _field(subject.trade_name or subject.issuer_name)
    return "\n".join([*lines, "", template.closing.strip(), name, ""])


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f}".replace(".", ",") + " MB"


def build_document_mail(*, recipient: str, subject: DocumentSubject, attached_xml: bytes,
                        xml_name: str, pdf: bytes | None,
                        template: MailTemplate | None = None,
                        events_mailbox: str = "") -> EmailMessage:
    """The message for one recipient; ValidationError (Spanish) for a bad address or size."""
    to = validate_email(recipient, field="correo")
    reply_to = validate_email(events_mailbox, field="buzon_eventos") if events_mailbox else ""
    names = AttachmentNames.of(xml_name)
    members = [(names.xml, attached_xml)] + ([(names.pdf, pdf)] if pdf is not None else [])
    message = EmailMessage(policy=policy.SMTP)
    message["To"] = to
    message["Subject"] = subject.text
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body_text(subject, template or MailTemplate(), reply_to))
    archive = deterministic_zip(members)
    message.add_attachment(archive, maintype="application", subtype="zip", filename=names.zip)
    # A boundary from the content instead of a random one; "=_" never occurs in base64 or
    # quoted-printable text, so it cannot collide with a part.
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    message.set_boundary("=_loggro_" + hashlib.sha256(
        archive + body.as_bytes()).hexdigest()[:32])
    size = len(message.as_bytes()) + HEADER_ALLOWANCE
    if size > MAX_MESSAGE_BYTES:
        raise ValidationError({"adjunto": (
            f"El correo para {to} pesaría {_megabytes(size)} y la DIAN admite hasta "
            f"{_megabytes(MAX_MESSAGE_BYTES)} por correo (el PDF pesa "
            f"{_megabytes(len(pdf or b''))} y el XML {_megabytes(len(attached_xml))}). "
            "Reduce el PDF, por ejemplo con un logo más liviano.")})
    return message
