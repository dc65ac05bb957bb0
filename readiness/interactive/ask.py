"""Questions at a terminal: single keys, lines with a default, validated answers.

This is the edge of the interactive commands: it reads the keyboard and writes to the screen. A closed
terminal (end of input) surfaces as `Closed`, so the walk can stop cleanly with every saved answer intact.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from rich.console import Console

from readiness.edit.typedtext import one_line_problem
from readiness.load.textsafe import visible

T = TypeVar("T")


class Closed(Exception):
    """The terminal went away (end of input) while a question was open."""


def required(text: str) -> str:
    """An answer that may not be empty (a converter for Asker.valid)."""
    if not text.strip():
        raise ValueError("this cannot be empty")
    return text.strip()


def plain(text: str) -> str:
    """Text from a file or a pack, escaped for Asker.markup: its brackets are shown, never read as markup."""
    from rich.markup import escape

    return escape(text)


def is_terminal() -> bool:
    return sys.stdin.isatty()


def read_key() -> str:
    """One key press, without Enter. Ctrl-C still interrupts: the terminal keeps its signal keys.

    Keys typed ahead (while the last answer was being saved, say) are kept for the questions that follow: the
    terminal is switched without flushing its input, and only the bytes of one key are read, so what comes after
    stays queued for the next key or line in the order it was typed.
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        key = msvcrt.getwch()
        if key == "\x03":
            raise KeyboardInterrupt
        return key
    import termios
    import tty

    descriptor = sys.stdin.fileno()
    try:
        saved = termios.tcgetattr(descriptor)
        try:
            # TCSANOW: tty's default, TCSAFLUSH, would throw away every key typed since the last question.
            tty.setcbreak(descriptor, termios.TCSANOW)
            data = _one_key(descriptor)
        finally:
            # TCSADRAIN waits for output to be sent and keeps the input that is still queued.
            termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    except OSError:  # the terminal is gone (its other end closed)
        raise Closed from None
    if not data or data == b"\x04":
        raise Closed
    return data.decode("utf-8", "replace")


_SEQUENCE_MAX = 16  # bytes of one escape sequence (an arrow or function key), ample for any terminal's


def _one_key(descriptor: int) -> bytes:
    """The bytes of one key: one character (one to four bytes of UTF-8), or one escape sequence."""
    data = os.read(descriptor, 1)
    if not data:
        return data
    lead = data[0]
    if lead == 0x1B:
        return data + _sequence(descriptor)
    size = 4 if lead >= 0xF0 else 3 if lead >= 0xE0 else 2 if lead >= 0xC0 else 1
    while len(data) < size and _waiting(descriptor):
        data += os.read(descriptor, 1)
    return data


def _sequence(descriptor: int) -> bytes:
    """The rest of an escape sequence that a key sends at once (ESC [ A for the up arrow); none for Esc alone."""
    if not _waiting(descriptor):
        return b""
    data = os.read(descriptor, 1)
    if data not in (b"[", b"O"):
        return data  # Alt and a key: ESC and that key
    while len(data) < _SEQUENCE_MAX and _waiting(descriptor):
        data += os.read(descriptor, 1)
        if 0x40 <= data[-1] <= 0x7E and len(data) > 1:  # the final byte of a control sequence
            break
    return data


def _waiting(descriptor: int) -> bool:
    """Whether a byte is ready: the bytes of one key arrive together, so none waiting means the key is whole."""
    import select

    ready, _, _ = select.select([descriptor], [], [], 0)
    return bool(ready)


