"""No app imports an app above it (the order is ``medmatch.layers.LAYERS``, docs/architecture.md).

Every module under src/medmatch (migrations aside) is read with ``ast``: module-level and
function-local imports, relative imports, and string imports through ``import_module``,
``import_string``, ``__import__`` and ``include``. A lower app that must show what a higher app
owns offers an extension point, filled in the higher app's ``AppConfig.ready()``.
"""

import ast
import sys
from pathlib import Path

from medmatch.layers import LAYERS, layer_of

SRC = Path(__file__).resolve().parent.parent / "src" / "medmatch"
STRING_LOADERS = {"import_module", "import_string", "__import__", "include"}


def _modules() -> list[Path]:
    return sorted(
        path for path in SRC.rglob("*.py") if "migrations" not in path.relative_to(SRC).parts
    )


def _module_name(path: Path) -> list[str]:
    parts = ["medmatch", *path.relative_to(SRC).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: Path) -> set[str]:
    """Every ``medmatch.…`` module this file imports, wherever the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            if module == "medmatch":  # ``from medmatch import research``
                found.update(f"medmatch.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if (
                name in STRING_LOADERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.add(first.value)
    return {module for module in found if module.startswith("medmatch.")}


def _top(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def upward_imports() -> list[str]:
    """``"<file> imports <module>"`` for each import of a layer above the file's own."""
    offenders = set()
    for path in _modules():
        own = layer_of(_top(path))
        for module in _imported(path):
            target = layer_of(module.split(".")[1])
            if own is None or target is None or target > own:
                offenders.add(f"{path.relative_to(SRC).as_posix()} imports {module}")
    return sorted(offenders)


def test_it_places_every_top_level_module_in_a_layer():
    names = {_top(path) for path in _modules()} - {"__init__"}
    assert sorted(name for name in names if layer_of(name) is None) == []


def test_it_lists_each_name_in_one_layer_only():
    names = [name for layer in LAYERS for name in layer]
    assert len(names) == len(set(names))


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []


def test_it_detects_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "medmatch"
    (fake / "catalog" / "views").mkdir(parents=True)
    (fake / "catalog" / "migrations").mkdir()
    (fake / "research").mkdir()
    (fake / "catalog" / "views" / "page.py").write_text(
        "import importlib\n"
        "from medmatch.lib import geo\n"  # below: allowed
        "from medmatch.catalog.models import Program\n"  # its own app: allowed
        "from medmatch.research.models import Review\n"
        "from medmatch import goals\n"
        "from ...letters import planning\n"
        "\n"
        "def page():\n"
        "    from medmatch.applications.models import Application\n"
        "    return importlib.import_module('medmatch.interviews.calendar')\n"
    )
    (fake / "catalog" / "migrations" / "0001_initial.py").write_text("import medmatch.research\n")
    (fake / "research" / "fit.py").write_text("from medmatch.goals.fitting import rank\n")
    (fake / "match.py").write_text("")  # in no layer yet
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    assert upward_imports() == [
        "catalog/views/page.py imports medmatch.applications.models",
        "catalog/views/page.py imports medmatch.goals",
        "catalog/views/page.py imports medmatch.interviews.calendar",
        "catalog/views/page.py imports medmatch.letters",
        "catalog/views/page.py imports medmatch.research.models",
    ]
    assert [name for name in ("match", "research") if layer_of(name) is None] == ["match"]
