"""What the buyer answered about an invoice (RADIAN events 030-034) and in which order.

DIAN registers the events of an invoice in one order (SPEC §6.3): 030 acuse de recibo,
then 032 recibo del bien o servicio, then one ending: 033 aceptación expresa or 031
reclamo from the buyer, or 034 aceptación tácita from the issuer once the buyer let
3 business days pass after the 032. Each event is registered once.

`buyer_status` of a document follows its last event. 033 ends in *Confirmado por el
Cliente* (`confirmado_cliente`) and 034 in *Confirmado Automáticamente*
(`confirmado_auto`): both are the invoice's final, accepted state, and the label says who
confirmed it. `aceptado` (*Aceptado expresamente*) names the same fact as the 033 movement
and is kept only so older rows read; no event sets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

BUYER_CODES = ("030", "031", "032", "033")  # sent by the buyer
ISSUER_CODES = ("034",)  # sent by the issuer
ENDINGS = ("031", "033", "034")  # after one of them nothing else is registered

STATUS_BY_CODE = {
    "030": "acuse",
    "032": "recibido",
    "031": "reclamado",
    "033": "confirmado_cliente",
    "034": "confirmado_auto",
}
STATUS_LABELS = {
    "": "Sin respuesta del cliente",
    "acuse": "Acuse de recibo",
    "recibido": "Recibido",
    "aceptado": "Aceptado expresamente",
    "reclamado": "Reclamado",
    "confirmado_cliente": "Confirmado por el Cliente",
    "confirmado_auto": "Confirmado Automáticamente",
}
EVENT_NAMES = {
    "030": "acuse de recibo (030)",
    "031": "reclamo (031)",
    "032": "recibo del bien o servicio (032)",
    "033": "aceptación expresa (033)",
    "034": "aceptación tácita (034)",
}
# Statuses whose document may still get a buyer event (the check job's work list).
WAITING_STATUSES = ("", "acuse", "recibido")
# How often DIAN is asked about an invoice still waiting for its buyer, by the time since
# it was accepted: at every check while fresh (a buyer's system acknowledges within
# minutes), then less and less, so the checks stay few however many invoices wait.
# Past the last age it is no longer asked.
RECHECK_BY_AGE = (
    (timedelta(minutes=10), timedelta(0)),
    (timedelta(hours=1), timedelta(minutes=1)),
    (timedelta(days=1), timedelta(minutes=10)),
    (timedelta(days=7), timedelta(hours=1)),
    (timedelta(days=60), timedelta(hours=6)),
)
CHECK_WINDOW = RECHECK_BY_AGE[-1][0]


def recheck_every(age: timedelta) -> timedelta | None:
    """The spacing of the checks of an invoice accepted `age` ago; None: not any more."""
    for up_to, every in RECHECK_BY_AGE:
        if age < up_to:
            return every
    return None


def order_error(registered: Iterable[str], code: str) -> str | None:
    """Why `code` cannot follow the events already `registered`, or None when it can."""
    done = set(registered)
    name = EVENT_NAMES.get(code)
    if name is None:
        return f"El código de evento {code!r} no es un evento del comprador (030 a 034)."
    if code in done:
        return f"El {name} ya estaba registrado para esta factura."
    ended = sorted(done & set(ENDINGS))
    if ended:
        return (f"La factura ya tiene {EVENT_NAMES[ended[0]]}: no admite el {name}.")
    if code == "030":
        return None
    if "030" not in done:
        return f"El {name} requiere antes el acuse de recibo (030)."
    if code == "032":
        return None
    if "032" not in done:
        return f"El {name} requiere antes el recibo del bien o servicio (032)."
    return None


def status_after(code: str) -> str:
    return STATUS_BY_CODE[code]


def waits_for_buyer(status: str) -> bool:
    return status in WAITING_STATUSES
