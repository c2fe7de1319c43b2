"""The JSON the simulator pushes for a folio (docs/pms-api.md section 2)."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from loggro_app.standins.pms.client import (
    Folio,
    Guest,
    Resolution,
    build_credit_note_payload,
    build_invoice_payload,
    folio_total,
    push,
)

RESOLUTION = Resolution("HOT", 1, 5000, date(2026, 11, 1), date(2027, 12, 1))
NOTES = Resolution("NCH", 1, 5000, date(2026, 11, 1), date(2027, 12, 1))
DAY = date(2026, 12, 2)
COLOMBIAN = Guest("co", "Ana Gómez", "52123456", "ana@example.co", address="Cra 7 # 12-30",
                  municipality_code="05001")
FINAL = Guest()
FOREIGN = Guest("foreign", "John Smith", "x1234567", "john@example.com", "US",
                "1 Main St", city="Boston", entry_date=date(2026, 11, 28),
                migration_document="TMF-991")


def folio(guest: Guest = FINAL, **charges: Any) -> Folio:
    values: dict[str, Any] = {"nights": 3, "rate": Decimal("250000"), "breakfasts": 2,
                              "breakfast_price": Decimal("25000.5"),
                              "minibar": Decimal("18900"), "tip": Decimal("20000")}
    return Folio(folio_id="F0007", guest=guest, **{**values, **charges})


def invoice(guest: Guest = FINAL, **charges: Any) -> dict[str, Any]:
    return build_invoice_payload(folio(guest, **charges), RESOLUTION, 42, issue_date=DAY)


def line(payload: dict[str, Any], category: str) -> dict[str, Any]:
    return next(x for x in payload["lines"] if x["category"] == category)


def test_the_invoice_carries_its_number_date_and_lines() -> None:
    payload = invoice()
    assert (payload["kind"], payload["prefix"], payload["number"]) == ("invoice", "HOT", 42)
    assert payload["pms_document_id"] == "F0007.HOT42"
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", payload["pms_document_id"])
    assert payload["issue_date"] == "2026-12-02"
    assert payload["currency"] == "COP"
    assert [x["category"] for x in payload["lines"]] == ["lodging", "breakfast", "minibar"]
    assert line(payload, "lodging")["quantity"] == "3"
    json.dumps(payload)  # what is pushed is plain JSON


def test_amounts_are_strings_with_two_decimals() -> None:
    payload = invoice()
    amounts = [x["unit_price"] for x in payload["lines"]] + [payload["tip"]]
    assert amounts == ["250000.00", "25000.50", "18900.00", "20000.00"]
    assert all(re.fullmatch(r"\d+\.\d\d", a) for a in amounts)


def test_consumidor_final_has_no_customer_and_pays_iva_on_lodging() -> None:
    payload = invoice()
    assert payload["customer"] is None
    assert line(payload, "lodging")["tax"] == "IVA_19"
    assert "exemption" not in payload


def test_a_colombian_guest_is_a_cedula_and_pays_iva_19_on_lodging() -> None:
    payload = invoice(COLOMBIAN)
    assert payload["customer"] == {
        "id_type": "13", "id_number": "52123456", "name": "Ana Gómez",
        "email": "ana@example.co", "country_code": "CO", "address": "Cra 7 # 12-30",
        "municipality_code": "05001"}
    assert line(payload, "lodging")["tax"] == "IVA_19"
    assert "exemption" not in payload


def test_a_foreign_guest_is_a_passport_with_exempt_lodging() -> None:
    payload = invoice(FOREIGN)
    assert payload["customer"]["id_type"] == "41"
    assert payload["customer"]["country_code"] == "US"
    assert payload["customer"]["city"] == "Boston"
    assert "municipality_code" not in payload["customer"]
    assert line(payload, "lodging")["tax"] == "IVA_0"
    # Only lodging is exempt: what the guest consumes keeps its tax.
    assert line(payload, "minibar")["tax"] == "IVA_19"
    assert payload["exemption"] == {"passport_number": "x1234567", "entry_date": "2026-11-28",
                                    "migration_document": "TMF-991"}


def test_the_tip_goes_apart_and_only_when_there_is_one() -> None:
    assert invoice()["tip"] == "20000.00"
    assert all(x["category"] != "service" for x in invoice()["lines"])
    assert "tip" not in invoice(tip=Decimal(0))


def test_charges_left_at_zero_are_not_lines() -> None:
    payload = invoice(breakfasts=0, minibar=Decimal(0))
    assert [x["category"] for x in payload["lines"]] == ["lodging"]


def test_the_total_adds_each_lines_tax_and_the_tip() -> None:
    # 750000 + 19% ; 2 x 25000.50 + 8% ; 18900 + 19% ; tip 20000
    expected = (Decimal("892500.00") + Decimal("54001.08") + Decimal("22491.00")
                + Decimal("20000.00"))
    assert folio_total(folio()) == expected
    assert folio_total(folio(FOREIGN)) == expected - Decimal("142500.00")
    assert folio_total(folio(), with_tip=False) == expected - Decimal("20000.00")


def test_the_credit_note_voids_the_invoice_with_its_own_numbering() -> None:
    payload = build_credit_note_payload(folio(COLOMBIAN), NOTES, 3, "F0007.HOT42",
                                        issue_date=DAY)
    assert (payload["kind"], payload["prefix"], payload["number"]) == ("credit_note", "NCH", 3)
    assert payload["reference"] == {"pms_document_id": "F0007.HOT42", "concept": "2",
                                    "description": "Anulación del folio F0007"}
    assert payload["pms_document_id"] != "F0007.HOT42"
    assert payload["lines"] == invoice(COLOMBIAN)["lines"]
    assert "tip" not in payload  # Pymes takes a tip on invoices only


def test_push_posts_the_payload_with_the_bearer_token() -> None:
    # The product's intake is another process; here the transport records the request.
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(422, json={"title": "Datos inválidos", "errors": [
            {"field": "prefix", "rule": "FAB10b", "message": "x"}]},
            headers={"Content-Type": "application/problem+json"})

    async def go() -> tuple[int, Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await push(client, "http://127.0.0.1:8000/api/pms/v1/", "lgp_t", invoice())

    status, body = asyncio.run(go())
    assert status == 422 and body["errors"][0]["rule"] == "FAB10b"
    request = seen[0]
    assert str(request.url) == "http://127.0.0.1:8000/api/pms/v1/documents"
    assert request.headers["Authorization"] == "Bearer lgp_t"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == invoice()


def test_push_keeps_a_non_json_answer_as_text() -> None:
    async def go() -> tuple[int, Any]:
        transport = httpx.MockTransport(lambda r: httpx.Response(502, text="Bad Gateway"))
        async with httpx.AsyncClient(transport=transport) as client:
            return await push(client, "http://127.0.0.1:8000/api/pms/v1", "t", invoice())

    assert asyncio.run(go()) == (502, {"text": "Bad Gateway"})


@pytest.mark.parametrize("kind", ["foreign", "co"])
def test_guests_other_than_consumidor_final_are_named(kind: str) -> None:
    guest = FOREIGN if kind == "foreign" else COLOMBIAN
    assert invoice(guest)["customer"]["name"] == guest.name
