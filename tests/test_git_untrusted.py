"""What a pull request can put in front of git: a baseline `REF:path` it chose, commits it wrote, files it committed.

Every test builds a real repository in tmp_path and runs the command line as CI would. The promises: nothing
the user or a commit wrote reaches git as an option (a `--output=FILE` ref writes no file); git's failures are
our diagnostics, in our words; a blob over 5 MB is refused unread; `history` reads every version through one
git process, stops at a stated limit and warns about a shallow clone; git never fetches; no control character
from a commit reaches any output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from readiness.load import gitread
from readiness.load.diagnostics import InputError
from readiness.load.gitread import git_show
from readiness.render.mdescape import md
from tests.conftest import OPS_PACK, TODAY, Run, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

CliRunner = Callable[..., Run]
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<path>\$\S*): .+$")
# What `visible` writes out: C0 but the line breaks and tabs an output is made of, DEL, C1, U+2028 and U+2029.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
ASSESSMENT = """\
version: 1
project: {name: P, target: prototype}
checklists: {use: [], extra: [ops.yaml]}
team: {ana: {name: Ana}}
raci:
  on-call: {R: [ana], A: ana}
  switch-off: {R: [ana], A: ana}
answers:
  ops.kill-switch: {status: STATUS, owner: ana}
"""
SIX_MB = 6 * 1024 * 1024


def version(status: str = "partial", note: str = "") -> str:
    return ASSESSMENT.replace("STATUS", status) + (f"# {note}\n" if note else "")


def commit(folder: Path, message: str, files: dict[str, str | bytes], author: str = "Ana Diaz") -> str:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message, author=author)
    return git(folder, "rev-parse", "--short=7", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with an assessment, its pack and a folder, committed twice; the current folder."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    commit(folder, "First", {"ops.yaml": OPS_PACK, "readiness.yaml": version("todo"), "docs/notes.md": "notes\n"})
    commit(folder, "Second", {"readiness.yaml": version()})
    monkeypatch.chdir(folder)
    return folder


def fast_import(folder: Path, commits: list[tuple[str, str, dict[str, str]]]) -> None:
    """Many commits (author, message, files) on main in one `git fast-import`, then checked out."""
    stream = []
    for index, (author, message, files) in enumerate(commits):
        when = 1_790_000_000 + index * 3600
        stream.append("commit refs/heads/main\n")
        stream.append(f"author {author} <team@example.com> {when} +0000\n")
        stream.append(f"committer {author} <team@example.com> {when} +0000\n")
        stream.append(f"data {len(message.encode('utf-8'))}\n{message}\n")
        for name, text in files.items():
            stream.append(f"M 100644 inline {name}\ndata {len(text.encode('utf-8'))}\n{text}\n")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "fast-import", "--quiet", stdin="".join(stream))
    git(folder, "reset", "-q", "--hard", "main")


@dataclass
class Launches:
    """Every process started in this process while the test runs: its arguments."""

    argv: list[list[str]]

    def git(self, command: str) -> list[list[str]]:
        return [args for args in self.argv if command in args]


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> Launches:
    """subprocess.run starts its process through subprocess.Popen too, so this sees every git launched."""
    seen = Launches([])

    class Recording(subprocess.Popen[bytes]):
        def __init__(self, args: Any, *rest: Any, **options: Any) -> None:
            seen.argv.append([str(a) for a in args])
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", Recording)
    return seen


def errors(run: Run) -> list[str]:
    """A refused run: exit 2, no traceback, every stderr line a diagnostic; its lines."""
    assert run.code == 2, f"exit {run.code}\n{run.out}\n{run.err}"
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), run.err
    return lines


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- refs that look like options ---------------------------------------------------------------------------------


def test_a_baseline_ref_that_is_an_option_writes_no_file_and_is_refused(repo: Path, cli: CliRunner) -> None:
    # `git show --output=VICTIM:./readiness.yaml` would write the commit into VICTIM:./readiness.yaml, and
    # `--output=out:../victim.txt` into victim.txt beside it: both folders are ones a pull request can commit.
    (repo / "VICTIM:.").mkdir()
    (repo / "VICTIM:." / "readiness.yaml").write_text("precious\n", encoding="utf-8")
    (repo / "out:..").mkdir()
    (repo / "victim.txt").write_text("precious too\n", encoding="utf-8")
    before = files_of(repo)
    runs = {
        "--output=VICTIM:readiness.yaml": cli(
            "check", "readiness.yaml", "--baseline", "--output=VICTIM:readiness.yaml"
        ),
        "--output=out:../victim.txt": cli("check", "readiness.yaml", "--baseline=--output=out:../victim.txt"),
        "--output=VICTIM:x": cli("diff", "--", "--output=VICTIM:x", "readiness.yaml"),
    }
    for spec, run in runs.items():
        ref = spec.partition(":")[0]
        [line] = errors(run)
        assert line == (
            f"{spec}:1:1: error: $: '{ref}' is not a git ref: a ref never starts with '-', and git would read it "
            "as an option; name a branch, tag or commit, e.g. origin/main:readiness.yaml"
        )
    assert files_of(repo) == before
    # Without "--", the option is the command line's own, and unknown.
    unknown = cli("diff", "--output=VICTIM:x", "readiness.yaml")
    assert unknown.code == 2 and "No such option: --output" in unknown.err
    assert files_of(repo) == before


@pytest.mark.parametrize("ref", ["-h", "--upload-pack=touch PWNED", "--exec=touch PWNED", "-", "--"])
def test_no_dash_ref_ever_reaches_git(repo: Path, cli: CliRunner, launches: Launches, ref: str) -> None:
    run = cli("diff", "--", f"{ref}:readiness.yaml", "readiness.yaml")
    [line] = errors(run)
    assert f"'{ref}' is not a git ref: a ref never starts with '-'" in line
    assert launches.argv == [], "refused before git runs"
    assert not (repo / "PWNED").exists()


def test_what_the_user_wrote_is_never_an_argument_of_git(repo: Path, cli: CliRunner, launches: Launches) -> None:
    """The ref and the path travel on cat-file's standard input; the arguments are all our own."""
    git(repo, "branch", "-q", "feature-one")
    launches.argv.clear()
    run = cli("diff", "feature-one:readiness.yaml", "readiness.yaml", "--today", TODAY)
    assert run.code == 0, run.err
    assert launches.argv, "git was run"
    assert not [args for args in launches.argv if any("feature-one" in a or "readiness.yaml" in a for a in args)]
    assert len(launches.git("cat-file")) == 1


