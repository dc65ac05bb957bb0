"""The package's layers, checked over the source: a module imports only from its own layer and the ones below.

load < core < verify < score < rollup < render < edit < interactive < cli. Every import counts, also one inside a
function (made late to keep start-up fast) or under TYPE_CHECKING: either way the lower module would know the
higher one. The README's Development section maps the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import readiness

LAYERS = ("load", "core", "verify", "score", "rollup", "render", "edit", "interactive", "cli")
PACKAGE = Path(readiness.__file__).resolve().parent
# Above every layer, imported by nothing: `python -m readiness`, and what the install-time build runs.
ENTRY_POINTS = ("readiness.__main__", "readiness.build")


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name; what the build generates is not ours to layer."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if "_generated" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for each module of the package that `name` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from readiness.render import terminal` imports a module; `… import Format` a name of one.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "readiness" or target.startswith("readiness."):
                yield node.lineno, target


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def upward_imports(found: dict[str, Path]) -> list[str]:
    """Each import of a module from a higher layer, or of an entry point, with its file and line."""
    known = set(found)
    top = found["readiness"].parent.parent
    problems = []
    for name, path in found.items():
        here = layer(name)
        for line, target in imports(name, path, known):
            where = f"{path.relative_to(top).as_posix()}:{line}"
            if target in ENTRY_POINTS:
                problems.append(f"{where}: imports {target}, an entry point; nothing imports those")
                continue
            there = layer(target)
            if here is None or there is None:
                continue  # the package's own __init__ (its version), or an entry point importing a layer
            if LAYERS.index(there) > LAYERS.index(here):
                problems.append(f"{where}: {here} imports {target}, from the higher layer {there}")
    return problems


def test_no_layer_imports_from_a_higher_one() -> None:
    assert upward_imports(modules()) == []


def test_every_module_stands_in_a_layer() -> None:
    """A new module goes into the layer its imports put it in, not beside them at the top."""
    roomless = [name for name in modules() if layer(name) is None and name not in ("readiness", *ENTRY_POINTS)]
    assert roomless == []


def test_the_layers_are_the_folders() -> None:
    folders = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()} - {"_generated"}
    assert folders == set(LAYERS)


@pytest.mark.parametrize("name", LAYERS)
def test_a_layer_package_is_only_its_docstring(name: str) -> None:
    """Importing `readiness.score` costs nothing and hides nothing: a module is imported by its own name."""
    tree = ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1, f"readiness/{name}/__init__.py holds more than its docstring"
    assert isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant)
    assert isinstance(tree.body[0].value.value, str) and tree.body[0].value.value.strip()


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The layering test itself: a lower layer importing a higher one, lazily or not, is named with its line."""
    package = tmp_path / "readiness"
    for folder in ("load", "score", "cli"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text('"""A layer."""\n', encoding="utf-8")
    (package / "__init__.py").write_text('__version__ = "0"\n', encoding="utf-8")
    (package / "cli" / "app.py").write_text("from readiness.score import engine\n", encoding="utf-8")
    (package / "score" / "engine.py").write_text("from readiness.load import text\n", encoding="utf-8")
    (package / "load" / "text.py").write_text(
        "from readiness import __version__\n\n\ndef late():\n    from ..score.engine import run\n"
        "    from readiness.cli import app\n",
        encoding="utf-8",
    )
    found = modules(package)
    assert set(found) >= {"readiness.cli.app", "readiness.score.engine", "readiness.load.text"}
    assert upward_imports(found) == [
        "readiness/load/text.py:5: load imports readiness.score.engine, from the higher layer score",
        "readiness/load/text.py:6: load imports readiness.cli.app, from the higher layer cli",
    ]