_TICK = 0.1  # seconds between the wake-ups that let a Ctrl-C through while a line is read


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C stops a line being read, whenever it comes.

    Python's input() checks for a signal only when its wait for a key is interrupted; a Ctrl-C that lands just
    before that wait begins (readline setting up the line, say) would only be seen after the next Enter. A timer
    interrupts the wait a few times a second, so a Ctrl-C already received is acted on.
    """
    if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():  # pragma: no cover
        yield
        return
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Asker:
    """Asks on one rich console. Every answer is checked before it is returned; a bad one is asked again."""

    def __init__(self, console: Console, key_reader: Callable[[], str] = read_key) -> None:
        self.console = console
        self._read_key = key_reader

    def say(self, text: str = "", style: str | None = None) -> None:
        """One line; a control character in it (from a file or a pack) is written out, never sent."""
        self.console.print(visible(text), style=style, markup=False, highlight=False)

    def markup(self, text: str) -> None:
        """Text with rich markup; user text inside it must be escaped by the caller."""
        self.console.print(visible(text), markup=True, highlight=False)

    def rule(self, title: str) -> None:
        self.console.rule(visible(title), style="dim")

    def line(self, prompt: str, default: str = "", complete: Callable[[str], list[str]] | None = None) -> str:
        """A line of text; Enter alone gives `default` (shown in brackets). With `complete`, Tab completes what
        is typed so far (`complete(text)` gives the whole lines it may become).

        Every answer may end up in readiness.yaml, so a line the file cannot hold (a control character, a line
        separator, bytes that are not UTF-8) is refused here, by the reader's own rule, and asked again.
        """
        shown = f"{prompt} [{visible(default)}]: " if default else f"{prompt}: "
        while True:
            try:
                typed = self._read_line(shown, complete)
            except EOFError:
                raise Closed from None
            except UnicodeDecodeError as error:  # a stdin that decodes strictly (Windows, PYTHONIOENCODING)
                self.say(f"  the byte 0x{error.object[error.start]:02x} is not UTF-8 text; type it again", style="red")
                continue
            typed = typed.strip()
            problem = one_line_problem(typed)
            if problem is None:
                return typed if typed else default
            self.say(f"  {problem}; type it again", style="red")

    def _read_line(self, shown: str, complete: Callable[[str], list[str]] | None) -> str:
        with _interruptible():
            return self._read_line_now(shown, complete)

    def _read_line_now(self, shown: str, complete: Callable[[str], list[str]] | None) -> str:
        from readiness.interactive import completion

        if complete is not None and completion.ready():
            self.console.file.flush()
            with completion.completing(complete):
                return input(visible(shown))  # readline draws the prompt itself, to redraw it after a list of matches
        if "readline" in sys.modules:
            # Once loaded, readline reads every line, and must know the prompt: a prompt it did not draw looks to
            # it like an empty line, and Enter alone would then not move to the next line.
            self.console.file.flush()
            return input(visible(shown))
        return self.console.input(shown, markup=False, emoji=False)

    def valid(
        self, prompt: str, convert: Callable[[str], T], default: str = "", echo: Callable[[T], str] | None = None
    ) -> T:
        """A line converted by `convert`; its ValueError message is shown and the question asked again. With
        `echo`, the value as it will be stored is said back when it is not what was typed ('20 %' = 0.2)."""
        while True:
            typed = self.line(prompt, default)
            try:
                value = convert(typed)
            except ValueError as problem:
                self.say(f"  {problem}", style="red")
                continue
            if echo is not None and typed != default and echo(value) != typed:
                self.say(f"  = {echo(value)}", style="cyan")
            return value

    def yes_no(self, prompt: str, default: bool | None = None) -> bool:
        hint = {True: "Y/n", False: "y/N", None: "y/n"}[default]
        while True:
            typed = self.line(f"{prompt} ({hint})").lower()
            if not typed and default is not None:
                return default
            if typed in ("y", "yes"):
                return True
            if typed in ("n", "no"):
                return False
            self.say("  answer y or n", style="red")

    def choice(self, prompt: str, options: Sequence[str], default: str = "") -> str:
        """One of `options`, typed in full (or by a unique start)."""

        def pick(typed: str) -> str:
            if typed in options:
                return typed
            starts = [o for o in options if o.startswith(typed)] if typed else []
            if len(starts) == 1:
                return starts[0]
            raise ValueError(f"choose one of: {', '.join(options)}")

        return self.valid(f"{prompt} ({' | '.join(options)})", pick, default)

    def key(self, prompt: str, keys: Sequence[str]) -> str:
        """A single key among `keys` (case-insensitive); others are refused with a reminder."""
        self.say(prompt)
        while True:
            pressed = self._read_key().lower()
            if pressed in keys:
                self.say(f"> {pressed}")
                return pressed
            if pressed in ("\r", "\n"):
                continue
            self.say(f"  keys: {' '.join(keys)}", style="yellow")
