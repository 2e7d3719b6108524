"""The pure engines must stay free of Django so they can be tested, benchmarked and reused alone.

A pure package imports neither Django nor an app: not with ``import`` statements (absolute or
relative), and not by name at run time either (``importlib.import_module("medmatch.cli")``,
``__import__``, ``import_string``), which a check of import statements alone would let through.
"""

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "medmatch"
PURE_PACKAGES = ["fit", "matching", "writing"]
# Pure modules that live in an app beside the code that feeds them: they import only the standard
# library and the pure packages, like the engines.
PURE_MODULES = ["letters/lead_time.py"]
# Calls that import the module named by their first argument.
IMPORT_BY_NAME = {"import_module", "__import__", "import_string"}
UNKNOWN = "…"  # the part of a module name only known at run time


def _package_of(path: Path) -> str:
    """The dotted package ``path`` belongs to (for relative imports)."""
    parts = ["medmatch", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts if path.name == "__init__.py" else parts[:-1])


def _resolve(name: str, level: int, package: str) -> str:
    if level == 0:
        return name
    base = package.split(".")
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def _name_argument(node: ast.expr) -> str:
    """The module name a call passes, with ``UNKNOWN`` for what only run time knows."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        known = ""
        for part in node.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                return known + UNKNOWN
            known += part.value
        return known
    return UNKNOWN


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, statically or by name, as absolute dotted names; a module
    named at run time is ``UNKNOWN`` (or starts with its known part)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _package_of(path)
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(_resolve(node.module or "", node.level, package))
        elif isinstance(node, ast.Call) and _called_name(node) in IMPORT_BY_NAME and node.args:
            name = _name_argument(node.args[0])
            level = len(name) - len(name.lstrip("."))
            modules.add(_resolve(name[level:], level, package) if level else name)
    return modules


def _impure(module: str) -> bool:
    parts = module.split(".")
    if parts[0] == "django":
        return True
    if parts[0] == "medmatch" and len(parts) > 1:
        return parts[1] not in PURE_PACKAGES
    return module.startswith(UNKNOWN)


def _django_imports(package: str) -> list[str]:
    """What the files under ``package`` (a directory, or one file) import that is not pure."""
    offenders = []
    root = SRC / package
    for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
        for module in sorted(_imported_modules(path)):
            if _impure(module):
                offenders.append(f"{path.relative_to(SRC)} imports {module}")
    return offenders


@pytest.mark.parametrize("package", PURE_PACKAGES + PURE_MODULES)
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


def test_it_detects_an_import_by_name_and_a_relative_import(tmp_path, monkeypatch):
    fake = tmp_path / "medmatch" / "writing"
    fake.mkdir(parents=True)
    (fake / "cli.py").write_text(
        "import importlib\n"
        "from importlib import import_module\n"
        "from ..applications import writing_context\n"
        "from . import text\n"
        "importlib.import_module('medmatch.cli').setup_django()\n"
        "import_module(f'medmatch.applications.{name}')\n"
        "__import__('django.conf')\n"
        "import_module(name)\n"
        "import_module('.patterns', __package__)\n"
        "import_module('medmatch.matching.rules')\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path / "medmatch")
    assert _django_imports("writing") == [
        "writing/cli.py imports django.conf",
        "writing/cli.py imports medmatch.applications",
        "writing/cli.py imports medmatch.applications.…",
        "writing/cli.py imports medmatch.cli",
        "writing/cli.py imports …",
    ]
