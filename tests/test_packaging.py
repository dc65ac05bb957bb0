"""The wheel as a user gets it: built from the checkout, installed into a fresh environment, run from elsewhere.

The other tests run against the checkout (an editable install), where the packs are found at the top of the
repository; only an installed wheel shows whether they travel inside the package. The build hook
(hatch_build.py) puts the schema validators, the compiled templates and the read packs into the package: the
wheel, a wheel built from the sdist and an editable install must each carry them and use them.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from readiness import __version__
from tests.conftest import REPO, TODAY
from tests.origins import EVERYTHING, probe

BUILTIN_PACKS = ("ownership", "observability")
PIP = (sys.executable, "-m", "pip")
BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""


@dataclass(frozen=True)
class Installed:
    root: Path
    python: Path
    script: Path
    site_packages: Path


def _env() -> dict[str, str]:
    """The caller's environment, minus anything that would put the checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", COLUMNS="120", PYTHONIOENCODING="utf-8")
    return env


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command quietly; a failure fails the test (never a skip), showing what the command said."""
    command = [str(a) for a in args]
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    if done.returncode != 0:
        said = f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        pytest.fail(f"{' '.join(command)} exited {done.returncode}\n{said}", pytrace=False)
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, without network and without build isolation."""
    out = tmp_path_factory.mktemp("wheel")
    _run(*PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, REPO, cwd=out)
    built = sorted(out.glob("readiness-*.whl"))
    assert len(built) == 1, f"expected one readiness wheel in {out}, found {[p.name for p in out.iterdir()]}"
    return built[0]


def _environment(root: Path) -> Installed:
    """A fresh environment at `root`; the dependencies come from the environment running the tests."""
    _run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", root, cwd=root.parent)
    python = root / BIN / f"python{EXE}"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root.parent)
    site_packages = Path(purelib.stdout.strip())
    if sys.prefix != sys.base_prefix:
        # The tests run in a virtual environment: --system-site-packages reaches the base interpreter's
        # packages, not this environment's, so chain this one in the way the base one is (.pth files included).
        # Named to come last: an editable install's own .pth then puts its checkout before this environment's.
        lines = [f"import site; site.addsitedir({p!r})" for p in site.getsitepackages()]
        (site_packages / "~outer_environment.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Installed(root, python, root / BIN / f"readiness{EXE}", site_packages)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh environment holding the wheel."""
    environment = _environment(tmp_path_factory.mktemp("env") / "venv")
    _run(*PIP, "--python", environment.python, "install", "--no-deps", "--no-index", wheel, cwd=environment.root)
    return environment


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory with no checkout in sight."""
    return tmp_path


def test_wheel_carries_the_packs_templates_and_schemas_but_not_the_tests(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for expected in (
        "readiness/_data/checklists/ownership.yaml",
        "readiness/_data/checklists/observability.yaml",
        "readiness/_data/templates/report.html.j2",
        "readiness/_data/templates/report.md.j2",
        "readiness/_data/examples/support-copilot/readiness.yaml",
        "readiness/_data/examples/support-copilot/runbooks/rollback.md",
        "readiness/_data/schemas/assessment.schema.json",
    ):
        assert expected in names, f"{expected} is missing from {wheel.name}"
    # The examples' own evidence may include a tests/ folder; the project's test suite stays out.
    project_files = [name for name in names if not name.startswith("readiness/_data/examples/")]
    assert not [name for name in project_files if "tests" in name.split("/")[:-1]]


def test_installed_command_lists_the_builtin_packs(installed: Installed, elsewhere: Path) -> None:
    done = _run(installed.script, "checklists", "list", cwd=elsewhere)
    first_words = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    for pack in BUILTIN_PACKS:
        assert pack in first_words, done.stdout


def test_installed_package_reads_its_own_data_not_the_checkout(installed: Installed, elsewhere: Path) -> None:
    done = _run(
        installed.python,
        "-c",
        "import readiness, readiness.load.resources as r; print(readiness.__file__); "
        "print(r.data_dir('checklists')); print(r.data_dir('templates'))",
        cwd=elsewhere,
    )
    module, checklists, templates = (Path(line).resolve() for line in done.stdout.splitlines())
    package = installed.site_packages.resolve() / "readiness"
    assert module == package / "__init__.py"
    assert checklists == package / "_data" / "checklists"
    assert templates == package / "_data" / "templates"
    assert installed.root.resolve() in package.parents


def test_installed_module_reports_its_version(installed: Installed, elsewhere: Path) -> None:
    done = _run(installed.python, "-m", "readiness", "--version", cwd=elsewhere)
    assert done.stdout.strip() == f"readiness {__version__}"


def test_installed_demo_writes_the_report_where_it_is_run(installed: Installed, elsewhere: Path) -> None:
    done = _run(installed.script, "demo", "--today", "2026-11-21", cwd=elsewhere)
    report = elsewhere / "readiness-demo.html"
    assert done.stdout.splitlines()[:2] == [
        "Wrote readiness-demo.html — the review report of the bundled example 'Support Copilot'.",
        "readiness: not-ready · score 75.9 (min 70) · stage prototype of production",
    ]
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- What the build hook puts into the package ----------------------------------------------------------------

GENERATED = "readiness/_generated/"


def _generated_in(wheel: Path) -> dict[str, str]:
    """The generated files of a wheel, each with its first line."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            name: archive.read(name).decode("utf-8").split("\n", 1)[0]
            for name in archive.namelist()
            if name.startswith(GENERATED)
        }


