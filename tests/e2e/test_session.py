"""The session in a real browser against the real app: survives a reload, leaves nothing
behind at logout; the HTTP surface trusts only the app's origin; Spanish where the
framework spoke English."""

from __future__ import annotations

import socket
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.seed import DEMO_NIT
from tests.e2e.helpers import DESKTOP, login, new_page

pytestmark = pytest.mark.e2e
FOREIGN = "http://atacante.example"


def test_session_survives_a_reload_and_logout_forgets_the_email(browser: Browser,
                                                                app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    blocked: list[str] = []  # anything the Content-Security-Policy kept from loading
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    login(page, app_url)
    page.reload()  # a new websocket: the browser presents its token again
    expect(page.locator("#welcome")).to_contain_text("Laura Gómez")
    page.goto(app_url + "/contactos")
    expect(page.locator("#page-title")).to_have_text("Contactos")
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url("**/login")
    expect(page.locator("#email")).to_have_value("")
    assert page.evaluate("localStorage.getItem('loggro_session') || ''") == ""
    assert blocked == []
    page.context.close()


def _get(url: str, origin: str = "") -> urllib.request.addinfourl:
    request = urllib.request.Request(url, headers={"Origin": origin} if origin else {})
    return urllib.request.urlopen(request, timeout=10)


def test_pages_and_api_forbid_framing_and_send_a_policy(app_url: str) -> None:
    for path in ("/login", "/api/health"):
        with _get(app_url + path) as answer:
            assert answer.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_credentialed_cors_answers_only_our_origin(app_url: str) -> None:
    with _get(app_url + "/api/health", origin=FOREIGN) as answer:
        assert answer.headers["Access-Control-Allow-Origin"] is None
    with _get(app_url + "/api/health", origin=app_url) as answer:
        assert answer.headers["Access-Control-Allow-Origin"] == app_url


def _websocket_status(app_url: str, origin: str) -> int:
    parts = urlsplit(app_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall((
            "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\n\r\n").encode())
        return int(conn.recv(1024).split(b" ", 2)[1])


def test_websocket_refuses_a_foreign_origin(app_url: str) -> None:
    assert _websocket_status(app_url, app_url) == 101
    assert _websocket_status(app_url, FOREIGN) != 101


def test_unknown_address_shows_a_spanish_page_with_a_way_back(browser: Browser,
                                                              app_url: str) -> None:
    page = new_page(browser, DESKTOP)
    page.goto(app_url + "/no-existe")
    expect(page.locator("#not-found")).to_have_text("No encontramos esta página")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.click("#not-found-home")
    page.wait_for_url("**/login")  # Inicio, which asks to log in first
    page.context.close()


def test_certificate_password_goes_with_the_upload_only(browser: Browser, app_url: str,
                                                        tmp_path: Path) -> None:
    p12 = tmp_path / "firma.p12"
    p12.write_bytes(create_dev_p12(nit=DEMO_NIT, organization="Comercializadora Demo",
                                   password=b"Clave-p12", not_before=datetime.now(UTC)
                                   - timedelta(days=1)))
    page = new_page(browser, DESKTOP)
    login(page, app_url)
    page.goto(app_url + "/configuracion/organizacion")
    page.click("#tab-certificado")
    page.set_input_files("#p12 input[type=file]", str(p12))
    page.fill("#cert-password", "otra-clave")
    page.click("#upload-cert")
    expect(page.locator("#cert-error")).to_be_visible()
    page.fill("#cert-password", "Clave-p12")
    page.click("#upload-cert")
    expect(page.locator("#cert-subject")).to_contain_text(DEMO_NIT)
    expect(page.locator("#cert-password")).to_have_value("")
    page.context.close()
