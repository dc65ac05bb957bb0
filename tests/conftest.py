"""Shared fixtures: run the command line in-process and capture what a user would see."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from readiness.cli.app import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "support-copilot" / "readiness.yaml"
TODAY = "2026-11-21"
# The OASIS schema, copied unmodified with its notice (tests/data/sarif/NOTICE.md): a clone runs every test.
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run `readiness ARGS…` in this process; returns the exit code and both streams."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path (text or bytes) and return its path."""

    def put(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return put


# A small pack with two RACI activities; each test adds what it needs to the assessment around it.
OPS_PACK = """\
id: ops
title: Ops
activities:
  - {id: on-call, title: On-call}
  - {id: switch-off, title: Switch-off}
items:
  - {id: runbook, title: Runbook, question: Runbook?, why: w, verify: v, severity: blocker, stage: prototype,
     effort: low, activity: on-call, auto: {files: ["runbooks/*.md"]}}
  - {id: raci, title: RACI, question: RACI?, why: w, verify: v, severity: blocker, stage: prototype, effort: low,
     auto: {raci: [on-call, switch-off]}}
  - {id: kill-switch, title: Kill switch, question: Kill?, why: w, verify: v, severity: major, stage: prototype,
     effort: low, activity: switch-off, evidence: required}
  - {id: budget, title: Budget, question: Budget?, why: w, verify: v, severity: major, stage: prototype,
     effort: low, auto: {cost: within_budget}}
"""


@dataclass(frozen=True)
class Project:
    folder: Path
    file: Path


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Project]:
    """An assessment using only the ops pack, with `body` appended; extra files as name → content."""

    def make(body: str, files: dict[str, str] | None = None, pack: str = OPS_PACK) -> Project:
        folder = tmp_path / "proj"
        folder.mkdir(exist_ok=True)
        (folder / "ops.yaml").write_text(pack, encoding="utf-8")
        for name, content in (files or {}).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        head = "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [], extra: [ops.yaml]}\n"
        file = folder / "readiness.yaml"
        file.write_text(head + textwrap.dedent(body), encoding="utf-8")
        return Project(folder, file)

    return make


# The modules whose tests take seconds each (a browser printing, hypothesis, worker processes killed, whole walks in
# a pseudo-terminal, packages built and installed), the longest first. They run before all others, so that with
# pytest-xdist the end of a run is short tests spread over every worker, not one worker alone with a long one.
LONG_FIRST = (
    "test_report_print.py",
    "test_properties.py",
    "test_process_limits.py",
    "test_walk_keeps.py",
    "test_packaging.py",
    "test_no_code_from_disk.py",
    "test_first_run.py",
    "test_cases.py",
)


@pytest.hookimpl(trylast=True)  # after any plugin that shuffles: its order stays within each group
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FIRST)))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Python's byte-code cache of the package under test, written once before any test runs. Where the environment
    turns the cache off (PYTHONDONTWRITEBYTECODE, as some CI images do), each of the hundreds of `python -m
    readiness` processes the tests start would compile the package's sources again: a sixth of its start-up."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # the controller wrote it before it started the workers
    import compileall

    import readiness

    # Not writable (an installed package, a read-only checkout): each process compiles in memory, as before.
    compileall.compile_dir(Path(readiness.__file__).parent, quiet=2)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: a worker for each CPU this run may use (its affinity, as taskset or a container's cpuset sets
    it), whether or not psutil is installed: with it, pytest-xdist would count the machine's physical cores."""
    told = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "")
    if told.isdigit() and int(told) > 0:
        return int(told)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden report files from the current output, for a deliberate change.",
    )


def git(folder: Path, *args: str, author: str = "Ana Diaz", day: str = "2026-11-10", stdin: str | None = None) -> str:
    """Run git in `folder` as `author`, committing on `day` at noon UTC, untouched by the user's git config,
    with `stdin` as its input (none by default); its output, stripped."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    done = subprocess.run(
        ["git", "-c", "user.email=team@example.com", "-c", f"user.name={author}", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=True,
        **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
    )
    return done.stdout.strip()


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    """The SARIF 2.1.0 schema, kept in the repository so that no clone skips the tests that need it."""
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


def in_terminal(*args: str, env: dict[str, str], cwd: Path | None = None) -> tuple[int, str]:
    """`readiness ARGS…` as a process with its stdout on a real pseudo-terminal: its exit code and what it printed
    there (line ends as written to a file). stdin is closed and stderr thrown away."""
    import pty
    import sys

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "readiness", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait(timeout=120)
    os.close(controller)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def files_in(folder: Path) -> dict[str, str]:
    """Every file, link and special file under `folder`, by path: a regular file's digest, a link's target, another
    kind's type. What a test compares before and after a run to show that nothing was written or changed."""
    import hashlib
    import stat

    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        name = str(path.relative_to(folder))
        if stat.S_ISLNK(info.st_mode):
            seen[name] = "link to " + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            seen[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[name] = f"mode {stat.S_IFMT(info.st_mode):o}"
    return seen
