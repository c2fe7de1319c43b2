"""Typed configuration, read once from the environment.

Embedded defaults run everything locally (SQLite file, sandbox DIAN, local SMTP,
localstripe); real endpoints are configuration only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} debe ser un número entero, no {raw!r}") from exc


def own_origins(public_url: str, extra: str = "") -> tuple[str, ...]:
    """The origins the browser may use for this app: its public URL (on a loopback host
    both spellings, localhost and 127.0.0.1) plus any listed in LOGGRO_ALLOWED_ORIGINS."""
    origins = [public_url.rstrip("/")]
    for local, other in (("//127.0.0.1:", "//localhost:"), ("//localhost:", "//127.0.0.1:")):
        if local in origins[0]:
            origins.append(origins[0].replace(local, other))
    origins += [o.strip().rstrip("/") for o in extra.split(",") if o.strip()]
    return tuple(dict.fromkeys(origins))


@dataclass(frozen=True)
class Settings:
    db_url: str
    data_dir: Path
    session_ttl_minutes: int = 8 * 60
    session_idle_minutes: int = 60
    login_max_failures: int = 5
    login_window_seconds: int = 60
    # Failures from one address over every account before backoff (password spraying).
    login_address_max_failures: int = 20
    page_size: int = 10
    timezone: str = "America/Bogota"
    demo_password: str = field(default="", repr=False)
    # Where local gateways send their webhooks (the backend's own address).
    public_backend_url: str = "http://127.0.0.1:3000"
    # Only these may open the websocket or make credentialed API calls (Origin header).
    allowed_origins: tuple[str, ...] = ("http://127.0.0.1:3000", "http://localhost:3000")
    # The local hotel PMS simulator's address, offered in Parámetros ("" outside `make run`)
    pms_simulator_url: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("LOGGRO_DATA_DIR") or DEFAULT_DATA_DIR)
        public_url = (env.get("LOGGRO_PUBLIC_URL")
                      or f"http://127.0.0.1:{env.get('PORT') or 3000}").rstrip("/")
        db_url = env.get("REFLEX_DB_URL") or f"sqlite:///{data_dir / 'loggro.db'}"
        return cls(
            db_url=db_url,
            data_dir=data_dir,
            session_ttl_minutes=_int(env, "LOGGRO_SESSION_TTL_MINUTES", 8 * 60),
            session_idle_minutes=_int(env, "LOGGRO_SESSION_IDLE_MINUTES", 60),
            login_max_failures=_int(env, "LOGGRO_LOGIN_MAX_FAILURES", 5),
            login_window_seconds=_int(env, "LOGGRO_LOGIN_WINDOW_SECONDS", 60),
            login_address_max_failures=_int(env, "LOGGRO_LOGIN_ADDRESS_MAX_FAILURES", 20),
            page_size=_int(env, "LOGGRO_PAGE_SIZE", 10),
            demo_password=env.get("LOGGRO_DEMO_PASSWORD", "Demo2026*"),
            public_backend_url=public_url,
            allowed_origins=own_origins(public_url, env.get("LOGGRO_ALLOWED_ORIGINS", "")),
            pms_simulator_url=env.get("LOGGRO_PMS_SIMULATOR_URL", ""),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
