"""Conditions that are not bugs: each ends with a clear message and its documented exit code, never exit 3.

Every case runs the real command in a child process with the condition made for real: a Latin-1 or cp1252
stdout (PYTHONIOENCODING, as a redirected stdout on Windows), a plain C locale, a stdout that is closed,
read-only, on a full device (/dev/full) or over a file-size limit (RLIMIT_FSIZE), a reader that leaves early,
a closed stderr or stdin, a deleted current folder, a tiny or huge COLUMNS, option values and a
SOURCE_DATE_EPOCH that are not what they claim. None may print the internal-error apology or a traceback.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from rich.cells import cell_len

from tests.conftest import EXAMPLE, TODAY, Run, in_terminal

ARABIC = "مرحبا"
ROCKET = "🚀"
NAME = f"Copilot {ARABIC} {ROCKET}"
APOLOGY = "sorry, this is a bug"
# Variables that would change how the child encodes its output: each test sets the ones it is about.
ENCODING_VARIABLES = ("PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE", "LC_ALL", "LC_CTYPE", "LANG")

PACK = f"""\
id: tiny
title: Tiny
items:
  - {{id: owner, title: "Owner {ARABIC} {ROCKET}", question: Owner?, why: w, verify: v, severity: blocker,
     stage: prototype, effort: low}}
  - {{id: alerts, title: Alerts, question: Alerts?, why: w, verify: v, severity: major, stage: pilot, effort: low}}
"""
ASSESSMENT = f"""\
version: 1
project: {{name: "{NAME}", target: pilot}}
checklists: {{use: [], extra: [tiny.yaml]}}
answers:
  tiny.alerts: {{status: done, note: "ok {ROCKET}"}}
