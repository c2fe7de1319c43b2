"""Selling as the organization that can: an invoice with three lines accepted and its PDF
opened, then a credit note against it; DIAN failing (a held answer, then 503) leaves the
invoice Pendiente de envío and it is accepted alone once DIAN is back; the principal user
sees that work under Configuración."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.local_stack import LocalStack
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice

pytestmark = pytest.mark.e2e
SELLER = ("habilitada@loggro.co", "Camila Rojas")


def sandbox_admin(stack: LocalStack) -> str:
    return stack.env()["LOGGRO_DIAN_URL"].split("/WcfDianCustomerServices")[0]


def issue_and_open(page: Page) -> str:
    page.click("#issue")
    page.wait_for_url("**/ventas/documento/*")
    return page.url


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_invoice_accepted_pdf_opened_then_a_credit_note(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url, SELLER[0], full_name=SELLER[1])
    start_invoice(page, app_url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 3)
    issue_and_open(page)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    number = page.locator("#document-number").inner_text().rsplit(" ", 1)[-1]
    with page.expect_download(timeout=60_000) as pdf:
        page.locator(".download-pdf").click()
    data = Path(pdf.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    page.click("#toggle-preview")  # the graphic representation, readable on the page
    preview = page.frame_locator("#preview")
    expect(preview.locator("body")).to_contain_text(number)
    expect(preview.locator("body")).to_contain_text("CUFE")
    shot(page, artifacts, f"ventas-vista-previa-{name}")

    page.goto(app_url + "/ventas")
    page.click("#new-NC")
    page.wait_for_url("**/ventas/nuevo?tipo=NC")
    page.fill("#customer-search", "830054320")
    page.locator(".customer-option").filter(has_text="Restaurante El Fogón").first.click()
    page.click("#reference")
    page.get_by_role("option").filter(has_text=number).first.click()
    page.click("#take-lines")
    expect(page.locator(".sale-line")).to_have_count(3)
    page.locator(".sale-line").last.locator("button").first.click()  # return two of three
    expect(page.locator(".sale-line")).to_have_count(2)
    page.click("#concept")
    page.get_by_role("option").filter(has_text="Devolución parcial").first.click()
    page.fill("#concept-description", "El cliente devolvió dos productos")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"ventas-nota-credito-{name}")
    issue_and_open(page)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    expect(page.locator("#document-number")).to_contain_text("Nota crédito")
    page.context.close()


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_dian_down_then_back_the_invoice_is_accepted_without_a_touch(
        browser: Browser, app_url: str, artifacts: Path, local_stack: LocalStack,
        viewport: dict[str, int], name: str) -> None:
    faults = sandbox_admin(local_stack) + "/admin/faults"
    # the first send is taken and its answer held past the client's wait, then 503s
    httpx.post(faults, json={"kind": "timeout", "seconds": 8, "count": 1,
                             "operation": "SendBillSync"}).raise_for_status()
    httpx.post(faults, json={"kind": "http503", "count": 1000,
                             "operation": "SendBillSync"}).raise_for_status()
    page = new_page(browser, viewport)
    try:
        login(page, app_url, SELLER[0], full_name=SELLER[1])
        start_invoice(page, app_url, "52345678", "Carolina Duarte Ríos")
        pick_items(page, 1)
        issue_and_open(page)
        expect(page.locator("#document-status")).to_have_text("Pendiente de envío",
                                                               timeout=90_000)
        expect(page.get_by_text("La DIAN no responde")).to_be_visible()
        expect(page.locator("#issue-contingency")).to_be_visible()
        assert_no_horizontal_overflow(page)
        shot(page, artifacts, f"ventas-pendiente-{name}")
    finally:
        httpx.delete(faults)
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=120_000)
    shot(page, artifacts, f"ventas-aceptada-sola-{name}")
    page.context.close()


def test_the_principal_user_sees_the_background_work(
        browser: Browser, app_url: str, artifacts: Path) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url, SELLER[0], full_name=SELLER[1])
    page.goto(app_url + "/configuracion/trabajos")
    expect(page.locator("#page-title")).to_have_text("Trabajo en segundo plano")
    issued = page.locator(".work-item").filter(has_text="Emisión de documento").first
    expect(issued).to_contain_text("Terminado")
    expect(issued).to_contain_text("Numerar → Reservar cupo → Firmar")
    files = page.locator(".work-item").filter(has_text="PDF y AttachedDocument").first
    expect(files).to_contain_text("Terminado")
    shot(page, artifacts, "trabajo-segundo-plano-desktop")
    page.context.close()
