"""A supplier's side, simulated: an invoice issued TO an organization reaches its mailbox.

An admin action makes the sandbox's simulated supplier issue an electronic invoice to a
given buyer (NIT, name), exactly as a real supplier's software would: built and signed
XAdES-EPES with a development certificate of the supplier's own (made on first use and
kept in the store, like the simulated buyers'), answered by the sandbox's DIAN with its
own signed ApplicationResponse (02), wrapped in the AttachedDocument, zipped and mailed
by SMTP to the buyer's reception address. The app then receives it like any supplier's
mail (IMAP, or the local SMTP server under `make run`).
"""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from loggro_app.core.clock import bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import compute_dv
from loggro_app.dian import demo, samples
from loggro_app.dian.build import build_document
from loggro_app.dian.build_events import build_attached_document
from loggro_app.dian.model.parties import Party
from loggro_app.mail import DocumentSubject, MailSettings, build_document_mail, send_message
from loggro_app.standins.dian_sandbox import identity
from loggro_app.standins.dian_sandbox.admin import AdminError
from loggro_app.standins.dian_sandbox.buyer import party_signer

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService

SUPPLIER_NIT = "901555123"
SUPPLIER_NAME = "Distribuidora Simulada del Caribe S.A.S."
SUPPLIER_MAIL = "facturacion@distribuidora-simulada.example.co"
_NUMBER_KEY = "supplier_invoice_next"


def supplier() -> Party:
    return replace(samples.issuer(), id_number=SUPPLIER_NIT, dv=compute_dv(SUPPLIER_NIT),
                   name=SUPPLIER_NAME, trade_name="Distribuidora Simulada",
                   email=SUPPLIER_MAIL)


def _next_number(service: SandboxService) -> int:
    """The supplier's consecutive, inside the demo resolution's range."""
    stored = service.store.get_meta(_NUMBER_KEY)
    number = int(stored) if stored is not None else demo.RESOLUTION_FROM + 1
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


def supplier_invoice_mail(service: SandboxService,
                          payload: dict[str, Any]) -> tuple[EmailMessage, dict[str, Any]]:
    """Issue and validate one invoice of the simulated supplier: the mail that carries it
    to `payload["address"]` and what to report about it."""
    address = str(payload.get("address", "")).strip()
    if "@" not in address:
        raise AdminError("address: el correo de recepción del comprador.")
    seller = supplier()
    try:
        document = replace(samples.invoice(bogota_now(service.clock),
                                           number=_next_number(service)),
                           issuer=seller, counterparty=_buyer(payload.get("buyer_nit", ""),
                                                              payload.get("buyer_name", ""),
                                                              address))
        signer = party_signer(service, seller, "supplier")
        invoice = build_document(document, signer=signer, clock=service.clock)
        answer = identity.application_response(
            signer=service.dian, clock=service.clock, document_key=invoice.unique_code,
            document_number=document.number_text, document_type=document.type_code,
            issuer_nit=seller.id_number, issuer_name=seller.name,
            environment=str(document.environment), notifications=[])
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


def simulate_supplier_invoice(service: SandboxService, smtp: MailSettings | None,
                              payload: dict[str, Any]) -> dict[str, Any]:
    """Issue, validate, wrap and mail one invoice of the simulated supplier."""
    if smtp is None:
        raise AdminError("el sandbox se inició sin servidor de correo (--smtp).", 409)
    message, report = supplier_invoice_mail(service, payload)
    delivery = send_message(message, report["recipient"], settings=smtp)
    return {**report, "mailed": delivery.accepted, "smtp": delivery.text}
