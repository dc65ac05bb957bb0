"""`readiness portfolio`'s worker processes: bounded in number, stopped with the run, reported when they die.

Every case runs the real command over a folder of real assessments and watches the real process tree (from
/proc: the parent of each process), because what matters is what is left running on the CI machine: no
worker may outlive the run, whether it ends by SIGTERM, SIGHUP, Ctrl-C (SIGINT) or SIGKILL, with workers
forked directly (stderr not a terminal) or started by a forkserver (stderr a terminal, with a progress bar).
"""

from __future__ import annotations

import json
import os
import pty
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, TODAY

APOLOGY = "sorry, this is a bug"


def _parents() -> dict[int, int]:
    """Every live process's parent, from /proc/PID/stat (its fourth field, after the name in parentheses)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:  # ended while we looked
            continue
        if fields[0] != "Z":
            found[int(entry)] = int(fields[1])
    return found


def descendants(pid: int) -> set[int]:
    parents = _parents()
    found: set[int] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        children = {child for child, parent in parents.items() if parent == current}
        pending.extend(children - found)
        found |= children
    return found


def running(pids: set[int]) -> set[int]:
    """Those of `pids` that still run (a zombie has ended: it only waits for its parent to read its status)."""
    live = _parents()
    return {pid for pid in pids if pid in live}


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 assessments, one folder each: several seconds of scoring for two workers."""
    root = tmp_path_factory.mktemp("many")
    text = EXAMPLE.read_text(encoding="utf-8")
    for index in range(600):
        folder = root / f"team-{index:03}"
        folder.mkdir()
        (folder / "readiness.yaml").write_text(text, encoding="utf-8")
    return root


def _portfolio(many: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "readiness", "portfolio", str(many), "--today", TODAY, *args]


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def test_workers_beyond_four_per_cpu_are_lowered_with_a_warning(many: Path, tmp_path: Path) -> None:
    limit = 4 * _cpus()
    folder = tmp_path / "some"
    for index in range(limit * 4):  # more assessments than the limit, so that the limit is what bounds the pool
        shutil.copytree(many / f"team-{index:03}", folder / f"team-{index:03}")
    out, err = tmp_path / "out.json", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:  # files, not pipes: nothing to read while we watch
        process = subprocess.Popen(
            _portfolio(folder, "--workers", "100000", "-f", "json"),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
        )
        most = 0
        while process.poll() is None:
            most = max(most, len(descendants(process.pid)))
            time.sleep(0.01)
    assert process.returncode == 0, err.read_text()
    cpus = f"{_cpus()} CPU{'s' if _cpus() > 1 else ''}"
    expected = f"readiness: warning: --workers 100000 is more than 4 per CPU available ({cpus}); using {limit}\n"
    assert err.read_text(encoding="utf-8").startswith(expected)
    assert 0 < most <= limit
    assert len(json.loads(out.read_bytes())["projects"]) == limit * 4


@pytest.mark.parametrize(("workers", "descriptors"), [(2, 10), (8, 12)])
def test_too_few_file_descriptors_is_an_error_not_a_hang(many: Path, workers: int, descriptors: int) -> None:
    def limited() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, hard))

    done = subprocess.run(
        _portfolio(many, "--workers", str(workers)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        preexec_fn=limited,
        timeout=120,  # before, the run printed the apology and then waited for its workers forever
    )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert APOLOGY not in err and "Traceback" not in err
    assert "worker processes: too many open files" in err
    assert f"(this process may open {descriptors}): raise the limit (ulimit -n) or pass a smaller --workers" in err
    assert done.stdout == b""


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Run:
    """`readiness portfolio` with two workers, stderr on a pipe (workers forked) or a terminal (a forkserver)."""

    def __init__(self, many: Path, terminal: bool, *args: str) -> None:
        self._controller = None
        stderr: int = subprocess.PIPE
        if terminal:
            self._controller, stderr = pty.openpty()
        self.process = subprocess.Popen(
            _portfolio(many, "--workers", "2", *args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "80"},
            # Ctrl-C as at a terminal, however the tests were started: a shell's background job (`pytest &`) has
            # SIGINT ignored, and a Python started so keeps ignoring it.
            preexec_fn=_interruptible,
        )
        self.err = b""
        self.out = b""
        if terminal:
            os.close(stderr)
        # Read what the run writes while it runs, so that it never waits for room in a pipe or terminal.
        # Daemons: a worker that outlives the run keeps its output open, and must fail the test, not hang pytest.
        self._readers = [
            threading.Thread(target=self._read_err, daemon=True),
            threading.Thread(target=self._read_out, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_err(self) -> None:
        while True:
            try:
                chunk = (
                    os.read(self._controller, 65536)
                    if self._controller is not None
                    else self.process.stderr.read1(65536)  # type: ignore[union-attr]
                )
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            self.err += chunk

    def _read_out(self) -> None:
        assert self.process.stdout is not None
        self.out = self.process.stdout.read()

    def workers(self, count: int) -> set[int]:
        """The run's descendants once `count` of them are running: its workers, plus, with a forkserver, the
        forkserver and multiprocessing's resource tracker."""
        wait_for(lambda: len(descendants(self.process.pid)) >= count)
        return descendants(self.process.pid)

    def finish(self) -> int:
        code = self.process.wait(timeout=60)
        for reader in self._readers:
            reader.join(timeout=60)
            assert not reader.is_alive(), "a process outlived the run and kept its output open"
        if self._controller is not None:
            os.close(self._controller)
        if self.process.stderr is not None:
            self.process.stderr.close()
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code


SIGNALS = {
    "SIGTERM": (signal.SIGTERM, 143, "readiness: terminated by SIGTERM"),
    "SIGHUP": (signal.SIGHUP, 129, "readiness: terminated by SIGHUP"),
    "SIGINT": (signal.SIGINT, 130, ""),
    "SIGKILL": (signal.SIGKILL, -signal.SIGKILL, ""),
}


@pytest.mark.parametrize("terminal", [False, True], ids=["forked", "forkserver"])
@pytest.mark.parametrize("name", SIGNALS)
def test_no_worker_outlives_the_run_however_it_is_stopped(many: Path, name: str, terminal: bool) -> None:
    number, code, said = SIGNALS[name]
    run = Run(many, terminal)
    workers = run.workers(4 if terminal else 2)
    run.process.send_signal(number)
    assert run.finish() == code
    wait_for(lambda: not running(workers), seconds=10)
    err = run.err.decode("utf-8", "replace")
    assert said in err
    assert APOLOGY not in err and "Traceback" not in err


def test_a_worker_killed_outright_is_named_and_the_roll_up_is_whole(many: Path) -> None:
    run = Run(many, False, "-f", "json")
    workers = run.workers(2)
    os.kill(min(workers), signal.SIGKILL)  # as the out-of-memory killer would
    assert run.finish() == 0
    err = run.err.decode()
    assert err.startswith("readiness: warning: a worker process was killed by SIGKILL (perhaps by the system, short")
    assert "assessments not yet scored were scored in the main process\n" in err
    assert err.endswith("readiness: 600 assessments scored, 0 invalid\n")
    assert len(json.loads(run.out)["projects"]) == 600
