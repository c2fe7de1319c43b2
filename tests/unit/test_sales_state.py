"""The sales form driven directly (no browser, no database): lines, picks and live totals,
which come from `core.sales.preview_totals` and nowhere else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loggro_app.core.money import format_cop
from loggro_app.core.sales import MAX_LINES, LineInput, Withholdings, preview_totals
from loggro_app.models import SalesDocument
from loggro_app.state.sales_form import NO_RETEIVA, SalesFormState
from loggro_app.state.sales_view import (
    blank_line,
    document_row,
    line_input,
    line_view,
    percent_text,
    steps_of,
    totals_rows,
)
from tests.factories import T0

CAFE = {"id": "1", "code": "CAF-250", "name": "Café de origen 250 g", "unit_code": "94",
        "price": "18500.00", "price_label": "$ 18.500,00", "tax": "IVA_5"}
ASESORIA = {"id": "2", "code": "ASE-HOR", "name": "Asesoría contable (hora)",
            "unit_code": "HUR", "price": "120000.00", "price_label": "", "tax": "IVA_19"}


@pytest.fixture
def form() -> SalesFormState:
    state = SalesFormState()  # allowed under pytest
    state._clear("FE")
    return state


def amounts(state: SalesFormState) -> dict[str, str]:
    return {row["label"]: row["amount"] for row in state.totals}


def test_a_new_form_has_one_empty_line_and_no_totals(form: SalesFormState) -> None:
    assert form.lines == [blank_line()]
    assert form.totals == []


def test_picking_items_fills_the_empty_line_then_adds_lines(form: SalesFormState) -> None:
    form.pick_item(CAFE)
    assert len(form.lines) == 1
    assert form.lines[0] | {} == {**blank_line(), "description": CAFE["name"],
                                  "unit_price": "18500.00", "tax": "IVA_5",
                                  "item_code": "CAF-250"}
    form.pick_item(ASESORIA)
    assert [line["unit_code"] for line in form.lines] == ["94", "HUR"]


def test_totals_follow_the_lines_as_they_change(form: SalesFormState) -> None:
    form.pick_item(CAFE)
    first = amounts(form)
    assert first == {"Subtotal": "$ 18.500,00", "IVA 5 %": "$ 925,00", "Total": "$ 19.425,00"}
    form.set_line(0, "quantity", "2")
    form.pick_item(ASESORIA)
    second = amounts(form)
    assert second["Subtotal"] == "$ 157.000,00"
    assert second["IVA 19 %"] == "$ 22.800,00" and second["IVA 5 %"] == "$ 1.850,00"
    # the page shows exactly what the DIAN core computes for the same lines
    core = preview_totals([line_input(v) for v in form.lines], "FE")
    assert core is not None and second["Total"] == format_cop(core.payable)
    form.remove_line(1)
    assert amounts(form)["Total"] == "$ 38.850,00"


def test_an_incomplete_line_is_left_out_of_the_totals(form: SalesFormState) -> None:
    form.pick_item(CAFE)
    form.add_line()
    form.set_line(1, "description", "Servicio")  # no price yet
    assert amounts(form)["Subtotal"] == "$ 18.500,00"


def test_withholdings_show_and_reduce_what_is_collected(form: SalesFormState) -> None:
    form.pick_item(ASESORIA)
    form.set_field("retefuente", "11")
    form.set_field("reteiva", "15")
    shown = amounts(form)
    assert shown["ReteFuente 11 %"] == "-$ 13.200,00"
    assert shown["ReteIVA 15 %"] == "-$ 3.420,00"
    assert shown["Neto a recibir"] == "$ 126.180,00"  # 142.800 - 13.200 - 3.420
    assert form._form().withholdings == Withholdings("11", "", "15")


def test_withholdings_are_only_sent_on_an_invoice(form: SalesFormState) -> None:
    form.set_field("retefuente", "11")
    form._clear("NC")
    form.set_field("retefuente", "11")
    assert form._form().withholdings == Withholdings()
    form._clear("FE")
    form.set_field("reteiva", NO_RETEIVA)
    assert form._form().withholdings.reteiva == ""


def test_line_errors_are_shown_per_line_and_cleared_when_lines_move(
        form: SalesFormState) -> None:
    form.add_line()
    form.errors = {"lines.1.quantity": "La cantidad debe ser mayor que cero.",
                   "customer_id": "Elige el cliente (o consumidor final)."}
    assert form.line_errors[1]["quantity"].startswith("La cantidad")
    assert form.line_errors[0]["quantity"] == ""
    form.remove_line(0)
    assert form.errors == {"customer_id": "Elige el cliente (o consumidor final)."}
    form.pick_customer("7", "Hotel Andino S.A.S.")
    assert form.errors == {} and form._form().customer_id == 7


def test_lines_are_bounded(form: SalesFormState) -> None:
    for _ in range(MAX_LINES + 5):
        form.add_line()
    assert len(form.lines) == MAX_LINES and not form.can_add_line
    form.set_line(MAX_LINES + 3, "quantity", "9")  # out of range: ignored
    form.set_line(0, "not_a_field", "x")
    assert "not_a_field" not in form.lines[0]


def test_the_form_round_trips_through_what_is_saved(form: SalesFormState) -> None:
    form.pick_item(CAFE)
    form.set_field("payment_form", "2")
    form.set_field("due_date", "2026-12-31")
    form.set_field("currency", "USD")
    form.set_field("exchange_rate", "4000")
    saved = form._form()
    other = SalesFormState()
    other._clear("FE")
    other._fill(saved)
    assert other._form() == saved
    form.set_field("payment_form", "1")  # contado: no due date travels
    assert form._form().due_date == ""


def test_view_helpers() -> None:
    assert percent_text(Decimal("19.00")) == "19" and percent_text(Decimal("2.50")) == "2,5"
    line = LineInput("Café", "2", "18500", "IVA_5", discount="100")
    assert line_input(line_view(line)) == line
    assert totals_rows(None) == []
    assert steps_of("queued", "Firmando") == [
        {"label": "Numerando", "state": "done"}, {"label": "Firmando", "state": "current"},
        {"label": "Enviando a la DIAN", "state": "todo"}, {"label": "Aceptada", "state": "todo"}]
    assert steps_of("pending", "")[-1] == {"label": "Pendiente de envío", "state": "current"}
    assert steps_of("rejected", "")[-1] == {"label": "Rechazada", "state": "failed"}
    assert {s["state"] for s in steps_of("accepted", "Aceptada")} == {"done"}


def test_a_list_row_says_number_status_and_total() -> None:
    draft = SalesDocument(id=3, organization_id=1, kind="FE", created_at=T0, updated_at=T0)
    row = document_row(draft)
    assert (row["number"], row["status_label"], row["total"], row["customer"]) == (
        "Sin número", "Borrador", "—", "Sin cliente")
    issued = SalesDocument(id=4, organization_id=1, kind="FE", prefix="SETT", number=12,
                           status="accepted", total=Decimal("142800.00"),
                           customer_name="Hotel Andino", created_at=T0, updated_at=T0,
                           issued_at=T0)
    row = document_row(issued)
    assert (row["number"], row["total"], row["color"], row["date"]) == (
        "SETT12", "$ 142.800,00", "green", "22/11/2026")


def test_a_customer_abroad_makes_the_invoice_an_export_with_its_fields(
        form: SalesFormState) -> None:
    form.pick_customer("9", "Andes Coffee Importers LLC", "US")
    assert form.is_export and form.currency == "USD"  # the currency agreed abroad
    form.set_line(0, "brand", "La Ceiba Origen")
    form.set_line(0, "model", "Excelso EP 70 kg")
    form.set_field("incoterm", "FOB")
    form.set_field("delivery_place", "Puerto de Cartagena")
    saved = form._form()
    assert (saved.lines[0].brand, saved.lines[0].model) == ("La Ceiba Origen",
                                                            "Excelso EP 70 kg")
    assert (saved.incoterm, saved.delivery_place, saved.currency) == (
        "FOB", "Puerto de Cartagena", "USD")
    other = SalesFormState()
    other._fill(saved)
    assert other.lines[0]["brand"] == "La Ceiba Origen" and other.incoterm == "FOB"
    # a customer in Colombia: not an export, its delivery terms are not sent
    form.change_customer()
    form.pick_customer("7", "Hotel Andino S.A.S.", "CO")
    assert not form.is_export and form._form().incoterm == ""
    form._clear("NC")
    form.pick_customer("9", "Andes Coffee Importers LLC", "US")
    assert not form.is_export  # a note to a buyer abroad corrects; it exports nothing
