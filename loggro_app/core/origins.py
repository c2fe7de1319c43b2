"""Which address to send a payer back to after the bank (pure).

The session lives in the browser's storage for one origin: coming back to 127.0.0.1 after
leaving from localhost lands on the login page. The page's own origin is used when it is
the configured one or a loopback alias of it (same scheme and port); anything else falls
back to the configured address, so a forged page URL cannot redirect elsewhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def return_origin(page_url: str, configured: str) -> str:
    mine, page = urlsplit(configured), urlsplit(page_url or "")
    fallback = f"{mine.scheme}://{mine.netloc}"
    if page.scheme != mine.scheme or page.port != mine.port or not page.hostname:
        return fallback
    same_host = page.hostname == mine.hostname
    aliases = page.hostname in LOOPBACK and mine.hostname in LOOPBACK
    return f"{page.scheme}://{page.netloc}" if same_host or aliases else fallback
