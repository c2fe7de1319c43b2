"""The app in a real browser: login, the shell, and creating a customer."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    assert_no_horizontal_overflow,
    login,
    new_page,
    shot,
)

pytestmark = pytest.mark.e2e


def test_protected_pages_send_to_login(browser: Browser, app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    for route in ("/", "/contactos", "/configuracion/formas-de-pago"):
        page.goto(app_url + route)
        page.wait_for_url("**/login")
    page.context.close()


def test_wrong_password_is_refused_with_a_neutral_message(browser: Browser,
                                                          app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    page.goto(app_url + "/login")
    page.fill("#email", "demo@loggro.co")
    page.fill("#password", "equivocada1")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("Correo o contraseña incorrectos.")
    page.fill("#email", "nadie@loggro.co")
    page.fill("#password", "equivocada1")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("Correo o contraseña incorrectos.")
    page.context.close()


@pytest.mark.parametrize(("viewport", "label", "number"), [
    (DESKTOP, "desktop", "1017200001"), (PHONE, "phone", "1017200002")])
def test_create_customer_in_medellin_with_two_emails(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int], label: str,
        number: str) -> None:
    page = new_page(browser, viewport)
    login(page, app_url)
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"inicio-{label}")
    page.goto(app_url + "/contactos")
    expect(page.locator(".customer-row").first).to_be_visible()
    page.click("#new-button")
    page.fill("#id-number", number)
    page.fill("#name", f"Cliente Medellín {label}")
    page.fill("#address", "Carrera 43A # 1-50")
    page.click("#department")
    page.get_by_role("option", name="Antioquia", exact=True).click()
    page.fill("#municipality", "Medellín")
    expect(page.locator("#postal-code")).to_have_value("050001")
    page.locator(".email-input input").first.fill(f"compras.{label}@cliente.example")
    page.click("#add-email")
    page.locator(".email-input input").nth(1).fill(f"pagos.{label}@cliente.example")
    shot(page, artifacts, f"cliente-formulario-{label}")
    page.click("#save-button")
    expect(page.get_by_text(f"Cliente Cliente Medellín {label} guardado.")).to_be_visible()
    page.fill("#search", number)
    row = page.locator(".customer-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Cliente Medellín {label}")
    expect(row).to_contain_text("Medellín (Antioquia)")
    expect(row).to_contain_text("CP 050001")
    expect(row).to_contain_text(f"compras.{label}@cliente.example")
    expect(row).to_contain_text(f"pagos.{label}@cliente.example")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"clientes-{label}")
    page.context.close()


def test_invalid_fields_get_precise_messages(browser: Browser, app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    page.goto(app_url + "/contactos")
    page.click("#new-button")
    page.click("#id-type")
    page.get_by_role("option", name="NIT", exact=True).click()
    page.fill("#id-number", "900123456")
    page.fill("#dv", "3")
    page.locator(".email-input input").first.fill("sin-arroba.example")
    page.click("#save-button")
    expect(page.locator("#error-dv")).to_have_text(
        "El dígito de verificación de 900123456 es 8, no 3.")
    expect(page.locator("#error-municipality_code")).to_contain_text("Selecciona el departamento")
    expect(page.locator("#error-emails")).to_contain_text("sin-arroba.example")
    expect(page.locator("#error-name")).to_be_visible()
    page.context.close()


def test_phone_drawer_navigates_and_logout_ends_the_session(browser: Browser, app_url: str,
                                                            artifacts: Path) -> None:
    page = new_page(browser, PHONE)
    login(page, app_url)
    page.click("#menu-button")
    expect(page.get_by_role("link", name="Inventario")).to_be_visible()
    page.wait_for_timeout(600)  # let the drawer finish sliding in before the screenshot
    shot(page, artifacts, "menu-phone")
    page.get_by_role("link", name="Inventario").click()
    page.wait_for_url("**/inventario")
    expect(page.locator(".item-row").first).to_be_visible()
    expect(page.locator("#page-title")).to_have_text("Inventario")
    assert_no_horizontal_overflow(page)
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto(app_url + "/inventario")
    page.wait_for_url("**/login")
    page.context.close()


def test_organization_information_is_validated_and_saved(browser: Browser,
                                                         app_url: str) -> None:
    page = new_page(browser, PHONE)
    login(page, app_url)
    page.goto(app_url + "/configuracion/organizacion")
    expect(page.locator("#org-nit")).to_have_value("900123456-8")
    expect(page.locator("#resp-O-13")).to_be_checked()
    page.fill("#org-email", "sin-arroba")
    page.fill("#org-economic_activity", "47")
    page.click("#save-general")
    expect(page.locator("#error-email")).to_contain_text("sin-arroba")
    expect(page.locator("#error-economic_activity")).to_contain_text("CIIU")
    page.fill("#org-email", "facturacion@demo.co")
    page.fill("#org-economic_activity", "4711")
    page.click("#resp-O-23")
    page.click("#save-general")
    expect(page.get_by_text("Información de la organización guardada.")).to_be_visible()
    page.reload()
    expect(page.locator("#org-email")).to_have_value("facturacion@demo.co")
    expect(page.locator("#resp-O-23")).to_be_checked()
    assert_no_horizontal_overflow(page)
    page.context.close()