"""


@dataclass(frozen=True)
class Done:
    code: int
    out: bytes
    err: str


def readiness(
    *args: str | Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    drop: tuple[str, ...] = (),
    stdout: int | IO[Any] | None = subprocess.PIPE,
    preexec: Callable[[], None] | None = None,
) -> Done:
    """`python -m readiness ARGS…` in a child process; stdout as bytes, stderr as text (backslash escapes for
    what is not UTF-8)."""
    child_env = {k: v for k, v in os.environ.items() if k not in (*ENCODING_VARIABLES, "SOURCE_DATE_EPOCH", *drop)}
    child_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "readiness", *map(str, args)],
        cwd=cwd,
        env=child_env,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,
        timeout=120,
    )
    return Done(done.returncode, done.stdout or b"", done.stderr.decode("utf-8", "backslashreplace"))


def assert_not_a_bug(done: Done) -> None:
    assert APOLOGY not in done.err, done.err
    assert "Traceback" not in done.err, done.err


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """A folder with a not-ready assessment whose name and an item's title hold Arabic and an emoji."""
    (tmp_path / "tiny.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    return tmp_path


# --- encodings ---------------------------------------------------------------------------------------------

NOT_UTF8 = {
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "windows-redirected": {"PYTHONIOENCODING": "cp1252"},
    "c-locale-uncoerced": {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    "ascii-strict": {"PYTHONIOENCODING": "ascii:strict"},
}


ESCAPED_NAME = "Copilot \\u0645\\u0631\\u062d\\u0628\\u0627 \\U0001f680"
ESCAPED_TITLE = "Owner \\u0645\\u0631\\u062d\\u0628\\u0627 \\U0001f680"
OLD = f"old {ARABIC} {ROCKET}.yaml"  # the diff shows its sides by file name


@pytest.mark.parametrize("setting", NOT_UTF8.values(), ids=NOT_UTF8.keys())
@pytest.mark.parametrize(
    ("args", "code", "shown"),
    [
        (["check"], 1, [ESCAPED_NAME, ESCAPED_TITLE]),
        (["portfolio", "."], 0, [ESCAPED_NAME, ESCAPED_TITLE]),
        (["diff", OLD, "readiness.yaml"], 0, [OLD]),
    ],
    ids=["check", "portfolio", "diff"],
)
def test_text_shows_what_the_encoding_lacks_as_escapes(
    here: Path, setting: dict[str, str], args: list[str], code: int, shown: list[str]
) -> None:
    (here / OLD).write_text(ASSESSMENT, encoding="utf-8")
    done = readiness(*args, "--today", TODAY, cwd=here, env=setting)
    assert_not_a_bug(done)
    assert done.code == code, done.err
    encoding = setting.get("PYTHONIOENCODING", "ascii").split(":")[0]
    text = done.out.decode(encoding)  # written in the stream's own encoding, nothing else
    for fragment in shown:
        if fragment == OLD:  # a file name, as Python decoded it: in an ASCII locale, its bytes as surrogates
            file_names = "ascii" if "LC_ALL" in setting else "utf-8"
            fragment = OLD.encode("utf-8").decode(file_names, "surrogateescape")
            fragment = fragment.encode(encoding, "backslashreplace").decode(encoding)
        assert fragment in text


DOCUMENT_SETTINGS = {name: NOT_UTF8[name] for name in ("latin-1", "windows-redirected", "c-locale-uncoerced")}


@pytest.mark.parametrize("setting", DOCUMENT_SETTINGS.values(), ids=DOCUMENT_SETTINGS.keys())
@pytest.mark.parametrize(
    "args",
    [
        ["check", "-f", "json"],
        ["check", "-f", "sarif"],
        ["check", "-f", "junit"],
        ["check", "-f", "github"],
        ["check", "-f", "markdown"],
        ["report", "-f", "markdown"],
        ["report", "-f", "html"],
        ["portfolio", ".", "-f", "json"],
        ["diff", OLD, "readiness.yaml", "-f", "markdown"],
    ],
    ids=lambda args: "-".join(a for a in args if a not in ("-f", ".", "readiness.yaml")),
)
def test_documents_are_utf8_whatever_the_locale(here: Path, setting: dict[str, str], args: list[str]) -> None:
    (here / OLD).write_text(ASSESSMENT, encoding="utf-8")
    done = readiness(*args, "--today", TODAY, cwd=here, env=setting)
    assert_not_a_bug(done)
    assert done.code in (0, 1), done.err
    text = done.out.decode("utf-8")  # strict: every byte is UTF-8
    assert f"{ARABIC} {ROCKET}" in text
    if args[:3] == ["check", "-f", "json"]:
        assert json.loads(text)["project"]["name"] == NAME


def test_diagnostics_on_a_strict_latin1_stderr_are_escaped_not_a_crash(here: Path) -> None:
    (here / "readiness.yaml").write_text(ASSESSMENT + f"  tiny.{ARABIC}: {{status: done}}\n", encoding="utf-8")
    done = readiness("check", "--today", TODAY, cwd=here, env={"PYTHONIOENCODING": "latin-1:strict"})
    assert_not_a_bug(done)
    assert done.code == 2
    assert "readiness.yaml:6:3: error: " in done.err
    assert "tiny.\\u0645\\u0631\\u062d\\u0628\\u0627" in done.err


# --- standard output that cannot take the output -------------------------------------------------------------


def _close(descriptor: int) -> Callable[[], None]:
    return lambda: os.close(descriptor)


def test_a_closed_stdout_is_an_error_when_there_is_something_to_write(here: Path) -> None:
    done = readiness("check", "--today", TODAY, cwd=here, stdout=None, preexec=_close(1))
    assert_not_a_bug(done)
    assert done.code == 2
    assert done.err == "readiness: error: cannot write to standard output: it is closed\n"


def test_a_closed_stdout_is_no_matter_when_the_output_goes_to_a_file(here: Path) -> None:
    done = readiness(
        "check", "-f", "json", "-o", "out.json", "--today", TODAY, cwd=here, stdout=None, preexec=_close(1)
    )
    assert_not_a_bug(done)
    assert done.code == 1  # the verdict
    assert json.loads((here / "out.json").read_text(encoding="utf-8"))["project"]["name"] == NAME
    assert done.err.startswith("readiness: not-ready")


def test_a_closed_stderr_keeps_its_lines_out_of_the_document_on_stdout(here: Path) -> None:
    # With descriptor 2 closed, Python's print(file=sys.stderr) fell back to stdout: the verdict line went into
    # the JSON. Now stderr's lines are dropped and stdout holds the document alone.
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check", "-f", "json", "--today", TODAY],
        cwd=here,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        preexec_fn=_close(2),
        timeout=120,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout.decode("utf-8"))["project"]["name"] == NAME


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "-f", "json"], ["report"], ["portfolio", ".", "-f", "html"], ["schema"]],
    ids=["check-text", "check-json", "report", "portfolio", "schema"],
)
def test_a_full_disk_on_stdout_is_an_error(here: Path, args: list[str], unbuffered: str) -> None:
    with open("/dev/full", "wb") as full:
        done = readiness(
            *args, cwd=here, env={"SOURCE_DATE_EPOCH": "1795219200", "PYTHONUNBUFFERED": unbuffered}, stdout=full
        )
    assert_not_a_bug(done)
    assert done.code == 2
    assert "readiness: error: cannot write to standard output: No space left on device\n" in done.err


