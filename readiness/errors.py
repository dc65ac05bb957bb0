"""The exit-code contract, in one place: what each kind of failure becomes for the user."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from enum import IntEnum

import typer

from readiness import __version__
from readiness.diagnostics import Diagnostic, InputError


class Exit(IntEnum):
    READY = 0
    NOT_READY = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def guarded(run: Callable[[], int], *, debug: bool) -> int:
    """Run the command; turn every way it can end into an exit code, and never show a traceback unasked."""
    try:
        return run()
    except InputError as error:
        print_diagnostics(error.diagnostics)
        return Exit.BAD_INPUT
    except typer.Exit as done:
        return int(done.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("readiness: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except typer.TyperException as error:
        # Bad options and arguments: typer prints the usage and the problem; every one is exit 2.
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            print(f"readiness: error: {error}", file=sys.stderr)
        return Exit.BAD_INPUT
    except BrokenPipeError:
        # A reader such as `head` went away: nothing left to tell anyone.
        sys.stderr.close()
        return Exit.READY
    except Exception as error:
        if debug:
            traceback.print_exc()
        else:
            print(
                f"readiness: sorry, this is a bug in readiness {__version__} ({type(error).__name__}: {error}). "
                "Please report it on the project's issue tracker with the output of the same command "
                "run with --debug.",
                file=sys.stderr,
            )
        return Exit.INTERNAL
