"""What the browser tests do over and over."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A page's answer is a round trip to the app's backend, which shares two cores with the
# workflows, the stand-ins and the browser itself: 5 s is too short under that load.
expect.set_options(timeout=15_000)


def new_page(browser: Browser, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, locale="es-CO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def login(page: Page, url: str, email: str = "demo@loggro.co",
          password: str = "Demo2026*", full_name: str = "Laura Gómez") -> None:
    page.goto(url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page.locator("#welcome")).to_contain_text(full_name, timeout=20_000)


def assert_no_horizontal_overflow(page: Page) -> None:
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"contenido de {scroll_width}px en {inner_width}px"


def shot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
