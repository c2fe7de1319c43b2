"""The buyer receives what the law requires: an invoice to a customer with two notification
emails whose buyer registered a third at DIAN reaches all three (Correo de pruebas); a resend
to a new address adds a fourth and a history movement."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.local_stack import LocalStack
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice

pytestmark = pytest.mark.e2e


def open_sandbox_mail(page: Page) -> None:
    """From the menu, as a person goes there (the drawer on a phone)."""
    page.click("#menu-button")
    page.get_by_role("link", name="Correo de pruebas").click()
    page.wait_for_url("**/correo-de-pruebas")


def test_three_mailboxes_then_a_resend(browser: Browser, app_url: str, artifacts: Path,
                                       local_stack: LocalStack) -> None:
    sandbox = local_stack.env()["LOGGRO_DIAN_URL"].split("/WcfDianCustomerServices")[0]
    # the buyer registered its reception mailbox at DIAN
    httpx.post(f"{sandbox}/admin/acquirers", json={
        "id_type": "31", "id_number": "830054320", "name": "Restaurante El Fogón S.A.S.",
        "email": "recepcion.fe@elfogon.example"}).raise_for_status()
    page = new_page(browser, PHONE)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    # a second notification email for the customer, in Contactos
    page.goto(app_url + "/contactos")
    page.fill("#search", "830054320")
    customer = page.locator(".customer-row")
    expect(customer).to_have_count(1)  # the search has applied
    expect(customer).to_contain_text("Restaurante El Fogón")
    customer.locator(".edit-button").click()
    page.click("#add-email")
    # the second input, waited for: `.last` read before the click's update arrives is the
    # first one, and typing there replaces compras@ instead of adding pagos@
    page.locator(".email-input input").nth(1).fill("pagos@elfogon.example")
    page.click("#save-button")
    expect(page.get_by_text("Restaurante El Fogón S.A.S. guardado")).to_be_visible()

    start_invoice(page, app_url, "830054320", "Restaurante El Fogón S.A.S.")
    pick_items(page, 1)
    page.click("#issue")
    page.wait_for_url("**/ventas/documento/*")
    expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=90_000)
    number = page.locator("#document-number").inner_text().rsplit(" ", 1)[-1]

    open_sandbox_mail(page)
    mails = page.locator(".sandbox-mail").filter(has_text=number)
    expect(mails).to_have_count(3, timeout=60_000)  # the page shows mail as it arrives
    for address in ("compras@elfogon.example", "pagos@elfogon.example",
                    "recepcion.fe@elfogon.example"):
        expect(mails.filter(has_text=address)).to_have_count(1)
    expect(mails.first).to_contain_text(".zip")

    page.goto(app_url + "/ventas")
    expect(page.locator(".grid-row").first).to_be_visible()
    if not page.locator("#filter-number").is_visible():  # folded on a phone
        page.click("#filters-toggle")
    page.fill("#filter-number", number)
    row = page.locator(".grid-row")
    expect(row).to_have_count(1)
    row.first.locator(".row-actions").click()
    page.locator(".resend").click()
    page.fill("#resend-email", "contadora@elfogon.example")
    page.click("#confirm-resend")
    expect(page.get_by_text("Reenviando a contadora@elfogon.example.")).to_be_visible()

    open_sandbox_mail(page)
    expect(page.locator(".sandbox-mail").filter(has_text=number)).to_have_count(4,
                                                                               timeout=60_000)
    page.goto(app_url + "/ventas")
    expect(page.locator(".grid-row").first).to_be_visible()
    if not page.locator("#filter-number").is_visible():  # the page keeps its filters
        page.click("#filters-toggle")
    page.fill("#filter-number", number)
    expect(page.locator(".grid-row")).to_have_count(1)
    page.locator(".grid-row").first.locator(".row-actions").click()
    page.locator(".show-history").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Notificación reenviada")
    expect(history).to_contain_text("contadora@elfogon.example")
    expect(history.locator(".history-item").filter(has_text="Correo entregado")).to_have_count(4)
    page.wait_for_timeout(400)
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "ventas-historial-correos-phone")
    page.context.close()


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_mail_wording_is_previewed_and_saved(browser: Browser, app_url: str,
                                                 artifacts: Path, viewport: dict[str, int],
                                                 name: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    page.goto(app_url + "/configuracion/organizacion")
    page.click("#tab-correo")
    expect(page.locator("#mail-preview")).to_contain_text("FE1")
    page.fill("#mail-greeting", f"Buen día ({name}),")
    expect(page.locator("#mail-preview")).to_contain_text(f"Buen día ({name}),")
    page.click("#save-mail-wording")
    expect(page.get_by_text("Guardado: así reciben tus clientes sus documentos.")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"organizacion-correo-{name}")
    page.context.close()
