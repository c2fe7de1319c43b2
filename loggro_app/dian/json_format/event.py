"""JSON description of an event (ApplicationResponse 030-034) -> Event (docs/dian-json.md)."""

from __future__ import annotations

from typing import Any

from loggro_app.core.clock import Clock
from loggro_app.dian.json_format.document import _issued_at
from loggro_app.dian.json_format.fields import _bad, _obj, _str, parse_party, parse_software
from loggro_app.dian.model.event import Event, Receiver

EVENT_KEYS = {
    "kind",
    "event_code",
    "prefix",
    "number",
    "environment",
    "issued_at",
    "sender",
    "receiver",
    "invoice",
    "software",
    "claim_reason",
    "person",
    "note",
    "$comment",
}
EVENT_KIND = "application_response"


def _person(raw: Any) -> Receiver | None:
    if raw is None:
        return None
    data = _obj(
        raw,
        "person",
        {"id_type", "id_number", "first_name", "family_name", "job_title", "department"},
    )
    return Receiver(
        _str(data.get("id_type", "13")),
        _str(data.get("id_number", "")),
        data.get("first_name", ""),
        data.get("family_name", ""),
        data.get("job_title", ""),
        data.get("department", ""),
    )


def parse_event(raw: Any, *, clock: Clock) -> Event:
    data = _obj(raw, "evento", EVENT_KEYS)
    if data.get("kind") != EVENT_KIND:
        raise _bad("kind", f"un evento debe tener kind '{EVENT_KIND}'.")
    invoice = _obj(data.get("invoice"), "invoice", {"number", "uuid", "type"})
    return Event(
        code=_str(data.get("event_code", "")),
        prefix=data.get("prefix", ""),
        number=data.get("number", -1),
        issued_at=_issued_at(data.get("issued_at"), clock),
        sender=parse_party(data.get("sender"), "sender"),
        receiver_party=parse_party(data.get("receiver"), "receiver"),
        invoice_number=invoice.get("number", ""),
        invoice_uuid=invoice.get("uuid", ""),
        invoice_type=_str(invoice.get("type", "01")),
        software=parse_software(data.get("software")),
        environment=data.get("environment", 2),
        claim_reason=_str(data.get("claim_reason")),
        person=_person(data.get("person")),
        note=data.get("note"),
    )