# --- git's failures as our diagnostics ---------------------------------------------------------------------------


def test_a_missing_path_with_brackets_is_not_a_pattern(repo: Path, cli: CliRunner) -> None:
    # As a glob, docs/[id]/ would match docs/i/: the file there must not be read in its place.
    commit(repo, "Glob bait", {"docs/i/readiness.yaml": version("done"), "docs/[id]/other.md": "x\n"})
    run = cli("diff", "HEAD:docs/[id]/readiness.yaml", "readiness.yaml")
    assert errors(run) == ["HEAD:docs/[id]/readiness.yaml:1:1: error: $: no file 'docs/[id]/readiness.yaml' at HEAD"]
    commit(repo, "The real one", {"docs/[id]/readiness.yaml": version("todo"), "docs/[id]/ops.yaml": OPS_PACK})
    run = cli("diff", "HEAD:docs/[id]/readiness.yaml", "readiness.yaml", "-f", "json", "--today", TODAY)
    assert run.code == 0, run.err
    assert json.loads(run.out)["old"]["label"] == "HEAD:docs/[id]/readiness.yaml"


def test_a_folder_an_unknown_ref_and_paths_outside_are_told_in_our_words(repo: Path, cli: CliRunner) -> None:
    cases = {
        "HEAD:docs": "'docs' is a folder at HEAD, not a file",
        "HEAD~1:.": "'.' is a folder at HEAD~1, not a file",
        "no-such-branch:readiness.yaml": "git knows no branch, tag or commit named 'no-such-branch' here",
        "HEAD:../readiness.yaml": "'../readiness.yaml' is outside the git repository",
        "HEAD:/etc/passwd": "'/etc/passwd' is absolute; the path after the ref is relative to the current folder",
        "HEAD:nothing.yaml": "no file 'nothing.yaml' at HEAD",
        "HE\x1b[2JAD:readiness.yaml": "'HE\\u001b[2JAD' is not a git ref: it holds a control character",
    }
    for spec, message in cases.items():
        [line] = errors(cli("check", "readiness.yaml", "--baseline", spec))
        shown = spec.replace("\x1b", "\\u001b")
        assert line.startswith(f"{shown}:1:1: error: $: {message}"), line


