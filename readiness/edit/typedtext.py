"""Text a person types (at a prompt of `assess` or `init`, or in a flag of `init`), checked before it is written
into readiness.yaml, so that the walk never saves a file the next run refuses.

The characters are judged by the reader's own rule (yamltext.refused_character): what the reader refuses in the
file, the walk refuses at the prompt. Nothing here prints.
"""

from __future__ import annotations

import re

from readiness.load.textsafe import visible
from readiness.load.yamltext import refused_character

# Bytes that are not UTF-8 reach Python's input() as these "surrogate escapes" (the stdin of a POSIX locale
# decodes with errors="surrogateescape"); U+DC80..U+DCFF stands for the byte 0x80..0xFF.
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)
_LINE_BREAK = re.compile("[\r\n]")


def character_problem(text: str) -> str | None:
    """Why `text` cannot be written into readiness.yaml as a value, or None when it can."""
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        code = ord(surrogate.group())
        what = f"the byte 0x{code - 0xDC00:02x}" if code in _ESCAPED_BYTES else f"U+{code:04X}"
        return f"{what} at character {surrogate.start() + 1} is not UTF-8 text"
    # A value never stands at the very start of the file, the one place where the reader lets a byte-order mark
    # be: judged after a space, a mark at the start of the value is refused as the reader refuses it elsewhere.
    if refused_character(" " + text) is None:
        return None
    # The reader's rule is one character at a time (but for the mark at the start), so the first refused
    # character is found by asking it about each in turn; only a refused text pays for that.
    index, char = next((i, c) for i, c in enumerate(text) if refused_character(" " + c) is not None)
    return (
        f"'{visible(text)}' holds the character U+{ord(char):04X} at character {index + 1}, which readiness.yaml "
        "may not hold: the next run would refuse the file"
    )


def one_line_problem(text: str) -> str | None:
    """Why `text` cannot be one line of readiness.yaml (a name, a note, a reason), or None when it can."""
    problem = character_problem(text)  # first: it alone tells bytes that are not UTF-8, and shows no text then
    if problem is not None:
        return problem
    found = _LINE_BREAK.search(text)
    if found is not None:
        return f"'{visible(text)}' holds a line break at character {found.start() + 1}; it must be one line"
    return None
