"""The one way this tool sets up rich: no markup or emoji in user text, colour only when asked for."""

from __future__ import annotations

import unicodedata
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console


def console(out: TextIO, width: int, color: bool) -> Console:
    # markup and emoji off: a note that says "[red]" or ":fire:" is printed as the user wrote it.
    return Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _joins(char: str) -> bool:
    """A code point that belongs to the character before it: a combining mark, a variation selector, an emoji
    skin tone or tag, a Hangul vowel or final consonant, or a ZERO WIDTH JOINER."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """What a reader sees as one character, near enough for cutting lines: a base with the marks, joiners and
    modifiers that follow it, a ZWJ emoji sequence whole, and a flag (two regional indicators) whole."""
    clusters: list[str] = []
    for char in text:
        last = clusters[-1] if clusters else ""
        if last and (
            _joins(char) or last.endswith("\u200d") or (_regional(char) and len(last) == 1 and _regional(last))
        ):
            clusters[-1] = last + char
        else:
            clusters.append(char)
    return clusters


def chop(text: str, width: int) -> list[str]:
    """`text` cut into lines of at most `width` cells, never inside a grapheme (rich's chop_cells parts the two
    halves of a flag). A grapheme wider than `width` gets a line of its own."""
    lines: list[str] = []
    line = ""
    for cluster in graphemes(text):
        if line and cell_len(line + cluster) > width:
            lines.append(line)
            line = ""
        line += cluster
    return [*lines, line] if line or not lines else lines