def test_from_a_subfolder_the_path_is_relative_to_it(
    repo: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(repo, "Nested", {"team/readiness.yaml": version("done"), "team/ops.yaml": OPS_PACK})
    monkeypatch.chdir(repo / "team")
    run = cli("diff", "HEAD~1:readiness.yaml", "readiness.yaml")
    assert errors(run) == ["HEAD~1:readiness.yaml:1:1: error: $: no file 'readiness.yaml' at HEAD~1"]
    run = cli("diff", "HEAD:../readiness.yaml", "readiness.yaml", "--today", TODAY, "-f", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["old"]["label"] == "HEAD:../readiness.yaml"


def test_outside_a_repository_says_so(tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "ops.yaml").write_text(OPS_PACK, encoding="utf-8")
    (alone / "readiness.yaml").write_text(version(), encoding="utf-8")
    monkeypatch.chdir(alone)
    [line] = errors(cli("check", "readiness.yaml", "--baseline", "main:readiness.yaml"))
    assert line == "main:readiness.yaml:1:1: error: $: not in a git repository, so REF:path cannot be read"
    [line] = errors(cli("history"))
    assert "not in a git repository, so it has no history to read" in line


# --- the size limit, unread --------------------------------------------------------------------------------------


def test_a_blob_over_the_limit_is_refused_without_being_read_whole(repo: Path, cli: CliRunner) -> None:
    big = "# " + "x" * (SIX_MB - 3) + "\n"
    commit(repo, "Huge", {"big.yaml": big})
    [line] = errors(cli("check", "readiness.yaml", "--baseline", "HEAD:big.yaml"))
    assert line == "HEAD:big.yaml:1:1: error: $: file is 6,291,456 bytes at HEAD; the limit is 5 MB (5,242,880 bytes)"
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="file is 6,291,456 bytes at HEAD"):
            git_show("HEAD", "big.yaml", "HEAD:big.yaml", cwd=repo)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < SIX_MB // 8, f"{peak:,} bytes at the peak: the blob was read whole"


def test_a_version_over_the_limit_is_invalid_and_the_others_are_scored(repo: Path, cli: CliRunner) -> None:
    huge = commit(repo, "Huge", {"readiness.yaml": version() + "# " + "x" * SIX_MB + "\n"})
    commit(repo, "Back", {"readiness.yaml": version("done")})
    rows = json.loads(cli("history", "-f", "json", "--today", TODAY).out)["history"]
    assert [row["subject"] for row in rows] == ["Back", "Huge", "Second", "First"]
    assert rows[1]["verdict"] == "invalid" and rows[1]["error"].startswith(
        f"{huge}:readiness.yaml:1:1: error: $: file is 6,291,"
    )
    assert all(row["score"] is not None for row in rows if row is not rows[1])


def test_a_version_not_in_utf8_is_invalid_at_the_byte(repo: Path, cli: CliRunner) -> None:
    latin = commit(repo, "Latin-1", {"readiness.yaml": version().encode("utf-8") + b"# caf\xe9\n"})
    commit(repo, "Fixed", {"readiness.yaml": version("done")})
    rows = {row["label"]: row for row in json.loads(cli("history", "-f", "json", "--today", TODAY).out)["history"]}
    assert (
        rows[latin]["error"] == f"{latin}:readiness.yaml:10:6: error: $: not valid UTF-8: byte 0xe9 cannot be decoded"
    )
    assert [row["verdict"] == "invalid" for row in rows.values()] == [False, True, False, False]


# --- history: one batch, a stated limit, shallow clones ----------------------------------------------------------


@pytest.fixture
def long_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """150 commits that each changed the assessment, the newest first in `git log`."""
    folder = tmp_path / "long"
    folder.mkdir()
    commits = [("Ana Diaz", "Start", {"ops.yaml": OPS_PACK, "readiness.yaml": version("todo", "0")})]
    commits += [
        ("Ana Diaz", f"Review {n}", {"readiness.yaml": version(("todo", "partial")[n % 2], str(n))})
        for n in range(1, 150)
    ]
    fast_import(folder, commits)
    monkeypatch.chdir(folder)
    return folder


def test_history_reads_every_version_with_one_git_process_and_states_its_limit(
    long_repo: Path, cli: CliRunner, launches: Launches
) -> None:
    run = cli("history", "-f", "json", "--today", TODAY)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert len(data["history"]) == 100
    assert (data["limit"], data["truncated"], data["shallow"]) == (100, True, False)
    assert data["history"][0]["subject"] == "Review 149" and data["history"][-1]["subject"] == "Review 50"
    assert all(row["score"] is not None for row in data["history"])
    assert [len(launches.git("cat-file")), len(launches.git("log")), len(launches.argv)] == [1, 1, 3]
    assert not [args for args in launches.argv if "show" in args]

    note = (
        "Only the newest 100 commits that changed the file are shown; older ones changed it too (--limit N shows more)."
    )
    text = cli("history", "--today", TODAY).out
    assert " ".join(text.split()).endswith(note)
    assert cli("history", "-f", "markdown", "--today", TODAY).out.endswith("\n\n" + note + "\n")

    launches.argv.clear()
    whole = json.loads(cli("history", "-f", "json", "--limit", "500", "--today", TODAY).out)
    assert (len(whole["history"]), whole["limit"], whole["truncated"]) == (150, 500, False)
    assert len(launches.git("cat-file")) == 1
    assert "Only the newest" not in cli("history", "--limit", "150", "--today", TODAY).out
    assert "[default: 100]" in cli("history", "--help").out


def test_report_history_keeps_its_window_of_24_commits(long_repo: Path, cli: CliRunner) -> None:
    run = cli("report", "--history", "-f", "markdown", "--today", TODAY)
    assert run.code == 0, run.err
    trend = run.out[run.out.index("### Trend") :]
    assert len(re.findall(r"^\| \d{4}-\d\d-\d\d \|", trend, re.M)) == 24


def test_a_shallow_clone_is_warned_about_in_every_format(
    long_repo: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{long_repo}", str(shallow))
    monkeypatch.chdir(shallow)
    warning = (
        "readiness.yaml:1:1: warning: $: this clone is shallow, so the commits older than its depth, and the "
        "versions they made, are missing from the history (fetch the whole history: git fetch --unshallow, or "
        "fetch-depth: 0 in actions/checkout)"
    )
    note = "This clone is shallow: the commits older than its depth are missing"
    for fmt in ("text", "markdown", "json"):
        run = cli("history", "-f", fmt, "--today", TODAY)
        assert run.code == 0 and run.err.splitlines() == [warning], run.err
        if fmt == "json":
            data = json.loads(run.out)
            assert (len(data["history"]), data["shallow"], data["truncated"]) == (3, True, False)
        else:
            assert note in " ".join(run.out.split())
    report = cli("report", "--history", "-f", "markdown", "--today", TODAY)
    assert report.code == 0 and warning in report.err.splitlines()
    monkeypatch.chdir(long_repo)
    assert cli("history", "--today", TODAY).err == ""


# --- git stays offline, and is the one on PATH -------------------------------------------------------------------


def test_a_partial_clone_never_fetches_what_it_lacks(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "uploadpack.allowFilter", "true")
    commit(origin, "First", {"ops.yaml": OPS_PACK, "readiness.yaml": version("todo")})
    commit(origin, "Second", {"readiness.yaml": version()})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{origin}", str(clone))
    objects = files_of(clone / ".git" / "objects")
    monkeypatch.chdir(clone)
    [line] = errors(cli("check", "readiness.yaml", "--baseline", "HEAD~1:readiness.yaml"))
    assert line == (
        "HEAD~1:readiness.yaml:1:1: error: $: this partial clone does not hold that version, and readiness never "
        "fetches (a clone without --filter has it)"
    )
    rows = json.loads(cli("history", "-f", "json", "--today", TODAY).out)["history"]
    assert [row["verdict"] == "invalid" for row in rows] == [False, True]
    assert "this partial clone does not hold that version" in rows[1]["error"]
    assert files_of(clone / ".git" / "objects") == objects, "nothing was fetched"


def test_a_git_committed_into_the_checkout_is_never_run(
    repo: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty entry or "." in PATH means the current folder: the checkout, on a pull request.
    fake = repo / "git"
    fake.write_text("#!/bin/sh\ntouch PWNED\nexit 1\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    for path in (f".{os.pathsep}{os.environ['PATH']}", f"{os.pathsep}{os.environ['PATH']}"):
        monkeypatch.setenv("PATH", path)
        run = cli("diff", "HEAD~1:readiness.yaml", "readiness.yaml", "--today", TODAY)
        assert run.code == 0, run.err
        assert cli("history", "--today", TODAY).code == 0
        assert not (repo / "PWNED").exists()


def test_git_that_stops_answering_is_stopped(
    repo: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which("git")
    tools = tmp_path / "tools"
    tools.mkdir()
    stuck = tools / "git"
    stuck.write_text(f'#!/bin/sh\ncase "$*" in *cat-file*) exec sleep 600;; esac\nexec {real} "$@"\n', encoding="utf-8")
    stuck.chmod(stuck.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(gitread, "GIT_TIMEOUT_SECONDS", 2)
    [line] = errors(cli("check", "readiness.yaml", "--baseline", "HEAD~1:readiness.yaml"))
    assert line == "HEAD~1:readiness.yaml:1:1: error: $: git did not answer within 2 seconds"


# --- control characters from commits ----------------------------------------------------------------------------

SUBJECT = "Fix \x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x9b2J csi\u2028sep\u0085nel\rcr"
AUTHOR = "Eve \x1b[2J\x9b1mC1\u2028\rX"
BODY_LINES = "second line\nthird line"


@pytest.fixture
def hostile_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commits whose subjects, author names and file names hold escape sequences, C1 controls and line breaks."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    evil_name = "evil\x1b[2J\u2028.yaml"
    fast_import(
        folder,
        [
            ("Ana Diaz", "Start", {"ops.yaml": OPS_PACK, evil_name: version("todo")}),
            (AUTHOR, SUBJECT, {evil_name: version("partial")}),
            (AUTHOR, f"{SUBJECT}\n{BODY_LINES}\n\nbody", {evil_name: version("done")}),
        ],
    )
    git(folder, "mv", evil_name, "readiness.yaml")
    git(folder, "commit", "-q", "-m", "Plain\x1b[1m name")
    monkeypatch.chdir(folder)
    return folder


def test_no_control_character_from_a_commit_reaches_any_output(hostile_repo: Path, cli: CliRunner) -> None:
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        run = cli("history", "-f", fmt, "--today", TODAY)
        assert run.code == 0, run.err
        outputs[f"history {fmt}"] = run.out
    for fmt in ("html", "markdown"):
        run = cli("report", "--history", "-f", fmt, "-o", f"report.{fmt}", "--today", TODAY)
        assert run.code == 0, run.err
        outputs[f"report {fmt}"] = (hostile_repo / f"report.{fmt}").read_text(encoding="utf-8")
    for name, text in outputs.items():
        assert not CONTROL.search(text), f"{name}: {CONTROL.search(text)!r}"
        if name != "report markdown":  # its trend table has no subjects
            written_out = md("\\u001b[31mred") if name.endswith("markdown") else "\\u001b[31mred"
            assert written_out in text, name
    rows = json.loads(outputs["history json"])["history"]
    assert [row["subject"] for row in rows] == [
        "Plain\\u001b[1m name",
        "Fix \\u001b[31mred\\u001b[0m \\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007 \\u009b2J "
        "csi\\u2028sep\\u0085nel\\rcr second line third line",
        "Fix \\u001b[31mred\\u001b[0m \\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007 \\u009b2J "
        "csi\\u2028sep\\u0085nel\\rcr",
        "Start",
    ]
    assert [row["author"] for row in rows][1:3] == ["Eve \\u001b[2J\\u009b1mC1\\u2028\\rX"] * 2
    assert [row["file"] for row in rows] == ["readiness.yaml"] + ["evil\\u001b[2J\\u2028.yaml"] * 3
    for row in rows:
        assert not CONTROL.search("".join(str(value) for value in row.values())), row
    # Every version is still read and scored, under the name it had.
    assert all(row["score"] is not None for row in rows)
