"""The buyer's side, simulated: the acquirer of an accepted invoice sends its RADIAN events.

An admin action makes the invoice's registered buyer (its AccountingCustomerParty) build,
sign and send an event 030, 031 (with its claim reason), 032 or 033 about it. The buyer signs
with a development certificate of its own (made on first use and kept in the store) and
uses a software registered in the sandbox for simulated buyers, whose PIN only the
sandbox knows. The event goes through the same validation as any SendEventUpdateStatus
(order, duplicates, signature, CUDE), so what the issuer later reads with GetStatusEvent
is exactly what a real buyer would have registered.
"""

from __future__ import annotations

import base64
import secrets
from functools import partial
from typing import TYPE_CHECKING, Any

from loggro_app.core.clock import bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.dian.build_events import build_event
from loggro_app.dian.invoice_parties import CUSTOMER, SUPPLIER, party_of
from loggro_app.dian.model.event import Event, Receiver
from loggro_app.dian.model.parties import Party, Software
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.standins.dian_sandbox.admin import AdminError
from loggro_app.standins.dian_sandbox.events import business_now, receive_event
from loggro_app.standins.dian_sandbox.validate import read_facts

if TYPE_CHECKING:
    from loggro_app.standins.dian_sandbox.service import SandboxService

BUYER_SOFTWARE_ID = "sandbox-software-comprador"
BUYER_PROVIDER_NIT = "900373115"  # a fictitious provider of the simulated buyers' software
_PIN_KEY = "buyer_software_pin"
BUYER_CODES = ("030", "031", "032", "033")
# The natural person who receives for the buyer (030/032 must name one, SPEC §6.3).
DEFAULT_PERSON = {"id_type": "13", "id_number": "1020304050", "first_name": "Lucía",
                  "family_name": "Rendón", "job_title": "Auxiliar de recepción",
                  "department": "Compras"}


def buyer_software(service: SandboxService) -> Software:
    """The simulated buyers' software, registered on first use with a random PIN."""
    store = service.store
    pin = store.get_meta(_PIN_KEY)
    if pin is None:
        pin = secrets.token_hex(8)
        store.set_meta(_PIN_KEY, pin)
    if store.software(BUYER_SOFTWARE_ID) is None:
        store.run("INSERT OR IGNORE INTO software VALUES (?, ?, ?, ?)", BUYER_SOFTWARE_ID,
                  pin, BUYER_PROVIDER_NIT, "Software de compradores (sandbox)")
    return Software(BUYER_PROVIDER_NIT, BUYER_SOFTWARE_ID, pin)


def party_signer(service: SandboxService, party: Party, role: str) -> Signer:
    """A simulated party's own test certificate (its NIT in the subject, like DIAN's ECD),
    made on first use and kept in the store: `role` is buyer or supplier."""
    key = f"{role}_p12:{party.id_number}"
    stored = service.store.get_meta(key)
    password = f"sandbox-{role}".encode()
    if stored is None:
        now = service.clock()
        p12 = create_dev_p12(nit=party.id_number, organization=party.name[:60],
                             password=password, not_before=now.replace(year=now.year - 1),
                             days=3650 * 3)
        stored = base64.b64encode(p12).decode()
        service.store.set_meta(key, stored)
    return Signer.from_pkcs12(base64.b64decode(stored), password)


def buyer_signer(service: SandboxService, party: Party) -> Signer:
    return party_signer(service, party, "buyer")


def _person(raw: Any) -> Receiver:
    data = {**DEFAULT_PERSON, **(raw if isinstance(raw, dict) else {})}
    return Receiver(**{k: str(data[k]) for k in DEFAULT_PERSON})


def send_buyer_event(service: SandboxService, document_key: str, code: str,
                     claim_reason: str = "", person: Any = None) -> dict[str, Any]:
    """Build, sign and register the buyer's event; the answer and the event's XML."""
    if code not in BUYER_CODES:
        raise AdminError("code: el comprador envía 030, 031, 032 o 033 (la 034 es del emisor).")
    row = service.store.accepted(document_key)
    if row is None:
        raise AdminError(f"documento {document_key[:16]}… no fue aceptado por la DIAN.", 404)
    facts = read_facts(row["xml"])
    issuer, buyer = party_of(facts.root, SUPPLIER), party_of(
        facts.root, CUSTOMER)
    # The term of a 034 runs on the issuer's portal clock: the buyer's events are dated on it.
    clock = partial(business_now, service, issuer.id_number)
    count = service.store.one("SELECT COUNT(*) AS n FROM events WHERE sender_nit = ?",
                              buyer.id_number)
    try:
        event = Event(
            code=code, prefix="EVC", number=(count["n"] if count else 0) + 1,
            issued_at=bogota_now(clock),
            sender=buyer, receiver_party=issuer, invoice_number=facts.number,
            invoice_uuid=document_key, software=buyer_software(service),
            invoice_type=facts.type_code, environment=int(facts.environment or 2),
            claim_reason=(claim_reason or None) if code == "031" else None,
            person=_person(person) if code in ("030", "032") else None)
    except ValidationError as exc:  # the model's Spanish message (a 031 without reason)
        raise AdminError(exc.message) from None
    built = build_event(event, signer=buyer_signer(service, buyer), clock=clock)
    answer = receive_event(service, built.file_names.xml, built.xml_bytes)
    return {"accepted": answer.is_valid, "status_code": answer.status_code,
            "message": answer.message, "errors": answer.lines, "event_key": built.unique_code,
            "xml": built.xml_bytes.decode("utf-8")}


def events_of(service: SandboxService, document_key: str) -> list[dict[str, Any]]:
    rows = service.store.all("SELECT event_key, code, sender_nit, received_at FROM events "
                             "WHERE document_key = ? ORDER BY received_at, rowid", document_key)
    return [dict(r) for r in rows]
