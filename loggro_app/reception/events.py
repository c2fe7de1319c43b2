"""A buyer's RADIAN event mailed to the reception address instead of a supplier's invoice.

Buyers of the organization's own invoices answer them (030, 031, 032, 033) by mail too, to
the same address suppliers use. What tells the two apart is the document: an invoice comes
wrapped in an AttachedDocument; an event is an ApplicationResponse whose response code is
one of the buyer's events (DIAN's own answer to an invoice is an ApplicationResponse too,
with code 02, and is never mailed alone).
"""

from __future__ import annotations

from loggro_app.core.buyer_events import BUYER_CODES
from loggro_app.core.errors import ValidationError
from loggro_app.dian import read_event
from loggro_app.reception.unpack import UnsafeAttachment, looks_like_xml, unpack


def buyer_event(data: bytes) -> bytes | None:
    """The event's XML when the attachment (bare or zipped, alone) is a buyer's event."""
    if looks_like_xml(data):
        candidates = [data]
    else:
        try:
            found = unpack(data)
        except UnsafeAttachment:
            return None
        candidates = [m.data for m in found.xml]
    if len(candidates) != 1:
        return None
    try:
        _, event = read_event(candidates[0])
    except ValidationError:
        return None
    return candidates[0] if event.code in BUYER_CODES else None
