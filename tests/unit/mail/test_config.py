"""Mail settings from the environment; the password never shows."""

from __future__ import annotations

import pytest

from loggro_app.mail import MailSettings


def test_defaults_reach_the_local_server() -> None:
    settings = MailSettings.from_env({})
    assert (settings.host, settings.port, settings.security) == ("127.0.0.1", 8025, "none")
    assert settings.sender_address == "facturacion@loggro.local"
    assert settings.admin_url == "http://127.0.0.1:8026"
    assert settings.is_local


def test_real_provider_from_the_environment() -> None:
    settings = MailSettings.from_env({
        "LOGGRO_SMTP_HOST": "smtp.proveedor.co", "LOGGRO_SMTP_SECURITY": "STARTTLS",
        "LOGGRO_SMTP_USER": "facturas", "LOGGRO_SMTP_PASSWORD": "clave-muy-secreta",
        "LOGGRO_MAIL_FROM": "Mi Empresa <facturas@miempresa.co>"})
    assert (settings.port, settings.security) == (587, "starttls")  # the usual port
    assert settings.sender_address == "facturas@miempresa.co"
    assert "clave-muy-secreta" not in repr(settings)
    assert not settings.is_local


@pytest.mark.parametrize(("env", "complaint"), [
    ({"LOGGRO_SMTP_SECURITY": "tls"}, "none, starttls o ssl"),
    ({"LOGGRO_SMTP_PORT": "70000"}, "entre 1 y 65535"),
    ({"LOGGRO_SMTP_PORT": "veinticinco"}, "son números"),
    ({"LOGGRO_MAIL_FROM": "facturas"}, "LOGGRO_MAIL_FROM"),
    ({"LOGGRO_SMTP_HOST": "smtp.proveedor.co", "LOGGRO_SMTP_USER": "u",
      "LOGGRO_SMTP_PASSWORD": "p"}, "starttls o ssl"),
])
def test_bad_configuration_fails_at_start(env: dict[str, str], complaint: str) -> None:
    with pytest.raises(RuntimeError, match=complaint):
        MailSettings.from_env(env)
