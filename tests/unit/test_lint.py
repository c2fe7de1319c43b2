"""Style and types are part of the build: ruff everywhere, mypy strict on core, services and
reception."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", "loggro_app", "tests", "bench", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_and_services_type_check_strictly() -> None:
    result = run(str(BIN / "mypy"), "loggro_app/core", "loggro_app/services",
                 "loggro_app/reception")
    assert result.returncode == 0, result.stdout + result.stderr
