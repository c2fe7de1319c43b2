"""Find, in the DIAN core's source, every place that checks or implements a DIAN rule code:
a rule code in a message, a table, a docstring or a comment, attributed to the function (or
module-level name) around it."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path

import loggro_app.dian as package

ROOT = Path(package.__file__).parent
# DIAN rule codes: letters then two digits and an optional letter (FAD05b, DSAK24b, VLR01).
# Modules that list rule codes without checking any: the index itself and the explanations.
CATALOGUES = ("index.py", "explanation_texts.py", "explanation_event_texts.py")
RULE_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{3,5}\d{2}[a-z]?)(?![A-Za-z0-9])")


def _spans(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every def, class and module-level name."""
    spans: list[tuple[int, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                spans.append((child.lineno, child.end_lineno or child.lineno, name))
                visit(child, name + ".")
            elif (not prefix and isinstance(child, ast.Assign | ast.AnnAssign)):
                target = child.targets[0] if isinstance(child, ast.Assign) else child.target
                if isinstance(target, ast.Name):
                    spans.append((child.lineno, child.end_lineno or child.lineno, target.id))

    visit(tree, "")
    return spans


def _owner(spans: list[tuple[int, int, str]], line: int) -> str | None:
    inside = [(last - first, name) for first, last, name in spans if first <= line <= last]
    return min(inside)[1] if inside else None  # the innermost


def _texts(source: str, tree: ast.Module) -> list[tuple[int, str]]:
    """(line, text) of every string literal and comment."""
    texts = [(node.lineno, node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            texts.append((token.start[0], token.string))
    return texts


def scan() -> dict[str, set[str]]:
    """rule code -> {"module:name"}; codes outside any function or name are not places."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ROOT.rglob("*.py")):
        if path.parent.name == "rules" and path.name in CATALOGUES:
            continue
        module = "loggro_app." + ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        spans = _spans(tree)
        for line, text in _texts(source, tree):
            owner = _owner(spans, line)
            for code in RULE_CODE.findall(text):
                if owner:
                    found[code].add(f"{module}:{owner}")
    return dict(found)


if __name__ == "__main__":
    for code, owners in sorted(scan().items()):
        print(f"    {code!r}: {tuple(sorted(owners))!r},")
