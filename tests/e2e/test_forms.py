"""Forms in a real browser: ranges shown and enforced, Enter saves, all-or-nothing saves,
and controls a finger can hit on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot

pytestmark = pytest.mark.e2e


def demo_page(browser: Browser, url: str, viewport: dict[str, int], route: str) -> Page:
    page = new_page(browser, viewport)
    login(page, url)
    page.goto(url + route)
    return page


def fill_numbering(page: Page, range_to: str) -> None:
    page.click("#new-button")
    page.fill("#num-name", "Ventas mostrador")
    for field, value in (("resolution_number", "18760000001"), ("prefix", "SETT"),
                         ("range_from", "1"), ("range_to", range_to),
                         ("valid_from", "2026-01-01"), ("valid_to", "2027-12-31")):
        page.fill(f"#num-{field}", value)


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_twenty_digits_are_a_field_error_and_enter_saves(
        browser: Browser, app_url: str, artifacts: Path, viewport: dict[str, int],
        name: str) -> None:
    page = demo_page(browser, app_url, viewport, "/configuracion/consecutivos")
    fill_numbering(page, "9" * 20)
    expect(page.locator(".field-hint").filter(has_text="Entre 1 y 999.999.999")).to_have_count(2)
    page.press("#num-range_to", "Enter")  # Enter submits the dialog's form
    expect(page.locator("#error-range_to")).to_have_text(
        "La numeración final admite máximo 999.999.999.")
    expect(page.locator("#form-error")).to_contain_text("revisa Numeración final")
    shot(page, artifacts, f"consecutivo-20-digitos-{name}")
    page.fill("#num-range_to", "5000")
    page.fill("#num-prefix", f"S{name[0].upper()}")
    page.press("#num-range_to", "Enter")
    expect(page.locator(".numbering-row").filter(has_text="Ventas mostrador").first) \
        .to_contain_text("1 – 5000")
    assert_no_horizontal_overflow(page)
    page.context.close()


def test_pack_count_is_bounded_before_paying(browser: Browser, app_url: str,
                                             artifacts: Path) -> None:
    page = demo_page(browser, app_url, PHONE, "/portal")
    page.click("#buy-button")
    page.click("#pack-size")
    page.get_by_role("option", name="Paquete de 1000 documentos").click()
    expect(page.locator("#pack-count-hint")).to_have_text("Entre 1 y 20 paquetes por compra.")
    page.fill("#pack-count", "9" * 20)
    expect(page.locator("#error-pack_count")).to_contain_text("máximo 20 paquetes")
    page.click("#buy-next")
    expect(page.locator("#error-pack_count")).to_be_visible()  # still on the first step
    page.fill("#pack-count", "20")
    expect(page.locator("#quote-total")).to_have_text("20000 documentos por $ 33.600.000,00")
    shot(page, artifacts, "paquetes-maximo-phone")
    page.press("#pack-count", "Enter")  # Enter goes on, like the button
    expect(page.locator("#continue-payment")).to_be_visible()
    page.context.close()


def test_unknown_municipality_saves_nothing(browser: Browser, app_url: str,
                                            artifacts: Path) -> None:
    page = demo_page(browser, app_url, DESKTOP, "/configuracion/organizacion")
    expect(page.locator("#org-municipality")).not_to_have_value("")
    before = page.locator("#org-municipality").input_value()
    page.fill("#org-municipality", "Ciudad Inventada")
    page.fill("#org-phone", "tel-abc")
    page.click("#save-general")
    expect(page.locator("#error-municipality_code")).to_contain_text("«Ciudad Inventada»")
    expect(page.locator("#error-phone")).to_contain_text("no es un teléfono")
    expect(page.get_by_text("No se guardó ningún cambio: revisa Municipio, Teléfono.")) \
        .to_be_visible()
    shot(page, artifacts, "organizacion-municipio-desconocido")
    page.reload()
    expect(page.locator("#org-municipality")).to_have_value(before)
    page.context.close()


def test_phone_controls_are_at_least_44_px(browser: Browser, app_url: str,
                                           artifacts: Path) -> None:
    page = demo_page(browser, app_url, PHONE, "/contactos")
    expect(page.locator("#total")).to_contain_text("registro")
    page.click("#new-button")
    expect(page.locator("#add-email")).to_be_visible()
    # the dialog opens with a zoom animation: measure the controls at their final size
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    small = page.evaluate("""() => [...document.querySelectorAll(
        '[role=dialog] :is(button, input:not([type=hidden]), [role=checkbox])')]
      .filter(e => e.offsetParent !== null)
      .map(e => { // what a finger hits: the control, its label or its text field's frame
                  const boxes = [e, e.closest('label'), e.closest('.rt-TextFieldRoot')]
                    .filter(Boolean).map(b => b.getBoundingClientRect().height);
                  const name = e.id || e.getAttribute('aria-label') || e.textContent.trim();
                  return [name, Math.round(Math.max(...boxes))]; })
      .filter(([, h]) => h < 44)""")
    shot(page, artifacts, "cliente-nuevo-phone")
    assert small == []
    page.context.close()
