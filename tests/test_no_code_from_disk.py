"""readiness runs no code and unpickles nothing it reads from a folder a user or a pull request can write, and
a run writes nothing but the files it is asked for.

The tool once kept compiled validators (marshalled code objects, executed), the read built-in packs (pickles)
and Jinja bytecode in a cache folder: READINESS_CACHE_DIR, else $XDG_CACHE_HOME/readiness, else
~/.cache/readiness. On GitLab, `XDG_CACHE_HOME=$CI_PROJECT_DIR/.cache` is the usual set-up, so a pull request
could commit that folder's content. Here an attacker plants, in each of those places and under the very names
the old tool computed, a pickle and a marshalled code object that create a marker file when loaded; real
`readiness` processes then run on the project, and no marker may appear.

What replaced the cache is tested too: the validators, compiled templates and read packs the build puts into
the package are used when they were made from the sources at hand, and made in memory, with the same output,
when they were not.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import marshal
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, files_in
from tests.origins import EVERYTHING, Origins, probe

EXAMPLE = REPO / "examples" / "support-copilot"
TEMPLATES = ("report.html.j2", "report.md.j2", "portfolio.html.j2")


def _env(**changes: str) -> dict[str, str]:
    """The caller's environment without any cache setting, plus `changes`."""
    unset = ("READINESS_CACHE_DIR", "XDG_CACHE_HOME", "SOURCE_DATE_EPOCH")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(NO_COLOR="1", COLUMNS="100", **changes)
    return env


