"""What stands at an output's name decides how it is written (output.py), attacked as a pull request would.

Each test runs `readiness` in its own process against real FIFOs, devices, sockets, links and hard links. CI
runs as root, where renaming a file over `/dev/null` or `/dev/stdout` replaces the system's own: the tests that
touch those put them back if the code under test ever breaks them, so that a failure cannot take the machine
with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY, Run, git

ASSESSMENT = "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [ownership], extra: [team.yaml]}\n"
PACK = """\
id: team
title: Team practices
items:
  - {id: review, title: Review, question: Is every change reviewed?, why: w, verify: v, severity: minor,
     stage: prototype, effort: low}
"""
NULL = os.makedev(1, 3)
STDOUT = "/proc/self/fd/1"  # what /dev/stdout is on Linux, put back if a broken build replaces it


def readiness(folder: Path, *args: str | Path, stdout: int | None = subprocess.PIPE, timeout: float = 120) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "readiness", *(str(a) for a in args)],
        cwd=folder,
        env={**os.environ, "NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout or "", done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout with an assessment that uses a custom pack; scoring it exits 1 (not ready)."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (folder / "team.yaml").write_text(PACK, encoding="utf-8")
    return folder


def check(folder: Path, output: str | Path, *extra: str) -> Run:
    return readiness(folder, "check", "readiness.yaml", "-f", "json", "-o", output, *extra, "--today", TODAY)


def mknod(path: Path, mode: int, device: int) -> None:
    """A device node; CI runs as root, where this always works."""
    try:
        os.mknod(path, mode, device)
    except PermissionError:
        pytest.fail("making a device node needs root; the suite runs as root here and in CI")


# --- streams: written into, never renamed over ------------------------------------------------------------------


def test_a_fifo_output_is_written_into_and_stays_a_fifo(project: Path) -> None:
    fifo = project / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = check(project, "report.pipe")
    reader.join(timeout=60)
    assert run.code == 1, run.err
    assert json.loads(received[0])["verdict"] == "not-ready"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_character_device_output_is_written_into_and_stays_a_device(project: Path) -> None:
    device = project / "null"
    mknod(device, 0o666 | stat.S_IFCHR, NULL)
    run = check(project, "null")
    assert run.code == 1 and "not-ready" in run.err, run.err
    info = device.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == NULL


@contextlib.contextmanager
def restored(path: str, *, link_to: str | None = None) -> Iterator[None]:
    """Run the block; if it replaced the system's `path` (the null device, or a link to `link_to`), put it back."""
    try:
        yield
    finally:
        mode = os.lstat(path).st_mode
        if not (stat.S_ISLNK(mode) if link_to is not None else stat.S_ISCHR(mode)):
            os.unlink(path)
            if link_to is not None:
                os.symlink(link_to, path)
            else:
                os.mknod(path, 0o666 | stat.S_IFCHR, NULL)
                os.chmod(path, 0o666)


def test_dev_null_itself_stays_the_system_device(project: Path) -> None:
    with restored("/dev/null"):
        run = check(project, "/dev/null")
        info = os.lstat("/dev/null")
    assert run.code == 1, run.err
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == NULL, "-o /dev/null replaced the system's /dev/null"


def test_dev_stdout_writes_the_report_to_standard_output_and_stays_a_link(project: Path) -> None:
    with restored("/dev/stdout", link_to=STDOUT):
        run = check(project, "/dev/stdout")
        still_a_link = stat.S_ISLNK(os.lstat("/dev/stdout").st_mode)
    assert run.code == 1, run.err
    assert json.loads(run.out)["verdict"] == "not-ready"
    assert still_a_link, "-o /dev/stdout replaced the system's /dev/stdout"


def test_dev_stdout_redirected_to_a_file_is_refused_with_what_to_do(project: Path) -> None:
    """Through /proc, /dev/stdout then leads to a regular file: written through, a link in the checkout could
    lead anywhere, so it is refused like every link to a file, with the plain way to get there."""
    redirected = project / "redirected.json"
    with restored("/dev/stdout", link_to=STDOUT), redirected.open("w") as handle:
        run = readiness(project, "check", "-f", "json", "-o", "/dev/stdout", "--today", TODAY, stdout=handle.fileno())
        still_a_link = stat.S_ISLNK(os.lstat("/dev/stdout").st_mode)
    assert still_a_link, "-o /dev/stdout replaced the system's /dev/stdout"
    assert run.code == 2
    assert run.err == (
        "/dev/stdout:1:1: error: $: cannot write: it is a symlink, and an output goes through a link only into a "
        "device or a pipe, and this descriptor leads to a file: leave out -o to write to standard output\n"
    )
    assert redirected.read_text(encoding="utf-8") == ""


# --- links, folders, and what cannot hold a report ----------------------------------------------------------------


