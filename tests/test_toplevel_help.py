"""`readiness`, `readiness --help` and `--version` answer at once (readiness/cli/entry.py), with the very text the
typer app renders, and no command-line library loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness import __version__
from readiness.cli.app import main as app_main
from readiness.cli.entry import main as entry_main
from readiness.cli.toplevel import TOP_HELP

REPO = Path(__file__).resolve().parent.parent
TOPLEVEL = REPO / "readiness" / "cli" / "toplevel.py"

# Runs the console script's function in a new interpreter, then lists what it imported on stderr's last line.
_PROBE = """
import json, sys
from readiness.cli.entry import main
code = main(json.loads(sys.argv[1]))
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _run(args: list[str], columns: str | None = None) -> tuple[int, str, str, list[str]]:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", _PROBE, json.dumps(args)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    *told, last = done.stderr.splitlines()
    report = json.loads(last)
    return report["code"], done.stdout, "\n".join(told) + ("\n" if told else ""), report["modules"]


def test_the_prebuilt_help_is_what_the_app_renders(cli_width: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert app_main(["--help"]) == 0
    rendered = capsys.readouterr().out
    assert rendered.startswith("Usage: readiness [OPTIONS] COMMAND [ARGS]...")
    assert rendered == TOP_HELP, (
        f"the top-level help changed: put this text between the quotes of TOP_HELP in {TOPLEVEL}:\n{rendered}"
    )


@pytest.fixture
def cli_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_answers_without_loading_the_command_line_library(flag: str) -> None:
    code, out, err, modules = _run([flag], columns="120")
    assert (code, out, err) == (0, TOP_HELP, "")
    assert "check       Score the assessment; the exit code is the verdict." in out
    assert not [name for name in modules if name.split(".")[0] in ("typer", "click", "rich", "yaml")]
    assert "readiness.cli.app" not in modules


def test_version_answers_without_loading_the_command_line_library() -> None:
    code, out, err, modules = _run(["--version"])
    assert (code, out, err) == (0, f"readiness {__version__}\n", "")
    assert "typer" not in modules


def test_no_command_shows_the_help_on_stderr_with_exit_2_whatever_the_width() -> None:
    wide = _run([], columns="100")
    narrow = _run([], columns="60")
    assert wide[:3] == (2, "", TOP_HELP)
    assert narrow[0] == 2 and narrow[1] == ""
    # Narrow: typer's own rendering, wrapped to the terminal; never the help folded into one line of escapes.
    assert narrow[2].startswith("Usage: readiness [OPTIONS] COMMAND [ARGS]...\n\n  Tells a team whether")
    assert "\\n" not in narrow[2]
    assert max(len(line) for line in narrow[2].splitlines()) <= 60
    assert "typer" in narrow[3]


def test_a_narrow_terminal_gets_the_help_wrapped_to_its_width() -> None:
    code, out, err, _ = _run(["--help"], columns="60")
    assert code == 0 and err == ""
    assert out != TOP_HELP
    assert max(len(line) for line in out.splitlines()) <= 60
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  ") and line[2] != " "][-1] == "schema"


def test_a_group_without_its_command_shows_its_help_on_stderr(
    cli_width: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry_main(["checklists"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Usage: readiness checklists [OPTIONS] COMMAND [ARGS]...\n\n  Browse the checklist")
    assert "  lint  Check custom packs for errors and style.\n" in captured.err
    assert "\\n" not in captured.err


def test_the_console_script_and_python_m_use_the_quick_answers() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'readiness = "readiness.cli.entry:main"' in pyproject
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "--help"],
        cwd=REPO,
        env={**os.environ, "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, TOP_HELP, "")
