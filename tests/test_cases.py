"""The input corpus in tests/cases/: every case is run as a user would run it, and held to its case.yaml.

tests/cases/README.md describes the format. Beyond what each case expects, every run must print no
traceback, leave the user's files exactly as they were, and, when it refuses its input (exit 2), print
nothing on stderr but diagnostics of the form FILE:LINE:COL: LEVEL: PATH: MESSAGE (or, for a bad option, the
usage error that names it).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Run, files_in, git

CASES = Path(__file__).resolve().parent / "cases"
TODAY_EPOCH = "1795219200"  # 2026-11-21T00:00:00Z
# FILE:LINE:COL where the problem has a place in the file; FILE alone for one of the whole file (line 0 below).
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<level>error|warning): (?P<path>\$\S*): (?P<message>.+)$"
)
CASE_KEYS = {"about", "args", "exit", "expect", "errors", "setup", "env"}
EXPECT_KEYS = {"line", "column", "file", "level", "path", "message", "shows"}


@dataclass(frozen=True)
class Case:
    folder: Path
    about: str
    args: list[str]
    exit: int
    expect: list[dict[str, Any]]
    errors: int | None = None
    setup: list[dict[str, Any]] = field(default_factory=list)
    env: dict[str, str | None] = field(default_factory=dict)


def load_case(folder: Path) -> Case:
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict), f"{folder.name}/case.yaml: not a mapping"
    unknown = set(spec) - CASE_KEYS
    assert not unknown, f"{folder.name}/case.yaml: unknown keys {sorted(unknown)}"
    assert spec.get("about"), f"{folder.name}/case.yaml: says nothing about what it proves"
    expect = spec.get("expect") or []
    assert expect, f"{folder.name}/case.yaml: expects nothing"
    for entry in expect:
        assert set(entry) <= EXPECT_KEYS, f"{folder.name}/case.yaml: unknown keys in {entry}"
        assert ("shows" in entry) != ("message" in entry), f"{folder.name}/case.yaml: message or shows in {entry}"
    return Case(
        folder=folder,
        about=spec["about"],
        args=[str(a) for a in spec.get("args", ["check", "readiness.yaml"])],
        exit=int(spec["exit"]),
        expect=expect,
        errors=spec.get("errors"),
        setup=spec.get("setup") or [],
        env=spec.get("env") or {},
    )


def case_folders(kind: str) -> list[Path]:
    return sorted(path.parent for path in (CASES / kind).glob("*/case.yaml"))


def make_setup(step: dict[str, Any], here: Path) -> None:
    """What git cannot store, made in the case's copy; and git repositories, made by running git in it."""
    if "fifo" in step:
        target = here / step["fifo"]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(target)
    elif "symlink" in step:
        target = here / step["symlink"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(step["to"])
    elif "device" in step:
        target = here / step["device"]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            if os.environ.get("CI"):
                raise  # CI runs as root: there the case must run
            pytest.skip("making a device needs root; CI runs this case")
    elif "write" in step:
        target = here / step["write"]
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as out:
            for part in step["parts"]:
                times = part.get("times")
                if times is None:
                    out.write(part["text"])
                else:
                    out.writelines(part["text"].replace("{i}", str(i)) for i in range(times))
    elif "git" in step:
        git(here, *[str(arg) for arg in step["git"]], author=step.get("author", "Ana Diaz"))
    else:
        raise AssertionError(f"unknown setup step {step}")


def shown(run: Run, entry: dict[str, Any]) -> bool:
    if "shows" in entry:
        return str(entry["shows"]) in run.out + run.err
    for text in (run.err + run.out).splitlines():
        match = DIAGNOSTIC.match(text)
        if not match:
            continue
        if (
            match["file"] == entry.get("file", "readiness.yaml")
            and int(match["line"] or 0) == entry["line"]
            and ("column" not in entry or int(match["column"] or 0) == entry["column"])
            and match["level"] == entry.get("level", "error")
            and ("path" not in entry or match["path"] == entry["path"])
            and str(entry["message"]) in match["message"]
        ):
            return True
    return False


def run_case(case: Case, tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Run:
    here = tmp_path / case.folder.name
    shutil.copytree(case.folder, here, symlinks=True, ignore=shutil.ignore_patterns("case.yaml"))
    for step in case.setup:
        make_setup(step, here)
    monkeypatch.chdir(here)
    for name, value in case.env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(value).replace("{here}", str(here)))
    before = files_in(here)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    monkeypatch.setenv("COLUMNS", "100")
    run = cli(*case.args)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    label = f"{case.folder.name}: {case.about}\nexit {run.code}\nstdout:\n{run.out}\nstderr:\n{run.err}"
    assert "Traceback" not in run.out + run.err, label
    assert run.code == case.exit, label
    for entry in case.expect:
        assert shown(run, entry), f"not shown: {entry}\n{label}"
    if case.exit == 2 and not run.err.startswith("Usage: readiness"):  # a bad option is told as a usage error
        for text in run.err.splitlines():
            assert DIAGNOSTIC.match(text), f"not a diagnostic: {text!r}\n{label}"
    if case.errors is not None:
        errors = [t for t in run.err.splitlines() if (m := DIAGNOSTIC.match(t)) and m["level"] == "error"]
        assert len(errors) == case.errors, label
    assert files_in(here) == before, f"the run changed the user's files\n{label}"
    return run


@pytest.mark.parametrize("folder", case_folders("negative"), ids=lambda p: p.name)
def test_negative_case(folder: Path, tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(folder)
    assert case.exit != 0, f"{folder.name}: a negative case must not pass"
    run_case(case, tmp_path, cli, monkeypatch)


@pytest.mark.parametrize("folder", case_folders("positive"), ids=lambda p: p.name)
def test_positive_case(folder: Path, tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(folder)
    assert case.exit in (0, 1), f"{folder.name}: a positive case is read, so it exits 0 or 1"
    run_case(case, tmp_path, cli, monkeypatch)


def test_the_corpus_is_large_enough() -> None:
    """The hardening issue asks for at least sixty negative cases over assessments and packs."""
    assert len(case_folders("negative")) >= 60
    assert case_folders("positive")
