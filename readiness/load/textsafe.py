"""Text from outside the tool, made safe to show: control characters written out instead of sent.

The YAML reader refuses control characters in the files it reads, but other text reaches the outputs too:
file and folder names, git commit subjects and author names, what git or the system says in an error. Sent
raw, an escape sequence would drive the terminal (or a CI log), a line break would forge a diagnostic line,
and a NUL would cut a report short. `visible` writes each such character out as an escape a reader can see.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls (U+0085 among them), and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _written_out(found: re.Match[str]) -> str:
    char = found.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def visible(text: str) -> str:
    """`text` on one line with every control character written out: ESC as `\\u001b`, a line break as `\\n`."""
    return _CONTROL.sub(_written_out, text) if _CONTROL.search(text) else text


def first_control(text: str) -> int | None:
    """The index of the first control character in `text`, if it holds one."""
    found = _CONTROL.search(text)
    return None if found is None else found.start()
