"""Correo de pruebas in a real browser: a message sent through the mail adapter to the
local SMTP server is listed, opened and its ZIP downloaded, on a desktop and on a phone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from loggro_app.local_stack import LocalStack
from loggro_app.mail import DocumentSubject, MailSettings, build_document_mail, send_message
from loggro_app.seed import DEMO_NIT
from tests.e2e.helpers import (
    DESKTOP,
    PHONE,
    assert_no_horizontal_overflow,
    login,
    new_page,
    shot,
)

pytestmark = pytest.mark.e2e
XML_NAME = f"ad{DEMO_NIT.zfill(10)}0002600000042.xml"
ZIP_NAME = f"z{DEMO_NIT.zfill(10)}0002600000042.zip"
XML = (b'<?xml version="1.0" encoding="UTF-8"?>'
       b"<AttachedDocument><cbc:ID>SETP990000042</cbc:ID></AttachedDocument>")
PDF = b"%PDF-1.7\n% representacion grafica\n%%EOF"


@pytest.fixture(scope="module")
def sent(local_stack: LocalStack) -> str:
    """A delivery message of the demo organization, sent as the product sends it."""
    subject = DocumentSubject(DEMO_NIT, "Comercializadora Demo S.A.S.", "SETP990000042", "01",
                              "Comercializadora Demo")
    message = build_document_mail(recipient="compras@andina.co", subject=subject,
                                  attached_xml=XML, xml_name=XML_NAME, pdf=PDF)
    delivery = send_message(message, "compras@andina.co",
                            settings=MailSettings.from_env(local_stack.env()))
    assert delivery.accepted, delivery
    return subject.text


def test_sent_message_is_listed_opened_and_its_zip_downloaded(
        browser: Browser, app_url: str, sent: str, artifacts: Path, tmp_path: Path) -> None:
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    page.get_by_role("link", name="Correo de pruebas").click()
    page.wait_for_url("**/correo-de-pruebas")
    expect(page.locator("#page-title")).to_have_text("Correo de pruebas")
    card = page.locator(".sandbox-mail").filter(has_text="SETP990000042").first
    expect(card).to_contain_text(sent)
    expect(card).to_contain_text("Para: compras@andina.co")
    expect(card).to_contain_text(ZIP_NAME)
    shot(page, artifacts, "sandbox-mail-desktop")
    card.locator(".open-mail").click()
    expect(page.locator("#opened-subject")).to_contain_text(sent)
    expect(page.locator("#opened-text")).to_contain_text(
        "Documento: factura electrónica de venta SETP990000042")
    page.wait_for_timeout(400)  # the dialog's opening animation, before the screenshot
    shot(page, artifacts, "sandbox-mail-open-desktop")
    with page.expect_download() as download:
        page.locator(".download-attachment").first.click()
    assert download.value.suggested_filename == ZIP_NAME
    saved = tmp_path / ZIP_NAME
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.read(XML_NAME) == XML
        assert archive.read(XML_NAME.replace(".xml", ".pdf")) == PDF
    page.context.close()


def test_on_a_phone_from_the_menu(browser: Browser, app_url: str, sent: str,
                                  artifacts: Path) -> None:
    page = new_page(browser, PHONE)
    login(page, app_url)
    page.click("#menu-button")
    page.get_by_role("link", name="Correo de pruebas").click()
    page.wait_for_url("**/correo-de-pruebas")
    card = page.locator(".sandbox-mail").filter(has_text="SETP990000042").first
    expect(card).to_contain_text("compras@andina.co")
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "sandbox-mail-phone")
    card.locator(".open-mail").click()
    expect(page.locator("#opened-text")).to_contain_text("Hola,")
    page.wait_for_timeout(400)
    assert_no_horizontal_overflow(page)
    shot(page, artifacts, "sandbox-mail-open-phone")
    page.context.close()
