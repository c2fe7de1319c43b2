"""The organization as buyer: which RADIAN event it may send next about a received invoice.

The order is DIAN's (`core.buyer_events.order_error`): 030 acuse de recibo, then 032 recibo
del bien o servicio, then one ending, 033 aceptación expresa or 031 reclamo. The ending has
a legal term: the buyer answers within 3 business days after the 032 (Código de Comercio
art. 773, `core.business_days`); from then on the invoice is tacitly accepted and only the
supplier's 034 is registered, so a late 031 or 033 is refused here before DIAN refuses it.

An event still waiting for DIAN's answer blocks the next one: the next would otherwise be
sent before knowing whether the one it depends on was registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from loggro_app.core.business_days import add_business_days, tacit_acceptance_from
from loggro_app.core.buyer_events import EVENT_NAMES, order_error
from loggro_app.core.clock import BOGOTA

SENDABLE = ("030", "032", "033", "031")  # in the order the page offers them
ENDINGS = ("031", "033")
STATUS_BY_CODE = {"030": "acuse", "032": "recibido", "033": "aceptada", "031": "reclamada"}
STATUS_LABELS = {"acuse": "Acuse de recibo", "recibido": "Bien o servicio recibido",
                 "aceptada": "Aceptada expresamente", "reclamada": "Reclamada"}
WARN_BUSINESS_DAYS = 1  # the reminder shows when the term ends within this many


def claim_term_ends(receipt_at: datetime) -> datetime:
    """The first moment after the term to claim or accept expressly (midnight, Bogotá)."""
    return tacit_acceptance_from(receipt_at)


def last_claim_day(receipt_at: datetime) -> date:
    return claim_term_ends(receipt_at).date() - timedelta(days=1)


def refusal(accepted: Mapping[str, datetime], code: str, now: datetime,
            pending: tuple[str, ...] = ()) -> str | None:
    """Why the organization cannot send `code` now, or None when it can.

    `accepted` maps each event DIAN registered to when it was sent; `pending`, the events
    sent and still waiting for DIAN's answer.
    """
    if code not in SENDABLE:
        return f"El código {code!r} no es un evento que envíe el comprador (030 a 033)."
    name = EVENT_NAMES[code]
    if code in pending:
        return f"El {name} ya se envió y espera la respuesta de la DIAN."
    if pending:
        waiting = EVENT_NAMES[sorted(pending)[0]]
        return f"Espera la respuesta de la DIAN al {waiting} antes de enviar el {name}."
    problem = order_error(accepted, code)
    if problem is not None:
        return problem
    if code in ENDINGS and now >= claim_term_ends(accepted["032"]):
        receipt = accepted["032"].astimezone(BOGOTA)
        return (f"El plazo para el {name} venció el {last_claim_day(receipt):%d/%m/%Y}: "
                f"son 3 días hábiles después del recibo del bien o servicio (032, del "
                f"{receipt:%d/%m/%Y}). La factura quedó aceptada tácitamente.")
    return None


def allowed_next(accepted: Mapping[str, datetime], now: datetime,
                 pending: tuple[str, ...] = ()) -> list[str]:
    return [c for c in SENDABLE if refusal(accepted, c, now, pending) is None]


def claim_term_closing(accepted: Mapping[str, datetime], now: datetime,
                       days: int = WARN_BUSINESS_DAYS) -> date | None:
    """The last day to claim or accept when it is at most `days` business days away and
    nothing ended the invoice yet; None otherwise (no 032, ended, expired or far)."""
    receipt = accepted.get("032")
    if receipt is None or set(accepted) & set(ENDINGS) or now >= claim_term_ends(receipt):
        return None
    last = last_claim_day(receipt)
    return last if add_business_days(now.astimezone(BOGOTA).date(), days) >= last else None
