"""Edit a readiness.yaml in place for `readiness assess`, keeping what the user wrote.

`assess` saves after every answer, so a save must not disturb anything the user did not ask to change:
comments, blank lines, key order, quoting, flow or block style, indentation, a BOM and CRLF line ends. The
file is loaded with ruamel.yaml's round-trip loader and edited in that form. ruamel keeps the comment that
follows an entry (the blank line and the heading comment before the next section, say) attached to that
entry's last value, so appending after an entry, or removing one, moves that comment by hand: otherwise
it would end up above the new entry, or vanish with the removed one. Lines ruamel writes differently from
the user (`True`, `---`, aligned values, trailing spaces) are put back as the user wrote them when the
edit did not touch them. A save writes atomically and refuses to overwrite a file changed by someone else.

Nothing here prints or exits.
"""

from __future__ import annotations

import codecs
import datetime
import io
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from readiness.diagnostics import InputError
from readiness.output import write_atomic
from readiness.yamlsource import file_problem, parse_document

# ruamel's nodes (CommentedMap, CommentedSeq, CommentToken) expose their comment and style records as Any;
# the helpers below take and return Any where they handle those.

_ANSWER_FIELDS = ("status", "evidence", "note", "owner", "due", "reviewed", "reason")
_DATE_FIELDS = ("due", "reviewed")
_FLOW_LIST_MAX = 100  # a new list longer than this, written in flow style, is written as a block instead
_WIDTH = 1 << 20  # never fold a long string over several lines
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


class FileChanged(Exception):
    """The file on disk is no longer what was read: someone else edited it."""


@dataclass(frozen=True)
class _Layout:
    """How the file is written, so that a save writes it the same way."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    spaced: bool = False  # top-level sections are separated by blank lines
    bom: bool = False
    crlf: bool = False


@dataclass(eq=False)
class EditableAssessment:
    """A readiness.yaml held as ruamel round-trip data, with what a save needs to write it back the user's way."""

    path: Path
    data: Any  # ruamel's CommentedMap of the whole file
    baseline: bytes  # the bytes last read or written: save() refuses to write over anything else
    _layout: _Layout = field(repr=False)
    _source: list[str] = field(repr=False)  # the file's lines as last read or written ("\n" ends, no BOM)
    _rendered: list[str] = field(repr=False)  # ruamel's rendering of the data at that moment


