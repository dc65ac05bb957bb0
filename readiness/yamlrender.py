"""Write readiness.yaml data back out the way the user wrote it, for yamledit.py.

ruamel rewrites lines the user wrote: `True` becomes `true`, `---`, alignment spaces and trailing spaces go.
Where an edit left such lines alone, we put them back as the user wrote them, and write the file with its own
indents, blank lines between sections, BOM and line ends.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from readiness.diagnostics import InputError
from readiness.yamlcomments import is_block, is_flow
from readiness.yamlsource import parse_document

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
    """The new text ("\n" line ends, no BOM) and ruamel's own rendering of the data.

    `source` is the file's lines as last read or written, `previous` ruamel's rendering of the data then.
    """
    rendered = dump(data, layout).splitlines(keepends=True)
    if source == previous:
        return "".join(rendered), rendered
    text = "".join(rendered)
    restored = "".join(_restore(source, previous, rendered))
    return (restored if _same_meaning(restored, text) else text), rendered


def outward(text: str, layout: Layout) -> str:
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return "\ufeff" + text if layout.bom else text


def _restore(source: list[str], before: list[str], after: list[str]) -> list[str]:
    """`after` with every stretch the edit left alone written as in `source`.

    `before` is ruamel's rendering of `source`; where the two differ (ruamel writes `True` as `true`, drops
    `---`, alignment spaces and trailing spaces), the user's lines come back as long as ruamel's version of
    them is unchanged between `before` and `after`.
    """
    # Chunks of `before` and the `source` lines they stand for; an empty range is lines only `source` has,
    # kept with the line of `before` they precede.
    chunks: list[tuple[int, int, list[str]]] = []
    for _tag, i1, i2, j1, j2 in SequenceMatcher(None, before, source, autojunk=False).get_opcodes():
        if i2 - i1 == j2 - j1:  # equal, or as many lines rewritten: line for line
            chunks += [(i1 + k, i1 + k + 1, [source[j1 + k]]) for k in range(i2 - i1)]
        else:
            chunks.append((i1, i2, source[j1:j2]))
    out: list[str] = []
    for tag, a, b, c, d in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
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


def _same_meaning(first: str, second: str) -> bool:
    """Whether the tool's own loader reads both texts as the same data, types and key order included."""
    try:
        return _identical(parse_document(first, "first").data, parse_document(second, "second").data)
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
