"""The speed users feel: each command imports only what it needs.

Every test runs in a fresh interpreter, since this process has long since imported everything. Each one also
asserts that something the command does need was imported, so a run that silently did nothing cannot pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from readiness import __version__

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "support-copilot" / "readiness.yaml"
TODAY = "2026-11-21"

# Runs the command in-process, then writes the exit code and every module loaded to the file named by argv[1].
_PROBE = """
import json, sys
from readiness.cli.app import main
report, args = sys.argv[1], json.loads(sys.argv[2])
code = main(args)
sys.stdout.flush()
with open(report, "w", encoding="utf-8") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""


@dataclass(frozen=True)
class Probe:
    code: int
    out: str
    err: str
    modules: frozenset[str]


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["NO_COLOR"] = "1"
    return env


def python(*args: str) -> subprocess.CompletedProcess[str]:
    """A new interpreter in the checkout, warnings as errors, no input."""
    return subprocess.run(
        [sys.executable, "-W", "error", *args],
        cwd=REPO,
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def probe(tmp_path: Path, *args: str) -> Probe:
    """`readiness ARGS…` through `readiness.cli.app.main` in a new interpreter."""
    report = tmp_path / "probe.json"
    done = python("-c", _PROBE, str(report), json.dumps(list(args)))
    assert done.returncode == 0, f"the probe itself failed:\n{done.stderr}"
    data = json.loads(report.read_text(encoding="utf-8"))
    return Probe(data["code"], done.stdout, done.stderr, frozenset(data["modules"]))


def loaded(modules: frozenset[str], package: str) -> list[str]:
    return sorted(name for name in modules if name == package or name.startswith(package + "."))


def test_help_does_not_import_jsonschema(tmp_path: Path) -> None:
    result = probe(tmp_path, "--help")
    assert result.code == 0, result.err
    assert "check" in result.out
    assert "readiness.cli.app" in result.modules
    assert loaded(result.modules, "jsonschema") == []


def test_check_does_not_import_jinja2_in_any_format(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    formats = [f"{name}:{tmp_path / name}" for name in ("markdown", "sarif", "junit", "github")]
    args = [arg for spec in formats for arg in ("-f", spec)]
    result = probe(tmp_path, "check", str(EXAMPLE), "--today", TODAY, "-f", "json", "-o", str(out), *args)
    assert result.code in (0, 1), result.err
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"]
    assert all((tmp_path / name).stat().st_size > 0 for name in ("markdown", "sarif", "junit", "github"))
    # It did the real work: the assessment went through the (compiled) schema check.
    assert "readiness.score.engine" in result.modules
    assert "fastjsonschema" in result.modules
    assert loaded(result.modules, "jinja2") == []
    # A valid file never needs jsonschema, which only explains what is wrong.
    assert loaded(result.modules, "jsonschema") == []


def test_an_invalid_file_is_explained_by_jsonschema(tmp_path: Path) -> None:
    broken = tmp_path / "readiness.yaml"
    broken.write_text("version: 1\nproject: {name: X, target: launch}\n", encoding="utf-8")
    result = probe(tmp_path, "check", str(broken))
    assert result.code == 2
    assert "project.target" in result.err and "launch" in result.err
    assert "jsonschema" in result.modules


def test_schema_does_not_import_jsonschema(tmp_path: Path) -> None:
    result = probe(tmp_path, "schema", "assessment")
    assert result.code == 0, result.err
    assert json.loads(result.out)["$schema"].startswith("https://json-schema.org/")
    assert loaded(result.modules, "jsonschema") == []


def test_python_m_readiness_version() -> None:
    done = python("-m", "readiness", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"readiness {__version__}\n"