def open_assessment(path: Path) -> EditableAssessment:
    """Read a readiness.yaml (already validated by the tool's loader) for editing."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise file_problem(str(path), f"cannot read: {error.strerror}") from None
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise file_problem(str(path), f"not valid UTF-8: byte 0x{body[error.start]:02x} cannot be decoded") from None
    first_break = text.find("\n")
    crlf = first_break > 0 and text[first_break - 1] == "\r"
    text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"  # ruamel always ends the file with a line break; the last line must compare equal
    try:
        data = _yaml(_Layout()).load(text)
    except YAMLError as error:
        raise file_problem(str(path), f"YAML syntax error: {error}") from None
    if not isinstance(data, CommentedMap):
        raise file_problem(str(path), "the assessment must be a mapping of keys to values")
    lines = text.splitlines(keepends=True)
    mapping, sequence, offset = _indents(data, lines)
    layout = _Layout(mapping, sequence, offset, _spaced(lines), bom, crlf)
    doc = EditableAssessment(path, data, raw, layout, lines, [])
    doc._rendered = _dump(doc).splitlines(keepends=True)
    return doc


def set_answer(doc: EditableAssessment, item_id: str, fields: Mapping[str, object]) -> None:
    """Create or update the answer to `item_id`; a field set to None is removed from the answer."""
    values = _answer_values(fields)
    answers = doc.data.get("answers")
    if isinstance(answers, CommentedMap) and len(answers):
        flow = _is_flow(answers)
        current = answers.get(item_id)
        if isinstance(current, CommentedMap) and len(current):
            _update(current, values)
        elif item_id in answers:
            _replace(answers, item_id, _new_mapping(values, flow=flow))
        else:
            _append(answers, _text(item_id, flow=flow), _new_mapping(values, flow=flow))
        return
    section = CommentedMap()
    section[_text(item_id, flow=False)] = _new_mapping(values, flow=False)
    _put_section(doc, "answers", section)


def add_member(doc: EditableAssessment, member_id: str, name: str, role: str | None) -> None:
    """Add a team member, or update the name and role of one already there (a role of None removes it; other
    keys, like email, stay)."""
    values: dict[str, object] = {"name": name, "role": role}
    team = doc.data.get("team")
    if isinstance(team, CommentedMap) and len(team):
        current = team.get(member_id)
        if isinstance(current, CommentedMap) and len(current):
            _update(current, values)
        elif member_id in team:
            _replace(team, member_id, _new_mapping(values, flow=True))
        else:
            _append(team, _text(member_id, flow=_is_flow(team)), _new_mapping(values, flow=True))
        return
    section = CommentedMap()
    section[_text(member_id, flow=False)] = _new_mapping(values, flow=True)
    _put_section(doc, "team", section, after=("checklists", "project"))


def set_raci(doc: EditableAssessment, activity: str, responsible: Sequence[str], accountable: str) -> None:
    """Set who is Responsible and Accountable for an activity; its C, I and anything else stay as they are."""
    if isinstance(responsible, str):
        raise TypeError("responsible is a list of team ids, not one string")
    raci = doc.data.get("raci")
    if isinstance(raci, CommentedMap) and len(raci):
        current = raci.get(activity)
        if isinstance(current, CommentedMap) and len(current):
            _update_raci(current, list(responsible), accountable)
        elif activity in raci:
            _replace(raci, activity, _raci_entry(responsible, accountable))
        else:
            _append(raci, _text(activity, flow=_is_flow(raci)), _raci_entry(responsible, accountable))
        return
    section = CommentedMap()
    section[_text(activity, flow=False)] = _raci_entry(responsible, accountable)
    _put_section(doc, "raci", section, after=("team", "checklists", "project"))


def set_cost(doc: EditableAssessment, cost: Mapping[str, object]) -> None:
    """Make the `cost` section hold exactly these keys; keys that stay keep their place and comments."""
    current = doc.data.get("cost")
    if isinstance(current, CommentedMap) and len(current):
        _merge(current, cost)
        return
    _put_section(doc, "cost", _new_mapping(cost, flow=False), before="policy")


def render(doc: EditableAssessment) -> str:
    """The text save() would write, BOM and line ends included."""
    text, _ = _render(doc)
    return _outward(text, doc._layout)


def save(doc: EditableAssessment) -> None:
    """Write the edits atomically, unless the file changed on disk since it was read or last saved."""
    try:
        current = doc.path.read_bytes()
    except FileNotFoundError:
        raise FileChanged(f"{doc.path} was deleted or moved since it was read") from None
    except OSError as error:
        raise file_problem(str(doc.path), f"cannot read: {error.strerror}") from None
    if current != doc.baseline:
        raise FileChanged(f"{doc.path} was changed by someone else since it was read; nothing was written")
    text, rendered = _render(doc)
    written = _outward(text, doc._layout)
    data = written.encode("utf-8")
    if data != current:
        # write_atomic opens the file with newline="\n": "\r\n" in the text is written as is, and "\ufeff"
        # at the start becomes the UTF-8 BOM, so `data` is exactly what lands on disk.
        write_atomic(doc.path, written)
    doc.baseline = data
    doc._source = text.splitlines(keepends=True)
    doc._rendered = rendered


# ── Reading and writing ─────────────────────────────────────────────────────────────────────────────────────


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


def _yaml(layout: _Layout) -> YAML:
    handler = YAML(typ="rt")
    handler.Representer = _Representer
    handler.Emitter = _Emitter
    handler.preserve_quotes = True
    handler.width = _WIDTH
    handler.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return handler


def _dump(doc: EditableAssessment) -> str:
    stream = io.StringIO()
    _yaml(doc._layout).dump(doc.data, stream)
    return stream.getvalue()


def _render(doc: EditableAssessment) -> tuple[str, list[str]]:
    """The new text ("\n" line ends, no BOM) and ruamel's own rendering of the data."""
    rendered = _dump(doc).splitlines(keepends=True)
    if doc._source == doc._rendered:
        return "".join(rendered), rendered
    text = "".join(rendered)
    restored = "".join(_restore(doc._source, doc._rendered, rendered))
    return (restored if _same_meaning(restored, text) else text), rendered


