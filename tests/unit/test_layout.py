"""Where code may reach: the product never imports a stand-in, the rest of the app uses the
DIAN core through its public surface, and the DIAN core has no import cycles."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "loggro_app"
STANDINS = "loggro_app.standins"
BRIDGE = PACKAGE / "local_stack.py"  # starts the stand-ins for `make run`, by module name
# What the rest of the app may import from the DIAN core.
DIAN_SURFACE = {"loggro_app.dian", "loggro_app.dian.client", "loggro_app.dian.codes"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Absolute module names imported by a file; `from pkg import sub` names `pkg.sub` when
    `sub` is a module, so a submodule import is not mistaken for the package's __init__."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = PACKAGE.parent / node.module.replace(".", "/")
            for alias in node.names:
                sub = base / alias.name
                is_module = sub.with_suffix(".py").is_file() or (sub / "__init__.py").is_file()
                found.add(f"{node.module}.{alias.name}" if is_module else node.module)
    return found


def product_files() -> list[Path]:
    standins = PACKAGE / "standins"
    return [p for p in sorted(PACKAGE.rglob("*.py")) if standins not in p.parents]


def test_product_never_imports_a_standin() -> None:
    offenders = {
        module_name(p): sorted(n for n in imports(p) if n.startswith(STANDINS))
        for p in product_files()
    }
    assert {m: n for m, n in offenders.items() if n} == {}


def test_only_the_bridge_names_the_standins() -> None:
    naming = [module_name(p) for p in product_files()
              if STANDINS in p.read_text(encoding="utf-8") and p != BRIDGE]
    assert naming == []
    assert STANDINS in BRIDGE.read_text(encoding="utf-8")


def test_the_check_sees_a_standin_import(tmp_path: Path) -> None:
    fake = tmp_path / "probe.py"
    fake.write_text("from loggro_app.standins.dian_sandbox import app\n", encoding="utf-8")
    assert "loggro_app.standins.dian_sandbox.app" in imports(fake)


def test_app_uses_the_dian_core_through_its_public_surface() -> None:
    offenders = {}
    for path in product_files():
        name = module_name(path)
        if name.startswith("loggro_app.dian"):
            continue
        inner = {n for n in imports(path) if n.startswith("loggro_app.dian")}
        outside = {n for n in inner if n not in DIAN_SURFACE
                   and n not in {"loggro_app.dian.demo", "loggro_app.dian.demo_enabled",
                                 "loggro_app.dian.samples"}}
        if outside:
            offenders[name] = sorted(outside)
    assert offenders == {}


def test_dian_core_has_no_import_cycles() -> None:
    dian = PACKAGE / "dian"
    graph: dict[str, set[str]] = defaultdict(set)
    for path in dian.rglob("*.py"):
        name = module_name(path)
        if name == "loggro_app.dian":
            continue  # the public surface re-exports; nothing inside imports it
        graph[name] = {n for n in imports(path)
                       if n.startswith("loggro_app.dian") and n != name}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
