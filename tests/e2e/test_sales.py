"""Ventas in a real browser: a new invoice with a customer and three items from Inventario,
its totals moving as lines are added, saved as a draft and reopened; and, for the
organization already habilitada, issued against the DIAN sandbox until it is Aceptada."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot

pytestmark = pytest.mark.e2e
TOTAL = "#total-total .total-amount"


def start_invoice(page: Page, url: str, customer_search: str, customer: str) -> None:
    page.goto(url + "/ventas")
    expect(page.locator("#page-title")).to_have_text("Ventas")
    page.click("#new-FE")
    page.wait_for_url("**/ventas/nuevo?tipo=FE")
    expect(page.locator("#form-kind")).to_have_text("Factura electrónica de venta")
    page.fill("#customer-search", customer_search)
    page.locator(".customer-option").filter(has_text=customer).first.click()
    expect(page.locator("#customer-chosen")).to_have_text(customer)


def pick_items(page: Page, count: int) -> list[str]:
    """Pick items from Inventario; the total must change with every line."""
    seen: list[str] = []
    for index in range(count):
        page.locator(".item-option").nth(index).click()
        expect(page.locator(".sale-line")).to_have_count(index + 1)
        total = page.locator(TOTAL)
        if seen:
            expect(total).not_to_have_text(seen[-1])
        expect(total).to_contain_text("$ ")
        seen.append(total.inner_text())
    return seen


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_new_invoice_is_saved_as_a_draft_and_reopened(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url)
    start_invoice(page, app_url, "Hotel", "Hotel Andino S.A.S.")
    totals = pick_items(page, 3)
    assert len(set(totals)) == 3
    expect(page.locator("#totals")).to_contain_text("IVA 19 %")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-nueva-factura-{name}")
    page.click("#save-draft")
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()

    page.goto(app_url + "/ventas")
    row = page.locator(".sales-row").filter(has_text="Hotel Andino S.A.S.").first
    expect(row).to_contain_text("Borrador")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-lista-{name}")
    row.click()
    page.wait_for_url("**/ventas/documento/*")
    expect(page.locator(".sale-line")).to_have_count(3)
    expect(page.locator("#customer-chosen")).to_have_text("Hotel Andino S.A.S.")
    expect(page.locator(TOTAL)).to_have_text(totals[-1])
    page.context.close()


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_enabled_organization_issues_an_invoice_until_accepted(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    start_invoice(page, app_url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 2)
    page.click("#issue")
    page.wait_for_url("**/ventas/documento/*")
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    expect(page.locator("#issue-steps .issue-step")).to_have_count(4)
    expect(page.locator("#document-number")).to_contain_text("Factura electrónica de venta")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-aceptada-{name}")
    with page.expect_download() as download:
        page.locator(".download-xml").click()
    assert download.value.suggested_filename.endswith(".xml")
    assert b"<Invoice" in Path(download.value.path()).read_bytes()
    with page.expect_download() as pdf:
        page.locator(".download-pdf").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    page.goto(app_url + "/ventas")
    expect(page.locator(".grid-row").first).to_contain_text("Aceptada")
    page.context.close()
