"""The DIAN core stays pure: no Reflex/ORM imports, no wall clock, no /work/shared paths."""

from __future__ import annotations

import ast
from pathlib import Path

import loggro_app.dian as package

ROOT = Path(package.__file__).parent
FORBIDDEN = {"reflex", "sqlmodel", "sqlalchemy"}
EDGE_MODULES: set[str] = set()  # no module reads the wall clock: the CLI passes system_clock


def _sources() -> list[Path]:
    return list(ROOT.rglob("*.py"))


def test_no_forbidden_imports() -> None:
    offenders = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_no_wall_clock_or_random_ids_in_core() -> None:
    offenders = []
    for path in _sources():
        if path.name in EDGE_MODULES:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.name}: {bad}" for bad in ("datetime.now(", ".today(", "uuid4(") if bad in text
        ]
    assert offenders == []


def test_runtime_data_is_vendored() -> None:
    for path in _sources():
        assert "/work/shared" not in path.read_text(encoding="utf-8"), path
    assert (ROOT / "data" / "xsd" / "maindoc" / "UBL-Invoice-2.1.xsd").is_file()
    assert (ROOT / "data" / "PROVENANCE.md").is_file()


def test_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in _sources()}
    assert {name: n for name, n in sizes.items() if n > 320} == {}
