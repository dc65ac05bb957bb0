"""Write readiness.yaml data back out the way the user wrote it, for yamledit.py.

ruamel rewrites lines the user wrote: `True` becomes `true`, `"\u00e9"` becomes `"é"`, alignment spaces and
trailing spaces go, and so do the `%YAML` directive and the `---` and `...` lines around the document. Those lines
are kept aside before ruamel reads the file (see frame) and put back as they were; where an edit left a line, or
part of a line, alone, we put it back as the user wrote it; and the file is written with its own indents, blank
lines between sections, BOM, line ends and final line break.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from readiness.edit.yamlcomments import is_block, is_flow
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import parse_document

# ruamel's nodes (CommentedMap, CommentedSeq) expose their records as Any; the helpers below take Any for them.

_WIDTH = 1 << 20  # never fold a long string over several lines


@dataclass(frozen=True)
class Layout:
    """How the file is written, so that a save writes it the same way."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    spaced: bool = False  # top-level sections are separated by blank lines
    bom: bool = False
    crlf: bool = False
    head: str = ""  # directives and the `---` line, with the comments among them, as the user wrote them
    tail: str = ""  # the `...` line and the comments after it
    final_newline: bool = True


class _Representer(RoundTripRepresenter):
    """ruamel's representer, except for new floats (see _represent_float); a subclass, so ruamel stays as it was."""


def _represent_float(representer: Any, data: float) -> Any:
    """ruamel writes 1e-07 and 1e+20: floats in YAML 1.2, but strings to a YAML 1.1 reader (PyYAML, our loader)."""
    text = repr(data)
    if math.isfinite(data) and "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        return representer.represent_scalar("tag:yaml.org,2002:float", f"{mantissa}.0e{exponent}")
    return RoundTripRepresenter.represent_float(representer, data)


_Representer.add_representer(float, _represent_float)


class _Emitter(RoundTripEmitter):
    """ruamel's emitter, except for an end-of-line comment pushed right by a longer value (see write_comment)."""

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        """Keep two spaces before the `#` where ruamel would leave one (yamllint's default asks for two).

        ruamel writes an end-of-line comment at its old column; when the edited value now reaches past it,
        ruamel puts a single space in between. That only happens on a line the edit changed.
        """
        mark = comment.start_mark
        pushed = mark is not None and mark.column < self.column + 1
        if not pre and self.column and comment.value.startswith("#") and pushed:
            comment = CommentToken(comment.value, CommentMark(self.column + 2))
        super().write_comment(comment, pre)


def yaml_handler(layout: Layout) -> YAML:
    handler = YAML(typ="rt")
    handler.Representer = _Representer
    handler.Emitter = _Emitter
    handler.preserve_quotes = True
    handler.width = _WIDTH
    handler.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return handler


def dump(data: Any, layout: Layout) -> str:
    stream = io.StringIO()
    yaml_handler(layout).dump(data, stream)
    return stream.getvalue()


def render(data: Any, layout: Layout, source: list[str], previous: list[str]) -> tuple[str, list[str]]:
    """The new text ("\n" line ends, no BOM, without the head and tail) and ruamel's own rendering of the data.

    `source` is the file's lines as last read or written, `previous` ruamel's rendering of the data then. The
    user's text is put back part of a line at a time where it can be, else whole lines at a time; either is
    used only when the tool's loader reads it as it reads ruamel's own text.
    """
    rendered = dump(data, layout).splitlines(keepends=True)
    text = "".join(rendered)
    if source == previous:
        return text, rendered
    try:
        meaning = parse_document(text, "rendered").data
    except InputError:
        return text, rendered
    for within_lines in (True, False):
        restored = "".join(_restore(source, previous, rendered, within_lines))
        if _reads_as(restored, meaning):
            return restored, rendered
    return text, rendered


def frame(text: str) -> tuple[str, str, str]:
    """(head, body, tail) of a file's text: ruamel reads only the body, and a save writes the others back as
    they were. The head is the directives (`%YAML 1.2`) and the `---` line that ends them, with the blank and
    comment lines among them; the tail is a `...` line and the blank and comment lines after it. A `---` or
    `...` line with more than a comment on it stays in the body."""
    lines = text.splitlines(keepends=True)
    start = 0
    for index, line in enumerate(lines):
        if line.startswith("---") and _only_comment(line[3:]):
            start = index + 1
            break
        if line.strip() and not line.lstrip().startswith("#") and not line.startswith("%"):
            break
    end = len(lines)
    for index in range(len(lines) - 1, start - 1, -1):
        line = lines[index]
        if line.startswith("...") and _only_comment(line[3:]):
            end = index
            break
        if line.strip() and not line.lstrip().startswith("#"):
            break
    return "".join(lines[:start]), "".join(lines[start:end]), "".join(lines[end:])


def _only_comment(rest: str) -> bool:
    """Whether what follows `---` or `...` on its line is nothing, or a comment."""
    return not rest.strip() or (rest[0] in " \t" and rest.strip().startswith("#"))


