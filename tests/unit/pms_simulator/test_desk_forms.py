"""A folio from the page's form or the admin JSON: refused with a Spanish reason before
any number is spent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loggro_app.standins.pms.desk import BadFolio, check_folio, folio_of, guest_of
from loggro_app.standins.pms.faults import FaultBook

CHARGES = {"nights": "2", "rate": "180000", "breakfasts": "2", "breakfast_price": "22000",
           "minibar": "", "tip": "5000,50"}


def test_a_form_becomes_a_folio() -> None:
    folio = folio_of("F0001", CHARGES, guest_of({"kind": "final"}))
    assert (folio.nights, folio.rate, folio.breakfasts) == (2, Decimal("180000"), 2)
    assert (folio.minibar, folio.tip) == (Decimal(0), Decimal("5000.50"))


def test_a_foreign_guest_needs_passport_country_and_entry_date() -> None:
    guest = guest_of({"kind": "foreign", "name": "Jane", "id_number": "ab123",
                      "country_code": "fr", "entry_date": "2026-11-30",
                      "migration_document": "TMF-1"})
    assert (guest.id_number, guest.country_code, guest.entry_date) == (
        "AB123", "FR", date(2026, 11, 30))
    with pytest.raises(BadFolio, match="distinto de Colombia"):
        guest_of({"kind": "foreign", "name": "Jane", "id_number": "ab123",
                  "country_code": "CO", "entry_date": "2026-11-30"})
    with pytest.raises(BadFolio, match="Fecha de ingreso"):
        guest_of({"kind": "foreign", "name": "Jane", "id_number": "ab123",
                  "country_code": "FR"})
    with pytest.raises(BadFolio, match="Tarjeta Migratoria"):
        guest_of({"kind": "foreign", "name": "Jane", "id_number": "ab123",
                  "country_code": "FR", "entry_date": "2026-11-30"})


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "co", "name": "Ana", "id_number": "12a"}, "Cédula"),
    ({"kind": "co", "id_number": "52123456"}, "nombre"),
    ({"kind": "empresa", "name": "X"}, "Huésped"),
])
def test_bad_guests_are_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(BadFolio, match=message):
        guest_of(fields)


@pytest.mark.parametrize(("change", "message"), [
    ({"nights": "0"}, "Noches"), ({"nights": "2.5"}, "Noches"), ({"rate": ""}, "obligatorio"),
    ({"rate": "0"}, "mayor que cero"), ({"rate": "10.123"}, "2 decimales"),
    ({"tip": "-1"}, "Propina"), ({"minibar": "abc"}, "Minibar"), ({"rate": "NaN"}, "Tarifa"),
])
def test_bad_charges_are_refused(change: dict[str, str], message: str) -> None:
    with pytest.raises(BadFolio, match=message):
        check_folio({**CHARGES, **change}, guest_of({}))


def test_a_counted_outage_ends_by_itself() -> None:
    faults = FaultBook()
    faults.configure({"connection": "down", "count": 2})
    assert [faults.take("connection") for _ in range(3)] == [True, True, False]
    faults.configure({"webhooks": "down"})
    assert all(faults.take("webhooks") for _ in range(5))
    faults.configure({"webhooks": "up"})
    assert not faults.take("webhooks")
    with pytest.raises(ValueError):
        faults.configure({"mail": "down"})