@pytest.mark.parametrize("exists", [True, False], ids=["to-a-file", "dangling"])
def test_a_link_planted_at_the_output_name_is_not_written_through(project: Path, tmp_path: Path, exists: bool) -> None:
    victim = tmp_path / "runner-home" / ".bashrc"
    victim.parent.mkdir()
    if exists:
        victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    (project / "readiness.json").symlink_to(victim)
    run = check(project, "readiness.json")
    assert run.code == 2
    assert run.err == (
        "readiness.json:1:1: error: $: cannot write: it is a symlink, and an output goes through a link only into a "
        "device or a pipe (a link committed in a pull request could lead anywhere); remove it or name the file "
        "itself\n"
    )
    assert os.readlink(project / "readiness.json") == str(victim)
    if exists:
        assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    else:
        assert not victim.exists()


def test_an_output_folder_linked_out_of_the_checkout_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "reports").symlink_to(elsewhere, target_is_directory=True)
    run = check(project, "reports/readiness.json")
    assert run.code == 2
    assert run.err == (
        "reports/readiness.json:1:1: error: $: cannot write: the folder 'reports' is a symlink that leads outside "
        f"the project root {project}; name a folder inside it\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_block_device_and_a_socket_are_refused_and_left_as_they_are(project: Path) -> None:
    disk = project / "disk"
    mknod(disk, 0o600 | stat.S_IFBLK, os.makedev(7, 250))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(project / "agent.sock"))
    try:
        for name, kind in (("disk", "a block device (a disk)"), ("agent.sock", "a socket")):
            run = check(project, name)
            assert run.code == 2
            assert run.err == (
                f"{name}:1:1: error: $: cannot write: it is {kind}; name a file, a character device or a pipe\n"
            )
    finally:
        listener.close()
    assert stat.S_ISBLK(disk.lstat().st_mode)
    assert stat.S_ISSOCK((project / "agent.sock").lstat().st_mode)


# --- never over an input of the run -------------------------------------------------------------------------------


def _hard_link(project: Path) -> str:
    os.link(project / "readiness.yaml", project / "same.yaml")
    return "same.yaml"


def _inside_link(project: Path) -> str:
    (project / "alias.yaml").symlink_to("readiness.yaml")
    return "alias.yaml"


def _baseline(project: Path) -> str:
    assert check(project, "old.json").code == 1
    return "old.json"


@pytest.mark.parametrize(
    ("make", "written_over"),
    [
        (lambda p: "team.yaml", "team.yaml"),
        (lambda p: "sub/../team.yaml", "team.yaml"),
        (_hard_link, "readiness.yaml"),
        (_inside_link, "readiness.yaml"),
        (_baseline, "old.json"),
    ],
    ids=["custom-pack", "custom-pack-spelled-otherwise", "hard-link-to-the-assessment", "link-to-it", "baseline"],
)
def test_check_never_writes_over_a_file_it_read(project: Path, make: Callable[[Path], str], written_over: str) -> None:
    (project / "sub").mkdir()
    output = make(project)
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    baseline = ["--baseline", "old.json"] if (project / "old.json").exists() else []
    run = check(project, output, *baseline)
    assert run.code == 2, run.err
    assert run.err.startswith(f"{output}:1:1: error: $: refusing to write the output over its own input")
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before
    assert (project / written_over).is_file()


def test_report_never_writes_over_its_custom_pack(project: Path) -> None:
    run = readiness(project, "report", "readiness.yaml", "-o", "team.yaml", "--today", TODAY)
    assert run.code == 2
    assert run.err == "team.yaml:1:1: error: $: refusing to write the output over its own input\n"
    assert (project / "team.yaml").read_text(encoding="utf-8") == PACK


@pytest.mark.parametrize(
    "output",
    ["teams/a/readiness.yaml", "teams/a/team.yaml", "teams/broken/team.yaml"],
    ids=["assessment", "pack", "pack-of-a-broken-one"],
)
def test_a_portfolio_never_writes_over_an_assessment_or_pack_it_read(tmp_path: Path, output: str) -> None:
    root = tmp_path / "org"
    for team, text in (("a", ASSESSMENT), ("broken", ASSESSMENT + "answers: []\n")):
        (root / "teams" / team).mkdir(parents=True)
        (root / "teams" / team / "readiness.yaml").write_text(text, encoding="utf-8")
        (root / "teams" / team / "team.yaml").write_text(PACK, encoding="utf-8")
    before = {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run = readiness(root, "portfolio", "teams", "-f", "markdown", "-o", output, "--today", TODAY)
    assert run.code == 2
    assert f"{output}:1:1: error: $: refusing to write the output over its own input" in run.err
    assert {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_write_stopped_by_a_signal_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM arrives as an exception (errors.Terminated) wherever the run is: in the middle of the rename, the old
    file stays whole and no `.NAME.*.tmp` is left beside it."""
    from readiness.cli.errors import Terminated
    from readiness.render import output

    target = tmp_path / "report.html"
    target.write_text("the old report\n", encoding="utf-8")

    def stopped(*args: object) -> None:
        raise Terminated(15)

    monkeypatch.setattr(output.os, "replace", stopped)
    with pytest.raises(Terminated):
        output.write_atomic(target, "the new report\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert target.read_text(encoding="utf-8") == "the old report\n"
