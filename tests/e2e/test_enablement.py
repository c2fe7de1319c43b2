"""From a new account to *habilitado* against the DIAN sandbox, in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.core.clock import system_clock
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, new_page, shot

pytestmark = pytest.mark.e2e
NIT = "901234567"  # its DV is read back from the page's own error message
EMAIL = "gerencia@panaderia.example"


def sign_up(page: Page, url: str) -> None:
    page.goto(url + "/login")
    page.click("#signup-link")
    page.fill("#signup-legal_name", "Panadería La Espiga S.A.S.")
    page.fill("#signup-nit", NIT)
    page.fill("#signup-dv", "3")  # wrong on purpose
    page.fill("#signup-municipality", "Medellín (Antioquia)")
    page.fill("#signup-address", "Calle 33 # 70-12")
    page.fill("#signup-full_name", "Marta Ríos")
    page.fill("#signup-email", EMAIL)
    page.fill("#signup-password", "Espiga2026*")
    page.click("#signup-submit")
    message = page.locator("#error-dv").inner_text()
    right_dv = re.search(r"es (\d), no 3", message)
    assert right_dv, message
    page.fill("#signup-dv", right_dv.group(1))
    page.click("#signup-submit")
    page.wait_for_url("**/habilitacion")
    expect(page.locator("#check-progress")).to_contain_text("pasos completos")


def step_state(page: Page, key: str) -> str:
    return page.locator(f".check-step[data-key='{key}']").get_attribute("data-state") or ""


def test_new_organization_reaches_habilitado(browser: Browser, app_url: str,
                                             artifacts: Path) -> None:
    page = new_page(browser, DESKTOP)
    page.set_default_timeout(60_000)
    sign_up(page, app_url)
    shot(page, artifacts, "habilitacion-inicio")
    # certificate: a development one for the sandbox
    page.goto(app_url + "/configuracion/organizacion")
    page.click("#tab-certificado")
    page.click("#dev-cert")
    expect(page.locator("#cert-subject")).to_contain_text(NIT)
    # the DIAN portal, done in the sandbox
    page.goto(app_url + "/habilitacion")
    page.click("#sandbox-resolution")
    resolution = re.search(r"Resolución (\d+)",
                           page.locator("#sandbox-resolution-data").inner_text()).group(1)
    page.click("#sandbox-software")
    page.click("#sandbox-test-set")
    test_set_id = page.locator("#sandbox-test-set-id").inner_text().strip()
    # Gestión Proveedor Tecnológico: certify the test set, watch it progress
    page.goto(app_url + "/configuracion/organizacion")
    page.click("#tab-parametros")
    page.click("#provider-button")
    expect(page.locator("#sandbox-test-set-id")).to_have_text(test_set_id)  # still shown here
    page.click("#use-test-set-id")
    expect(page.locator("#test-set-id")).to_have_value(test_set_id)
    page.click("#certify")
    expect(page.locator("#test-set-progress")).to_be_visible()
    shot(page, artifacts, "set-de-pruebas-en-curso")
    expect(page.locator("#test-set-message")).to_have_text(
        "La DIAN aceptó todos los documentos del set de pruebas.", timeout=180_000)
    expect(page.locator("#test-set-count")).to_contain_text("50 de 50")
    shot(page, artifacts, "set-de-pruebas-aceptado")
    page.click("#provider-e-invoicing")
    page.click("#confirm-irreversible")
    page.click("#confirm-enable")
    page.click("#confirm-provider")
    expect(page.locator("#confirm-provider")).to_be_disabled()
    page.keyboard.press("Escape")
    expect(page.locator("#e-invoicing-on")).to_contain_text("No se puede desactivar")
    page.click("#e-invoicing-switch")  # trying to turn it off is refused
    expect(page.get_by_text("no se puede desactivar una vez activada")).to_be_visible()
    # consecutivo with the sandbox resolution
    page.goto(app_url + "/configuracion/consecutivos")
    page.click("#new-button")
    today = system_clock().date()  # the validity DIAN checks is a Colombian date
    # what the sandbox issued stays visible where it is typed, after every other action
    expect(page.locator("#sandbox-resolution-data")).to_contain_text(f"Resolución {resolution}")
    page.fill("#num-name", "Facturas de venta")
    for field, value in (("resolution_number", resolution), ("prefix", "FE"),
                         ("range_from", "1"), ("range_to", "5000"),
                         ("valid_from", today.isoformat()),
                         ("valid_to", (today + timedelta(days=365)).isoformat())):
        page.fill(f"#num-{field}", value)
    page.click("#save-button")
    expect(page.locator(".numbering-state")).to_have_text("Pendiente de asociar")
    # prefix association: refused before two hours, accepted after
    page.goto(app_url + "/habilitacion")
    page.click("#sandbox-associate")
    expect(page.get_by_text("antes de 2 horas")).to_contain_text("Simular el paso de 2 horas")
    expect(page.get_by_text("antes de 2 horas")).to_contain_text(" m.")  # 6:52 p. m., not ISO
    shot(page, artifacts, "asociar-prefijo-antes-de-2-horas")
    page.click("#sandbox-clock")
    page.click("#sandbox-associate")
    expect(page.get_by_text("Prefijo FE asociado")).to_be_visible()
    page.goto(app_url + "/configuracion/consecutivos")
    page.click(".verify-button")
    expect(page.locator(".numbering-state")).to_have_text("Activo")
    create_catalog(page, app_url)
    page.goto(app_url + "/habilitacion")
    steps = page.locator(".check-step")
    expect(steps.first).to_be_visible()
    expect(page.locator(".check-step[data-state='ok']")).to_have_count(steps.count(),
                                                                        timeout=30_000)
    shot(page, artifacts, "habilitacion-completa-desktop")
    phone = new_page(browser, PHONE)
    phone.goto(app_url + "/login")
    phone.fill("#email", EMAIL)
    phone.fill("#password", "Espiga2026*")
    phone.click("#login-submit")
    phone.wait_for_url(app_url + "/")
    expect(phone.locator("#enablement-status")).to_contain_text("habilitada en la DIAN")
    shot(phone, artifacts, "inicio-habilitada-phone")
    phone.goto(app_url + "/habilitacion")
    expect(phone.locator(".check-step[data-state='ok']")).to_have_count(steps.count(),
                                                                         timeout=30_000)
    assert_no_horizontal_overflow(phone)
    shot(phone, artifacts, "habilitacion-completa-phone")
    phone.context.close()
    page.context.close()


def create_catalog(page: Page, url: str) -> None:
    page.goto(url + "/configuracion/formas-de-pago")
    page.click("#new-button")
    page.fill("#name", "Efectivo")
    page.click("#save-button")
    expect(page.locator(".method-row")).to_have_count(1)
    page.goto(url + "/inventario")
    page.click("#new-button")
    page.fill("#code", "PAN-01")
    page.fill("#name", "Pan de bono")
    page.fill("#price", "2.500")
    page.click("#save-button")
    expect(page.locator(".item-row")).to_have_count(1)
    page.goto(url + "/contactos")
    page.click("#new-button")
    page.fill("#id-number", "1017888999")
    page.fill("#name", "Carlos Gómez")
    page.fill("#address", "Carrera 80 # 30-10")
    page.fill("#municipality", "Medellín")
    expect(page.locator("#postal-code")).not_to_have_value("")
    page.locator(".email-input input").first.fill("carlos@correo.example")
    page.click("#save-button")
    expect(page.locator(".customer-row")).to_have_count(1)
