"""Which gateway takes which payment method, built once from the environment."""

from __future__ import annotations

from functools import lru_cache

from loggro_app.payments.colombian_gateway import ColombianGateway
from loggro_app.payments.config import PaymentSettings
from loggro_app.payments.gateway import PaymentGateway
from loggro_app.payments.stripe_gateway import StripeGateway


@lru_cache(maxsize=1)
def payment_settings() -> PaymentSettings:
    return PaymentSettings.from_env()


@lru_cache(maxsize=1)
def stripe_gateway() -> StripeGateway:
    return StripeGateway(payment_settings().stripe)


@lru_cache(maxsize=1)
def colombian_gateway() -> ColombianGateway:
    return ColombianGateway(payment_settings().gateway)


def gateway_for(method: str) -> PaymentGateway:
    """Cards go to Stripe; PSE and cash (not offered by Stripe in Colombia) to the local one."""
    return stripe_gateway() if method == "card" else colombian_gateway()


def gateway_named(provider: str) -> PaymentGateway:
    return stripe_gateway() if provider == stripe_gateway().provider else colombian_gateway()
