"""Headers on every HTTP answer of the backend (pages, API, uploads).

The Content-Security-Policy limits where scripts, frames and connections may come from and
forbids framing (with X-Frame-Options for older browsers), so a hostile page cannot
overlay ours. Reflex's compiled pages carry inline module scripts and `rx.call_script`
evaluates code, hence 'unsafe-inline' and 'unsafe-eval' for scripts; everything else is
this origin, plus Stripe's (or localstripe's) script, frames and API for card payments.
The API docs (/api/docs) need nothing more: their Swagger UI files, the script that starts
it and the OpenAPI description all come from 'self'.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _websocket(origin: str) -> str:
    return origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)


def content_security_policy(*, own_origins: tuple[str, ...], stripe_js_url: str,
                            stripe_api_base: str) -> str:
    stripe = " ".join(dict.fromkeys((_origin(stripe_js_url), _origin(stripe_api_base))))
    if stripe_js_url.startswith("https://js.stripe.com"):
        stripe += " https://*.stripe.com"  # Stripe's 3-D Secure frames and telemetry
    sockets = " ".join(_websocket(o) for o in own_origins)
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' 'unsafe-eval' {stripe}",
        "style-src 'self' 'unsafe-inline'",  # Radix Themes sets inline styles
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        f"connect-src 'self' {sockets} {stripe}",
        f"frame-src {stripe}",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ))


class SecurityHeaders:
    """ASGI middleware adding fixed headers to HTTP responses that do not set them."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(app: ASGIApp) -> ASGIApp:
    """Reflex api_transformer: wraps the whole backend, frontend files included."""
    from loggro_app.services.payment_gateways import payment_settings
    from loggro_app.settings import get_settings

    stripe = payment_settings().stripe
    policy = content_security_policy(own_origins=get_settings().allowed_origins,
                                     stripe_js_url=stripe.js_url,
                                     stripe_api_base=stripe.api_base)
    return SecurityHeaders(app, {
        "content-security-policy": policy,
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
    })
