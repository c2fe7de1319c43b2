"""Payment configuration, read once from the environment; secrets stay out of repr and logs.

The defaults run everything on this machine: localstripe on 127.0.0.1:8420 and the
Colombian gateway simulator on 127.0.0.1:8430, with well-known development secrets. Those
secrets are only accepted while the endpoints are loopback addresses: pointing
STRIPE_API_BASE or LOGGRO_GATEWAY_URL at a real host without real secrets fails at start-up
instead of at a customer's checkout.

    STRIPE_SECRET_KEY         sk_... (default sk_test_local)
    STRIPE_PUBLISHABLE_KEY    pk_... (default pk_test_local)
    STRIPE_API_BASE           default http://127.0.0.1:8420 (real: https://api.stripe.com)
    STRIPE_JS_URL             default <STRIPE_API_BASE>/js.stripe.com/v3/
                              (real: https://js.stripe.com/v3/)
    STRIPE_WEBHOOK_SECRET     whsec_... (default whsec_local_dev)
    LOGGRO_GATEWAY_URL        default http://127.0.0.1:8430
    LOGGRO_GATEWAY_SECRET     HMAC secret of the gateway's webhooks (default local-gateway-dev)
    LOGGRO_GATEWAY_API_KEY    bearer key for the gateway's API (default empty: none sent)
    LOGGRO_WEBHOOK_TOLERANCE_SECONDS   default 300
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEV_STRIPE_SECRET_KEY = "sk_test_local"
DEV_STRIPE_PUBLISHABLE_KEY = "pk_test_local"
DEV_STRIPE_WEBHOOK_SECRET = "whsec_local_dev"
DEV_GATEWAY_SECRET = "local-gateway-dev"
DEFAULT_STRIPE_API_BASE = "http://127.0.0.1:8420"
DEFAULT_GATEWAY_URL = "http://127.0.0.1:8430"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


@dataclass(frozen=True)
class StripeSettings:
    secret_key: str = field(default=DEV_STRIPE_SECRET_KEY, repr=False)
    publishable_key: str = DEV_STRIPE_PUBLISHABLE_KEY
    api_base: str = DEFAULT_STRIPE_API_BASE
    js_url: str = f"{DEFAULT_STRIPE_API_BASE}/js.stripe.com/v3/"
    webhook_secret: str = field(default=DEV_STRIPE_WEBHOOK_SECRET, repr=False)
    webhook_tolerance_seconds: int = 300

    def __post_init__(self) -> None:
        if not self.secret_key.startswith("sk_") or not self.publishable_key.startswith("pk_"):
            raise RuntimeError("STRIPE_SECRET_KEY debe empezar por sk_ y la pública por pk_.")
        if not is_loopback(self.api_base):
            if self.secret_key == DEV_STRIPE_SECRET_KEY or not self.webhook_secret.startswith(
                "whsec_"
            ) or self.webhook_secret == DEV_STRIPE_WEBHOOK_SECRET:
                raise RuntimeError(
                    "Con Stripe real configura STRIPE_SECRET_KEY y STRIPE_WEBHOOK_SECRET reales."
                )

    @property
    def is_local(self) -> bool:
        """True when talking to localstripe on this machine rather than to Stripe."""
        return is_loopback(self.api_base)


@dataclass(frozen=True)
class GatewaySettings:
    base_url: str = DEFAULT_GATEWAY_URL
    webhook_secret: str = field(default=DEV_GATEWAY_SECRET, repr=False)
    api_key: str = field(default="", repr=False)
    webhook_tolerance_seconds: int = 300
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        if not self.webhook_secret:
            raise RuntimeError("LOGGRO_GATEWAY_SECRET no puede estar vacío.")
        if not is_loopback(self.base_url) and self.webhook_secret == DEV_GATEWAY_SECRET:
            raise RuntimeError("Con una pasarela real configura LOGGRO_GATEWAY_SECRET.")


@dataclass(frozen=True)
class PaymentSettings:
    stripe: StripeSettings
    gateway: GatewaySettings

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PaymentSettings:
        source = dict(os.environ if env is None else env)

        def get(name: str, default: str) -> str:
            return source.get(name) or default

        api_base = get("STRIPE_API_BASE", DEFAULT_STRIPE_API_BASE).rstrip("/")
        try:
            tolerance = int(get("LOGGRO_WEBHOOK_TOLERANCE_SECONDS", "300"))
        except ValueError as error:
            raise RuntimeError("LOGGRO_WEBHOOK_TOLERANCE_SECONDS debe ser un entero.") from error
        stripe = StripeSettings(
            secret_key=get("STRIPE_SECRET_KEY", DEV_STRIPE_SECRET_KEY),
            publishable_key=get("STRIPE_PUBLISHABLE_KEY", DEV_STRIPE_PUBLISHABLE_KEY),
            api_base=api_base,
            js_url=get("STRIPE_JS_URL", f"{api_base}/js.stripe.com/v3/"),
            webhook_secret=get("STRIPE_WEBHOOK_SECRET", DEV_STRIPE_WEBHOOK_SECRET),
            webhook_tolerance_seconds=tolerance,
        )
        gateway = GatewaySettings(
            base_url=get("LOGGRO_GATEWAY_URL", DEFAULT_GATEWAY_URL).rstrip("/"),
            webhook_secret=get("LOGGRO_GATEWAY_SECRET", DEV_GATEWAY_SECRET),
            api_key=get("LOGGRO_GATEWAY_API_KEY", ""),
            webhook_tolerance_seconds=tolerance,
        )
        return cls(stripe=stripe, gateway=gateway)