def _assert_carries_the_artifacts(wheel: Path) -> None:
    generated = _generated_in(wheel)
    names = sorted(name.removeprefix(GENERATED) for name in generated)
    assert [n for n in names if not n.startswith("templates_")] == [
        "__init__.py",
        "assessment_schema.py",
        "checklist_schema.py",
        "packs.py",
        "result_schema.py",
    ]
    assert len([n for n in names if n.startswith("templates_html/tmpl_") and n.endswith(".py")]) == 2
    assert len([n for n in names if n.startswith("templates_text/tmpl_") and n.endswith(".py")]) == 1
    modules = [name for name in generated if name.endswith(".py") and not name.endswith("__init__.py")]
    assert all(generated[name].startswith("# readiness artifact ") for name in modules)


def _runs(where: Path) -> list[list[str]]:
    example = REPO / "examples" / "support-copilot" / "readiness.yaml"
    return [
        ["check", str(example), "--today", TODAY, "-f", "json", "-o", str(where / "result.json")],
        ["report", str(example), "--today", TODAY, "-o", str(where / "report.html")],
        ["report", str(example), "--today", TODAY, "-f", "markdown", "-o", str(where / "report.md")],
    ]


def test_wheel_carries_the_generated_validators_templates_and_packs(wheel: Path) -> None:
    _assert_carries_the_artifacts(wheel)
    with zipfile.ZipFile(wheel) as archive:
        assert not [name for name in archive.namelist() if name.endswith(".pyc") or "__pycache__" in name]


def test_installed_wheel_uses_the_generated_artifacts(installed: Installed, elsewhere: Path) -> None:
    origins = probe(installed.python, _runs(elsewhere), elsewhere, _env())
    assert origins.package.resolve() == (installed.site_packages / "readiness").resolve()
    assert origins.codes == [1, 0, 0]
    assert origins.prebuilt() == EVERYTHING
    assert origins.in_memory() == []
    assert (elsewhere / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_wheel_built_from_the_sdist_carries_the_generated_artifacts(tmp_path: Path) -> None:
    sdists = tmp_path / "sdist"
    build = "import sys; from hatchling.build import build_sdist; print(build_sdist(sys.argv[1]))"
    name = _run(sys.executable, "-c", build, sdists, cwd=REPO).stdout.strip().splitlines()[-1]
    sdist = sdists / name
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(member.endswith("/hatch_build.py") for member in members)
    assert not any("/readiness/_generated" in member for member in members)  # made by each wheel's build
    wheels = tmp_path / "wheel"
    _run(*PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, sdist, cwd=tmp_path)
    (built,) = wheels.glob("readiness-*.whl")
    _assert_carries_the_artifacts(built)


def test_an_editable_install_makes_the_artifacts_in_its_checkout_and_uses_them(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "_generated")
    for name in ("readiness", "checklists", "templates", "schemas", "examples"):
        shutil.copytree(REPO / name, checkout / name, ignore=ignore)
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, checkout / name)
    environment = _environment(tmp_path / "venv")
    _run(
        *PIP, "--python", environment.python, "install", "--no-deps", "--no-index", "--no-build-isolation",
        "-e", checkout, cwd=tmp_path,
    )  # fmt: skip
    generated = checkout / "readiness" / "_generated"
    assert sorted(p.name for p in generated.glob("*_schema.py")) == [
        "assessment_schema.py",
        "checklist_schema.py",
        "result_schema.py",
    ]
    # Python's bytecode too, so that not even the first run compiles a validator of 200 kB.
    assert len(list((generated / "__pycache__").glob("assessment_schema.*.pyc"))) == 1
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    origins = probe(environment.python, _runs(elsewhere), elsewhere, _env())
    assert origins.package.resolve() == (checkout / "readiness").resolve()
    assert origins.prebuilt() == EVERYTHING
