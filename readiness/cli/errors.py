"""The exit-code contract, in one place: what each kind of failure becomes for the user.

Exit 3 is kept for bugs. What the machine refuses (no file descriptors or processes left, out of memory, a
full disk, a closed or unwritable standard output, a date in the environment that is not one) is not a bug:
it gets one line saying what happened and what to do, and exit 2. SIGTERM and SIGHUP unwind the run like
Ctrl-C does, so that worker processes are stopped with it, and end it with 128 + the signal's number.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from types import FrameType

from readiness import __version__
from readiness.cli.cannotrun import CannotRun
from readiness.load.diagnostics import Diagnostic, InputError
from readiness.load.textsafe import visible

__all__ = ["CannotRun", "Exit", "UsageProblem", "guarded", "print_diagnostics", "shortage"]


class Exit(IntEnum):
    READY = 0
    NOT_READY = 1
    BAD_INPUT = 2
    INTERNAL = 3
    INTERRUPTED = 130
    TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a process the signal ended


class UsageProblem(Exception):
    """Bad options or arguments: the lines to show (click's usage block and the problem), already made safe for a
    terminal. Raised by the command-line layer, so that this contract needs nothing of the library that parses."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, like KeyboardInterrupt, so that no `except Exception` stops
    it on its way out; unlike KeyboardInterrupt, so that click does not turn it into an Abort."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# What a shortage of the machine's resources looks like from Python, with what the user can do about it.
_SHORTAGES = {
    errno.EMFILE: "raise the limit (ulimit -n) or {fewer}",
    errno.ENFILE: "the whole system is out of them: {fewer}",
    errno.EAGAIN: "the limit on processes may be reached (ulimit -u): {fewer}",
    errno.ENOMEM: "{fewer}, or give the job more memory",
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space, or ask for a larger quota",
    errno.EFBIG: "the limit on file size is reached (ulimit -f)",
}


def shortage(error: OSError, fewer: str = "run fewer processes at once") -> str | None:
    """One line for an OSError that means the machine ran short of something, else None. `fewer` says how to
    ask this command for fewer processes."""
    advice = _SHORTAGES.get(error.errno or 0)
    if advice is None:
        return None
    what = error.strerror or str(error)
    what = what[:1].lower() + what[1:]
    if error.errno == errno.EMFILE:
        limit = _descriptor_limit()
        what += f" (this process may open {limit})" if limit else ""
    return f"{what}: {advice.format(fewer=fewer)}"


def _descriptor_limit() -> int | None:
    try:
        import resource
    except ImportError:  # not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else None


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def guarded(run: Callable[[], int], *, debug: bool) -> int:
    """Run the command; turn every way it can end into an exit code, and never show a traceback unasked."""
    with _termination_unwinds():
        try:
            return _outcome(run, debug)
        except Terminated as stop:  # here too: the signal may come while an outcome is being reported
            _error(f"terminated by {signal.Signals(stop.signum).name}", level="")
            return 128 + stop.signum


def _outcome(run: Callable[[], int], debug: bool) -> int:
    try:
        code = run()
        # Written now, not when Python exits: a full disk or a closed stdout is then still ours to report.
        sys.stdout.flush()
        return code
    except InputError as error:
        print_diagnostics(error.diagnostics)
        return Exit.BAD_INPUT
    except CannotRun as error:
        _error(str(error))
        return Exit.BAD_INPUT
    except KeyboardInterrupt:
        print("readiness: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except UsageProblem as usage:
        # Bad options and arguments: the usage and the problem; every one is exit 2.
        for line in usage.lines:
            print(line, file=sys.stderr)
        return Exit.BAD_INPUT
    except BrokenPipeError:
        # A reader such as `head` went away: nothing left to tell anyone.
        sys.stderr.close()
        return Exit.READY
    except OSError as error:
        problem = shortage(error)
        if problem is None:
            return _bug(error, debug)
        _error(problem)
        return Exit.BAD_INPUT
    except MemoryError:
        _error("out of memory: give the job more memory, or run fewer processes at once")
        return Exit.BAD_INPUT
    except Exception as error:
        return _bug(error, debug)


def _error(message: str, level: str = "error: ") -> None:
    print(f"readiness: {level}{visible(message)}", file=sys.stderr)


def _bug(error: Exception, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    else:
        print(
            f"readiness: sorry, this is a bug in readiness {__version__} ({type(error).__name__}: "
            f"{visible(str(error))}). Please report it on the project's issue tracker with the output of the same "
            "command run with --debug.",
            file=sys.stderr,
        )
    return Exit.INTERNAL


@contextmanager
def _termination_unwinds() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP raise Terminated in the main thread, so that `finally`
    blocks run (worker processes are stopped, progress bars closed). A second signal ends the process at
    once, as a second Ctrl-C would. A signal the caller ignores (as `nohup` ignores SIGHUP) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    chosen = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {number: signal.getsignal(number) for number in chosen}

    def unwind(signum: int, frame: FrameType | None) -> None:
        signal.signal(signum, signal.SIG_DFL)
        raise Terminated(signum)

    for number, handler in before.items():
        if handler is not signal.SIG_IGN:
            signal.signal(number, unwind)
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
