"""Questions at a terminal: single keys, lines with a default, validated answers.

This is the edge of the interactive commands: it reads the keyboard and writes to the screen. A closed
terminal (end of input) surfaces as `Closed`, so the walk can stop cleanly with every saved answer intact.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from rich.console import Console

T = TypeVar("T")


class Closed(Exception):
    """The terminal went away (end of input) while a question was open."""


def required(text: str) -> str:
    """An answer that may not be empty (a converter for Asker.valid)."""
    if not text.strip():
        raise ValueError("this cannot be empty")
    return text.strip()


def is_terminal() -> bool:
    return sys.stdin.isatty()


def read_key() -> str:
    """One key press, without Enter. Ctrl-C still interrupts: the terminal keeps its signal keys."""
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
            tty.setcbreak(descriptor)
            data = os.read(descriptor, 8)  # an arrow key sends several bytes at once; read them all
        finally:
            termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    except OSError:  # the terminal is gone (its other end closed)
        raise Closed from None
    if not data or data == b"\x04":
        raise Closed
    return data.decode("utf-8", "replace")


class Asker:
    """Asks on one rich console. Every answer is checked before it is returned; a bad one is asked again."""

    def __init__(self, console: Console, key_reader: Callable[[], str] = read_key) -> None:
        self.console = console
        self._read_key = key_reader

    def say(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style, markup=False, highlight=False)

    def markup(self, text: str) -> None:
        """Text with rich markup; user text inside it must be escaped by the caller."""
        self.console.print(text, markup=True, highlight=False)

    def line(self, prompt: str, default: str = "") -> str:
        """A line of text; Enter alone gives `default` (shown in brackets)."""
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        try:
            typed = self.console.input(shown, markup=False, emoji=False)
        except EOFError:
            raise Closed from None
        typed = typed.strip()
        return typed if typed else default

    def valid(self, prompt: str, convert: Callable[[str], T], default: str = "") -> T:
        """A line converted by `convert`; its ValueError message is shown and the question asked again."""
        while True:
            typed = self.line(prompt, default)
            try:
                return convert(typed)
            except ValueError as problem:
                self.say(f"  {problem}", style="red")

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
