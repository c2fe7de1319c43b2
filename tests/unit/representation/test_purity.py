"""The representation is a library: no Reflex, no database, no network; its templates ship."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import loggro_app.representation as package
from tests.unit.test_core_purity import forbidden_in, imported_names

MODULES = sorted(Path(package.__file__).parent.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_imports_nothing_impure(path: Path) -> None:
    assert forbidden_in(imported_names(path.read_text(encoding="utf-8"))) == set()


def test_template_and_stylesheet_are_package_data() -> None:
    import tomllib

    root = Path(package.__file__).parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["*"]
    for name in ("document.html", "document.css"):
        assert resources.files(package).joinpath(name).is_file()
        assert any(Path(name).match(pattern) for pattern in patterns), name
