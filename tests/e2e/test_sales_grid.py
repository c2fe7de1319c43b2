"""The Relación de Transacciones de Venta in a browser: the issued invoice is in the grid
with its DIAN state, filters and sort work, and Inicio counts it (the history dialog is
driven in test_delivery.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_grid_filters_sorts_and_inicio_counts(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    start_invoice(page, app_url, "52345678", "Carolina Duarte Ríos")
    pick_items(page, 2)
    page.click("#issue")
    page.wait_for_url("**/ventas/documento/*")
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)

    page.goto(app_url + "/ventas")
    rows = page.locator(".grid-row")
    expect(rows.first).to_be_visible()
    expect(page.locator("#page-info")).to_contain_text("documentos")
    if viewport == PHONE:  # the filters fold away on a phone
        expect(page.locator("#filter-customer")).to_be_hidden()
        page.click("#filters-toggle")
    page.fill("#filter-customer", "Carolina")
    expect(rows.first).to_contain_text("Carolina Duarte Ríos")
    expect(rows.filter(has_not_text="Carolina")).to_have_count(0)  # the filter has applied
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-grilla-{name}")
    rows.first.locator(".row-actions").click()  # Ver Detalle Historial from the row
    page.locator(".show-history").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Aceptado por la DIAN")
    expect(history.locator(".history-item").filter(has_text="Numerado")).to_have_count(1)
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-historial-{name}")
    page.keyboard.press("Escape")
    expect(history).to_be_hidden()
    page.fill("#filter-customer", "")
    page.click("#sort-total")  # biggest first, then smallest first
    expect(page.locator("#sort-total")).to_contain_text("↓")
    page.click("#sort-total")
    expect(page.locator("#sort-total")).to_contain_text("↑")
    page.goto(app_url + "/")  # Inicio: this month's documents and what awaits the buyer
    expect(page.locator("#month-documents")).to_contain_text("Aceptada")
    expect(page.locator("#waiting-total")).to_contain_text("Esperando respuesta del cliente")
    expect(page.locator(".waiting-document").first).to_be_visible()
    shot(page, artifacts, f"inicio-documentos-{name}")
    page.context.close()
