"""Top-level JSON document parsing (see fields.py for the parts)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.dian.json_format.fields import (
    _bad,
    _date,
    _dec,
    _obj,
    _str,
    parse_address,
    parse_allowances,
    parse_line,
    parse_party,
    parse_resolution,
    parse_software,
)
from loggro_app.dian.model.document import BillingReference, Correction, Document, Kind, Payment
from loggro_app.dian.model.export import Delivery, DeliveryTerms

DOCUMENT_KEYS = {
    "kind",
    "invoice_type",
    "environment",
    "prefix",
    "number",
    "issued_at",
    "issuer",
    "buyer",
    "seller",
    "resolution",
    "software",
    "lines",
    "payment",
    "currency",
    "exchange_rate",
    "exchange_rate_date",
    "delivery",
    "delivery_terms",
    "allowances",
    "prepaid",
    "notes",
    "reference",
    "correction",
    "period",
    "$comment",
}


def load_json(data: bytes) -> Any:
    """Strict UTF-8 JSON with Decimal numbers."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {
                "archivo": f"archivo: no está codificado en UTF-8 (byte inválido en "
                f"la posición {exc.start}); guárdelo como UTF-8."
            }
        ) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {
                "archivo": f"archivo: JSON inválido en la línea {exc.lineno}, "
                f"columna {exc.colno}: {exc.msg}."
            }
        ) from None


def _kind(value: Any) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        options = ", ".join(k.value for k in Kind)
        raise _bad("kind", f"'{value}' no es un tipo de documento ({options}).") from None


def _issued_at(value: Any, clock: Clock) -> datetime:
    if value is None:
        return bogota_now(clock)
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad(
            "issued_at", f"'{value}' no es fecha-hora ISO (2026-01-31T10:00:00-05:00)."
        ) from None


def _payment(raw: Any) -> Payment:
    data = _obj(raw, "payment", {"form", "means_code", "due_date"})
    due = _date(data["due_date"], "payment.due_date") if data.get("due_date") else None
    return Payment(_str(data.get("form", "1")), _str(data.get("means_code", "10")), due)


def _export_parts(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange-rate date, delivery and INCOTERMS (export invoices, docs/dian-json.md)."""
    parts: dict[str, Any] = {}
    if data.get("exchange_rate_date"):
        parts["exchange_rate_date"] = _date(data["exchange_rate_date"], "exchange_rate_date")
    if data.get("delivery"):
        raw = _obj(data["delivery"], "delivery", {"address", "date"})
        if not raw.get("address"):
            raise _bad("delivery", "falta 'address' (dirección de entrega con país y ciudad).")
        parts["delivery"] = Delivery(
            parse_address(raw["address"], "delivery.address"),
            _date(raw["date"], "delivery.date") if raw.get("date") else None,
        )
    if data.get("delivery_terms"):
        raw = _obj(data["delivery_terms"], "delivery_terms", {"incoterm", "special_terms"})
        parts["delivery_terms"] = DeliveryTerms(raw.get("incoterm", ""), raw.get("special_terms"))
    return parts


def _notes_parts(data: dict[str, Any]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    if data.get("reference"):
        ref = _obj(data["reference"], "reference", {"number", "uuid", "issue_date", "scheme_name"})
        parts["reference"] = BillingReference(
            ref.get("number", ""),
            ref.get("uuid", ""),
            _date(ref.get("issue_date"), "reference.issue_date"),
            ref.get("scheme_name", "CUFE-SHA384"),
        )
    if data.get("correction"):
        cor = _obj(data["correction"], "correction", {"concept", "description"})
        parts["correction"] = Correction(_str(cor.get("concept", "")), cor.get("description", ""))
    if data.get("period"):
        per = _obj(data["period"], "period", {"start", "end"})
        parts["period"] = (
            _date(per.get("start"), "period.start"),
            _date(per.get("end"), "period.end"),
        )
    return parts


def parse_document(raw: Any, *, clock: Clock) -> Document:
    """Build a validated Document; `issued_at` defaults to the clock's Bogotá time."""
    data = _obj(raw, "documento", DOCUMENT_KEYS)
    kind = _kind(data.get("kind"))
    role = "seller" if kind.is_support else "buyer"
    if role not in data:
        raise _bad(role, f"falta el objeto '{role}' (contraparte del documento).")
    if not isinstance(data.get("lines"), list):
        raise _bad("lines", "debe ser una lista de líneas.")
    exchange = data.get("exchange_rate")
    return Document(
        kind=kind,
        prefix=data.get("prefix", ""),
        number=data.get("number", -1),
        issued_at=_issued_at(data.get("issued_at"), clock),
        issuer=parse_party(data.get("issuer"), "issuer"),
        counterparty=parse_party(data[role], role),
        lines=tuple(parse_line(item, f"lines[{i}]") for i, item in enumerate(data["lines"], 1)),
        software=parse_software(data.get("software")),
        environment=data.get("environment", 2),
        resolution=parse_resolution(data["resolution"]) if data.get("resolution") else None,
        invoice_type=_str(data.get("invoice_type", "01")),
        payment=_payment(data.get("payment", {})),
        currency=data.get("currency", "COP"),
        exchange_rate=_dec(exchange, "exchange_rate") if exchange is not None else None,
        allowances=parse_allowances(data.get("allowances", []), "allowances"),
        prepaid=_dec(data.get("prepaid", "0"), "prepaid"),
        notes=tuple(data.get("notes", [])),
        **_notes_parts(data),
        **_export_parts(data),
    )
