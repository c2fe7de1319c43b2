"""The front desk: a folio from a form or JSON, its invoice or credit note numbered, kept
and pushed to Loggro Pymes with the connection's token."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx

from loggro_app.standins.pms.client import (
    Folio,
    Guest,
    build_credit_note_payload,
    build_invoice_payload,
    folio_total,
    push,
)
from loggro_app.standins.pms.store import Store

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
GUEST_FIELDS = ("kind", "name", "id_number", "email", "country_code", "address",
                "municipality_code", "city", "entry_date", "migration_document")


class BadFolio(ValueError):
    """A folio that cannot be billed; the message is Spanish, for the page."""


def _amount(fields: Mapping[str, Any], name: str, label: str, *, required: bool = False,
            ) -> Decimal:
    raw = str(fields.get(name) or "").strip().replace(",", ".")
    if not raw:
        if required:
            raise BadFolio(f"{label}: obligatorio.")
        return Decimal(0)
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise BadFolio(f"{label}: «{raw}» no es un valor.") from error
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadFolio(f"{label}: un valor positivo con máximo 2 decimales.")
    return value


def _count(fields: Mapping[str, Any], name: str, label: str, low: int) -> int:
    raw = str(fields.get(name) if fields.get(name) is not None else "").strip() or str(low)
    if not re.fullmatch(r"\d{1,4}", raw) or not low <= int(raw) <= 365:
        raise BadFolio(f"{label}: un número entero entre {low} y 365.")
    return int(raw)


def guest_of(fields: Mapping[str, Any]) -> Guest:
    kind = str(fields.get("kind") or "final")
    text = {k: str(fields.get(k) or "").strip() for k in GUEST_FIELDS}
    if kind == "final":
        return Guest()
    if kind not in ("co", "foreign"):
        raise BadFolio("Huésped: consumidor final, colombiano o extranjero.")
    if not text["name"]:
        raise BadFolio("Huésped: el nombre es obligatorio.")
    if kind == "co":
        if not re.fullmatch(r"\d{3,10}", text["id_number"]):
            raise BadFolio("Cédula: de 3 a 10 dígitos.")
        return Guest("co", text["name"], text["id_number"], text["email"], "CO",
                     text["address"], text["municipality_code"] or "11001")
    if not re.fullmatch(r"[A-Za-z0-9]{3,20}", text["id_number"]):
        raise BadFolio("Pasaporte: de 3 a 20 letras o dígitos.")
    country = text["country_code"].upper()
    if not re.fullmatch(r"[A-Z]{2}", country) or country == "CO":
        raise BadFolio("País: el código de 2 letras de un país distinto de Colombia.")
    try:
        entry = date.fromisoformat(text["entry_date"])
    except ValueError as error:
        raise BadFolio("Fecha de ingreso al país: obligatoria (AAAA-MM-DD).") from error
    if not text["migration_document"]:
        # Pymes keeps it as the evidence of the exemption of lodging.
        raise BadFolio("Sello de ingreso o Tarjeta Migratoria: obligatorio para el extranjero.")
    return Guest("foreign", text["name"], text["id_number"].upper(), text["email"], country,
                 text["address"], "", text["city"] or "N/A", entry, text["migration_document"])


def folio_of(folio_id: str, fields: Mapping[str, Any], guest: Guest) -> Folio:
    return Folio(folio_id=folio_id, guest=guest,
                 nights=_count(fields, "nights", "Noches", 1),
                 rate=_amount(fields, "rate", "Tarifa por noche", required=True),
                 breakfasts=_count(fields, "breakfasts", "Desayunos", 0),
                 breakfast_price=_amount(fields, "breakfast_price", "Precio del desayuno"),
                 minibar=_amount(fields, "minibar", "Minibar"),
                 tip=_amount(fields, "tip", "Propina"))


def check_folio(fields: Mapping[str, Any], guest: Guest) -> None:
    """Raise BadFolio before an id is spent on a folio that cannot be built."""
    folio = folio_of("F0000", fields, guest)
    if folio.rate <= 0:
        raise BadFolio("Tarifa por noche: mayor que cero.")


class Desk:
    def __init__(self, store: Store, client: httpx.AsyncClient) -> None:
        self.store, self.client = store, client

    async def bill(self, fields: Mapping[str, Any], guest_fields: Mapping[str, Any],
                   number: int | None = None) -> dict[str, Any]:
        """Create the folio, number and push its invoice; the document row after the push."""
        guest = guest_of(guest_fields)
        check_folio(fields, guest)
        folio = self.store.new_folio(lambda folio_id: folio_of(folio_id, fields, guest))
        doc = self.store.add_document(folio, "invoice", partial(build_invoice_payload, folio),
                                      folio_total(folio), number)
        return await self.send(doc["pms_document_id"])

    async def cancel(self, folio_id: str, number: int | None = None) -> dict[str, Any]:
        """Void the folio's received invoice with a credit note (concept 2) and push it."""
        folio = self.store.folio(folio_id)
        docs = [d for d in self.store.documents() if d["folio_id"] == folio_id]
        # Received by our push's answer, or known accepted from a webhook.
        invoice = next((d for d in docs if d["kind"] == "invoice" and (
            d["http_status"] in (200, 201) or d["estado"] == "Aceptada")), None)
        if folio is None or invoice is None:
            raise BadFolio("Solo se anula un folio cuya factura recibió Loggro Pymes.")
        if any(d["kind"] == "credit_note" and d["http_status"] in (200, 201) for d in docs):
            raise BadFolio("El folio ya tiene una nota crédito recibida.")
        build = partial(_credit_note, folio, invoice["pms_document_id"])
        doc = self.store.add_document(folio, "credit_note", build,
                                      folio_total(folio, with_tip=False), number)
        return await self.send(doc["pms_document_id"])

    async def send(self, pms_document_id: str) -> dict[str, Any]:
        """Push the stored payload (again); the same body, so Pymes answers 200 to a resend."""
        doc = self.store.document(pms_document_id)
        if doc is None:
            raise BadFolio("El documento no existe.")
        connection = self.store.active_connection()
        if connection is None or not connection.token or not connection.api_base_url:
            self.store.record_push(pms_document_id, 0,
                                   {"error": "No hay conexión activa con Loggro Pymes."})
        elif urlsplit(connection.api_base_url).hostname not in LOOPBACK:
            # A development tool must not become a way to make requests to other hosts.
            self.store.record_push(pms_document_id, 0, {
                "error": "El simulador solo envía a direcciones de 127.0.0.1."})
        else:
            try:
                status, body = await push(self.client, connection.api_base_url,
                                          connection.token, doc["payload"])
            except httpx.HTTPError as error:
                status, body = 0, {"error": f"Sin respuesta: {type(error).__name__}"}
            self.store.record_push(pms_document_id, status, body)
        found = self.store.document(pms_document_id)
        assert found is not None
        return found


def _credit_note(folio: Folio, invoice_id: str, resolution: Any, number: int,
                 ) -> dict[str, Any]:
    return build_credit_note_payload(folio, resolution, number, invoice_id)
