"""A JSON file read by Python's own JSON parser, with the position of every value and key as the YAML reader gives.

JSON is YAML, and most artifacts are JSON (k6 summaries, promptfoo and Inspect logs, lm-eval results). The YAML
reader reads them right but slowly, every token a Python event walked in Python (some 0.3 s a megabyte), where
json's parser builds the same data in C in about 20 ms. One scan of the text's tokens, in the order the data lists
its values, then places every value and every key: some 0.15 s a megabyte in all.

What JSON accepts but the YAML reader reads otherwise or refuses is left to it: `read` gives None, and the caller
reads the text the YAML way, so every message still comes from one place. That is a key whose ':' stands on
another line or more than 1,024 characters on (libyaml gives up on such a key), a surrogate pair written as two
escapes, a tab before or after the data, a number too large for a float, a key written twice, and nesting deeper
than the caller's limit. The caller refuses characters YAML does not allow before either reading.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

from readiness.load.diagnostics import JsonPath

Places = dict[JsonPath, tuple[int, int]]

# Where a value or a key starts in valid JSON; what lies between (blanks, ',', ':' and closing brackets) is
# skipped. The string's pattern is the unrolled loop, which cannot backtrack: its two parts never match the same text.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[^\s,:\[\]{}"]+')
_LEADING = re.compile(r"[ \r\n]*")
# An escape of half a surrogate pair: JSON joins a pair into one character, libyaml refuses each half. Preceded
# by an escaped backslash it is text, which costs only the slower reading.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A ':' first on its line: a key whose ':' stands on a later line (raw line breaks in valid JSON are blanks
# between tokens, never inside a string).
_COLON_FIRST_ON_LINE = re.compile(r"[\r\n][ \t]*:")
# Characters YAML reads as line breaks and JSON as part of a string (the reader refuses them before this one).
_YAML_BREAK = re.compile("[\x85\u2028\u2029]")
# libyaml forgets a possible key once 1,024 characters have passed since its start (its '"'), and then cannot read
# the ':' after it. A key's value starts after its ':'; one that starts within this many characters of the key
# leaves no doubt (a value further on, after a long key or many blanks, is left to the YAML reader).
_KEY_REACH = 1025
_CLOSING = {"{": "}", "[": "]"}


class _NotAsYaml(Exception):
    """The text is JSON that the YAML reader reads otherwise, or refuses."""


def _refuse_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def read(text: str, max_depth: int) -> tuple[Any, Places, Places] | None:
    """The data of a JSON object or array, the (line, column) of each value and of each key, both 1-based and
    counted as libyaml counts them; None when `text` is not such JSON or the YAML reader must decide."""
    leading = _LEADING.match(text)
    first = leading.end() if leading is not None else 0
    if text[first : first + 1] not in _CLOSING:
        return None  # not JSON, a scalar, or a tab before the data (YAML's indentation)
    try:  # first, as YAML in flow style fails here early, and what follows looks at the whole text
        data = _DECODER.decode(text)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError, and so is an int of 4,300 digits
        return None
    if _SURROGATE_ESCAPE.search(text) or _COLON_FIRST_ON_LINE.search(text) or _YAML_BREAK.search(text):
        return None
    # After the data only blanks follow, so the last closing bracket of its kind closes it; a tab after it on a
    # line of its own is YAML's indentation.
    if "\t" in text[text.rfind(_CLOSING[text[first]]) :]:
        return None
    try:
        return _placed(text, data, max_depth)
    except (_NotAsYaml, IndexError):
        return None


def _placed(text: str, data: Any, max_depth: int) -> tuple[Any, Places, Places]:
    """Every value and key of `data` given the position of its token in `text`: both list them in the same order."""
    offsets = [token.start() for token in _TOKEN.finditer(text)]
    places = _places(text, offsets)
    values: Places = {(): places[0]}
    keys: Places = {}

    def collection(value: Any, path: JsonPath, depth: int, at: int) -> int:
        """Place what `value` holds, its first token at `at`; the index of the token after its last."""
        if value and depth >= max_depth:
            raise _NotAsYaml  # its values stand deeper than the limit: the YAML reader says where
        if type(value) is dict:
            for key, inner in value.items():
                if offsets[at + 1] - offsets[at] > _KEY_REACH:
                    raise _NotAsYaml
                inner_path: JsonPath = (*path, key)
                keys[inner_path] = places[at]
                values[inner_path] = places[at + 1]
                at += 2
                kind = type(inner)
                if kind is dict or kind is list:
                    at = collection(inner, inner_path, depth + 1, at)
                elif kind is float and not math.isfinite(inner):
                    raise _NotAsYaml
        else:
            for index, inner in enumerate(value):
                inner_path = (*path, index)
                values[inner_path] = places[at]
                at += 1
                kind = type(inner)
                if kind is dict or kind is list:
                    at = collection(inner, inner_path, depth + 1, at)
                elif kind is float and not math.isfinite(inner):
                    raise _NotAsYaml
        return at

    # Tokens left over belong to keys written twice, which JSON folds into one; YAML says so.
    if collection(data, (), 0, 1) != len(offsets):
        raise _NotAsYaml
    return data, values, keys


def _places(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """The 1-based (line, column) of each offset. Valid JSON holds no raw character that splitlines breaks a line
    at but libyaml does not (those are control characters, never raw in JSON); a lone CR breaks a line in both."""
    starts = list(accumulate(map(len, text.splitlines(keepends=True)), initial=0))
    if len(starts) <= 2:  # one line
        return [(1, offset + 1) for offset in offsets]
    return [(line, offset - starts[line - 1] + 1) for offset in offsets for line in (bisect_right(starts, offset),)]
