"""The pure layers import neither Reflex, the database nor the network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "loggro_app"
FORBIDDEN = {"reflex", "reflex_base", "sqlmodel", "sqlalchemy", "alembic", "httpx", "requests",
             "stripe", "loggro_app.db", "loggro_app.models", "loggro_app.services",
             "loggro_app.state"}
# Parts of dian/ that talk to the network by design (web-service client, sandbox server).
IMPURE_DIAN = {"client", "web_services.py"}


def _pure_modules() -> list[Path]:
    core = sorted((PACKAGE / "core").rglob("*.py"))
    dian = [p for p in sorted((PACKAGE / "dian").rglob("*.py"))
            if not IMPURE_DIAN & set(p.relative_to(PACKAGE / "dian").parts)]
    return core + dian + sorted((PACKAGE / "reception").rglob("*.py"))


def imported_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden_in(names: set[str]) -> set[str]:
    return {n for n in names for f in FORBIDDEN if n == f or n.startswith(f + ".")}


@pytest.mark.parametrize("path", _pure_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_pure_module_imports_nothing_impure(path: Path) -> None:
    assert forbidden_in(imported_names(path.read_text(encoding="utf-8"))) == set()


def test_the_check_catches_impure_imports() -> None:
    source = "import reflex as rx\nfrom sqlmodel import Session\nfrom loggro_app.db import x\n"
    assert forbidden_in(imported_names(source)) == {"reflex", "sqlmodel", "loggro_app.db"}


def test_core_has_modules() -> None:
    assert len(_pure_modules()) >= 5
    assert PACKAGE / "reception" / "verify.py" in _pure_modules()


def test_reception_reads_no_clock() -> None:
    """Verifying a received invoice depends on its bytes alone (signature times included)."""
    offenders = [
        f"{p.name}: {bad}"
        for p in sorted((PACKAGE / "reception").rglob("*.py"))
        for bad in ("datetime.now(", ".today(", "time.time(", "bogota_now(")
        if bad in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
