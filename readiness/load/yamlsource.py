"""Read one YAML file into plain data, remembering where every key and value stood.

PyYAML alone loses positions, keeps the last of two duplicate keys silently, expands alias bombs and turns
dates into `datetime.date`. We compose the node graph (libyaml when present) and build the data ourselves,
so each of those becomes a diagnostic with a line and a column instead.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from readiness.load import jsonfast
from readiness.load.containment import Refused, Root, open_regular
from readiness.load.diagnostics import Diagnostic, InputError, JsonPath, Level, PathPart, json_path
from readiness.load.yamltext import LIBYAML_LIMIT, not_printable, position_of, refused_character, syntax_problem

MAX_BYTES = 5 * 1024 * 1024
# Nodes that may be produced by expanding aliases: generous for sharing a list or two, far below a bomb.
ALIAS_NODE_BUDGET = 10_000
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_T + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_SEQ, _MAP, _MERGE = _T + "seq", _T + "map", _T + "merge"
_KIND_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "null"}

# YAML 1.1 reads `1e3`, `2.5e10` and `1e309` as strings (it wants a dot and a signed exponent: 1.0e+3), so
# whoever wrote a number was told "expected a number, got the string '1e309'". YAML 1.2 reads them as floats,
# and so do we; ruamel, which writes our saves, already quotes such strings for that reason.
_FLOAT_WITH_EXPONENT = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when present), with the floats of YAML 1.2."""


class _Resolver(yaml.resolver.Resolver):
    """The resolver of _Loader, for the fast path's plain scalars."""


for _resolving in (_Loader, _Resolver):
    _resolving.add_implicit_resolver(_FLOAT, _FLOAT_WITH_EXPONENT, list("-+0123456789."))


