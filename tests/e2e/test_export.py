"""A customer abroad on a phone: Contactos asks for country and city instead of department,
municipality and postal code, and Ventas turns an invoice to them into an export with brand,
model, INCOTERM and USD — all within a 390 px screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import PHONE, assert_no_horizontal_overflow, login, new_page, shot

pytestmark = pytest.mark.e2e


def test_a_customer_abroad_gets_an_export_invoice_on_a_phone(
        browser: Browser, app_url: str, artifacts: Path) -> None:
    page = new_page(browser, PHONE)
    login(page, app_url)
    page.goto(app_url + "/contactos")
    page.click("#new-button")
    page.click("#country")
    page.get_by_role("option", name="Estados Unidos", exact=True).click()
    expect(page.locator("#city-name")).to_be_visible()
    expect(page.locator("#department")).to_have_count(0)  # no DIVIPOLA abroad
    expect(page.locator("#id-type")).to_contain_text("NIT de otro país")
    page.fill("#id-number", "98-7654321")
    page.fill("#name", "Pacific Roasters Inc.")
    page.fill("#address", "1200 Harbor Blvd")
    page.locator(".email-input input").first.fill("ap@pacific-roasters.example.com")
    page.click("#save-button")
    expect(page.locator("#error-city_name")).to_have_text(
        "Escribe la ciudad del cliente en el exterior.")
    page.fill("#city-name", "Seattle")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "cliente-exterior-phone")
    page.click("#save-button")
    expect(page.get_by_text("Cliente Pacific Roasters Inc. guardado.")).to_be_visible()
    page.fill("#search", "Pacific")
    row = page.locator(".customer-row").filter(has_text="Pacific Roasters Inc.")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Seattle, Estados Unidos")

    page.goto(app_url + "/ventas/nuevo?tipo=FE")
    page.fill("#customer-search", "Pacific")
    page.locator(".customer-option").filter(has_text="Pacific Roasters").first.click()
    expect(page.locator("#export-notice")).to_be_visible()
    expect(page.locator("#form-kind")).to_have_text("Factura electrónica de exportación")
    expect(page.locator("#currency")).to_contain_text("USD")
    page.locator(".line-description input").first.fill("Café tostado en grano, 1 kg")
    page.locator(".line-unit_price input").first.fill("18,50")
    page.locator(".line-brand input").first.fill("La Ceiba Origen")
    page.locator(".line-model input").first.fill("Tostión media 1 kg")
    page.fill("#exchange-rate", "4012,35")
    page.click("#incoterm")
    page.get_by_role("option", name="FOB · Franco a bordo").click()
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "ventas-exportacion-phone")
    page.click("#save-draft")
    expect(page.get_by_text("Borrador guardado.")).to_be_visible()
    page.context.close()
