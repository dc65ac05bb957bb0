"""JSON as every JSON output of the tool is written: indented, non-ASCII text as it is, no control character raw.

json.dumps escapes C0 controls but writes DEL, the C1 controls (U+009B is a one-byte CSI to many terminals) and
the line and paragraph separators as they are; `cat`ed to a terminal or a CI log they would act. They are written
as `\\u` escapes here, which every JSON reader decodes to the same string.

The text is json.dumps(data, indent=2, ensure_ascii=False), byte for byte, but not written by it: with an indent,
json.dumps leaves its C encoder for a Python one that yields every bracket, comma and indent through a chain of
generators as deep as the data, a second of a 10,000-project portfolio. `_indented` writes the same characters
into one list, with json's own C function for every string and one join for a list of strings. Anything but the
plain JSON types (a str or int subclass, a key that is not a string) is left to json.dumps, so that the text
never differs from its.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")
_STEP = "  "  # indent=2
_INFINITY = float("inf")


class _NotPlain(Exception):
    """The data holds a value json.dumps converts in a way `_indented` does not copy."""


def dumps(data: Any) -> str:
    """`data` as indented JSON with a final line break."""
    try:
        text = _indented(data)
    except _NotPlain:
        text = json.dumps(data, indent=2, ensure_ascii=False)
    # Such a character can only stand inside a string, where an escape means the same. Of them only DEL is ASCII:
    # asking a str whether it is ASCII costs nothing and looking for one character is a plain scan, where the
    # search takes a third of a second over a 10,000-project portfolio.
    if ("\x7f" in text or not text.isascii()) and _RAW.search(text) is not None:
        text = _RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text + "\n"


def _number(value: float) -> str:
    """A float as json.dumps writes it: its repr, and JavaScript's names for the values JSON has no number for."""
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _indented(data: Any) -> str:
    parts: list[str] = []
    put = parts.append
    encode = encode_basestring

    def scalar(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return encode(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if kind is int:
            return int.__repr__(value)
        if kind is float:
            return _number(value)
        raise _NotPlain

    def write(value: Any, indent: str) -> None:
        """`value`, whose first line is already indented; `indent` is a line break and the indent of its level."""
        kind = type(value)
        if kind is dict:
            if not value:
                put("{}")
                return
            inner = indent + _STEP
            before, between = "{" + inner, "," + inner
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                held = type(item)
                # The commonest values first, without a call: strings, and numbers that are numbers.
                if held is str:
                    put(before + encode(key) + ": " + encode(item))
                elif held is float and -_INFINITY < item < _INFINITY:
                    put(before + encode(key) + ": " + float.__repr__(item))
                elif held is dict or held is list or held is tuple:
                    put(before + encode(key) + ": ")
                    write(item, inner)
                else:
                    put(before + encode(key) + ": " + scalar(item))
                before = between
            put(indent + "}")
        elif kind is list or kind is tuple:
            if not value:
                put("[]")
                return
            inner = indent + _STEP
            between = "," + inner
            try:  # most lists hold only strings (a project's gaps): one join, json's C function for each
                put("[" + inner + between.join(map(encode, value)) + indent + "]")
                return
            except TypeError:  # not a string among them: item by item
                pass
            before = "[" + inner
            for item in value:
                if type(item) is dict or type(item) is list or type(item) is tuple:
                    put(before)
                    write(item, inner)
                else:
                    put(before + scalar(item))
                before = between
            put(indent + "]")
        else:
            put(scalar(value))

    write(data, "\n")
    return "".join(parts)
