"""Compras → Facturas recibidas in a browser: a supplier's genuine ZIP uploaded by hand is
registered and shows in the grid; a tampered one is refused with its reasons and waits in
the quarantine; the detail shows lines, taxes and totals and offers the originals."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from loggro_app.dian import demo_enabled
from loggro_app.local_stack import LocalStack
from loggro_app.standins.dian_sandbox.supplier import SUPPLIER_NIT
from tests.e2e.helpers import DESKTOP, PHONE, assert_no_horizontal_overflow, login, new_page, shot
from tests.unit.reception.package import addressed_to, tampered

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("viewport", "name", "number"),
                         [(DESKTOP, "desktop", 990000011), (PHONE, "phone", 990000012)])
def test_upload_grid_quarantine_and_detail(
        browser: Browser, app_url: str, artifacts: Path, tmp_path: Path,
        viewport: dict[str, int], name: str, number: int) -> None:
    genuine = addressed_to(demo_enabled.NIT, demo_enabled.DV, demo_enabled.LEGAL_NAME, number)
    good, bad = tmp_path / "factura.zip", tmp_path / "alterada.zip"
    good.write_bytes(genuine)
    bad.write_bytes(tampered(genuine))
    page = new_page(browser, viewport)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    if viewport == PHONE:  # the section is reached from the drawer
        page.click("#menu-button")
        page.get_by_role("link", name="Facturas recibidas", exact=True).click()
    else:
        expect(page.get_by_text("Compras", exact=True)).to_be_visible()
        page.get_by_role("link", name="Facturas recibidas", exact=True).click()
    page.wait_for_url("**/compras/recibidas")
    expect(page.locator("#page-title")).to_have_text("Facturas recibidas")

    page.set_input_files("#received-package input[type=file]", str(good))
    page.click("#upload-received")
    row = page.locator(".received-row", has_text=f"SETP{number}")
    expect(row).to_be_visible(timeout=30_000)
    expect(row).to_contain_text("Validada DIAN")
    expect(row).to_contain_text("$ 362.851,05")
    expect(page.locator("#upload-error")).to_have_count(0)

    page.set_input_files("#received-package input[type=file]", str(bad))
    page.click("#upload-received")
    expect(page.locator("#upload-error")).to_contain_text("cuarentena", timeout=30_000)
    expect(page.locator(".upload-reason").first).to_contain_text("Firma del proveedor")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"recibidas-carga-{name}")

    if viewport == PHONE:
        expect(page.locator("#filter-supplier")).to_be_hidden()  # folded on a phone
        page.click("#filters-toggle")
    page.fill("#filter-supplier", "nadie")
    expect(page.locator("#empty-received")).to_be_visible()
    page.fill("#filter-supplier", "900123456")
    expect(row).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"recibidas-grilla-{name}")

    page.click("#tab-quarantine")
    item = page.locator(".quarantine-item", has_text="alterada.zip").first
    expect(item).to_contain_text("Firma del proveedor")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"recibidas-cuarentena-{name}")

    page.get_by_role("tab", name="Recibidas").click()
    row.locator(".received-link").click()
    page.wait_for_url("**/compras/recibidas/*")
    expect(page.locator("#received-title")).to_contain_text(f"SETP{number}")
    expect(page.locator(".received-line")).to_have_count(5)
    expect(page.locator("#received-taxes")).to_contain_text("IVA")
    expect(page.locator("#received-totals")).to_contain_text("$ 362.851,05")
    expect(page.locator(".download-xml")).to_be_visible()
    expect(page.locator(".download-respuesta")).to_be_visible()
    with page.expect_download() as caught:
        page.click(".download-pdf")
    assert caught.value.suggested_filename == f"900123456-SETP{number}.pdf"
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"recibida-detalle-{name}")

    # Our events: only the acuse is offered first; this supplier's invoice was never sent to
    # the sandbox, so DIAN refuses the event, and the page shows its answer as it arrives.
    expect(page.locator(".purchase-event-button")).to_have_count(1)
    expect(page.locator("#send-032")).to_have_count(0)
    page.fill("#person-first_name", "Camila")
    page.fill("#person-family_name", "Rojas")
    page.fill("#person-id_number", "52345678")
    page.fill("#person-job_title", "Jefe de compras")
    page.click("#send-030")
    event = page.locator("#purchase-event-030")
    expect(event).to_contain_text("Rechazado por la DIAN", timeout=60_000)
    expect(event).to_contain_text("AAH07")
    expect(page.locator("#send-030")).to_be_visible()  # a refused event may be sent again
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, f"recibida-eventos-{name}")
    page.context.close()


def test_simulate_supplier_then_our_events_within_their_term(
        browser: Browser, app_url: str, artifacts: Path, local_stack: LocalStack) -> None:
    """The simulated supplier's invoice arrives by mail; we acknowledge it, receive the goods
    and accept it, each registered at the sandbox; past the term no claim is offered."""
    sandbox = next(s.url for s in local_stack.services if s.name == "dian-sandbox")
    page = new_page(browser, PHONE)
    login(page, app_url, "habilitada@loggro.co", full_name="Camila Rojas")
    page.goto(f"{app_url}/compras/recibidas")
    expect(page.locator("#page-title")).to_have_text("Facturas recibidas")

    page.click("#simulate-supplier")

    row = page.locator(".received-row", has_text="Distribuidora Simulada").first
    expect(row).to_be_visible(timeout=60_000)
    expect(row).to_contain_text("Validada DIAN")
    expect(page.locator("#simulate-error")).to_have_count(0)
    shot(page, artifacts, "recibidas-simular-proveedor-phone")
    row.locator(".received-link").click()
    expect(page.locator("#info-cufe")).to_have_text(re.compile(r"^[0-9a-f]{96}$"))
    cufe = page.locator("#info-cufe").inner_text().strip()

    def registered(code: str) -> None:
        page.click(f"#send-{code}")
        expect(page.locator(f"#purchase-event-{code}")).to_contain_text(
            "Registrado en la DIAN", timeout=60_000)

    page.fill("#person-first_name", "Camila")
    page.fill("#person-family_name", "Rojas")
    page.fill("#person-id_number", "52345678")
    page.fill("#person-job_title", "Jefe de compras")
    registered("030")
    registered("032")
    expect(page.locator("#claim-term")).to_contain_text("Puedes reclamar o aceptar")
    clock = f"{sandbox}/admin/clock"
    try:  # ten days later on the legal clock (the supplier's, which its 034 follows too)
        httpx.post(clock, json={"nit": SUPPLIER_NIT, "offset_seconds": 10 * 86400},
                   timeout=10).raise_for_status()
        page.reload()
        expect(page.locator("#claim-term")).to_contain_text("venció el")  # no claim now
        expect(page.locator("#send-031")).to_have_count(0)
        expect(page.locator("#send-033")).to_have_count(0)
        shot(page, artifacts, "recibida-plazo-vencido-phone")
    finally:
        httpx.post(clock, json={"nit": SUPPLIER_NIT, "offset_seconds": 0}, timeout=10)
    page.reload()  # back within the term: the express acceptance
    registered("033")
    expect(page.locator("#purchase-status")).to_contain_text("Aceptada")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "recibida-aceptada-phone")
    # the sandbox (DIAN) holds the three events, from La Ceiba, in order
    events = httpx.get(f"{sandbox}/admin/documents/{cufe}/events", timeout=10).json()["events"]
    assert [(e["code"], e["sender_nit"]) for e in events] == [
        ("030", demo_enabled.NIT), ("032", demo_enabled.NIT), ("033", demo_enabled.NIT)]
    page.context.close()
