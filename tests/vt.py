"""A small terminal for the walk's screen tests: what a person would see, from the bytes the walk writes.

It knows what the walk and readline send (text, CR, LF, backspace, cursor moves, erase, the scroll region and
the alternate screen) and ignores colours, bells and the rest. Every character counts one column, as for the
characters the walk draws (─ ▸ · →); a test that needs wide characters needs a real emulator.
"""

from __future__ import annotations

import re

_CSI = re.compile(r"\x1b\[([?]?)([0-9;]*)([@-~])")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class Terminal:
    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.main = self._blank()
        self.lines = self.main
        self.row = self.col = 0
        self.top, self.bottom = 0, rows - 1
        self.pending_wrap = False
        self.saved = (0, 0)  # the cursor of the normal screen while the alternate one is shown

    def _blank(self) -> list[list[str]]:
        return [[" "] * self.columns for _ in range(self.rows)]

    def screen(self) -> list[str]:
        return ["".join(line).rstrip() for line in self.lines]

    def feed(self, text: str) -> None:
        position = 0
        while position < len(text):
            char = text[position]
            if char == "\x1b":
                found = _CSI.match(text, position)
                if found:
                    self._csi(found.group(1), found.group(2), found.group(3))
                    position = found.end()
                    continue
                osc = _OSC.match(text, position)
                position = osc.end() if osc else position + 2
                continue
            self._char(char)
            position += 1

    def _char(self, char: str) -> None:
        if char == "\r":
            self.col, self.pending_wrap = 0, False
        elif char == "\n":
            self._line_feed()
        elif char == "\b":
            self.col, self.pending_wrap = max(0, self.col - 1), False
        elif char >= " ":
            if self.pending_wrap:
                self.col = 0
                self._line_feed()
            self.lines[self.row][self.col] = char
            if self.col == self.columns - 1:
                self.pending_wrap = True
            else:
                self.col += 1

    def _line_feed(self) -> None:
        self.pending_wrap = False
        if self.row == self.bottom:
            del self.lines[self.top]
            self.lines.insert(self.bottom, [" "] * self.columns)
        elif self.row < self.rows - 1:
            self.row += 1

    def _csi(self, private: str, params: str, final: str) -> None:
        numbers = [int(p) if p else 0 for p in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        self.pending_wrap = False
        if private == "?":
            if 1049 in numbers and final in "hl":
                self._alternate(final == "h")
            return
        if final in "Hf":
            self.row = min(self.rows, max(1, first or 1)) - 1
            self.col = min(self.columns, max(1, numbers[1] if len(numbers) > 1 and numbers[1] else 1)) - 1
        elif final == "J":
            if first == 2:
                self.lines[:] = self._blank()
            elif first == 0:
                self.lines[self.row][self.col :] = [" "] * (self.columns - self.col)
                for row in range(self.row + 1, self.rows):
                    self.lines[row] = [" "] * self.columns
        elif final == "K":
            start = 0 if first in (1, 2) else self.col
            end = self.col + 1 if first == 1 else self.columns
            self.lines[self.row][start:end] = [" "] * (end - start)
        elif final == "r":
            self.top = (first or 1) - 1
            self.bottom = (numbers[1] if len(numbers) > 1 and numbers[1] else self.rows) - 1
            self.row = self.col = 0
        elif final in "ABCDG":
            step = first or 1
            if final == "A":
                self.row = max(0, self.row - step)
            elif final == "B":
                self.row = min(self.rows - 1, self.row + step)
            elif final == "C":
                self.col = min(self.columns - 1, self.col + step)
            elif final == "D":
                self.col = max(0, self.col - step)
            else:
                self.col = min(self.columns, step) - 1

    def _alternate(self, on: bool) -> None:
        if on and self.lines is self.main:
            self.saved = (self.row, self.col)
            self.lines = self._blank()
        elif not on and self.lines is not self.main:
            self.lines = self.main
            self.row, self.col = self.saved
        self.top, self.bottom = 0, self.rows - 1
