"""The literal values of a JavaScript object written in source (`export const options = {...}`), read by
characters: strings, numbers, booleans, arrays and objects are taken with their offsets; any other expression
(a variable, a call, a function, a template with `${}`) is skipped and stands as OPAQUE. Nothing is evaluated.

Bounded: nesting deeper than MAX_DEPTH, or more than MAX_STEPS steps (values, brackets, string escapes), stops
the reading with OverLimit; every step moves forward through the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32  # a k6 options object is three or four levels deep
MAX_STEPS = 100_000  # a k6 options object takes a few hundred; a file built to be slow to read stops here

_BLANK = re.compile(r"(?:\s+|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/|$))+")
_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?)")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_OPENERS = {"(": ")", "[": "]", "{": "}"}
# Where a string's plain run ends (its quote, an escape, the line's end, a template's `${`) and where an expression
# may (a string, a comment, a bracket, a comma): searched for, so plain text is passed over at the regex's speed.
_STRING_STOPS = {"'": re.compile(r"['\\\n]"), '"': re.compile(r'["\\\n]'), "`": re.compile(r"[`\\]|\$\{")}
_SKIP_STOPS = re.compile(r"""['"`()\[\]{},]|/[/*]""")


class _Opaque:
    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE: Any = _Opaque()  # an expression the reader does not evaluate


class OverLimit(ValueError):
    """The literal nests deeper than MAX_DEPTH or takes more than MAX_STEPS steps to read."""


@dataclass(frozen=True)
class Node:
    """A value and the offset in the text where it starts. `value` is a dict of Nodes, a list of Nodes, a str,
    a float, a bool, None, or OPAQUE."""

    value: Any
    offset: int


def read_value(text: str, offset: int) -> Node:
    """The value starting at `offset` (blanks and comments before it skipped)."""
    return _Reader(text).value(offset, 0)[0]


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverLimit(f"over {MAX_STEPS:,} steps to read")

    def blank(self, at: int) -> int:
        found = _BLANK.match(self.text, at)
        return found.end() if found else at

    def value(self, at: int, depth: int) -> tuple[Node, int]:
        if depth > MAX_DEPTH:
            raise OverLimit(f"nested over {MAX_DEPTH} levels")
        self.step()
        at = self.blank(at)
        char = self.text[at : at + 1]
        if char == "{":
            return self.mapping(at, depth)
        if char == "[":
            return self.sequence(at, depth)
        if char in ("'", '"', "`"):
            text, end = self.string(at)
            end_blank = self.blank(end)
            if text is not None and self.text[end_blank : end_blank + 1] in (",", "}", "]", ")", ""):
                return Node(text, at), end
            return Node(OPAQUE, at), self.skip(at)
        number = _NUMBER.match(self.text, at)
        if number and self.ends_value(number.end()):
            return Node(_number(number.group()), at), number.end()
        name = _NAME.match(self.text, at)
        if name and name.group() in _WORDS and self.ends_value(name.end()):
            return Node(_WORDS[name.group()], at), name.end()
        return Node(OPAQUE, at), self.skip(at)

    def ends_value(self, at: int) -> bool:
        at = self.blank(at)
        return self.text[at : at + 1] in (",", "}", "]", ")", "")

    def mapping(self, at: int, depth: int) -> tuple[Node, int]:
        start, at = at, at + 1
        entries: dict[str, Node] = {}
        while True:
            self.step()
            at = self.blank(at)
            char = self.text[at : at + 1]
            if char in ("}", ""):
                return Node(entries, start), at + 1
            if char == ",":
                at += 1
                continue
            key, at = self.key(at)
            at = self.blank(at)
            if key is not None and self.text[at : at + 1] == ":":
                value, at = self.value(at + 1, depth + 1)
                entries[key] = value
            else:  # a spread, a shorthand property, a method, a computed key: unknown content
                # A key without ':' (shorthand, method) holds an unknown value; no key (a spread, a computed
                # key) may bring any key: "..." says so.
                entries[key if key is not None else "..."] = Node(OPAQUE, at)
                end = self.skip(at)
                # A stray ')' or ']' stops the skip where it stands: step over it, so every turn moves on.
                at = end if end > at or self.text[at : at + 1] in (",", "}") else at + 1

    def key(self, at: int) -> tuple[str | None, int]:
        char = self.text[at : at + 1]
        if char in ("'", '"'):
            return self.string(at)
        name = _NAME.match(self.text, at) or _NUMBER.match(self.text, at)
        if name:
            return name.group(), name.end()
        return None, at

    def sequence(self, at: int, depth: int) -> tuple[Node, int]:
        start, at = at, at + 1
        items: list[Node] = []
        while True:
            self.step()
            at = self.blank(at)
            char = self.text[at : at + 1]
            if char in ("]", ""):
                return Node(items, start), at + 1
            if char == ",":
                at += 1
                continue
            item, end = self.value(at, depth + 1)
            items.append(item)
            at = max(end, at + 1)

    def string(self, at: int) -> tuple[str | None, int]:
        """The quoted string at `at` and the offset after it; None for a template with a substitution, or a
        string its line ends before it closes."""
        quote = self.text[at]
        parts: list[str] = []
        substituted = False  # a template's `${}` is an expression: the string is not known
        index = at + 1
        while True:
            self.step()
            found = _STRING_STOPS[quote].search(self.text, index)
            if found is None:
                return None, len(self.text)
            parts.append(self.text[index : found.start()])
            stop, index = found.group(), found.end()
            if stop == quote:
                return (None if substituted else "".join(parts)), index
            if stop == "\\":
                escaped = self.text[index : index + 1]
                parts.append(_ESCAPES.get(escaped, escaped))
                index += 1
            elif stop == "\n":
                return None, found.start()
            else:
                substituted = True

    def skip(self, at: int) -> int:
        """The end of the expression at `at`: the first ',' or closing bracket it did not open, outside strings
        and comments."""
        closers: list[str] = []
        index = at
        while True:
            self.step()
            found = _SKIP_STOPS.search(self.text, index)
            if found is None:
                return len(self.text)
            stop, index = found.group(), found.start()
            if stop in ("'", '"', "`"):
                index = self.string(index)[1]
                continue
            if stop in ("//", "/*"):
                index = self.blank(index)
                continue
            if stop in _OPENERS:
                closers.append(_OPENERS[stop])
            elif closers and stop == closers[-1]:
                closers.pop()
            elif not closers and stop in ",)]}":
                return index
            index += 1


def _number(written: str) -> float:
    cleaned = written.replace("_", "")
    if cleaned.lstrip("+-")[:2] in ("0x", "0X"):
        return float(int(cleaned, 16))
    return float(cleaned)
