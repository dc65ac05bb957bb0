"""The console script, `readiness ARGS…`: the top-level help and the version straight away, everything else
through the typer app.

A first look (`readiness`, `readiness --help`) should be instant, and importing typer alone takes longer than
that; the text shown is the app's own rendering (readiness/cli/toplevel.py), so nothing here defines a command.
"""

from __future__ import annotations

import os
import sys

from readiness import __version__
from readiness.cli.toplevel import TOP_HELP

HELP_COLUMNS = 80  # click fits its help to the terminal up to this width: from here on, TOP_HELP is what it writes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    answer = _answer(args)
    if answer is None:
        from readiness.cli.app import main as run_app

        return run_app(args)
    from readiness.cli.cannotrun import CannotRun
    from readiness.cli.stdio import standard_streams

    text, code, to_stderr = answer
    with standard_streams():  # a full disk, a closed stream or a reader gone, told as every command tells them
        try:
            (sys.stderr if to_stderr else sys.stdout).write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # a reader such as `head` went away: nothing left to tell anyone
            sys.stderr.close()
            return 0
        except CannotRun as error:  # the text is ours: nothing in it needs making visible
            print(f"readiness: error: {error}", file=sys.stderr)
            return 2
    return code


def _answer(args: list[str]) -> tuple[str, int, bool] | None:
    """(text, exit code, whether it goes to stderr) when the answer needs no command, else None."""
    if args == ["--version"]:
        return f"readiness {__version__}\n", 0, False
    if args in ([], ["--help"], ["-h"]) and _columns() >= HELP_COLUMNS:
        # No command at all is a usage error, as click has it: the help, on stderr, exit 2.
        return (TOP_HELP, 0, False) if args else (TOP_HELP, 2, True)
    return None


def _columns() -> int:
    """The terminal's width as click measures it (shutil.get_terminal_size, without importing shutil): COLUMNS
    when it is a positive number, else the width of the terminal on standard output, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or HELP_COLUMNS  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return HELP_COLUMNS
