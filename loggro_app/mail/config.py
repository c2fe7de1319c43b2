"""Mail configuration, read once from the environment; the password stays out of repr and logs.

The defaults reach the local SMTP server that `make run` starts on 127.0.0.1:8025; a real
provider is configuration only.

    LOGGRO_SMTP_HOST          default 127.0.0.1
    LOGGRO_SMTP_PORT          default 8025 (587 for starttls, 465 for ssl are the usual)
    LOGGRO_SMTP_SECURITY      none | starttls | ssl (default none)
    LOGGRO_SMTP_USER          empty: no authentication
    LOGGRO_SMTP_PASSWORD      secret
    LOGGRO_SMTP_TIMEOUT_SECONDS   default 30
    LOGGRO_MAIL_FROM          the sender address (default facturacion@loggro.local)
    LOGGRO_SMTP_ADMIN_URL     the local server's admin API, read by Correo de pruebas
                              (default http://127.0.0.1:8026)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from loggro_app.core.email import validate_email
from loggro_app.core.errors import ValidationError

SECURITY_MODES = ("none", "starttls", "ssl")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_SENDER = "facturacion@loggro.local"


@dataclass(frozen=True)
class MailSettings:
    host: str = "127.0.0.1"
    port: int = 8025
    security: str = "none"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = DEFAULT_SENDER  # an address, optionally "Nombre <correo>"
    timeout_seconds: float = 30.0
    admin_url: str = "http://127.0.0.1:8026"

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise RuntimeError(
                f"LOGGRO_SMTP_SECURITY debe ser none, starttls o ssl, no {self.security!r}.")
        if not 1 <= self.port <= 65535:
            raise RuntimeError(f"LOGGRO_SMTP_PORT debe estar entre 1 y 65535, no {self.port}.")
        if not 1 <= self.timeout_seconds <= 300:
            raise RuntimeError("LOGGRO_SMTP_TIMEOUT_SECONDS debe estar entre 1 y 300.")
        try:
            validate_email(self.sender_address)
        except ValidationError:
            raise RuntimeError(
                f"LOGGRO_MAIL_FROM no es un correo válido: {self.sender!r}.") from None
        # A password must not cross the network in clear text.
        if self.user and self.security == "none" and self.host not in LOOPBACK_HOSTS:
            raise RuntimeError("Con LOGGRO_SMTP_USER en un servidor remoto usa "
                               "LOGGRO_SMTP_SECURITY=starttls o ssl.")

    @property
    def sender_address(self) -> str:
        """The bare address of `sender`, for MAIL FROM."""
        return parseaddr(self.sender)[1]

    @property
    def is_local(self) -> bool:
        return self.host in LOOPBACK_HOSTS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if env is None else env
        security = (env.get("LOGGRO_SMTP_SECURITY") or "none").strip().lower()
        default_port = {"none": 8025, "starttls": 587, "ssl": 465}.get(security, 8025)
        try:
            port = int(env.get("LOGGRO_SMTP_PORT") or default_port)
            timeout = float(env.get("LOGGRO_SMTP_TIMEOUT_SECONDS") or 30)
        except ValueError:
            raise RuntimeError("LOGGRO_SMTP_PORT y LOGGRO_SMTP_TIMEOUT_SECONDS son números."
                               ) from None
        return cls(
            host=(env.get("LOGGRO_SMTP_HOST") or "127.0.0.1").strip(),
            port=port,
            security=security,
            user=env.get("LOGGRO_SMTP_USER") or "",
            password=env.get("LOGGRO_SMTP_PASSWORD") or "",
            sender=env.get("LOGGRO_MAIL_FROM") or DEFAULT_SENDER,
            timeout_seconds=timeout,
            admin_url=(env.get("LOGGRO_SMTP_ADMIN_URL") or "http://127.0.0.1:8026").rstrip("/"),
        )