def _outward(text: str, layout: _Layout) -> str:
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


def _indents(data: Any, lines: list[str]) -> tuple[int, int, int]:
    """The mapping indent and the sequence indent and dash offset most used in the file (2, 4, 2 if none)."""
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedSeq):
            stack.extend(node)
        if not isinstance(node, CommentedMap) or _is_flow(node):
            continue
        for key, value in node.items():
            stack.append(value)
            if not _is_block(value):
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


def _spaced(lines: list[str]) -> bool:
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


# ── Values ──────────────────────────────────────────────────────────────────────────────────────────────────


def _answer_values(fields: Mapping[str, object]) -> dict[str, object]:
    """The fields in the usual order of an answer, checked for type; None means remove."""
    unknown = sorted(set(fields) - set(_ANSWER_FIELDS))
    if unknown:
        raise ValueError(f"not an answer field: {', '.join(unknown)}")
    values: dict[str, object] = {}
    for name in _ANSWER_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            pass
        elif name == "evidence":
            if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
                raise TypeError("evidence is a list of strings")
            value = list(value)
        elif name in _DATE_FIELDS:
            if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
                raise TypeError(f"{name} is a datetime.date")
        elif not isinstance(value, str):
            raise TypeError(f"{name} is a string")
        values[name] = value
    return values


def _text(value: str, *, flow: bool) -> str:
    """A string ruamel will write so that it reads back as the same string.

    ruamel follows YAML 1.2, where `yes`, `on` and `1:20` are plain strings; a YAML 1.1 reader such as PyYAML,
    the tool's own loader, reads them as a boolean and a number. In a flow collection a plain `?x` is read as
    a mapping, and URLs are quoted there as the examples do.
    """
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return DoubleQuotedScalarString(value)
    if flow and (":" in value or value.startswith("?")):
        return DoubleQuotedScalarString(value)
    return value


def _node(value: object, *, flow: bool) -> Any:
    """A new YAML node for `value`: nested mappings are written in flow style."""
    if isinstance(value, str):
        return _text(value, flow=flow)
    if isinstance(value, (bool, int, float)) or (
        isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    ):
        return value
    if isinstance(value, Mapping):
        return _new_mapping(value, flow=True)
    if isinstance(value, Sequence):
        return _new_list([_checked_str(v) for v in value], flow=True if flow else None)
    raise TypeError(f"cannot write a {type(value).__name__} to readiness.yaml")


def _checked_str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string in the list, got {type(value).__name__}")
    return value


def _new_mapping(values: Mapping[str, object], *, flow: bool) -> Any:
    mapping = CommentedMap()
    for key, value in values.items():
        if value is not None:
            mapping[_text(key, flow=flow)] = _node(value, flow=flow)
    if flow:
        mapping.fa.set_flow_style()
    else:
        mapping.fa.set_block_style()
    return mapping


def _new_list(items: Sequence[str], *, flow: bool | None) -> Any:
    """A list in flow style when `flow`, or, when None, if it fits in _FLOW_LIST_MAX characters."""
    if flow is None:
        shown = [_text(item, flow=True) for item in items]
        length = 2 + sum(len(s) + (2 if isinstance(s, DoubleQuotedScalarString) else 0) for s in shown)
        flow = length + 2 * max(len(shown) - 1, 0) <= _FLOW_LIST_MAX
    sequence = CommentedSeq(_text(item, flow=flow) for item in items)
    if flow:
        sequence.fa.set_flow_style()
    else:
        sequence.fa.set_block_style()
    return sequence