@dataclass(frozen=True)
class Document:
    """Plain data from one file and the 1-based (line, column) of each value and each mapping key."""

    file: str
    data: Any
    values: dict[JsonPath, tuple[int, int]] = field(repr=False)
    keys: dict[JsonPath, tuple[int, int]] = field(repr=False)
    # Read with `tolerant`: what was wrong in values the file could still be read around (a duplicate key, a
    # tag, a merge key, a number out of range, an escaped control character). The value stands as None, or
    # the first of duplicate keys; the schema check reports these beside its own findings.
    problems: tuple[Diagnostic, ...] = field(default=(), repr=False)

    def where(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at `path` (or of its key), else of the nearest enclosing node."""
        if key and path in self.keys:
            return self.keys[path]
        probe = tuple(path)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def diag(self, path: JsonPath, message: str, *, key: bool = False, level: Level = Level.ERROR) -> Diagnostic:
        line, column = self.where(path, key=key)
        return Diagnostic(self.file, line, column, level, json_path(path), message)


def file_problem(file: str, message: str, line: int = 1, column: int = 1) -> InputError:
    return InputError([Diagnostic(file, line, column, Level.ERROR, "$", message)])


def read_bytes(path: Path, display: str, within: Root | None = None) -> bytes:
    """The file's bytes, refusing what is not a small regular file inside the project root.

    `within` is the root the file may not leave (containment.py); by default the file's own root, which is the
    rule for a file named on the command line.
    """
    root = within if within is not None else Root.of(path)
    try:
        real = root.locate(path, display)
        info = os.stat(real)
    except Refused as refused:
        raise file_problem(display, str(refused)) from None
    except FileNotFoundError:
        raise file_problem(display, "no such file") from None
    except OSError as exc:
        raise file_problem(display, f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise file_problem(display, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Devices and FIFOs can block or never end: we never open them.
        raise file_problem(display, "is not a regular file")
    if info.st_size > MAX_BYTES:
        raise file_problem(display, f"file is {info.st_size:,} bytes; the limit is 5 MB ({MAX_BYTES:,} bytes)")
    try:
        with os.fdopen(open_regular(real, info, root, display), "rb") as handle:
            # The size stat gave and one byte more, to see whether it grew since: asking for the limit itself
            # would have Python set aside 5 MB for every small file read.
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += handle.read(MAX_BYTES + 1 - len(raw))
    except Refused as refused:
        raise file_problem(display, str(refused)) from None
    except OSError as exc:
        raise file_problem(display, f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise file_problem(display, f"file is over the 5 MB limit ({MAX_BYTES:,} bytes)")
    return raw


def read_text(path: Path, display: str, within: Root | None = None) -> str:
    """The file's text, refusing what is not a small regular UTF-8 file inside the project root (see read_bytes)."""
    return decode_text(read_bytes(path, display, within), display)


def decode_text(raw: bytes, display: str) -> str:
    """The text of a file's bytes (a byte-order mark dropped); not UTF-8 is an input error at the first bad byte.
    The one rule for a file on disk, a blob from git and a file the walk edits."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]  # strip it here, so decode offsets index `raw` itself
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position_of(raw[: exc.start].decode("utf-8", "replace"))
        raise file_problem(
            display, f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", line, column
        ) from None


def read_document(path: Path, display: str | None = None, *, tolerant: bool = False) -> Document:
    shown = display if display is not None else str(path)
    return parse_document(read_text(path, shown), shown, tolerant=tolerant)


def parse_document(text: str, file: str, *, tolerant: bool = False) -> Document:
    """The data of `text` with positions. Raises InputError for what cannot be read; with `tolerant`, problems in
    single values (see Document.problems) come back in the Document instead, so that the schema and reference
    checks still run and every problem of the file is told in one run."""
    refused = refused_character(text)
    if refused is not None:
        raise file_problem(file, *refused)
    fast = _read_fast(text, file, single=True)
    document = fast[0] if fast is not None else _compose_and_build(text, file, tolerant)
    return _checked(document, "\\" in text, tolerant)


def parse_documents(text: str, file: str) -> list[Document]:
    """Every document of a YAML stream ('---' between them), each with its positions; documents with nothing
    written in them (between two '---', or holding only comments) are left out. What parse_document refuses in
    one document is refused here in any, at its place in the file. For artifacts that are streams by nature
    (Kubernetes manifests); an assessment or a pack stays one document. The alias budget is shared by all."""
    refused = refused_character(text)
    if refused is not None:
        raise file_problem(file, *refused)
    escapes = "\\" in text
    fast = _read_fast(text, file, single=False)
    if fast is None:
        return _compose_all_and_build(text, file, escapes)
    return [_checked(document, escapes, tolerant=False) for document in fast]


def _checked(document: Document, escapes: bool, tolerant: bool) -> Document:
    """The document with the problems of its values, raised unless `tolerant`; `escapes` says whether the text
    holds a backslash, as only an escape in a double-quoted string can put a control character into the data."""
    problems = list(document.problems)
    if escapes:
        problems += _escaped_controls(document, document.data, ())
    if problems and not tolerant:
        raise InputError(problems)
    return replace(document, problems=tuple(problems)) if problems else document


# C0 controls but the line-breaking ones (tab, line feed, carriage return: every renderer turns them into spaces
# or escapes), DEL, and C1 controls: written as escapes ("\e[31m", "\x9b"), they would reach terminals, CI logs
# and reports as they are, where they can recolour, hide or rewrite what the tool prints.
_ESCAPED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escaped_controls(document: Document, value: Any, path: JsonPath) -> list[Diagnostic]:
    """Strings holding a control character, each reported and, as a value, replaced by None: nothing after the
    reading sees it, and so nothing prints it or reports it again."""
    problems = []
    if isinstance(value, dict):
        for name, inner in value.items():
            if isinstance(name, str) and _ESCAPED_CONTROL.search(name):
                problems.append(document.diag((*path, name), _control_message(name), key=True))
            if isinstance(inner, str) and _ESCAPED_CONTROL.search(inner):
                problems.append(document.diag((*path, name), _control_message(inner)))
                value[name] = None
            else:
                problems += _escaped_controls(document, inner, (*path, name))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            if isinstance(inner, str) and _ESCAPED_CONTROL.search(inner):
                problems.append(document.diag((*path, index), _control_message(inner)))
                value[index] = None
            else:
                problems += _escaped_controls(document, inner, (*path, index))
    return problems


def _control_message(text: str) -> str:
    found = _ESCAPED_CONTROL.search(text)
    assert found is not None
    shown = _ESCAPED_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return (
        f"'{shown}' holds the control character U+{ord(found.group()):04X}, written as an escape, which would reach "
        "terminals and logs as it is; remove it"
    )


def _compose_and_build(text: str, file: str, tolerant: bool = False) -> Document:
    """The thorough reading: every problem of the file, at its line and column."""
    too_deep = _nesting_problem(text, file)
    if too_deep is not None:
        raise too_deep
    with _syntax_told(text, file):
        node = yaml.compose(text, Loader=_Loader)
    if node is None:
        raise file_problem(file, "file is empty")
    builder = _Builder(file)
    data = builder.build(node, (), 0)
    if builder.problems and (not tolerant or builder.over_budget):  # an alias bomb leaves nothing worth checking
        raise InputError(builder.problems)
    return Document(file, data, builder.values, builder.keys, tuple(builder.problems))


def _compose_all_and_build(text: str, file: str, escapes: bool) -> list[Document]:
    """The thorough reading of a stream. Documents are composed one after the other, so the first problem told is
    the first in the file, whether it is a value's (here) or the syntax's (composing the next document)."""
    too_deep = _nesting_problem(text, file)
    if too_deep is not None:
        raise too_deep
    documents: list[Document] = []
    spent = 0  # alias nodes expanded in the documents before: one budget for the file
    with _syntax_told(text, file):
        for node in yaml.compose_all(text, Loader=_Loader):
            if _nothing_written(node):
                continue
            builder = _Builder(file, spent)
            data = builder.build(node, (), 0)
            spent = builder.alias_nodes
            document = Document(file, data, builder.values, builder.keys, tuple(builder.problems))
            documents.append(_checked(document, escapes, tolerant=False))
    return documents


def _nothing_written(node: yaml.Node) -> bool:
    """A document of nothing but comments, or none at all between two '---': an empty scalar that starts where it
    ends (a tag or an anchor written alone would stand before it)."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == _NULL
        and node.value == ""
        and node.start_mark.index == node.end_mark.index
    )


