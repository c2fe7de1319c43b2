"""The buyer's answer on an invoice, in the sandbox: Simular comprador sends the acuse, the
receipt and the express acceptance; the page shows each event and the final status."""

from __future__ import annotations

import math
from datetime import datetime, time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.core.clock import BOGOTA, system_clock
from loggro_app.dian.demo_enabled import NIT
from loggro_app.local_stack import LocalStack
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice
from tests.e2e.test_sales_flows import SELLER, issue_and_open
from tests.integration.test_buyer_events import _holiday_ahead

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_simulated_buyer_acknowledges_receives_and_accepts(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url, SELLER[0], full_name=SELLER[1])
    start_invoice(page, app_url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 2)
    issue_and_open(page)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    status = page.locator("#buyer-status")
    expect(status).to_have_text("Sin respuesta del cliente", timeout=30_000)
    page.click("#simulate-030")
    expect(status).to_have_text("Acuse de recibo", timeout=30_000)
    page.click("#simulate-032")
    expect(status).to_have_text("Recibido", timeout=30_000)
    expect(page.locator("#tacit-from")).to_contain_text("aceptación tácita")
    shot(page, artifacts, f"comprador-recibido-{name}")
    page.click("#simulate-033")
    expect(status).to_have_text("Confirmado por el Cliente", timeout=30_000)
    expect(page.locator(".buyer-event")).to_have_count(3)
    page.click("#simulate-030")  # DIAN refuses a second acuse (rule 90): said on the page
    expect(page.locator("#buyer-event-error")).to_contain_text("Regla: 90")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"comprador-confirmado-{name}")
    _expect_in_grid(page, app_url, _number(page), "Confirmado por el Cliente")
    shot(page, artifacts, f"grilla-confirmado-{name}")
    page.context.close()


def _number(page: Page) -> str:
    return page.locator("#document-number").inner_text().rsplit(" ", 1)[-1]


def _expect_in_grid(page: Page, app_url: str, number: str, buyer: str) -> None:
    """The grid row of the invoice, found by its number, shows the buyer's answer."""
    page.goto(app_url + "/ventas")
    expect(page.locator("#page-info")).to_contain_text("documentos")
    if (page.viewport_size or DESKTOP)["width"] <= PHONE["width"]:  # filters fold on a phone
        page.click("#filters-toggle")
    page.fill("#filter-number", number)
    row = page.locator(".grid-row").filter(has_text=number)
    expect(row).to_have_count(1, timeout=15_000)
    expect(row.locator(".buyer-status")).to_have_text(buyer, timeout=15_000)


def test_an_unanswered_invoice_is_confirmed_automatically_across_a_holiday(
        browser: Browser, app_url: str, artifacts: Path, local_stack: LocalStack) -> None:
    sandbox = next(s.url for s in local_stack.services if s.name == "dian-sandbox")
    page = new_page(browser, DESKTOP)
    login(page, app_url, SELLER[0], full_name=SELLER[1])
    start_invoice(page, app_url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 1)
    issue_and_open(page)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    # the buyer receives on a day whose 3 business days cross a Colombian holiday
    receipt = datetime.combine(_holiday_ahead(), time(10), BOGOTA)
    offset = (receipt - system_clock()).total_seconds()
    httpx.post(f"{sandbox}/admin/clock", json={"nit": NIT, "offset_seconds": offset},
               timeout=10).raise_for_status()
    try:
        status = page.locator("#buyer-status")
        page.click("#simulate-030")
        expect(status).to_have_text("Acuse de recibo", timeout=30_000)
        page.click("#simulate-032")
        expect(status).to_have_text("Recibido", timeout=30_000)
        # the term ends past the weekend or the holiday inside it
        tacit = datetime.strptime(page.locator("#tacit-from strong").inner_text()[:10],
                                  "%d/%m/%Y").date()
        assert (tacit - receipt.date()).days > 4, tacit
        clock = page.locator("#sandbox-now")
        for _ in range(math.ceil((tacit - receipt.date()).days / 3)):  # to the term
            before = clock.inner_text() if clock.count() else ""
            page.click("#advance-3-days")
            if before:
                expect(clock).not_to_have_text(before)
            else:
                expect(clock).to_be_visible()
        expect(status).to_have_text("Confirmado Automáticamente", timeout=60_000)
        expect(page.locator(".buyer-event")).to_contain_text(["030", "032", "034"])
        shot(page, artifacts, "comprador-tacita-desktop")
        _expect_in_grid(page, app_url, _number(page), "Confirmado Automáticamente")
    finally:
        httpx.post(f"{sandbox}/admin/clock", json={"nit": NIT, "offset_seconds": 0},
                   timeout=10)
    page.context.close()
