"""The walk's screen at a terminal: one item at a time, redrawn in place, its title always in sight.

The walk runs on the terminal's alternate screen (as `less` and editors do), so items do not pile up in the
scrollback and the summary lands on the normal screen when the walk ends, however it ends. Each item is drawn
from the top: the progress line and the title stay fixed above a scroll region, so the questions of a long answer
scroll below them and never push them away. The size is read again for every item: a terminal resized during
the walk is used at its new size. Where the output is no terminal, or TERM is dumb, nothing of this is written
and the walk scrolls as plain lines.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

MIN_COLUMNS = 40
MAX_COLUMNS = 160  # past this, a line of the item's text is too long to read in one glance

_ALTERNATE_ON = "\x1b[?1049h"
_ALTERNATE_OFF = "\x1b[?1049l"
_RESET_REGION = "\x1b[r"
_CLEAR = "\x1b[H\x1b[2J"


class Screen:
    def __init__(self, console: Console, active: bool) -> None:
        self.console = console
        self.active = active
        self.rows = 24

    @staticmethod
    def usable(console: Console, environ: dict[str, str] | None = None) -> bool:
        env = os.environ if environ is None else environ
        return console.file.isatty() and env.get("TERM", "") not in ("", "dumb")

    def _write(self, text: str) -> None:
        if self.active:
            self.console.file.write(text)
            self.console.file.flush()

    def measure(self) -> None:
        """The terminal's size now: the console wraps at its width, the item fits its height."""
        try:  # the terminal itself first: COLUMNS and LINES, if exported, still hold its size at start-up
            columns, self.rows = os.get_terminal_size(self.console.file.fileno())
        except (OSError, ValueError, AttributeError):
            columns, self.rows = shutil.get_terminal_size((self.console.width, 24))
        if self.active:
            self.console.width = max(MIN_COLUMNS, min(MAX_COLUMNS, columns))
            self.console.height = self.rows

    @contextmanager
    def session(self) -> Iterator[None]:
        """The alternate screen while the block runs; the normal screen, as it was, after it, whatever happens."""
        self._write(_ALTERNATE_ON + _CLEAR)
        try:
            yield
        finally:
            self._write(_RESET_REGION + _ALTERNATE_OFF)

    def page(self) -> None:
        """A fresh screen, scrolling as a whole (the overview, the RACI and cost questions)."""
        self.measure()
        self._write(_RESET_REGION + _CLEAR)

    def pin(self, lines: int) -> None:
        """Keep the first `lines` lines drawn in place: below them, everything scrolls, above, nothing moves."""
        if self.active and lines < self.rows - 3:
            self._write(f"\x1b[{lines + 1};{self.rows}r\x1b[{lines + 1};1H")
