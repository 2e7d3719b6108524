"""The pure engines must stay free of Django so they can be tested, benchmarked and reused alone."""

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "medmatch"
PURE_PACKAGES = ["fit", "matching", "writing"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def _django_imports(package: str) -> list[str]:
    offenders = []
    for path in sorted((SRC / package).rglob("*.py")):
        for module in sorted(_imported_modules(path)):
            root = module.split(".")[0]
            inside_medmatch = module.startswith("medmatch.")
            if root == "django" or (inside_medmatch and module.split(".")[1] not in PURE_PACKAGES):
                offenders.append(f"{path.relative_to(SRC)} imports {module}")
    return offenders


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_it_keeps_pure_packages_free_of_django(package):
    if not (SRC / package).exists():
        pytest.skip(f"{package}/ is not written yet")
    assert _django_imports(package) == []


def test_it_detects_a_django_import(tmp_path, monkeypatch):
    fake = tmp_path / "medmatch" / "fit"
    fake.mkdir(parents=True)
    (fake / "engine.py").write_text("from django.db import models\nimport medmatch.catalog\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path / "medmatch")
    assert _django_imports("fit") == [
        "fit/engine.py imports django.db",
        "fit/engine.py imports medmatch.catalog",
    ]
