"""The interactive docs at /api/docs load everything from this server (demos run offline):
no absolute URL, no inline script, each asset served, and the backend's CSP allows them."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from loggro_app.api import OPENAPI_URL, api
from loggro_app.security_headers import security_headers


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") or (found.get("href") if tag == "link" else None)
        if url:
            self.urls.append(url)
        elif tag == "script":
            self.inline_scripts += 1


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_the_docs_page_loads_only_local_assets() -> None:
    client = TestClient(security_headers(api))
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    parser = Assets()
    parser.feed(page.text)
    assert len(parser.urls) >= 4 and parser.inline_scripts == 0
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/api/docs"), url
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 0, url
    script = client.get("/api/docs/init.js").text
    assert OPENAPI_URL in script and "http" not in script  # no validator, no CDN
    assert "SwaggerUIBundle" in client.get("/api/docs/assets/swagger-ui-bundle.js").text


def test_the_csp_lets_the_docs_page_run_from_self() -> None:
    page = TestClient(security_headers(api)).get("/api/docs")
    policy = directives(page.headers["content-security-policy"])
    for name in ("script-src", "style-src", "img-src", "connect-src"):
        assert "'self'" in policy[name], name
    assert "data:" in policy["img-src"]  # Swagger UI's icons
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


def test_the_docs_read_openapi_3_1() -> None:
    # Swagger UI before 5 cannot render 3.1, which FastAPI writes.
    assert TestClient(api).get(OPENAPI_URL).json()["openapi"].startswith("3.1")
    bundle = TestClient(api).get("/api/docs/assets/swagger-ui-bundle.js").text
    assert "OpenAPI 3.1" in bundle or "openapi31" in bundle.lower()
