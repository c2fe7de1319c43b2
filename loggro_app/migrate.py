"""Apply alembic migrations programmatically (used by `make run`, the seed command and tests)."""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config

from loggro_app.settings import PROJECT_ROOT, get_settings


def alembic_config(db_url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.attributes["db_url"] = db_url or get_settings().db_url
    cfg.attributes["skip_logging"] = True
    return cfg


def upgrade(db_url: str | None = None) -> None:
    command.upgrade(alembic_config(db_url), "head")


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else None)
