"""The text of a YAML file around the parser: characters refused before libyaml sees them, positions counted as
libyaml counts lines, and libyaml's syntax errors in words a user can act on.

Each function gives a message with its 1-based line and column; yamlsource.py turns them into diagnostics.
"""

from __future__ import annotations

import re

import yaml

Problem = tuple[str, int, int]  # message, line, column

# Characters YAML 1.1 allows in a stream; libyaml reports others at a byte offset, we want a column.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Characters YAML 1.1 reads as line breaks but editors do not show as such: after one, every line number
# libyaml gives is one more than the editor shows, and an unquoted value is cut in two. A byte-order mark
# belongs at the very start only; elsewhere it is an invisible character in the middle of a key or a value.
_BREAK_HINT = "which YAML reads as a line break though editors do not show one; delete it, or write {} in double quotes"
_INVISIBLE = {
    "\x85": "next-line character U+0085, " + _BREAK_HINT.format("\\u0085"),
    "\u2028": "line separator U+2028, " + _BREAK_HINT.format("\\u2028"),
    "\u2029": "paragraph separator U+2029, " + _BREAK_HINT.format("\\u2029"),
    "\ufeff": "byte-order mark U+FEFF in the middle of the file, an invisible character there; delete it",
}
_INVISIBLE_FOUND = re.compile("[" + "".join(_INVISIBLE) + "]")


def position_of(prefix: str) -> tuple[int, int]:
    """1-based line and column just after `prefix`; a lone CR ends a line too, as for libyaml."""
    prefix = prefix.replace("\r\n", "\n").replace("\r", "\n")
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1


def not_printable(code: int) -> str:
    return f"control character U+{code:04X} is not allowed in YAML"


def refused_character(text: str) -> Problem | None:
    """The first character the file may not hold: one YAML does not allow, or one it reads otherwise than an
    editor shows it."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        return (not_printable(ord(bad.group())), *position_of(text[: bad.start()]))
    odd = _INVISIBLE_FOUND.search(text, 1 if text.startswith("\ufeff") else 0)
    if odd is not None:
        return (_INVISIBLE[odd.group()], *position_of(text[: odd.start()]))
    return None


# What libyaml 0.2.6 says when it gives up at its own limit of 1,000 nested levels (0.2.5 has no limit).
LIBYAML_LIMIT = "exceeded maximum nesting depth"


def syntax_problem(text: str, exc: yaml.MarkedYAMLError, max_depth: int) -> Problem:
    """libyaml's complaint about `text`, said so that the user knows what to change."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    lines = text.splitlines()
    if lines and line > len(lines) and not text.endswith(("\n", "\r")):
        # libyaml reads as if a line break ended the file, so at the end of a file without one its mark stands
        # on a line that does not exist: say the end of the last line instead.
        line, column = len(lines), len(lines[-1]) + 1
    content = lines[line - 1] if 1 <= line <= len(lines) else ""
    indent = content[: len(content) - len(content.lstrip(" \t"))]
    if "\t" in indent:
        # libyaml's word for it ("found character that cannot start any token") does not say "tab".
        return "tab character in indentation; YAML indents with spaces", line, indent.index("\t") + 1
    if exc.problem == LIBYAML_LIMIT:
        # libyaml 0.2.6 stops at its own limit of 1,000 levels while scanning ahead, before our event walk
        # reaches the first level too deep: the same words as ours, at the place libyaml gave up.
        return f"nesting is deeper than {max_depth} levels", line, column
    message = exc.problem or exc.context or "cannot be parsed"
    if exc.problem and exc.context:
        where = f" at line {exc.context_mark.line + 1}" if exc.context_mark is not None else ""
        message = f"{exc.problem} ({exc.context}{where})"
    if "expected a single document" in message:
        message = "the file holds more than one YAML document (a second '---'); keep everything in one"
    rest = content[column - 1 :] if 1 <= column <= len(content) else ""
    if exc.problem == "found character that cannot start any token" and rest[:1] in ("@", "`", "%"):
        # libyaml does not say which character: '@' and '`' are reserved, '%' starts a directive.
        message = f"a value cannot start with '{rest[0]}' (YAML reserves it); put the value in quotes"
    elif exc.problem == "mapping values are not allowed in this context":
        message = (
            "mapping values are not allowed here: a ': ' inside a value needs quotes around the value, "
            "and a key must line up with the keys beside it"
        )
    elif exc.problem == "found undefined alias":
        name = re.match(r"\*([^\s,\[\]{}]+)", rest)
        if name is not None:  # libyaml does not say which alias either
            message = f"alias '*{name[1]}' refers to no anchor; define '&{name[1]}' before it, or write the value out"
    return f"YAML syntax error: {message}", line, column