def _raci_entry(responsible: Sequence[str], accountable: str) -> Any:
    entry = CommentedMap()
    entry["R"] = _new_list(list(responsible), flow=True)
    entry["A"] = _text(accountable, flow=True)
    entry.fa.set_flow_style()
    return entry


def _same_scalar(old: object, new: object) -> bool:
    """Whether writing `new` over `old` would change nothing a reader sees (then the old text is kept)."""
    kinds = (bool, int, float, str)
    old_kind = next((k for k in kinds if isinstance(old, k)), type(old))
    new_kind = next((k for k in kinds if isinstance(new, k)), type(new))
    return old_kind is new_kind and old == new


# ── Editing mappings ────────────────────────────────────────────────────────────────────────────────────────


def _update(mapping: Any, values: Mapping[str, object]) -> None:
    """Set these keys of an existing mapping: None removes a key, new keys go after the existing ones."""
    flow = _is_flow(mapping)
    added = []
    for key, value in values.items():
        if value is None:
            if key in mapping:
                _remove(mapping, key)
        elif key in mapping:
            _assign(mapping, key, value)
        else:
            added.append(key)
    for key in added:
        _append(mapping, _text(key, flow=flow), _node(values[key], flow=flow))


def _assign(mapping: Any, key: str, value: object) -> None:
    """Give an existing key a new value, keeping its comments, and the style of a list or quoted string."""
    flow = _is_flow(mapping)
    old = mapping[key]
    if isinstance(value, list) and isinstance(old, CommentedSeq):
        if list(old) != value:
            _set_items(mapping, key, [_checked_str(v) for v in value])
        return
    if not isinstance(old, (CommentedMap, CommentedSeq)) and _same_scalar(old, value):
        return
    if isinstance(value, str) and isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        new: Any = type(old)(value)
    else:
        new = _node(value, flow=flow)
    _replace(mapping, key, new)


def _merge(mapping: Any, values: Mapping[str, object]) -> None:
    """Make `mapping` hold exactly `values` (None counts as absent), nested mappings merged the same way."""
    for key in list(mapping):
        if values.get(key) is None:
            _remove(mapping, key)
    flow = _is_flow(mapping)
    for key, value in values.items():
        if value is None:
            continue
        if key not in mapping:
            _append(mapping, _text(key, flow=flow), _node(value, flow=flow))
        elif isinstance(value, Mapping) and isinstance(mapping[key], CommentedMap) and len(mapping[key]):
            _merge(mapping[key], value)
        else:
            _assign(mapping, key, value)


def _update_raci(entry: Any, responsible: list[str], accountable: str) -> None:
    old = entry.get("R")
    if isinstance(old, CommentedSeq):
        if list(old) != responsible:
            _set_items(entry, "R", responsible)
    elif "R" in entry and len(responsible) == 1 and isinstance(old, str):
        _assign(entry, "R", responsible[0])  # `R: bob` stays a single id
    elif "R" in entry:
        _replace(entry, "R", _new_list(responsible, flow=True))
    else:
        entry.insert(0, "R", _new_list(responsible, flow=True))
    if "A" in entry:
        _assign(entry, "A", accountable)
    else:
        entry.insert(list(entry).index("R") + 1, "A", _text(accountable, flow=_is_flow(entry)))