def outward(text: str, layout: Layout) -> str:
    text = layout.head + text + layout.tail
    if not layout.final_newline and text.endswith("\n"):
        text = text[:-1]
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return "\ufeff" + text if layout.bom else text


def _restore(source: Sequence[str], before: Sequence[str], after: Sequence[str], within_lines: bool) -> list[str]:
    """`after` with every stretch the edit left alone written as in `source`.

    `before` is ruamel's rendering of `source`; where the two differ (ruamel writes `True` as `true`, drops
    alignment spaces and trailing spaces), the user's lines come back as long as ruamel's version of them is
    unchanged between `before` and `after`. With `within_lines`, a line the edit changed is restored the same
    way one token at a time: `{status: todo, note: "caf\u00e9"}` becomes `{status: done, note:
    "caf\u00e9"}`, not `{status: done, note: "café"}`. The elements are lines, or tokens of one line.
    """
    # Chunks of `before` and the `source` elements they stand for; an empty range is elements only `source` has,
    # kept with the element of `before` they precede.
    chunks: list[tuple[int, int, list[str]]] = []
    for _tag, i1, i2, j1, j2 in SequenceMatcher(None, before, source, autojunk=False).get_opcodes():
        if i2 - i1 == j2 - j1:  # equal, or as many elements rewritten: one for one
            chunks += [(i1 + k, i1 + k + 1, [source[j1 + k]]) for k in range(i2 - i1)]
        else:
            chunks.append((i1, i2, list(source[j1:j2])))
    alone = {start: lines[0] for start, end, lines in chunks if end == start + 1 and len(lines) == 1}
    out: list[str] = []
    for tag, a, b, c, d in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            if within_lines and tag == "replace" and b - a == d - c:
                for k in range(b - a):
                    out.append(_restore_line(alone.get(a + k), before[a + k], after[c + k]))
            else:
                out += after[c:d]
            continue
        for start, end, lines in chunks:
            if start == end:
                if a <= start < b or start == b == len(before):
                    out += lines
            elif a <= start and end <= b:
                out += lines
            elif start < b and a < end:
                out += before[max(a, start) : min(b, end)]
    return out


_LINE_MAX = 2000  # longer lines are not compared token by token (that takes the square of their length)
# A quoted string whole (so that a value is the user's or ruamel's, never a mix), a comment, spaces, a run of
# plain text, or one character of flow punctuation.
_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|#.*|\s+|[^\s,\[\]{}"'#]+|.""")


def _restore_line(source: str | None, before: str, after: str) -> str:
    """One changed line, with the values the edit left alone in it written as in `source` (the user's line)."""
    if source is None or source == before or max(len(source), len(before), len(after)) > _LINE_MAX:
        return after
    return "".join(_restore(_TOKEN.findall(source), _TOKEN.findall(before), _TOKEN.findall(after), False))


def _reads_as(text: str, meaning: object) -> bool:
    """Whether the tool's own loader reads `text` as `meaning`, types and key order included."""
    try:
        return _identical(parse_document(text, "restored").data, meaning)
    except InputError:
        return False


def _identical(first: object, second: object) -> bool:
    if type(first) is not type(second):
        return False
    if isinstance(first, dict) and isinstance(second, dict):
        return list(first) == list(second) and all(_identical(first[k], second[k]) for k in first)
    if isinstance(first, list) and isinstance(second, list):
        return len(first) == len(second) and all(_identical(x, y) for x, y in zip(first, second, strict=True))
    return first == second


def indents(data: Any, lines: list[str]) -> tuple[int, int, int]:
    """The mapping indent and the sequence indent and dash offset most used in the file (2, 4, 2 if none)."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedSeq):
            stack.extend(node)
        if not isinstance(node, CommentedMap) or is_flow(node):
            continue
        for key, value in node.items():
            stack.append(value)
            if not is_block(value):
                continue
            try:
                key_line, key_column = node.lc.key(key)
                if isinstance(value, CommentedMap):
                    line, column = value.lc.key(next(iter(value)))
                    if line > key_line:
                        mappings[column - key_column] += 1
                    continue
                line, column = value.lc.item(0)
                text = lines[line]
                dash = text.rfind("-", 0, column)
            except (KeyError, IndexError, TypeError, ValueError):
                continue
            if (
                line > key_line
                and dash >= key_column
                and not text[:dash].strip()
                and not text[dash + 1 : column].strip()
            ):
                sequences[(column - key_column, dash - key_column)] += 1
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (4, 2)
    if mapping < 1:
        mapping = 2
    if offset < 0 or sequence < offset + 2:
        sequence, offset = 4, 2
    return mapping, sequence, offset


def spaced(lines: list[str]) -> bool:
    """Whether most top-level keys after the first have a blank line above them (or above their comments)."""
    spaced = tight = 0
    first = True
    for index, line in enumerate(lines):
        if not line.strip() or line[0] in " \t#-%." or ":" not in line:
            continue
        if first:
            first = False
            continue
        above = index - 1
        while above >= 0 and lines[above].startswith("#"):
            above -= 1
        if above >= 0 and not lines[above].strip():
            spaced += 1
        else:
            tight += 1
    return spaced > tight
