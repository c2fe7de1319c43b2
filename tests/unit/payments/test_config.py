from __future__ import annotations

import pytest

from loggro_app.payments.config import GatewaySettings, PaymentSettings, StripeSettings


def test_defaults_point_at_local_servers() -> None:
    settings = PaymentSettings.from_env({})
    assert settings.stripe.api_base == "http://127.0.0.1:8420"
    assert settings.stripe.js_url == "http://127.0.0.1:8420/js.stripe.com/v3/"
    assert settings.stripe.secret_key == "sk_test_local"
    assert settings.gateway.base_url == "http://127.0.0.1:8430"


def test_environment_overrides_and_js_url_follows_api_base() -> None:
    settings = PaymentSettings.from_env(
        {"STRIPE_API_BASE": "http://127.0.0.1:9999/", "LOGGRO_GATEWAY_URL": "http://localhost:7/"}
    )
    assert settings.stripe.api_base == "http://127.0.0.1:9999"
    assert settings.stripe.js_url == "http://127.0.0.1:9999/js.stripe.com/v3/"
    assert settings.gateway.base_url == "http://localhost:7"


def test_secrets_never_appear_in_repr() -> None:
    env = {
        "STRIPE_SECRET_KEY": "sk_test_TOPSECRET1",
        "STRIPE_WEBHOOK_SECRET": "whsec_TOPSECRET2",
        "LOGGRO_GATEWAY_SECRET": "TOPSECRET3",
        "LOGGRO_GATEWAY_API_KEY": "TOPSECRET4",
    }
    text = repr(PaymentSettings.from_env(env))
    assert "TOPSECRET" not in text
    assert "pk_test_local" in text  # the publishable key is public by design


def test_real_stripe_refuses_development_secrets() -> None:
    with pytest.raises(RuntimeError):
        StripeSettings(api_base="https://api.stripe.com")
    with pytest.raises(RuntimeError):
        StripeSettings(api_base="https://api.stripe.com", secret_key="sk_live_x")
    real = StripeSettings(
        api_base="https://api.stripe.com", secret_key="sk_live_x", webhook_secret="whsec_real"
    )
    assert real.api_base == "https://api.stripe.com"


def test_real_gateway_refuses_the_development_secret() -> None:
    with pytest.raises(RuntimeError):
        GatewaySettings(base_url="https://pagos.example.co")
    with pytest.raises(RuntimeError):
        GatewaySettings(webhook_secret="")


def test_keys_must_look_like_stripe_keys() -> None:
    with pytest.raises(RuntimeError):
        StripeSettings(secret_key="pk_test_wrong")