def test_a_read_only_stdout_is_an_error(here: Path) -> None:
    with open(os.devnull, "rb") as read_only:
        done = readiness("check", "--today", TODAY, cwd=here, stdout=read_only)
    assert_not_a_bug(done)
    assert done.code == 2
    assert "readiness: error: cannot write to standard output: Bad file descriptor" in done.err


def _file_size_limit() -> None:
    # Python ignores SIGXFSZ itself; ignored here too, so that the write fails with EFBIG even before it starts.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_file_size_limit_on_the_output_file_is_an_error_and_leaves_nothing(here: Path) -> None:
    done = readiness("check", "-f", "json", "-o", "out.json", "--today", TODAY, cwd=here, preexec=_file_size_limit)
    assert_not_a_bug(done)
    assert done.code == 2
    assert "out.json:1:1: error: $: cannot write: File too large" in done.err
    assert sorted(p.name for p in here.iterdir()) == ["readiness.yaml", "tiny.yaml"]


def test_a_file_size_limit_on_redirected_stdout_is_an_error(
    here: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("out") / "result.json"
    with target.open("wb") as redirected:
        done = readiness("check", "-f", "json", "--today", TODAY, cwd=here, stdout=redirected, preexec=_file_size_limit)
    assert_not_a_bug(done)
    assert done.code == 2
    assert "readiness: error: cannot write to standard output: File too large" in done.err


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
def test_a_reader_that_leaves_early_does_not_change_the_exit_code(tmp_path: Path, unbuffered: str) -> None:
    # `readiness check -f json --warn-only | head -c 1`: the JSON (200 kB) is larger than a pipe holds, so the
    # write fails; the run still ends with its own code (0 with --warn-only), not 1 for the broken pipe.
    process = subprocess.Popen(
        [sys.executable, "-m", "readiness", "check", str(EXAMPLE), "-f", "json", "--warn-only", "--today", TODAY],
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": unbuffered},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(1) == b"{"
        process.stdout.close()
        err = process.stderr.read().decode("utf-8")
        assert process.wait(timeout=120) == 0
    assert err.startswith("readiness: not-ready") and err.count("\n") == 1, err


# --- standard input ------------------------------------------------------------------------------------------


def test_init_with_stdin_closed_takes_its_flags(tmp_path: Path) -> None:
    done = readiness("init", "--name", "svc", cwd=tmp_path, preexec=_close(0))
    assert_not_a_bug(done)
    assert done.code == 0
    assert "name: svc" in (tmp_path / "readiness.yaml").read_text(encoding="utf-8")


def test_assess_with_stdin_closed_says_it_needs_a_terminal(here: Path) -> None:
    done = readiness("assess", cwd=here, preexec=_close(0))
    assert_not_a_bug(done)
    assert done.code == 2
    assert "this walk needs a terminal" in done.err


# --- option values and the environment -----------------------------------------------------------------------
# A value is read the same in any process: the tables of values run in this one (the `cli` fixture), and that
# every command refuses a bad --today or SOURCE_DATE_EPOCH with exit 2 is shown below in real processes.


def assert_a_usage_error(run: Run) -> None:
    assert APOLOGY not in run.err and "Traceback" not in run.err, run.err
    assert run.code == 2
    assert run.out == ""


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--min-score", "nan", "Invalid value for '--min-score': nan is not a number from 0 to 100"),
        ("--min-score", "NaN", "Invalid value for '--min-score': nan is not a number from 0 to 100"),
        ("--min-category-score", "nan", "Invalid value for '--min-category-score': nan is not a number from 0"),
        ("--min-score", "inf", "Invalid value for '--min-score': inf is not in the range 0<=x<=100"),
        ("--min-category-score", "-inf", "Invalid value for '--min-category-score': -inf is not in the range"),
    ],
)
def test_a_score_that_is_not_a_number_is_a_usage_error(
    cli: Callable[..., Run], here: Path, monkeypatch: pytest.MonkeyPatch, option: str, value: str, message: str
) -> None:
    monkeypatch.chdir(here)
    run = cli("check", option, value, "--today", TODAY)
    assert_a_usage_error(run)
    assert message in run.err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("20261121", "'20261121' is not a date (YYYY-MM-DD)"),
        ("2026-W47-6", "'2026-W47-6' is not a date (YYYY-MM-DD)"),
        ("2026-11-21T00:00", "'2026-11-21T00:00' is not a date (YYYY-MM-DD)"),
        ("2026-11-21 ", "'2026-11-21 ' is not a date (YYYY-MM-DD)"),
        (
            "\uff12\uff10\uff12\uff16-11-21",
            "'\uff12\uff10\uff12\uff16-11-21' is not a date (YYYY-MM-DD)",
        ),  # full-width digits
        ("2026-02-30", "'2026-02-30' is not a date (YYYY-MM-DD)"),
        ("\x1b[2Jtomorrow", "'\\u001b[2Jtomorrow' is not a date (YYYY-MM-DD)"),
    ],
)
def test_today_must_be_written_yyyy_mm_dd(
    cli: Callable[..., Run], here: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.chdir(here)
    run = cli("check", "--today", value)
    assert_a_usage_error(run)
    assert f"Invalid value for --today: {message}" in run.err
    assert "\x1b" not in run.err


# Every command that takes --today, with the arguments it needs to get as far as reading the date.
DATED_COMMANDS = {
    "check": ["check"],
    "report": ["report"],
    "demo": ["demo", "-o", "demo.html"],
    "diff": ["diff", "readiness.yaml", "readiness.yaml"],
    "history": ["history"],
    "portfolio": ["portfolio", "."],
    "assess": ["assess"],
}


@pytest.mark.parametrize("args", DATED_COMMANDS.values(), ids=DATED_COMMANDS.keys())
def test_every_command_refuses_a_date_it_would_have_to_guess(here: Path, args: list[str]) -> None:
    done = readiness(*args, "--today", "20261121", cwd=here)
    assert_not_a_bug(done)
    assert done.code == 2
    assert "Invalid value for --today: '20261121' is not a date (YYYY-MM-DD)" in done.err
    assert not (here / "demo.html").exists()


@pytest.mark.parametrize(
    ("epoch", "problem"),
    [
        ("yesterday", "is not a Unix time"),
        ("1795219200.5", "is not a Unix time"),
        (" 1795219200", "is not a Unix time"),
        ("1_795_219_200", "is not a Unix time"),
        ("١٧٩٥٢١٩٢٠٠", "is not a Unix time"),  # Arabic-Indic digits, which int() would take
        ("99999999999999", "is out of range"),
        ("-99999999999", "is out of range"),
        ("9" * 5000, "is out of range"),
    ],
)
def test_source_date_epoch_that_is_not_whole_seconds_is_refused(
    cli: Callable[..., Run], here: Path, monkeypatch: pytest.MonkeyPatch, epoch: str, problem: str
) -> None:
    monkeypatch.chdir(here)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    run = cli("check")
    assert_a_usage_error(run)
    assert run.err.startswith("readiness: error: SOURCE_DATE_EPOCH='"), run.err
    assert problem in run.err and "pass --today YYYY-MM-DD or unset it" in run.err
    assert run.err.count("\n") == 1  # one line, however long the value


@pytest.mark.parametrize("args", [a for n, a in DATED_COMMANDS.items() if n != "assess"], ids=lambda a: a[0])
def test_every_command_refuses_a_source_date_epoch_that_is_not_one(here: Path, args: list[str]) -> None:
    done = readiness(*args, cwd=here, env={"SOURCE_DATE_EPOCH": "2026-11-21"})
    assert_not_a_bug(done)
    assert done.code == 2
    assert "readiness: error: SOURCE_DATE_EPOCH='2026-11-21' is not a Unix time" in done.err


def test_source_date_epoch_set_empty_is_unset_and_today_wins_over_it(here: Path) -> None:
    assert readiness("check", cwd=here, env={"SOURCE_DATE_EPOCH": ""}).code == 1
    done = readiness("check", "-f", "json", "--today", TODAY, cwd=here, env={"SOURCE_DATE_EPOCH": "garbage"})
    assert done.code == 1
    assert json.loads(done.out)["today"] == TODAY


def _in_a_deleted_folder(folder: Path) -> Callable[[], None]:
    def enter() -> None:
        os.chdir(folder)
        os.rmdir(folder)

    return enter


@pytest.mark.parametrize(
    "args", [["check", "{file}", "--today", TODAY], ["init", "--name", "x"]], ids=["check", "init"]
)
def test_a_deleted_current_folder_is_named(
    here: Path, tmp_path_factory: pytest.TempPathFactory, args: list[str]
) -> None:
    gone = tmp_path_factory.mktemp("gone")
    argv = [a.replace("{file}", str(here / "readiness.yaml")) for a in args]
    done = readiness(*argv, cwd=here, preexec=_in_a_deleted_folder(gone))
    assert_not_a_bug(done)
    assert done.code == 2
    assert done.err.startswith("readiness: error: the current folder cannot be used (No such file or directory")


@pytest.mark.parametrize(
    ("columns", "expected"), [("1", 40), ("39", 40), ("0", 80), ("-5", 80), ("wide", 80), ("100000", 80)]
)
def test_the_text_fits_a_sane_width_whatever_columns_says(tmp_path: Path, columns: str, expected: int) -> None:
    code, shown = in_terminal(
        "check",
        str(EXAMPLE),
        "--today",
        TODAY,
        cwd=tmp_path,
        env={"NO_COLOR": "1", "TERM": "xterm", "COLUMNS": columns},
    )
    assert code == 1
    lines = shown.splitlines()
    assert max(cell_len(line) for line in lines) <= expected
    # The category table stays a table: a row holds a category and its four numbers.
    assert any(re.fullmatch(r"Data +69\.0 +6 +7 +0", line) for line in lines), shown


@pytest.mark.parametrize(
    ("env", "drop"),
    [
        ({}, ("HOME",)),
        ({"HOME": "/dev/null"}, ("READINESS_CACHE_DIR", "XDG_CACHE_HOME")),  # the cache cannot go under it
        ({"TERM": "\x1b]0;x\x07"}, ()),
        ({}, ("TERM",)),
    ],
    ids=["no-home", "home-is-a-file", "escape-in-term", "no-term"],
)
def test_odd_environments_change_nothing(here: Path, env: dict[str, str], drop: tuple[str, ...]) -> None:
    done = readiness("check", "-f", "json", "--today", TODAY, cwd=here, env=env, drop=drop)
    assert_not_a_bug(done)
    assert done.code == 1
    assert json.loads(done.out)["project"]["name"] == NAME
