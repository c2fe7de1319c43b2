"""What the PMS sends to Loggro Pymes: a folio's invoice or credit note as the JSON of
docs/pms-api.md section 2, and the push itself. Pure but for `push`, so a drill can build
many payloads and push them concurrently with one `httpx.AsyncClient`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import httpx

from loggro_app.core.clock import BOGOTA

CENT = Decimal("0.01")
GuestKind = Literal["final", "co", "foreign"]
# What each tax adds on top of the line's base; the simulator's own estimate of the total.
TAX_RATES = {"IVA_19": Decimal("0.19"), "IVA_5": Decimal("0.05"), "IVA_0": Decimal(0),
             "INC_8": Decimal("0.08"), "EXCLUIDO": Decimal(0)}
CONSUMIDOR_FINAL = "Consumidor final"
CREDIT_NOTE_VOID = "2"  # DIAN concept of a credit note: anulación de factura electrónica


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def today_in_bogota() -> date:
    return datetime.now(BOGOTA).date()


@dataclass(frozen=True)
class Guest:
    """`final`: consumidor final; `co`: a Colombian with cédula; `foreign`: a non-resident
    with passport, whose lodging is exempt of IVA given the evidence of entry."""

    kind: GuestKind = "final"
    name: str = ""
    id_number: str = ""
    email: str = ""
    country_code: str = "CO"
    address: str = ""
    municipality_code: str = "11001"
    city: str = ""
    entry_date: date | None = None
    migration_document: str = ""


@dataclass(frozen=True)
class Folio:
    """A guest's account at check-out; prices are before taxes, in pesos."""

    folio_id: str
    nights: int
    rate: Decimal
    guest: Guest = field(default_factory=Guest)
    breakfasts: int = 0
    breakfast_price: Decimal = Decimal(0)
    minibar: Decimal = Decimal(0)
    tip: Decimal = Decimal(0)


@dataclass(frozen=True)
class Resolution:
    """The numbering the PMS was given for one kind of document."""

    prefix: str
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date


def lodging_tax(guest: Guest) -> str:
    return "IVA_0" if guest.kind == "foreign" else "IVA_19"


def folio_lines(folio: Folio) -> list[dict[str, Any]]:
    nights = "noche" if folio.nights == 1 else "noches"
    lines = [{"category": "lodging", "code": "ALOJ",
              "description": f"Alojamiento {folio.nights} {nights}",
              "quantity": str(folio.nights), "unit_price": money(folio.rate),
              "tax": lodging_tax(folio.guest)}]
    if folio.breakfasts > 0 and folio.breakfast_price > 0:
        lines.append({"category": "breakfast", "code": "DESAY", "description": "Desayuno",
                      "quantity": str(folio.breakfasts),
                      "unit_price": money(folio.breakfast_price), "tax": "INC_8"})
    if folio.minibar > 0:
        lines.append({"category": "minibar", "code": "MINIB", "description": "Minibar",
                      "quantity": "1", "unit_price": money(folio.minibar), "tax": "IVA_19"})
    return lines


def folio_total(folio: Folio, *, with_tip: bool = True) -> Decimal:
    """Lines plus their taxes plus the tip, rounded per line as an invoice is."""
    total = folio.tip.quantize(CENT, rounding=ROUND_HALF_UP) if with_tip else Decimal(0)
    for line in folio_lines(folio):
        base = (Decimal(line["quantity"]) * Decimal(line["unit_price"])).quantize(CENT)
        tax = (base * TAX_RATES[line["tax"]]).quantize(CENT, rounding=ROUND_HALF_UP)
        total += base + tax
    return total


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None)}


def customer_of(guest: Guest) -> dict[str, Any] | None:
    if guest.kind == "final":
        return None  # Pymes bills consumidor final (222222222222)
    if guest.kind == "co":
        return _compact({"id_type": "13", "id_number": guest.id_number, "name": guest.name,
                         "email": guest.email, "country_code": "CO", "address": guest.address,
                         "municipality_code": guest.municipality_code})
    return _compact({"id_type": "41", "id_number": guest.id_number, "name": guest.name,
                     "email": guest.email, "country_code": guest.country_code.upper(),
                     "address": guest.address, "city": guest.city})


def document_id(folio: Folio, prefix: str, number: int) -> str:
    return f"{folio.folio_id}.{prefix}{number}"


def _payload(folio: Folio, kind: str, resolution: Resolution, number: int,
             issue_date: date | None) -> dict[str, Any]:
    day = (issue_date or today_in_bogota()).isoformat()
    payload: dict[str, Any] = {
        "pms_document_id": document_id(folio, resolution.prefix, number),
        "kind": kind,
        "prefix": resolution.prefix,
        "number": number,
        "issue_date": day,
        "currency": "COP",
        "customer": customer_of(folio.guest),
        "lines": folio_lines(folio),
        "payment": {"form": "1", "means": "10", "due_date": day},
        "notes": f"Folio {folio.folio_id}",
    }
    if folio.tip > 0:
        payload["tip"] = money(folio.tip)
    if folio.guest.kind == "foreign":
        payload["exemption"] = _compact({
            "passport_number": folio.guest.id_number,
            "entry_date": folio.guest.entry_date.isoformat() if folio.guest.entry_date else "",
            "migration_document": folio.guest.migration_document})
    return payload


def build_invoice_payload(folio: Folio, resolution: Resolution, number: int, *,
                          issue_date: date | None = None) -> dict[str, Any]:
    """The invoice of a folio, numbered `prefix + number` of the invoice resolution."""
    return _payload(folio, "invoice", resolution, number, issue_date)


def build_credit_note_payload(folio: Folio, resolution: Resolution, number: int,
                              invoice_document_id: str, *,
                              issue_date: date | None = None) -> dict[str, Any]:
    """The credit note that voids a folio's invoice (concept 2, anulación); without the
    tip, which Pymes takes only on invoices."""
    payload = _payload(folio, "credit_note", resolution, number, issue_date)
    payload.pop("tip", None)
    payload["reference"] = {"pms_document_id": invoice_document_id,
                            "concept": CREDIT_NOTE_VOID,
                            "description": f"Anulación del folio {folio.folio_id}"}
    return payload


async def push(client: httpx.AsyncClient, base_url: str, token: str,
               payload: dict[str, Any], *, idempotency_key: str | None = None,
               ) -> tuple[int, Any]:
    """POST the document to `{base_url}/documents`; the HTTP status and the decoded body
    (a dict for JSON answers, else {"text": ...}). Network errors raise httpx.HTTPError."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    answer = await client.post(base_url.rstrip("/") + "/documents",
                               content=json.dumps(payload).encode(), headers=headers)
    try:
        body: Any = answer.json()
    except ValueError:
        body = {"text": answer.text[:2000]}
    return answer.status_code, body
