"""The hotel PMS integration in a browser: the principal user turns it on in Parámetros, the
PMS simulator shows the token it received, a folio billed in the simulator appears in the
Ventas grid accepted (origin Alojamientos) and the simulator shows *Aceptada* from our
signed webhook. Screenshots on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.local_stack import LocalStack
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot

pytestmark = pytest.mark.e2e


def _choose(page: Page, trigger: str, option: str) -> None:
    page.click(trigger)
    page.get_by_role("option", name=option, exact=True).click()


def test_a_folio_from_the_pms_is_accepted_and_the_pms_hears_it(
        browser: Browser, app_url: str, artifacts: Path, local_stack: LocalStack) -> None:
    simulator = local_stack.env()["LOGGRO_PMS_SIMULATOR_URL"]
    page = new_page(browser, DESKTOP)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    page.goto(app_url + "/configuracion/organizacion?tab=parametros")
    _choose(page, "#pms-enabled", "Sí")
    page.fill("#pms-url", simulator)
    page.click("#pms-save")
    token_box = page.locator("#pms-token-once")
    expect(token_box).to_contain_text("lgp_")
    token = token_box.inner_text().strip()
    expect(page.locator("#pms-push-state")).to_have_text("Entregado al PMS", timeout=60_000)
    shot(page, artifacts, "alojamientos-parametros-desktop")

    pms = new_page(browser, DESKTOP)
    pms.goto(simulator + "/")
    pms.click("summary")  # "mostrar": the token the PMS received is the one shown once
    expect(pms.locator("#pms-token")).to_have_text(token)
    pms.select_option("#kind", "co")
    pms.fill("#name", "Carolina Duarte Ríos")
    pms.fill("#id_number", "52345678")
    pms.fill("#email", "carolina.duarte@correo.example")
    pms.fill("#address", "Carrera 7 # 45-10")
    pms.fill("#nights", "2")
    pms.fill("#breakfasts", "2")
    pms.fill("#minibar", "18000")
    pms.fill("#tip", "10000")
    pms.click("#folio-form button")
    row = pms.locator("#documents tr").nth(1)
    expect(row).to_contain_text("201")

    def accepted_at_pms() -> None:
        pms.reload()
        expect(pms.locator("#documents tr").nth(1)).to_contain_text("Aceptada",
                                                                         timeout=3_000)

    for _ in range(40):  # the simulator's page is static: reload until the webhook came
        try:
            accepted_at_pms()
            break
        except AssertionError:
            continue
    else:
        pytest.fail("El PMS nunca recibió la aceptación")
    shot(pms, artifacts, "alojamientos-simulador-desktop")

    page.goto(app_url + "/ventas")
    hotel_row = page.locator(".grid-row", has=page.locator(".origin"))
    expect(hotel_row.first).to_contain_text("Alojamientos")
    expect(hotel_row.first).to_contain_text("Aceptada", timeout=60_000)
    expect(hotel_row.first).to_contain_text("HOT")
    shot(page, artifacts, "alojamientos-ventas-desktop")

    phone = new_page(browser, PHONE)
    login(phone, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    phone.goto(app_url + "/configuracion/organizacion?tab=parametros")
    expect(phone.locator("#pms-push-state")).to_have_text("Entregado al PMS")
    assert_no_horizontal_overflow(phone)
    shot(phone, artifacts, "alojamientos-parametros-phone")
    phone.goto(app_url + "/ventas")
    expect(phone.locator(".grid-row .origin").first).to_have_text("Alojamientos")
    assert_no_horizontal_overflow(phone)
    shot(phone, artifacts, "alojamientos-ventas-phone")
    phone.goto(simulator + "/")
    expect(phone.locator("#documents")).to_contain_text("Aceptada")
    assert_no_horizontal_overflow(phone)
    shot(phone, artifacts, "alojamientos-simulador-phone")


def test_the_requirements_are_named_with_a_link(browser: Browser, app_url: str,
                                                artifacts: Path) -> None:
    """Tienda Demo has an FE-only plan and is not yet invoicing electronically."""
    page = new_page(browser, PHONE)
    login(page, app_url)
    page.goto(app_url + "/configuracion/organizacion?tab=parametros")
    _choose(page, "#pms-enabled", "Sí")
    page.fill("#pms-url", "http://127.0.0.1:9")
    page.click("#pms-save")
    missing = page.locator("#pms-missing")
    expect(missing).to_contain_text("plan activo de Loggro Pymes o POS")
    expect(missing).to_contain_text("facturación electrónica debe estar activa")
    expect(missing.get_by_role("link", name="Ver planes")).to_have_attribute("href", "/portal")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "alojamientos-requisitos-phone")