def _set_items(mapping: Any, key: str, items: list[str]) -> None:
    """Replace the items of an existing list in place: its style stays, so do the comments of items kept."""
    sequence = mapping[key]
    if _is_flow(sequence) or _is_flow(mapping):
        del sequence[:]
        sequence.ca.items.clear()
        sequence.extend(_text(item, flow=True) for item in items)
        return
    following = _take_following(mapping, key)
    old = list(sequence)
    tokens = [_token(sequence, index) for index in range(len(old))]
    used = [False] * len(old)
    kept: list[Any] = []
    for item in items:
        match = next((i for i, value in enumerate(old) if value == item and not used[i]), None)
        if match is not None:
            used[match] = True
        kept.append(tokens[match] if match is not None else None)
    # Comment lines between the items of a removed entry stay in the file, after the list.
    orphans = "".join(_split(tokens[i], False)[1] for i in range(len(old)) if not used[i] and tokens[i])
    del sequence[:]
    sequence.ca.items.clear()
    sequence.extend(_text(item, flow=False) for item in items)
    for index, token in enumerate(kept):
        if token is not None:
            _set_token(sequence, index, token)
    _give_following(mapping, key, orphans + following)


# ── Comments that follow an entry ───────────────────────────────────────────────────────────────────────────
#
# ruamel keeps the text between the end of an entry and the next one (its end-of-line comment, then blank
# lines and full-line comments) in one CommentToken on the entry's deepest last scalar or flow value: for a
# mapping key in `ca.items[key][2]`, for a list item in `ca.items[index][0]`. The token's text starts with the
# end-of-line comment, or with "\n" when there is none, except after a block scalar (`|`, `>`), whose own
# line break is part of the scalar. Comments after a flow value sometimes land in the next key's "before"
# slot `ca.items[key][1]` instead, and those at the end of the file after one in `ca.end`.


def _is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


