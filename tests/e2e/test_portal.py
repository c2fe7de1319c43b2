"""Mis planes y pagos in a real browser: paying by card through localstripe's Stripe.js,
a second tab updating by itself, cash pending until paid, and who may buy."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from loggro_app.local_stack import LocalStack
from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    assert_no_horizontal_overflow,
    login,
    new_page,
    shot,
)

pytestmark = pytest.mark.e2e


def open_portal(page: Page, url: str) -> int:
    page.goto(url + "/portal")
    expect(page.locator("#plan-label")).to_have_text("Facturación Electrónica Estándar")
    return int(page.locator("#purchased-available").inner_text())


def choose_two_packs_of_50(page: Page, method: str) -> None:
    page.click("#buy-button")
    page.click("#pack-size")
    page.get_by_role("option", name="Paquete de 50 documentos").click()
    expect(page.locator("#pack-price")).to_contain_text("84.000")
    page.fill("#pack-count", "2")
    expect(page.locator("#quote-total")).to_have_text("100 documentos por $ 168.000,00")
    page.click("#buy-next")
    expect(page.locator("#summary-total")).to_have_text("$ 168.000,00")
    page.click(f"#method-{method}")
    page.click("#terms")
    page.click("#continue-payment")
    expect(page.locator("#purchase-reference")).to_contain_text("LGP-")


def test_card_purchase_through_stripe_js_updates_every_tab(
        browser: Browser, app_url: str, artifacts: Path) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    before = open_portal(page, app_url)
    other = new_page(browser, PHONE)  # a second session of the organization, on a phone
    login(other, app_url)
    open_portal(other, app_url)
    choose_two_packs_of_50(page, "card")
    card = page.locator("#card-element input")
    expect(card).to_have_count(5)  # localstripe's stand-in for Stripe's card element
    for value, index in (("4242424242424242", 0), ("12", 1), ("30", 2), ("123", 3),
                         ("05001", 4)):
        card.nth(index).fill(value)
    shot(page, artifacts, "pago-tarjeta")
    page.click("#pay-card")
    expect(page.locator("#card-message")).to_contain_text("Esperando la confirmación")
    # credited by the signed payment_intent.succeeded webhook, seen in both tabs
    expect(page.locator("#purchased-available")).to_have_text(str(before + 100),
                                                             timeout=15_000)
    expect(page.locator("#pay-status")).to_have_text("Estado: Aprobado")  # the dialog follows
    expect(other.locator("#purchased-available")).to_have_text(str(before + 100),
                                                              timeout=5_000)
    page.keyboard.press("Escape")
    expect(page.locator(".purchase-row").filter(has_text="Aprobado").first).to_contain_text(
        "Tarjeta")
    other.click("#help-button")
    expect(other.locator("#help-available")).to_have_text(str(45 + before + 100))
    assert_no_horizontal_overflow(other)
    other.wait_for_timeout(400)  # the dialog fades in
    shot(other, artifacts, "ayuda-phone")
    other.keyboard.press("Escape")
    shot(other, artifacts, "portal-phone")
    shot(page, artifacts, "portal-desktop")
    page.context.close()
    other.context.close()


def test_cash_stays_pending_until_marked_paid(browser: Browser, app_url: str,
                                              local_stack: LocalStack) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    before = open_portal(page, app_url)
    choose_two_packs_of_50(page, "cash")
    with page.expect_download() as download:
        page.click("#download-reference")
    assert download.value.suggested_filename.startswith("referencia-LGP-")
    page.keyboard.press("Escape")
    expect(page.locator(".purchase-row").first).to_contain_text("Pendiente")
    # a closed dialog loses nothing: the pending row keeps the reference, its PDF, its expiry
    expect(page.locator(".pending-reference").first).to_contain_text("LGP-")
    expect(page.locator(".purchase-row").first).to_contain_text("Vence ")
    with page.expect_download() as again:
        page.locator(".pending-pdf").first.click()
    assert again.value.suggested_filename == download.value.suggested_filename
    page.wait_for_timeout(1500)
    assert int(page.locator("#purchased-available").inner_text()) == before
    page.locator(".pending-resume").first.click()  # picked up again: status follows payment
    expect(page.locator("#pay-status")).to_have_text("Estado: Pendiente de pago")
    gateway = local_stack.env()["LOGGRO_GATEWAY_URL"]
    pending = re.findall(r"/admin/cash/(\w+)/paid", httpx.get(gateway + "/admin").text)
    assert len(pending) == 1
    assert httpx.post(f"{gateway}/admin/cash/{pending[0]}/paid").status_code < 400
    expect(page.locator("#purchased-available")).to_have_text(str(before + 100),
                                                             timeout=5_000)
    expect(page.locator("#pay-status")).to_have_text("Estado: Aprobado")
    page.keyboard.press("Escape")
    expect(page.locator(".purchase-row").first).to_contain_text("Aprobado")
    page.context.close()


def test_an_abandoned_checkout_is_cancelled(browser: Browser, app_url: str,
                                            artifacts: Path) -> None:
    page = new_page(browser, PHONE)
    login(page, app_url)
    open_portal(page, app_url)
    choose_two_packs_of_50(page, "cash")
    page.keyboard.press("Escape")
    row = page.locator(".purchase-row").first
    expect(row).to_contain_text("Pendiente")
    shot(page, artifacts, "compra-pendiente-phone")
    row.locator(".pending-cancel").click()
    expect(row).to_contain_text("Vencido")
    expect(row.locator(".pending-cancel")).to_have_count(0)
    page.context.close()


def test_bad_quantities_and_missing_terms_are_refused(browser: Browser, app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    open_portal(page, app_url)
    page.click("#buy-button")
    page.click("#buy-next")
    expect(page.locator("#error-pack_size")).to_be_visible()
    page.click("#pack-size")
    page.get_by_role("option", name="Paquete de 150 documentos").click()
    for bad in ("0", "-2", "dos"):
        page.fill("#pack-count", bad)
        expect(page.locator("#error-pack_count")).to_be_visible()
    page.fill("#pack-count", "1")
    expect(page.locator("#quote-total")).to_have_text("150 documentos por $ 252.000,00")
    page.click("#buy-next")
    page.click("#continue-payment")
    expect(page.locator("#error-terms")).to_have_text(
        "Debes aceptar los Términos y condiciones para continuar con el pago.")
    page.context.close()


def test_only_the_principal_user_sees_the_buy_button(browser: Browser, app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    page.goto(app_url + "/login")
    page.fill("#email", "vendedor@loggro.co")
    page.fill("#password", "Demo2026*")
    page.click("#login-submit")
    expect(page.locator("#welcome")).to_contain_text("Andrés")
    page.goto(app_url + "/portal")
    expect(page.locator("#plan-label")).to_be_visible()
    expect(page.locator("#not-principal")).to_be_visible()
    expect(page.locator("#buy-button")).to_have_count(0)
    page.context.close()


def test_webhook_endpoints_refuse_forged_signatures(app_url: str) -> None:
    body = b'{"id": "evt_x", "type": "payment_intent.succeeded", "data": {"object": {}}}'
    stripe = httpx.post(app_url + "/api/payments/stripe/webhook", content=body,
                        headers={"Stripe-Signature": "t=1,v1=forged"})
    assert stripe.status_code == 400
    local = httpx.post(app_url + "/api/payments/gateway/webhook", content=body,
                       headers={"Loggro-Signature": "t=1,v1=forged"})
    assert local.status_code == 400
    assert httpx.get(app_url + "/api/health").json() == {"status": "ok"}
    assert "/api/payments/stripe/webhook" in httpx.get(app_url + "/api/openapi.json").json()[
        "paths"]


def test_pse_payment_approved_at_the_bank_returns_to_the_portal(browser: Browser,
                                                                app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    before = open_portal(page, app_url)
    choose_two_packs_of_50(page, "pse")
    page.click("#go-pse")
    expect(page.get_by_role("heading", name="Pago PSE (simulador)")).to_be_visible()
    page.get_by_role("button", name="Aprobar").click()
    page.wait_for_url(re.compile(r".*/portal/?\?reference=LGP-.*&status=approved"))
    expect(page.get_by_text("Tu banco aprobó el pago")).to_be_visible()
    expect(page.locator("#purchased-available")).to_have_text(str(before + 100),
                                                             timeout=10_000)
    expect(page.locator(".purchase-row").first).to_contain_text("PSE")
    expect(page.locator(".purchase-row").first).to_contain_text("Aprobado")
    page.context.close()
