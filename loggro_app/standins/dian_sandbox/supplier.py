"""A supplier's side, simulated: an invoice issued TO an organization reaches its mailbox.

An admin action makes the sandbox's simulated supplier issue an electronic invoice to a
given buyer (NIT, name), exactly as a real supplier's software would: built and signed
XAdES-EPES with a development certificate of the supplier's own (made on first use and
kept in the store, like the simulated buyers'), sent through the sandbox's own reception
(the supplier is a habilitado taxpayer with its software and numbering, registered on
first use), so DIAN's validation, its stored answer and GetStatus are the real ones; then
DIAN's signed ApplicationResponse and the invoice are wrapped in the AttachedDocument,
zipped and mailed by SMTP to the buyer's reception address. The app receives it like any
supplier's mail (IMAP, or the local SMTP server under `make run`).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from loggro_app.core.clock import bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import compute_dv
from loggro_app.dian import samples
from loggro_app.dian.build import BuiltDocument, build_document
from loggro_app.dian.build_events import build_attached_document
from loggro_app.dian.model.parties import Party, Resolution, Software
from loggro_app.mail import DocumentSubject, MailSettings, build_document_mail, send_message
from loggro_app.standins.dian_sandbox.admin import Admin, AdminError
from loggro_app.standins.dian_sandbox.buyer import party_signer

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService

SUPPLIER_NIT = "901555123"
SUPPLIER_NAME = "Distribuidora Simulada del Caribe S.A.S."
SUPPLIER_MAIL = "facturacion@distribuidora-simulada.example.co"
SOFTWARE_ID = "sandbox-software-proveedor"
RESOLUTION = "18760000777"
PREFIX = "PSIM"
RANGE = (1, 99_999_999)
_PIN_KEY = "supplier_software_pin"
_KEY_KEY = "supplier_technical_key"
_NUMBER_KEY = "supplier_invoice_next"
_LONG_AGO = "2024-01-01T00:00:00+00:00"  # the resolution is old: associable at once


def supplier() -> Party:
    return replace(samples.issuer(), id_number=SUPPLIER_NIT, dv=compute_dv(SUPPLIER_NIT),
                   name=SUPPLIER_NAME, trade_name="Distribuidora Simulada",
                   email=SUPPLIER_MAIL)


def _secret(service: SandboxService, key: str, size: int) -> str:
    value = service.store.get_meta(key)
    if value is None:
        value = secrets.token_hex(size)
        service.store.set_meta(key, value)
    return value


def registered_supplier(service: SandboxService, admin: Admin) -> tuple[Software, Resolution]:
    """The supplier as DIAN knows it, registered on first use: habilitado, its software
    accepted, its numbering associated (PIN and technical key known to the sandbox only)."""
    pin, key = _secret(service, _PIN_KEY, 8), _secret(service, _KEY_KEY, 20)
    if service.store.taxpayer(SUPPLIER_NIT) is None:
        admin.create_taxpayer(SUPPLIER_NIT, SUPPLIER_NAME, enabled=True)
        admin.create_software(SUPPLIER_NIT, SOFTWARE_ID, pin, SUPPLIER_NIT,
                              "Software del proveedor simulado", "Aceptado")
        admin.issue_resolution(SUPPLIER_NIT, RESOLUTION, PREFIX, *RANGE, "2024-01-01",
                               "2035-12-31", technical_key=key, issued_at=_LONG_AGO)
        admin.associate(SUPPLIER_NIT, PREFIX, SOFTWARE_ID, RESOLUTION)
    resolution = Resolution(RESOLUTION, PREFIX, *RANGE, date(2024, 1, 1), date(2035, 12, 31),
                            key)
    return Software(SUPPLIER_NIT, SOFTWARE_ID, pin), resolution


def _next_number(service: SandboxService) -> int:
    stored = service.store.get_meta(_NUMBER_KEY)
    number = int(stored) if stored is not None else RANGE[0]
    service.store.set_meta(_NUMBER_KEY, str(number + 1))
    return number


def _buyer(nit: str, name: str, address: str) -> Party:
    digits = str(nit or "").strip()
    if not digits.isdigit() or len(digits) > 10:
        raise AdminError("buyer_nit: solo dígitos, sin DV (máximo 10).")
    if not str(name or "").strip():
        raise AdminError("buyer_name: el nombre del comprador.")
    return replace(samples.buyer(), id_number=digits, dv=compute_dv(digits),
                   name=str(name).strip()[:200], email=address)


def _validated(service: SandboxService, invoice: BuiltDocument) -> bytes:
    """DIAN's signed ApplicationResponse, from the sandbox's own reception of the invoice."""
    answer = service.receiver.receive(invoice.file_names.xml, invoice.xml_bytes)
    if not answer.is_valid or not answer.application_response:
        raise AdminError("la DIAN del sandbox rechazó la factura del proveedor: "
                         + " ".join(answer.lines or [answer.description]), 409)
    return base64.b64decode(answer.application_response)


def supplier_invoice_mail(service: SandboxService, admin: Admin,
                          payload: dict[str, Any]) -> tuple[EmailMessage, dict[str, Any]]:
    """Issue and validate one invoice of the simulated supplier: the mail that carries it
    to `payload["address"]` and what to report about it."""
    address = str(payload.get("address", "")).strip()
    if "@" not in address:
        raise AdminError("address: el correo de recepción del comprador.")
    seller = supplier()
    buyer = _buyer(payload.get("buyer_nit", ""), payload.get("buyer_name", ""), address)
    software, resolution = registered_supplier(service, admin)
    try:
        document = replace(samples.invoice(bogota_now(service.clock),
                                           number=_next_number(service)),
                           issuer=seller, counterparty=buyer, prefix=PREFIX,
                           software=software, resolution=resolution)
        signer = party_signer(service, seller, "supplier")
        invoice = build_document(document, signer=signer, clock=service.clock)
        answer = _validated(service, invoice)
        now = bogota_now(service.clock)
        attached = build_attached_document(
            document, invoice, container_id=f"AD{document.number}", signer=signer,
            clock=service.clock, application_response=answer,
            validated_at=(now.date(), now.time().replace(microsecond=0)))
        message = build_document_mail(
            recipient=address, xml_name=attached.file_names.xml,
            attached_xml=attached.xml_bytes, pdf=None,
            subject=DocumentSubject(seller.id_number, seller.name, document.number_text,
                                    document.type_code, seller.trade_name))
    except ValidationError as exc:
        raise AdminError(exc.message) from None
    return message, {"cufe": invoice.unique_code, "number": document.number_text,
                     "supplier_nit": seller.id_number, "supplier_name": seller.name,
                     "recipient": address}


def simulate_supplier_invoice(service: SandboxService, admin: Admin,
                              smtp: MailSettings | None,
                              payload: dict[str, Any]) -> dict[str, Any]:
    """Issue, validate, wrap and mail one invoice of the simulated supplier."""
    if smtp is None:
        raise AdminError("el sandbox se inició sin servidor de correo (--smtp).", 409)
    message, report = supplier_invoice_mail(service, admin, payload)
    delivery = send_message(message, report["recipient"], settings=smtp)
    return {**report, "mailed": delivery.accepted, "smtp": delivery.text}