@contextmanager
def _syntax_told(text: str, file: str) -> Iterator[None]:
    """What libyaml refuses while composing, as an input error at its line and column."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        raise file_problem(file, *syntax_problem(text, exc, MAX_DEPTH)) from None
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise file_problem(file, not_printable(code), *position_of(text[: exc.position])) from None
    except yaml.YAMLError as exc:
        raise file_problem(file, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise file_problem(file, f"nesting is deeper than {MAX_DEPTH} levels") from None


@dataclass
class _Open:
    """A collection the event walk is inside of: its path and how many children it has had so far."""

    path: JsonPath
    mapping: bool
    children: int = 0
    key: PathPart = "?"


def _nesting_problem(text: str, file: str) -> InputError | None:
    """Nesting deeper than MAX_DEPTH, found before composing.

    libyaml's composer recurses in C once per level, so some 100,000 nested '[' (a 200 kB file) overflow the
    C stack and kill the process with a segfault that no `except` catches. The parser keeps its own stack, so
    walking its events is safe; the walk stops at the first node too deep, as libyaml's scanner slows down
    with the square of the depth of flow collections (half a million nested '{a: ' would take an hour).
    """
    try:
        return _first_too_deep(text, file, _Loader)
    except yaml.MarkedYAMLError as exc:
        if exc.problem != LIBYAML_LIMIT or exc.problem_mark is None:
            return None  # composing reports it, with its line and column
        prefix = text[: exc.problem_mark.index]
    except yaml.YAMLError:
        return None
    # libyaml 0.2.6 gives up at its own limit of 1,000 levels while scanning ahead, before yielding the event that
    # is too deep for us; 0.2.5 has no such limit. The text before the place it gave up holds that event (64 <
    # 1,000) and stays within the limit, so read again it yields its events, and the same file is told the same
    # way whichever libyaml the machine has. PyYAML's own parser, if libyaml still refuses, is slow only with
    # the square of the depth, which the prefix keeps under 1,000.
    for loader in (_Loader, yaml.SafeLoader):
        try:
            return _first_too_deep(prefix, file, loader)
        except yaml.YAMLError:
            continue
    return None


def _first_too_deep(text: str, file: str, loader: type[Any]) -> InputError | None:
    open_: list[_Open] = []
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionEndEvent):
            open_.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        path: JsonPath = ()
        key = False
        if open_:
            parent = open_[-1]
            key = parent.mapping and parent.children % 2 == 0
            if key:  # not a level of its own, as in _Builder; it names the path of its value
                parent.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                path = parent.path
            else:
                path = (*parent.path, parent.key if parent.mapping else parent.children)
            parent.children += 1
        # A scalar key stands with its value; a collection written as a key nests like any other (libyaml's
        # composer recurses into it just the same).
        if len(open_) > MAX_DEPTH and (not key or isinstance(event, yaml.CollectionStartEvent)):
            line, column = (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 1)
            message = f"nesting is deeper than {MAX_DEPTH} levels"
            return InputError([Diagnostic(file, line, column, Level.ERROR, json_path(path), message)])
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append(_Open(path, isinstance(event, yaml.MappingStartEvent)))
    return None


class _Builder:
    def __init__(self, file: str, alias_nodes: int = 0) -> None:
        """`alias_nodes`: nodes already expanded from aliases in the documents before, in a stream."""
        self.file = file
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self._built: set[int] = set()
        self._open: set[int] = set()
        self.alias_nodes = alias_nodes
        self.over_budget = False
        self._scalars = yaml.constructor.SafeConstructor()

    def _problem(self, node: yaml.Node, path: JsonPath, message: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Diagnostic(self.file, mark.line + 1, mark.column + 1, Level.ERROR, json_path(path), message)
        )

    def build(self, node: yaml.Node, path: JsonPath, depth: int, alias_at: JsonPath | None = None) -> Any:
        """Plain data for `node`; `alias_at` is where the alias being expanded stands, if any."""
        if id(node) in self._open:
            self._problem(node, path, "an alias refers to a node that contains it (a recursive alias)")
            return None
        if id(node) in self._built and alias_at is None:
            alias_at = path
        if alias_at is not None:
            self.alias_nodes += 1
            if self.alias_nodes > ALIAS_NODE_BUDGET:
                if not self.over_budget:
                    self.over_budget = True
                    # The expanded nodes carry the anchor's position; the user needs the alias's own line.
                    line, column = self._nearest(alias_at)
                    self.problems.append(
                        Diagnostic(
                            self.file,
                            line,
                            column,
                            Level.ERROR,
                            json_path(alias_at),
                            f"aliases expand to more than {ALIAS_NODE_BUDGET} nodes (an alias bomb?)",
                        )
                    )
                return None
        if depth > MAX_DEPTH:
            self._problem(node, path, f"nesting is deeper than {MAX_DEPTH} levels")
            return None
        self._built.add(id(node))
        self.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return [self.build(child, (*path, i), depth + 1, alias_at) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                return self._mapping(node, path, depth, alias_at)
            self._problem(node, path, _tag_refused(node.tag))
            return None
        finally:
            self._open.discard(id(node))

    def _nearest(self, path: JsonPath) -> tuple[int, int]:
        """Position of the closest enclosing node built outside any alias."""
        probe = path[:-1]
        while probe and probe not in self.values:
            probe = probe[:-1]
        return self.values.get(probe, (1, 1))

    def _mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int, alias_at: JsonPath | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._problem(key_node, path, "merge keys ('<<') are not supported; write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, path, "a mapping key must be a plain string")
                continue
            # Keys stay the text the user wrote: `on:` or `2026-01-01:` must not turn into True or a date.
            key = str(key_node.value)
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in first_seen:
                before, before_column = first_seen[key]
                where = (
                    f"columns {before_column} and {column} of line {line}"
                    if before == line
                    else f"lines {before} and {line}"
                )
                message = f"duplicate key '{key}' at {where}; YAML would keep only the last"
                self._problem(key_node, (*path, key), message)
                continue
            first_seen[key] = (line, column)
            key_path: JsonPath = (*path, key)
            self.keys[key_path] = (line, column)
            out[key] = self.build(value_node, key_path, depth + 1, alias_at)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            # Dates stay ISO strings; they are checked as dates where a date is expected.
            return str(node.value)
        if tag in (_INT, _FLOAT, _BOOL, _NULL):
            try:
                # The constructor itself, not construct_object: that one marks the node as under construction
                # and, when it fails, leaves it so, which would make an alias to it fail in another way.
                value = self._scalars.yaml_constructors[tag](self._scalars, node)
            except (ValueError, KeyError, IndexError):
                digits = node.value.lstrip("+-").replace("_", "")
                if tag == _INT and digits.isascii() and digits.isdigit():  # Python reads no int over 4300 digits
                    message = f"a number of {len(digits):,} digits is too large"
                else:  # an explicit tag on a value that is not of its kind: `!!float abc`, `!!bool maybe`
                    kind = tag.removeprefix(_T)
                    message = f"'{node.value}' is not {_KIND_WORDS[kind]}, though its tag '!!{kind}' says so"
                self._problem(node, path, message)
                return None
            if tag == _FLOAT and not math.isfinite(value):
                self._problem(node, path, f"'{node.value}' is not a finite number")
                return None
            return value
        self._problem(node, path, _tag_refused(tag))
        return None


def _tag_refused(tag: str) -> str:
    # As the user wrote it: `!!binary` is how `tag:yaml.org,2002:binary` is typed.
    shown = "!!" + tag.removeprefix(_T) if tag.startswith(_T) else tag
    return f"YAML tag '{shown}' is not allowed; write the value plainly"


# --- the fast path -----------------------------------------------------------------------------------------
#
# Most files are plain: no anchors, aliases, tags, merge keys or duplicate keys, and no syntax error. For them
# the data and positions are built straight from the parser's events, which skips the node graph and the
# resolver calls of composing: about half the time of reading a file, which a portfolio of a thousand files
# notices; JSON, most artifacts, is read by json's own parser (jsonfast.py), in half the time again or less. Anything
# unusual gives up, and the file is read again the thorough way above, so every message comes from one place.
# tests/test_yaml_fast_path.py, test_json_fast_path.py and test_yamlsource_documents.py hold the ways to one result.

_PLAIN_CACHE_LIMIT = 4096  # distinct short plain scalars kept resolved (statuses, booleans, dates, numbers)
_PLAIN_CACHED_LENGTH = 40
_plain_cache: dict[str, Any] = {}
_resolver = _Resolver()
_constructor = yaml.constructor.SafeConstructor()
# The first characters of plain scalars that the resolver may read as something else than a string ('' for
# the empty one): a plain scalar starting otherwise is a string, without asking it.
_RESOLVED_FIRST = frozenset(_Resolver.yaml_implicit_resolvers)
# Decimal numbers as JSON writes them, which the resolver reads as int (YAML 1.1 reads a leading zero as octal,
# so none here) and as float, to the same value as int() and float(): the commonest plain scalars the cache
# cannot hold, as every measurement differs.
_DECIMAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"-?[0-9]+(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)")


class _Unusual(Exception):
    """The file needs the thorough reading: it uses a feature the fast path does not handle."""


def _read_fast(text: str, file: str, *, single: bool) -> list[Document] | None:
    """The Documents of a plain stream (exactly one if `single`), or None when the thorough reading must decide."""
    placed = jsonfast.read(text, MAX_DEPTH)
    if placed is not None:
        return [Document(file, *placed)]
    return _build_from_events(text, file, single=single)


def _build_from_events(text: str, file: str, *, single: bool = True) -> list[Document] | None:
    """The Documents of a plain stream, read from the parser's events; documents with nothing written in them are
    left out of a stream that is not `single`. None when the thorough reading must decide."""
    parser = _Loader(text)
    values: dict[JsonPath, tuple[int, int]] = {}
    keys: dict[JsonPath, tuple[int, int]] = {}
    get: Callable[[], Any] = parser.get_event
    # Looked up once; typed Any, as the events are, so that comparing types does not narrow them.
    scalar_event: Any = yaml.ScalarEvent
    mapping_end: Any = yaml.MappingEndEvent
    sequence_end: Any = yaml.SequenceEndEvent

    def value(event: Any, path: JsonPath, depth: int) -> Any:
        kind = type(event)
        if depth > MAX_DEPTH or event.anchor is not None or event.tag is not None:
            raise _Unusual
        mark = event.start_mark
        values[path] = (mark.line + 1, mark.column + 1)
        if kind is scalar_event:
            return _plain_scalar(event.value) if event.implicit[0] else event.value
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            while type(event := get()) is not sequence_end:
                items.append(value(event, (*path, len(items)), depth + 1))
            return items
        if kind is yaml.MappingStartEvent:
            mapping: dict[str, Any] = {}
            inner = depth + 1
            while type(event := get()) is not mapping_end:
                if type(event) is not scalar_event or event.anchor is not None or event.tag is not None:
                    raise _Unusual
                key = event.value
                if key in mapping or (key == "<<" and event.implicit[0]):
                    raise _Unusual
                mark = event.start_mark
                key_path: JsonPath = (*path, key)
                keys[key_path] = (mark.line + 1, mark.column + 1)
                event = get()
                if type(event) is scalar_event and event.anchor is None and event.tag is None and inner <= MAX_DEPTH:
                    # The common case, a scalar value, without a call.
                    mark = event.start_mark
                    values[key_path] = (mark.line + 1, mark.column + 1)
                    mapping[key] = _plain_scalar(event.value) if event.implicit[0] else event.value
                else:
                    mapping[key] = value(event, key_path, inner)
            return mapping
        raise _Unusual  # an alias

    documents: list[Document] = []
    try:
        if type(get()) is not yaml.StreamStartEvent:
            raise _Unusual
        while type(event := get()) is yaml.DocumentStartEvent:
            if single and documents:
                raise _Unusual  # a second document: the thorough reading says so
            values, keys = {}, {}  # the walk's, for this document
            root = get()
            if single or not _empty_event(root):
                documents.append(Document(file, value(root, (), 0), values, keys))
            if type(get()) is not yaml.DocumentEndEvent:
                raise _Unusual
        if type(event) is not yaml.StreamEndEvent or (single and not documents):
            raise _Unusual  # not the end, or an empty file
    except (_Unusual, yaml.YAMLError):
        return None
    return documents


def _empty_event(event: Any) -> bool:
    """The empty scalar of a document with nothing written in it (see _nothing_written)."""
    return (
        type(event) is yaml.ScalarEvent
        and event.value == ""
        and event.implicit[0]
        and event.anchor is None
        and event.tag is None
    )


def _plain_scalar(text: str) -> Any:
    """A plain (unquoted) scalar as the thorough reading builds it: dates stay strings; true, 12, null and
    1.5 become Python values; anything else is unusual."""
    if text[:1] not in _RESOLVED_FIRST:
        return text
    found = _plain_cache.get(text, _plain_cache)  # the cache itself stands for "not there": None is a value
    if found is not _plain_cache:
        return found
    try:
        if _DECIMAL_INT.fullmatch(text):
            return int(text)
        if _DECIMAL_FLOAT.fullmatch(text):
            found = float(text)
            if not math.isfinite(found):
                raise _Unusual
            return found
        found = _resolved(text)
    except ValueError:  # an int of more than 4300 digits: the thorough reading says so
        raise _Unusual from None
    if len(text) <= _PLAIN_CACHED_LENGTH and len(_plain_cache) < _PLAIN_CACHE_LIMIT:
        _plain_cache[text] = found
    return found


def _resolved(text: str) -> Any:
    """Any other plain scalar, as the resolver and the constructors read it."""
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag in (_STR, _TIMESTAMP):
        return text
    if tag in (_INT, _BOOL, _NULL, _FLOAT):
        found = _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, text))
        if tag == _FLOAT and not math.isfinite(found):
            raise _Unusual
        return found
    raise _Unusual