def readiness(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`readiness ARGS…` as a process of its own, as CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "readiness", *(str(a) for a in args)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


# --- What an attacker plants --------------------------------------------------------------------------------


class _Payload:
    """Unpickled, it makes the folder `marker`: proof that a pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, int, bool]]:
        return os.makedirs, (str(self.marker), 0o777, True)


def _planted_pickle(marker: Path) -> bytes:
    return pickle.dumps(_Payload(marker))


def _planted_code(marker: Path, then: str) -> bytes:
    """A marshalled code object that makes the folder `marker` when executed, then defines `then`: what the old
    tool expected to find, so that it went on and met the next planted entry."""
    made = f"import os\nos.makedirs({str(marker)!r}, exist_ok=True)\n{then}"
    return marshal.dumps(compile(made, "<planted>", "exec"))


# A validator that passes every document, and a template that says what its author wants.
PASS_EVERYTHING = "def validate(data, custom_formats=None, name_prefix=None):\n    return data\n"
PLANTED_TEMPLATE = (
    "name = None\nblocks = {}\ndebug_info = ''\n"
    "def root(context, missing=None, environment=None):\n    yield 'READY, says the pull request'\n"
)


def _old_pack_key() -> str:
    """The name the old tool gave its pickle of the built-in packs: its version, catalog.py, model.py, the packs."""
    from readiness import __version__
    from readiness.core import catalog, model

    digest = hashlib.sha256(__version__.encode())
    for module in (catalog.__file__, model.__file__):
        digest.update(Path(str(module)).read_bytes())
    for path in catalog.builtin_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _old_validator_key(kind: str) -> str:
    """The name the old tool gave a schema's marshalled validator."""
    import fastjsonschema

    from readiness.load.schemas import schema_text

    definition = {**json.loads(schema_text(kind)), "$schema": "http://json-schema.org/draft-07/schema#"}
    code_version = 2  # the old tool's _CODE_VERSION
    key = json.dumps([definition, fastjsonschema.VERSION, code_version], sort_keys=True).encode()
    return hashlib.sha256(key + importlib.util.MAGIC_NUMBER).hexdigest()


def _old_template_file(name: str) -> tuple[str, str]:
    """Jinja's FileSystemBytecodeCache file name for a template, and the checksum of the template's source."""
    from readiness.load.resources import data_dir

    filename = os.path.normpath(os.path.join(str(data_dir("templates")), name))
    key = hashlib.sha1(name.encode("utf-8"))
    key.update(f"|{filename}".encode())
    source = Path(filename).read_text(encoding="utf-8")
    return f"__jinja2_{key.hexdigest()}.cache", hashlib.sha1(source.encode("utf-8")).hexdigest()


def plant(cache: Path, markers: Path) -> list[Path]:
    """Fill `cache` the way the old tool read it, every entry loaded would make a folder in `markers`."""
    from jinja2.bccache import bc_magic

    planted = {cache / "packs" / _old_pack_key(): _planted_pickle(markers / "packs-pickle")}
    for kind in ("assessment", "checklist", "result"):
        code = _planted_code(markers / f"validator-{kind}", PASS_EVERYTHING)
        planted[cache / "validators" / _old_validator_key(kind)] = code
    for name in TEMPLATES:
        file, checksum = _old_template_file(name)
        if name == "report.md.j2":  # Jinja unpickles the checksum before it compares it: a pickle there runs
            content = bc_magic + _planted_pickle(markers / name)
        else:  # the right checksum, then a marshalled code object that Jinja executes as the template
            content = bc_magic + pickle.dumps(checksum, 2) + _planted_code(markers / name, PLANTED_TEMPLATE)
        planted[cache / "templates" / file] = content
    for path, content in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(planted)


# --- A project, and the commands CI runs on it --------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where the old tool looked for its cache, as the environment of a run says it."""

    env: dict[str, str]
    cache: Path


def _places(home: Path, project: Path, elsewhere: Path) -> dict[str, Place]:
    return {
        "READINESS_CACHE_DIR": Place({"READINESS_CACHE_DIR": str(elsewhere)}, elsewhere),
        "XDG_CACHE_HOME inside the project": Place(
            {"XDG_CACHE_HOME": str(project / ".cache")}, project / ".cache" / "readiness"
        ),
        "relative XDG_CACHE_HOME": Place({"XDG_CACHE_HOME": ".cache"}, project / ".cache" / "readiness"),
        "~/.cache/readiness": Place({}, home / ".cache" / "readiness"),
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the support-copilot example, with its evidence."""
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _outputs(project: Path, env: dict[str, str]) -> dict[str, str]:
    """What check and report print and write, the exit codes included."""
    seen: dict[str, str] = {}
    runs = {
        "check": ["check", "readiness.yaml", "--today", TODAY, "-f", "json"],
        "report html": ["report", "readiness.yaml", "--today", TODAY, "-o", "out/report.html"],
        "report markdown": ["report", "readiness.yaml", "--today", TODAY, "-f", "markdown"],
    }
    for label, args in runs.items():
        done = readiness(*args, cwd=project, env=env)
        seen.update({f"{label} exit": str(done.returncode), f"{label} out": done.stdout, f"{label} err": done.stderr})
    report = project / "out" / "report.html"
    seen["report.html"] = report.read_text(encoding="utf-8") if report.exists() else "(not written)"
    shutil.rmtree(project / "out")
    return seen


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What check and report print and write for a copy of the example, with nothing planted anywhere: the same
    for every test below, which each plant in one place and compare."""
    base = tmp_path_factory.mktemp("clean")
    project = base / "project"
    shutil.copytree(EXAMPLE, project)
    for folder in (base / "home", project / "out"):
        folder.mkdir()
    seen = _outputs(project, _env(HOME=str(base / "home")))
    assert seen["check exit"] == "1" and json.loads(seen["check out"])["verdict"] == "not-ready"
    assert "<!DOCTYPE html>" in seen["report.html"]
    return seen


@pytest.mark.parametrize(
    "place",
    ["READINESS_CACHE_DIR", "XDG_CACHE_HOME inside the project", "relative XDG_CACHE_HOME", "~/.cache/readiness"],
)
def test_pickles_and_code_planted_where_the_cache_was_never_run(
    place: str, project: Path, tmp_path: Path, clean: dict[str, str]
) -> None:
    home, elsewhere, markers = (tmp_path / name for name in ("home", "shared-cache", "markers"))
    for folder in (home, markers):
        folder.mkdir()
    where = _places(home, project, elsewhere)[place]
    planted = plant(where.cache, markers)
    (project / "out").mkdir()
    attacked = _outputs(project, _env(HOME=str(home), **where.env))

    assert sorted(p.name for p in markers.iterdir()) == [], "planted code ran"
    assert attacked == clean
    assert all(path.is_file() for path in planted)  # read or not, left as they were
    assert sorted(path for path in where.cache.rglob("*") if path.is_file()) == sorted(planted)  # nothing added


# --- Nothing written but the outputs ------------------------------------------------------------------------


def test_a_run_writes_nothing_but_the_files_it_is_asked_for(project: Path, tmp_path: Path) -> None:
    home, cache, temporary = (tmp_path / name for name in ("home", "xdg-cache", "tmp"))
    for folder in (home, cache, temporary):
        folder.mkdir()
    env = _env(HOME=str(home), XDG_CACHE_HOME=str(cache), TMPDIR=str(temporary))
    before = files_in(project)
    runs = [
        ["check", "readiness.yaml", "--today", TODAY, "-f", "json", "-o", "result.json", "-f", "sarif:result.sarif"],
        ["report", "readiness.yaml", "--today", TODAY, "-o", "report.html"],
        ["report", "readiness.yaml", "--today", TODAY, "-f", "markdown", "-o", "report.md"],
        ["validate", "readiness.yaml"],
        ["portfolio", ".", "--today", TODAY, "-f", "html", "-o", "portfolio.html", "--workers", "2"],
        ["diff", "result.json", "readiness.yaml", "--today", TODAY],
        ["cost", "readiness.yaml"],
    ]
    for args in runs:
        done = readiness(*args, cwd=project, env=env)
        assert done.returncode in (0, 1), f"{args}: {done.stderr}"
    after = files_in(project)
    named = {"result.json", "result.sarif", "report.html", "report.md", "portfolio.html"}
    assert set(after) - set(before) == named
    assert {name: after[name] for name in before} == before
    assert (files_in(home), files_in(cache), files_in(temporary)) == ({}, {}, {})


# --- The package's prebuilt artifacts -----------------------------------------------------------------------


# The hook runs where only [build-system] requires is installed: none of the command line's own dependencies.
NOT_IN_THE_BUILD = {"typer", "click", "rich", "jsonschema", "referencing", "ruamel", "pexpect"}
_BUILD = """
import json, sys
from pathlib import Path
before = set(sys.modules)
sys.path.insert(0, sys.argv[1])
from hatch_build import generate
root = Path(sys.argv[2])
generate(root, root / "readiness" / "_generated")
print(json.dumps(sorted({name.split(".")[0] for name in set(sys.modules) - before})))
"""


def _build(root: Path) -> set[str]:
    """Copy the checkout's sources to `root` and make their artifacts with the build hook, as `pip install` does;
    the top-level modules the hook imported."""
    ignore = shutil.ignore_patterns("__pycache__", "_generated")
    for name in ("readiness", "checklists", "templates", "schemas"):
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    made = subprocess.run(
        [sys.executable, "-c", _BUILD, str(REPO), str(root)],
        cwd=root.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    imported: list[str] = json.loads(made.stdout)
    return set(imported)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout's sources with the artifacts the build hook makes, built once for the tests that copy it."""
    root = tmp_path_factory.mktemp("built") / "tree"
    _build(root)
    return root


@pytest.fixture
def tree(built: Path, tmp_path: Path) -> Path:
    """A copy of the checkout's sources with the artifacts the build hook makes, for this test to change."""
    shutil.copytree(built, tmp_path / "tree", symlinks=True)
    return tmp_path / "tree"


def test_the_build_hook_imports_only_what_the_build_requires(tmp_path: Path) -> None:
    imported = _build(tmp_path / "tree")
    assert {"fastjsonschema", "jinja2", "yaml", "readiness"} <= imported
    assert imported & NOT_IN_THE_BUILD == set()
    assert (tmp_path / "tree" / "readiness" / "_generated" / "packs.py").is_file()


def _runs(project: Path) -> list[list[str]]:
    return [
        ["check", str(project / "readiness.yaml"), "--today", TODAY, "-f", "json", "-o", str(project / "r.json")],
        ["report", str(project / "readiness.yaml"), "--today", TODAY, "-o", str(project / "r.html")],
        ["report", str(project / "readiness.yaml"), "--today", TODAY, "-f", "markdown", "-o", str(project / "r.md")],
        ["portfolio", str(project), "--today", TODAY, "-f", "html", "-o", str(project / "p.html"), "--workers", "1"],
    ]


def _run_tree(tree: Path, project: Path) -> tuple[Origins, dict[str, bytes]]:
    origins = probe(sys.executable, _runs(project), project, _env(PYTHONPATH=str(tree)))
    assert origins.package.resolve() == (tree / "readiness").resolve()
    written = {name: (project / name).read_bytes() for name in ("r.json", "r.html", "r.md", "p.html")}
    for name in written:
        (project / name).unlink()
    return origins, written


def test_the_artifacts_the_build_put_in_the_package_are_used(tree: Path, project: Path) -> None:
    origins, _ = _run_tree(tree, project)
    assert origins.codes == [1, 0, 0, 0]
    assert origins.prebuilt() == EVERYTHING
    assert origins.in_memory() == []


def test_an_artifact_made_from_other_sources_is_not_used_and_changes_nothing(tree: Path, project: Path) -> None:
    _, fresh = _run_tree(tree, project)
    # Edits that change no meaning: the artifacts made from the old text no longer match.
    schema = tree / "schemas" / "assessment.schema.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    schema.write_text(json.dumps({"$comment": "edited", **data}, indent=1), encoding="utf-8")
    for name in TEMPLATES:
        template = tree / "templates" / name
        template.write_text("{# edited #}" + template.read_text(encoding="utf-8"), encoding="utf-8")
    pack = tree / "checklists" / "ownership.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    origins, written = _run_tree(tree, project)
    templates = [f"template {name}" for name in ("report.html.j2", "portfolio.html.j2", "report.md.j2")]
    assert origins.in_memory() == ["validator assessment", *templates, "packs"]
    assert sorted(origins.prebuilt()) == sorted(set(EVERYTHING) - set(origins.in_memory()))
    assert written == fresh


def test_a_module_that_does_not_carry_the_digest_of_its_sources_is_never_imported(
    tree: Path, project: Path, tmp_path: Path
) -> None:
    _, fresh = _run_tree(tree, project)
    generated = tree / "readiness" / "_generated"
    marker = tmp_path / "imported"
    module = f"# readiness artifact {'0' * 64}\nimport os\nos.mkdir({str(marker)!r})\n"
    (generated / "assessment_schema.py").write_text(module, encoding="utf-8")
    for compiled in (generated / "templates_html").glob("*.py"):
        compiled.write_text(module, encoding="utf-8")
    (generated / "packs.py").write_text(module, encoding="utf-8")

    origins, written = _run_tree(tree, project)
    assert not marker.exists()
    assert {"validator assessment", "template report.html.j2", "template portfolio.html.j2", "packs"} <= set(
        origins.in_memory()
    )
    assert written == fresh


# --- Nowhere in the package -----------------------------------------------------------------------------------

# Modules that turn bytes into objects or code: nothing in the package may import them.
LOADERS = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle", "joblib"}
# Built-in functions that compile, run or import code (a name, so `re.compile` is not one of them).
BUILTINS = {"exec", "eval", "compile", "__import__", "breakpoint"}
# Names that import or run code from a file, or load compiled templates: names or attributes alike.
RUNNERS = {
    "import_module",
    "spec_from_file_location",
    "exec_module",
    "load_module",
    "run_path",
    "run_module",
    "BytecodeCache",
    "FileSystemBytecodeCache",
    "MemcachedBytecodeCache",
    "bytecode_cache",
    "ModuleLoader",
    "from_string",
    "unsafe_load",
    "full_load",
    "UnsafeLoader",
    "FullLoader",
}
# Each allowed use: where, what, on how many lines.
ALLOWED = {
    # fastjsonschema's code for our own schema, generated in memory when the package's module is stale.
    ("load/prebuilt.py", "exec"): 1,
    ("load/prebuilt.py", "compile"): 1,
    # The package's own generated modules (validators, built-in packs), in readiness/_generated/.
    ("load/prebuilt.py", "spec_from_file_location"): 1,
    ("load/prebuilt.py", "exec_module"): 1,
    # Jinja's name for a compiled template's module, for the build to write it.
    ("load/prebuilt.py", "ModuleLoader"): 2,
    # The package's own compiled templates, in readiness/_generated/.
    ("render/templating.py", "ModuleLoader"): 1,
    # The renderers' modules, by name from a fixed table (readiness/render/formats.py).
    ("render/formats.py", "import_module"): 1,
    # The probes' modules, by kind from a fixed table (readiness/verify/probes/run.py).
    ("verify/probes/run.py", "import_module"): 1,
}


def _uses(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every loader imported, every built-in runner named and every other runner named or read as an attribute,
    with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in LOADERS:
                    yield module, node.lineno
            names = [alias.name for alias in node.names] if isinstance(node, ast.ImportFrom) else []
            yield from ((name, node.lineno) for name in names if name in RUNNERS | BUILTINS)
        elif isinstance(node, ast.Name) and node.id in RUNNERS | BUILTINS:
            yield node.id, node.lineno
        elif isinstance(node, ast.Attribute) and node.attr in RUNNERS:
            yield node.attr, node.lineno


def test_no_module_of_the_package_loads_pickles_or_runs_code_but_its_own() -> None:
    package = REPO / "readiness"
    found: dict[tuple[str, str], set[int]] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith("_generated/"):
            continue  # made by the build from fastjsonschema and Jinja, used only when its digest matches
        for name, line in _uses(ast.parse(path.read_text(encoding="utf-8"))):
            found.setdefault((relative, name), set()).add(line)
    unexpected = {where: sorted(lines) for where, lines in found.items() if len(lines) != ALLOWED.get(where)}
    assert unexpected == {}
    assert set(found) == set(ALLOWED)  # and the allowed uses are still there: the list says what the code does
