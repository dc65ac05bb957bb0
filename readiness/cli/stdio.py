"""The standard streams, whatever the caller connected them to.

Standard output may be a terminal whose encoding lacks a character of a project's name, a file on a full disk,
a pipe whose reader left, or nothing at all (`readiness check >&-`). For one run of the command line:

- text for people is written in the stream's own encoding, and a character it lacks is written as a visible
  escape (`\\u0645`) rather than ending the run; documents (JSON, SARIF, JUnit, GitHub commands, Markdown,
  HTML) are UTF-8 bytes whatever the locale, because their formats say so (`write_document`);
- a write that fails (no space left, a closed or read-only stdout, a file-size limit) raises OutputLost, which
  the CLI reports in one line with exit 2; a reader that went away (`| head`) is not an error: the rest of the
  output is dropped and the exit code is still the verdict;
- stderr never fails the run: when it cannot be written there is no one to tell;
- a stream that was closed when the process started is opened on the null device, so that no file the tool
  opens later takes its number (and gets the output, or a child process's errors, written into it).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import select
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO, cast

from readiness.cli.cannotrun import CannotRun

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class OutputLost(CannotRun):
    """Standard output could not be written."""


def write_document(text: str) -> None:
    """A file format on standard output: UTF-8 bytes whatever the locale or PYTHONIOENCODING."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None or _is_utf8(stream.encoding):
        stream.write(text)
        return
    stream.flush()
    buffer.write(_utf8(text))


def _utf8(text: str) -> bytes:
    """A file name that Python could not decode (an ASCII locale) is held as lone surrogates: its own bytes are
    written back when they are UTF-8, and a visible escape when they are not, so the document stays UTF-8."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return text.encode("utf-8", "backslashreplace")
    return data


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


@contextlib.contextmanager
def standard_streams() -> Iterator[None]:
    """Set up the three streams for one run (see the module's doc) and put the originals back after it.

    Only the process's own streams are touched: a caller that replaced them (a test capturing the output) keeps
    its own."""
    saved = sys.stdin, sys.stdout, sys.stderr
    if sys.stdin is None and sys.__stdin__ is None:
        _fill(0)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the run
    if sys.stdout is sys.__stdout__:
        sys.stdout = _guarded(sys.stdout, 1, "standard output", report=True)
    if sys.stderr is sys.__stderr__:
        sys.stderr = _guarded(sys.stderr, 2, "standard error", report=False)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OutputLost, OSError, ValueError):
                stream.flush()  # already done for stdout when all went well; what failed was reported then
        if sys.stdin is not saved[0]:
            sys.stdin.close()
        sys.stdin, sys.stdout, sys.stderr = saved


def _guarded(original: TextIO | None, descriptor: int, name: str, *, report: bool) -> TextIO:
    """A text stream over the same file as `original` (None: the stream was closed at start), buffered as it
    was (`python -u` and PYTHONUNBUFFERED give a stream with no buffer)."""
    if original is None:
        _fill(descriptor)
        return io.TextIOWrapper(io.BufferedWriter(_Guard(None, name, report=report)), "utf-8", "backslashreplace")
    buffer = getattr(original, "buffer", None)
    raw = buffer if isinstance(buffer, io.RawIOBase) else getattr(buffer, "raw", None)
    if not isinstance(original, io.TextIOWrapper) or not isinstance(raw, io.RawIOBase):
        return original  # not a stream we know how to guard: leave it as it is
    original.flush()
    guard = _Guard(raw, name, report=report)
    # Unbuffered as Python made it (a text layer straight over the file), else with a buffer of our own.
    # (A raw file right below a text layer is what Python's own `-u` streams are; typeshed does not say so.)
    binary = cast(io.BufferedWriter, guard) if buffer is raw else io.BufferedWriter(guard)
    return io.TextIOWrapper(
        binary,
        encoding=original.encoding,
        errors="backslashreplace",
        newline=None if os.name == "nt" else "\n",  # as Python sets up its own streams
        line_buffering=original.line_buffering,
        write_through=original.write_through,
    )


def _fill(descriptor: int) -> None:
    """Open the null device on a standard descriptor that is closed."""
    try:
        os.fstat(descriptor)
        return  # open: something else took the number already, and closing it would be worse
    except OSError:
        pass
    opened = os.open(os.devnull, os.O_RDWR)
    if opened != descriptor:
        os.dup2(opened, descriptor)
        os.close(opened)


class _Guard(io.RawIOBase):
    """Writes to a stream's raw file and turns the first failure into OutputLost (or silence); after a failure,
    or once the reader has gone, what follows is dropped, so that Python's own flush at exit finds nothing
    left to complain about."""

    def __init__(self, inner: io.RawIOBase | None, name: str, *, report: bool) -> None:
        super().__init__()
        self._inner = inner
        self._name = name
        self._report = report
        self._dropping = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._inner is not None and self._inner.isatty()

    def fileno(self) -> int:
        if self._inner is None:
            raise io.UnsupportedOperation(f"{self._name} is closed")
        return self._inner.fileno()

    def write(self, data: ReadableBuffer) -> int:
        size = memoryview(data).nbytes
        if self._dropping:
            return size
        if self._inner is None:
            self._fail("it is closed")
            return size
        try:
            return self._write_all(self._inner, data)
        except BrokenPipeError:
            self._dropping = True  # the reader took what it wanted (`| head`)
        except OSError as error:
            self._fail(error.strerror or str(error))
        return size

    def _write_all(self, inner: io.RawIOBase, data: ReadableBuffer) -> int:
        """Every byte, even when the file takes them a few at a time: without a buffer above, nothing would
        write the rest."""
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = inner.write(view[done:])
            if written is None:
                # A non-blocking stdout (a parent process may leave its pipe so): wait until it takes more.
                select.select([], [inner.fileno()], [])
            else:
                done += written
        return done

    def _fail(self, reason: str) -> None:
        self._dropping = True
        if self._report:
            raise OutputLost(f"cannot write to {self._name}: {reason}")
