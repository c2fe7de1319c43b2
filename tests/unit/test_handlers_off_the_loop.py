"""Page handlers never open a database session on the event loop that every user shares:
database (and network) work goes through `asyncio.to_thread` / `with_session`."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "loggro_app"


def blocking_in_async(source: str) -> list[str]:
    """Names of async functions whose own body (not a nested def) opens `session_scope()`."""
    found = []

    def own_nodes(fn: ast.AST):  # type: ignore[no-untyped-def]
        for child in ast.iter_child_nodes(fn):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            yield child
            yield from own_nodes(child)

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AsyncFunctionDef):
            for inner in own_nodes(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id == "session_scope"):
                    found.append(node.name)
    return found


def test_the_check_sees_a_session_on_the_loop() -> None:
    source = (
        "async def load(self):\n    with session_scope() as s:\n        pass\n"
        "async def fine(self):\n    def work():\n        with session_scope() as s:\n"
        "            pass\n    await asyncio.to_thread(work)\n"
    )
    assert blocking_in_async(source) == ["load"]


def test_no_page_handler_opens_a_session_on_the_event_loop() -> None:
    offenders = {}
    for folder in ("state", "pages"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            names = blocking_in_async(path.read_text(encoding="utf-8"))
            if names:
                offenders[f"{folder}/{path.name}"] = names
    assert offenders == {}
