"""Every HTTP answer forbids framing and carries a CSP; only the app's origins are trusted."""

from __future__ import annotations

import asyncio

import httpx

from loggro_app.api import api
from loggro_app.security_headers import content_security_policy, security_headers
from loggro_app.settings import Settings, own_origins


async def _answers() -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=security_headers(api))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        return [await client.get("/api/health"), await client.get("/no-existe"),
                await client.post("/api/payments/gateway/webhook", content=b"{}")]


def test_api_answers_carry_the_headers() -> None:
    for answer in asyncio.run(_answers()):
        assert answer.headers["x-frame-options"] == "DENY"
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy


def test_policy_names_only_our_origins_and_stripe() -> None:
    policy = content_security_policy(own_origins=("https://fe.loggro.co",),
                                     stripe_js_url="https://js.stripe.com/v3/",
                                     stripe_api_base="https://api.stripe.com")
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["connect-src"].split() == [
        "'self'", "wss://fe.loggro.co", "https://js.stripe.com", "https://api.stripe.com",
        "https://*.stripe.com"]
    assert "*" not in directives["default-src"] and directives["object-src"] == "'none'"


def test_allowed_origins_are_the_public_url_only() -> None:
    assert own_origins("http://127.0.0.1:3000/") == ("http://127.0.0.1:3000",
                                                     "http://localhost:3000")
    assert own_origins("https://fe.loggro.co", "https://admin.loggro.co, ") == (
        "https://fe.loggro.co", "https://admin.loggro.co")
    settings = Settings.from_env({"LOGGRO_PUBLIC_URL": "https://fe.loggro.co"})
    assert settings.allowed_origins == ("https://fe.loggro.co",)


def test_reflex_is_told_the_same_origins() -> None:
    import rxconfig

    assert "*" not in rxconfig.config.cors_allowed_origins
    assert tuple(rxconfig.config.cors_allowed_origins) == Settings.from_env().allowed_origins
