"""Every DIAN rule code in plain Spanish, with the place in the app to fix it.

    explain("FAK24", dian_text) -> Explanation(code, text, field, known=True)

An unknown code keeps DIAN's own text verbatim and is logged once per process (a warning
asking for a new entry in `explanation_texts.TEXTS`), so a new DIAN rule shows up in the
logs without flooding them.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from loggro_app.dian.rules.explanation_texts import TEXTS

log = logging.getLogger(__name__)

# Stable keys of the app's fields and places; pages map them to a section or an input.
FIELDS = frozenset(
    {
        "certificate",  # Organización: signing certificate and its password
        "connection",  # the DIAN URL, the server's clock, the request itself
        "customer.identification",  # Contactos: id type, number and DV
        "document",  # the document as a whole (format, zip, duplicates)
        "document.currency",
        "document.date",
        "document.period",  # a note's invoicing period
        "document.reference",  # the invoice a note or event refers to
        "document.totals",
        "enablement",  # Habilitación DIAN: registration as electronic invoicer
        "event",  # a buyer/RADIAN event's own data (claim reason)
        "line.date",
        "line.item",  # Inventario: product code
        "line.price",
        "line.tax",
        "numbering",  # Consecutivos de Facturación: resolution, prefix, range, key
        "organization.address",
        "organization.identification",
        "organization.name",
        "software",  # Habilitación DIAN: software id, PIN, provider
        "supplier.identification",  # documento soporte: the seller's NIT and DV
    }
)


@dataclass(frozen=True)
class Explanation:
    code: str
    text: str  # Spanish; DIAN's own words when the code is unknown
    field: str | None  # one of FIELDS; None when the code is unknown
    known: bool


_logged: set[str] = set()
_logged_lock = threading.Lock()


def _lookup(code: str) -> tuple[str, str] | None:
    # The suffix letter of a DIAN code is lower case, but answers copied by hand
    # in forums and old clients upper-case them.
    return TEXTS.get(code) or next(
        (entry for known, entry in TEXTS.items() if known.upper() == code.upper()), None
    )


def _log_once(code: str, dian_text: str) -> None:
    with _logged_lock:
        if code in _logged:
            return
        _logged.add(code)
    log.warning("Regla DIAN sin explicación: %s (%s)", code or "(sin código)", dian_text)


def explain(code: str, dian_text: str) -> Explanation:
    """The table's explanation for `code`, or DIAN's text verbatim when it is unknown."""
    code = code.strip()
    entry = _lookup(code)
    if entry is None:
        _log_once(code, dian_text)
        return Explanation(code, dian_text, None, known=False)
    field, text = entry
    return Explanation(code, text, field, known=True)
