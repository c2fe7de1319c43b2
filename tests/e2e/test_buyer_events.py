"""The buyer's answer on an invoice, in the sandbox: Simular comprador sends the acuse, the
receipt and the express acceptance; the page shows each event and the final status."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice
from tests.e2e.test_sales_flows import SELLER, issue_and_open

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
    page.context.close()