def _is_block(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not _is_flow(node)


def _last(node: Any) -> Any:
    return len(node) - 1 if isinstance(node, CommentedSeq) else list(node)[-1]


def _tail(node: Any, key: Any) -> tuple[Any, Any]:
    """The collection and key holding the comment after the last line of `node[key]`."""
    value = node[key]
    while _is_block(value):
        node, key = value, _last(value)
        value = node[key]
    return node, key


def _slot(node: Any) -> int:
    return 0 if isinstance(node, CommentedSeq) else 2


def _token(node: Any, key: Any) -> Any:
    entry = node.ca.items.get(key)
    return entry[_slot(node)] if entry else None


def _set_token(node: Any, key: Any, token: Any) -> None:
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    old = entry[_slot(node)]
    entry[_slot(node)] = token
    value = node[key]
    # A flow collection holds a second reference to its end-of-line comment; keep the two in step.
    if old is not None and isinstance(value, (CommentedMap, CommentedSeq)):
        comment = value.ca.comment
        if comment and comment[0] is old:
            comment[0] = token


def _split(token: Any, block_scalar: bool) -> tuple[str, str]:
    """(the end-of-line part, the lines that follow) of a token's text."""
    if block_scalar:
        return "", token.value
    head, newline, rest = token.value.partition("\n")
    return head + newline, rest


def _take_following(node: Any, key: Any) -> str:
    """Detach the lines after `node[key]` (not its end-of-line comment) and return their text."""
    holder, at = _tail(node, key)
    token = _token(holder, at)
    if token is None:
        return ""
    own, rest = _split(token, isinstance(holder[at], (LiteralScalarString, FoldedScalarString)))
    if own.strip():
        token.value = own
    else:
        _set_token(holder, at, None)
    return rest


def _give_following(node: Any, key: Any, text: str) -> None:
    """Add lines of comments and blank lines after the last line of `node[key]`."""
    if not text:
        return
    holder, at = _tail(node, key)
    token = _token(holder, at)
    if token is None:
        lead = "" if isinstance(holder[at], (LiteralScalarString, FoldedScalarString)) else "\n"
        _set_token(holder, at, CommentToken(lead + text, CommentMark(0)))
    else:
        value = token.value
        token.value = value + ("" if value.endswith("\n") else "\n") + text


def _comment_text(tokens: Iterable[Any]) -> str:
    """The lines of full-line comment tokens, as ruamel writes them."""
    parts = []
    for token in tokens:
        value = token.value
        parts.append(value if value.startswith("\n") else " " * token.start_mark.column + value)
    return "".join(parts)


def _take_before(node: Any, key: Any) -> str:
    """Detach the comment lines ruamel keeps in front of `key` and return their text."""
    entry = node.ca.items.get(key)
    if not entry or not entry[1]:
        return ""
    text = _comment_text(entry[1])
    entry[1] = None
    return text


def _take_end(root: Any) -> str:
    """Detach the comment lines ruamel keeps at the end of the document and return their text."""
    end = root.ca.end
    if not end:
        return ""
    text = _comment_text(end)
    # Cleared in place: a dump leaves a second reference to this list in `root.ca.comment`.
    end.clear()
    return text


def _key_column(node: Any) -> int | None:
    try:
        return int(node.lc.key(next(iter(node)))[1])
    except (KeyError, IndexError, TypeError, StopIteration):
        return None


def _split_lines(text: str, column: int | None) -> tuple[str, str]:
    """Split the text after an entry into the comment lines indented under it and the rest from there on.

    Comments indented deeper than the entry's key (a commented-out key of the entry, say) stay with it; a
    blank line or a comment at the key's level or left of it belongs to what comes next.
    """
    if column is None:
        return "", text
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.strip() or len(line) - len(line.lstrip(" ")) <= column:
            return "".join(lines[:index]), "".join(lines[index:])
    return text, ""


def _append(mapping: Any, key: str, value: Any) -> None:
    """Add `key: value` after the last entry; what followed that entry now follows the new one."""
    if not len(mapping):
        mapping[key] = value
        return
    last = _last(mapping)
    keep, move = _split_lines(_take_following(mapping, last), _key_column(mapping))
    mapping[key] = value
    _give_following(mapping, last, keep)
    _give_following(mapping, key, move)


def _replace(mapping: Any, key: Any, value: Any) -> None:
    """Give `key` a new value; the lines that followed the old value follow the new one."""
    following = _take_following(mapping, key)
    mapping[key] = value
    _give_following(mapping, key, following)


def _remove(mapping: Any, key: Any) -> None:
    """Remove `key` with its end-of-line comment; the comment lines around it stay in the file."""
    keys = list(mapping)
    at = keys.index(key)
    text = _take_before(mapping, key) + _take_following(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not text:
        return
    if at > 0:
        _give_following(mapping, keys[at - 1], text)
    elif len(keys) > 1:
        entry = mapping.ca.items.setdefault(keys[1], [None, None, None, None])
        entry[1] = [CommentToken(text, CommentMark(0)), *(entry[1] or [])]


def _put_section(doc: EditableAssessment, key: str, value: Any, after: Sequence[str] = (), before: str = "") -> None:
    """Set a top-level section: in place if the key is there, else after the first of `after` present, else
    before `before`, else at the end of the document."""
    root = doc.data
    if key in root:
        _replace(root, key, value)
        return
    keys = list(root)
    position = len(keys)
    if before in root:
        position = keys.index(before)
    else:
        position = next((keys.index(name) + 1 for name in after if name in root), position)
    if position == 0:
        root.insert(0, key, value)
    elif position < len(keys):
        _insert_section(doc, position, key, value)
    else:
        _append_section(doc, key, value)


def _insert_section(doc: EditableAssessment, position: int, key: str, value: Any) -> None:
    """Insert a section between two others; the comments above the next one stay above it."""
    root = doc.data
    keys = list(root)
    previous, following = keys[position - 1], keys[position]
    keep, move = _split_lines(_take_following(root, previous) + _take_before(root, following), 0)
    root.insert(position, key, value)
    _give_following(root, previous, keep + ("\n" if doc._layout.spaced else ""))
    _give_following(root, key, move)


def _append_section(doc: EditableAssessment, key: str, value: Any) -> None:
    """Add a section at the end, below any comments that end the file (the starter file's say "below")."""
    root = doc.data
    last = _last(root)
    text = _take_following(root, last) + _take_end(root)
    lines = text.splitlines()
    if doc._layout.spaced and not (lines and (not lines[-1].strip() or lines[-1].startswith("#"))):
        text += "\n"
    _give_following(root, last, text)
    root[key] = value
