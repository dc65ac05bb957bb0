"""A result of `readiness check -f json` read back as a baseline: nothing of it is used before it is valid.

A baseline comes from wherever the pull request says, so it is read as strictly as an assessment: by the YAML
reader (JSON is YAML's flow style), which gives every value its line and column and refuses duplicate keys,
escaped control characters, deep nesting and alias bombs; then against `readiness schema result`. Every problem
is an input error at its position, all of them at once.

What JSON allows and the YAML reader does not is handled first: a character beyond U+FFFF written as a pair of
`\\u` escapes (Python's json.dumps writes one so by default), and the bare NaN and Infinity that json.dumps
writes for a float that is not finite, which YAML reads as words.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from readiness.load import schemas
from readiness.load.diagnostics import Diagnostic, InputError, JsonPath, json_path
from readiness.load.textsafe import first_control, visible
from readiness.load.yamlsource import Document, file_problem, parse_document
from readiness.load.yamltext import refused_character

# A `\u` escape whose backslash is not itself escaped: an even run of backslashes (or none) before it.
_UNESCAPED = r"(?<!\\)((?:\\\\)*)"
_PAIR = re.compile(_UNESCAPED + r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_HALF = re.compile(_UNESCAPED + r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})")
_NOT_FINITE = frozenset({"NaN", "Infinity", "-Infinity", "+Infinity"})
_QUOTES = ('"', "'")
_BAD_ESCAPE = "invalid Unicode character escape code"
_SYNTAX = "YAML syntax error"
# Raw, such characters are refused in the text itself (json.loads refuses raw controls in strings too); written as
# escapes, they are found here: a C0 control but tab, LF and CR, DEL, a C1 control, half of a surrogate pair. The
# pattern starts with a plain backslash, which the regex engine finds fast; whether that backslash is itself
# escaped is decided afterwards, for the few it finds.
_REFUSED_ESCAPE = re.compile(
    r"\\(?:[bf]|u(?:00[01][0-8b-cB-Ce-fE-F]|001[0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F]))"
)
# Tab and line breaks, which the YAML reader lets through in any string, count as spaces in a title.
_AS_SPACES = str.maketrans("\t\n\r", "   ")


@dataclass(frozen=True)
class JsonText:
    """The text as the YAML reader can read it, and how to find a column of it in the text as written."""

    text: str
    # line -> columns (1-based, in `text`) just after each rewritten pair, each 2 characters shorter than written
    shifts: dict[int, list[int]]

    def where(self, line: int, column: int) -> tuple[int, int]:
        """The position in the text as written of (line, column) in `text`."""
        after = self.shifts.get(line)
        return (line, column) if after is None else (line, column + 2 * bisect_right(after, column))

    def placed(self, diagnostic: Diagnostic) -> Diagnostic:
        return replace(diagnostic, column=self.where(diagnostic.line, diagnostic.column)[1])


def readable(text: str) -> JsonText:
    """Surrogate pairs of `\\u` escapes (`\\ud83d\\ude00`) written as the one `\\U` escape YAML reads."""
    if "\\u" not in text or _PAIR.search(text) is None:
        return JsonText(text, {})
    lines = _Lines(text)
    shifts: dict[int, list[int]] = {}
    pieces: list[str] = []
    done = 0
    for found in _PAIR.finditer(text):
        high, low = int(found.group(2), 16), int(found.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        pieces += [text[done : found.start()], found.group(1), f"\\U{code:08x}"]
        done = found.end()
        line, column = lines.position(found.end())
        earlier = shifts.setdefault(line, [])
        earlier.append(column - 2 * (len(earlier) + 1))  # in the rewritten text, each earlier pair is 2 shorter
    pieces.append(text[done:])
    return JsonText("".join(pieces), shifts)


class _Lines:
    """Line and column of an offset, counting lines as libyaml does (CR LF, CR and LF each end one)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(found.end() for found in re.finditer(r"\r\n|\r|\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def plainly_valid(text: str) -> dict[str, Any] | None:
    """The result in `text` when nothing in it needs a position to be told: JSON by the letter (no key twice, no
    bare NaN), nothing the YAML reader refuses, valid against the schema, and every check of `problems` passed.
    Anything else is None and is read the thorough way, which says where each problem is.

    The thorough way costs a result of the examples' size some 60 ms, most of it positions; json.loads and the
    compiled schema take a few. What this accepts, the thorough way accepts with the same data (a differential
    test in tests/test_untrusted_text.py holds the two to that)."""
    if refused_character(text) is not None or _escapes_a_refusal(text):
        return None
    try:
        data = json.loads(text, object_pairs_hook=_once, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError, as are a key twice and NaN
        return None
    # The schema leaves no value free to nest (so the reader's depth limit is never reached in a valid result).
    if not isinstance(data, dict) or "schema_version" not in data or not schemas.is_valid(data, "result"):
        return None
    for key in ("categories", "items"):
        if any(_control_in(entry) for entry in data[key]) or len({e["id"] for e in data[key]}) != len(data[key]):
            return None
    return data


def _escapes_a_refusal(text: str) -> bool:
    for found in _REFUSED_ESCAPE.finditer(text):
        start = before = found.start()
        while before and text[before - 1] == "\\":
            before -= 1
        if (start - before) % 2 == 0:  # an even run of backslashes before it: this one begins an escape
            return True
    return False


def _once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise ValueError("a key written twice")
    return mapping


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a finite number")


def _control_in(entry: dict[str, Any]) -> bool:
    """What `_shown` refuses in an id or a title, as a yes or no."""
    return any(_controls(entry))


def _controls(entry: dict[str, Any]) -> Iterator[tuple[str, str, int]]:
    """Each field of an id or title that holds a control character, with the field's text and where the character
    stands. A title may hold a tab or a line break, which every view shows as a space; an id may not."""
    for field in ("id", "pack", "title"):
        text = entry.get(field)
        if isinstance(text, str):
            position = first_control(text.translate(_AS_SPACES) if field == "title" else text)
            if position is not None:
                yield field, text, position


def parse(text: str, file: str, *, named_json: bool = False) -> tuple[Document, JsonText]:
    """The document of `text`, positions as written; problems in single values come back in it (tolerant).
    A file `named_json` that cannot be parsed is told so in JSON's words rather than YAML's."""
    json_text = readable(text)
    try:
        document = parse_document(json_text.text, file, tolerant=True)
    except InputError as error:
        if named_json and any(d.message.startswith(_SYNTAX) for d in error.diagnostics):
            json_problem = _json_syntax(text, file)
            if json_problem is not None:
                raise json_problem from None
        half = _HALF.search(json_text.text)  # a half left once the pairs are joined stands alone
        if half is not None and any(_BAD_ESCAPE in d.message for d in error.diagnostics):
            # libyaml's words for it name no cause
            line, column = json_text.where(*_Lines(json_text.text).position(half.start(2) - 2))
            escape = "\\u" + half.group(2)
            raise file_problem(
                file,
                f"'{escape}' is half of a surrogate pair, without its other half: not a character; write the "
                "character itself, or both halves of its pair",
                line,
                column,
            ) from None
        raise InputError([json_text.placed(d) for d in error.diagnostics]) from None
    if not json_text.shifts:
        return document, json_text
    values = {path: json_text.where(*where) for path, where in document.values.items()}
    keys = {path: json_text.where(*where) for path, where in document.keys.items()}
    problems = tuple(json_text.placed(d) for d in document.problems)
    return Document(file, document.data, values, keys, problems), json_text


def _json_syntax(text: str, file: str) -> InputError | None:
    """What JSON's own parser says of a file the YAML reader could not parse, in its words and at its position."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return file_problem(file, f"not valid JSON: {error.msg}", error.lineno, error.colno)
    except (RecursionError, ValueError):
        return None
    return None  # JSON, though not as YAML reads it: the reader's words stand


def problems(document: Document, text: str) -> list[Diagnostic]:
    """Every reason the document cannot be used as a result, each at its position: what the reading found, words
    standing where a number should (NaN), the schema's findings, titles holding control characters, and ids
    listed twice. Empty when it is a result."""
    words = _not_finite(document, text)
    if words:
        document = replace(document, problems=(*document.problems, *words))
    found = schemas.validate(document, "result")
    if found:
        return found  # the checks below read the shape the schema promises
    data = document.data
    found += _shown(document, "categories", data["categories"])
    found += _shown(document, "items", data["items"])
    found += _twice(document, "categories", data["categories"])
    found += _twice(document, "items", data["items"])
    return sorted(found)


def _not_finite(document: Document, text: str) -> list[Diagnostic]:
    """NaN, Infinity and -Infinity written bare, as Python's json.dumps writes a float that is not finite; YAML
    reads them as words. Each is reported and, as a value, replaced by None, so the schema says nothing more."""
    if "NaN" not in text and "Infinity" not in text:
        return []  # the walk below costs a tenth of reading a large result; most have neither word
    lines = re.split(r"\r\n|\r|\n", text)
    found = []
    for path, value, parent in _strings(document.data, ()):
        if value not in _NOT_FINITE:
            continue
        line, column = document.where(path)
        written = lines[line - 1][column - 1 : column] if line <= len(lines) else ""
        if written in _QUOTES:
            continue  # the string "NaN": a word, which the schema judges where it stands
        found.append(
            document.diag(
                path, f"{value} is not a finite number; a result holds finite numbers only (JSON has no {value})"
            )
        )
        parent[path[-1]] = None
    return found


def _strings(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str, Any]]:
    """Each string value with its path and the collection holding it."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in list(children):
        if isinstance(inner, str):
            yield (*path, key), inner, value
        else:
            yield from _strings(inner, (*path, key))


def _shown(document: Document, key: str, entries: list[dict[str, Any]]) -> list[Diagnostic]:
    """Ids and titles are what every view of a comparison shows: one holding a control character is refused where
    it stands, as the YAML reader refuses one in an assessment. A title may hold a tab or a line break, as the
    reader lets through in any string and every view turns into a space; an id may not (its pattern, which Python
    matches with `$` before a final line break, lets one through at the end)."""
    found = []
    for index, entry in enumerate(entries):
        for field, text, position in _controls(entry):
            message = (
                f"'{visible(text)}' holds the control character U+{ord(text[position]):04X} at character "
                f"{position + 1}, which would reach terminals, logs and reports as it is; remove it"
            )
            found.append(document.diag((key, index, field), message))
    return found


def _twice(document: Document, key: str, entries: list[dict[str, Any]]) -> list[Diagnostic]:
    """An id listed twice: the comparison would keep one of the two silently."""
    first: dict[str, int] = {}
    found = []
    for index, entry in enumerate(entries):
        entry_id = entry["id"]
        if entry_id in first:
            where = json_path((key, first[entry_id]))
            message = f"'{entry_id}' is listed twice, first at {where}; a result lists each once"
            found.append(document.diag((key, index, "id"), message))
        else:
            first[entry_id] = index
    return found
