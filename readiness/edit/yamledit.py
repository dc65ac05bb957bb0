"""Edit a readiness.yaml in place for `readiness assess`, keeping what the user wrote.

`assess` saves after every answer, so a save must not disturb anything the user did not ask to change:
comments, blank lines, key order, quoting, flow or block style, indentation, the `%YAML`, `---` and `...` lines,
a BOM and CRLF line ends. The file is first read by the tool's own reader, so that a file that cannot be read is
told in the tool's words at its line, then loaded with ruamel.yaml's round-trip loader and edited in that form.
Every string written is held to the reader's rule for characters (typedtext.py). A save writes atomically and
refuses to overwrite a file changed by someone else; it compares and writes under a lock, so two `assess`
sessions saving at the same moment cannot both succeed on the same old file. Moving the comments that follow an
entry when entries are added or removed is in yamlcomments.py; writing the data back out, with the user's own
lines wherever the edit left them alone, is in yamlrender.py.

Nothing here prints or exits.
"""

from __future__ import annotations

import codecs
import contextlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from readiness.edit import yamlcomments, yamlrender, yamlvalues
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import decode_text, file_problem, parse_document, read_bytes
from readiness.render.output import write_atomic

# ruamel's nodes (CommentedMap, CommentedSeq, CommentToken) expose their comment and style records as Any;
# the helpers below take and return Any where they handle those.

# A save holds the lock for milliseconds; waiting this long means another program is stuck holding it.
LOCK_TIMEOUT = 30.0


class FileChanged(Exception):
    """The file on disk is no longer what was read: someone else edited it."""


class FileLocked(Exception):
    """Another program held the file's lock for longer than a save waits: nothing was written."""


def lock_path(path: Path) -> Path:
    """The lock file of an assessment, beside it while a save runs (see save)."""
    return path.with_name(f".{path.name}.lock")


@dataclass(eq=False)
class EditableAssessment:
    """A readiness.yaml held as ruamel round-trip data, with what a save needs to write it back the user's way."""

    path: Path
    data: Any  # ruamel's CommentedMap of the whole file
    baseline: bytes  # the bytes last read or written: save() refuses to write over anything else
    _layout: yamlrender.Layout = field(repr=False)
    _source: list[str] = field(repr=False)  # the file's lines as last read or written ("\n" ends, no BOM)
    _rendered: list[str] = field(repr=False)  # ruamel's rendering of the data at that moment


def open_assessment(path: Path) -> EditableAssessment:
    """Read a readiness.yaml for editing; InputError, in the reader's words and at its line, if it cannot be read."""
    raw, text = _read(path, str(path))
    return _editable(path, raw, text)


def new_assessment(path: Path, text: str) -> EditableAssessment:
    """A readiness.yaml not yet written, from its first text, to edit in memory; `render` gives what to write."""
    return _editable(path, b"", text)


def _editable(path: Path, raw: bytes, text: str) -> EditableAssessment:
    display = str(path)
    parse_document(text, display)  # the tool's reader judges the file first: ruamel's messages are not for users
    bom = raw.startswith(codecs.BOM_UTF8)
    first_break = text.find("\n")
    crlf = first_break > 0 and text[first_break - 1] == "\r"
    final_newline = not text or text.endswith("\n")
    text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"  # ruamel always ends the file with a line break; the last line must compare equal
    head, body, tail = yamlrender.frame(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel's warnings (a float without a dot…) are for programmers
            data = yamlrender.yaml_handler(yamlrender.Layout()).load(body)
    except YAMLError as error:
        raise _ruamel_problem(display, error, head.count("\n")) from None
    if not isinstance(data, CommentedMap):
        raise file_problem(display, "the assessment must be a mapping of keys to values")
    lines = body.splitlines(keepends=True)
    mapping, sequence, offset = yamlrender.indents(data, lines)
    layout = yamlrender.Layout(
        mapping, sequence, offset, yamlrender.spaced(lines), bom, crlf, head, tail, final_newline
    )
    doc = EditableAssessment(path, data, raw, layout, lines, [])
    doc._rendered = yamlrender.dump(data, layout).splitlines(keepends=True)
    return doc


def _read(path: Path, display: str) -> tuple[bytes, str]:
    """The file's bytes, the baseline a save compares with, and its text, after every check the tool's reader
    makes (inside the project, a regular file, the size limit, UTF-8): one read serves both."""
    raw = read_bytes(path, display)
    return raw, decode_text(raw, display)


def _ruamel_problem(display: str, error: YAMLError, offset: int) -> Exception:
    """A file the tool's reader accepts and ruamel does not, told in one line at ruamel's position."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1 + offset, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or "cannot be parsed for editing"
    return file_problem(display, f"YAML syntax error: {problem}", line, column)


# Keys of an answer a save may remove but never writes: a scan's `proposal` goes once a person answers the item.
_REMOVED_ONLY = ("proposal",)


def set_answer(doc: EditableAssessment, item_id: str, fields: Mapping[str, object]) -> None:
    """Create or update the answer to `item_id`; a field set to None is removed from the answer (`proposal` may
    only be removed)."""
    removed = [key for key in _REMOVED_ONLY if key in fields and fields[key] is None]
    values = yamlvalues.answer_values({key: value for key, value in fields.items() if key not in removed})
    values.update(dict.fromkeys(removed))  # None: _update removes the key; a new answer never had it
    yamlvalues.writable(item_id, values)
    _upsert(
        doc,
        "answers",
        item_id,
        lambda entry: _update(entry, values),
        lambda flow: yamlvalues.new_mapping(values, flow=flow),
    )


def add_member(
    doc: EditableAssessment, member_id: str, name: str, role: str | None, *, email: str | None = None
) -> None:
    """Add a team member, or update the name and role of one already there (a role of None removes it; other
    keys, like email, stay unless one is given)."""
    values: dict[str, object] = {"name": name, "role": role}
    if email is not None:
        values["email"] = email
    yamlvalues.writable(member_id, values)
    _upsert(
        doc,
        "team",
        member_id,
        lambda entry: _update(entry, values),
        lambda _: yamlvalues.new_mapping(values, flow=True),  # one line per member, as in the examples
        after=("checklists", "project"),
    )


def set_raci(doc: EditableAssessment, activity: str, responsible: Sequence[str], accountable: str) -> None:
    """Set who is Responsible and Accountable for an activity; its C, I and anything else stay as they are."""
    if isinstance(responsible, str):
        raise TypeError("responsible is a list of team ids, not one string")
    yamlvalues.writable(activity, [*responsible, accountable])
    _upsert(
        doc,
        "raci",
        activity,
        lambda entry: _update_raci(entry, list(responsible), accountable),
        lambda _: yamlvalues.raci_entry(responsible, accountable),
        after=("team", "checklists", "project"),
    )


def _upsert(
    doc: EditableAssessment,
    section: str,
    key: str,
    update: Callable[[Any], None],
    new: Callable[[bool], Any],
    after: Sequence[str] = (),
) -> None:
    """Update the mapping at `section.key` in place; replace it if it is not a mapping, or add it after the
    section's last entry. `new(flow)` builds a fresh entry, in flow style when its section is. A missing or
    empty section is created (after the first of `after` that exists)."""
    mapping = doc.data.get(section)
    if isinstance(mapping, CommentedMap) and len(mapping):
        flow = yamlcomments.is_flow(mapping)
        current = mapping.get(key)
        if isinstance(current, CommentedMap) and len(current):
            update(current)
        elif key in mapping:
            yamlcomments.replace(mapping, key, new(flow))
        else:
            yamlcomments.append(mapping, yamlvalues.text(key, flow=flow), new(flow))
        return
    fresh = CommentedMap()
    fresh[yamlvalues.text(key, flow=False)] = new(False)
    _put_section(doc, section, fresh, after=after)


def add_missing(doc: EditableAssessment, path: Sequence[str], values: Mapping[str, object]) -> list[str]:
    """Add each key of `values` that the mapping at `path` (one or two keys deep: `targets`, `project.profile`)
    does not hold, creating the mapping when it is absent or empty; a key already there keeps its value, its
    comments and its place. The keys added, in order."""
    yamlvalues.writable(values)
    parent, key = (doc.data, path[0]) if len(path) == 1 else (doc.data.get(path[0]), path[1])
    if not isinstance(parent, CommentedMap):
        raise ValueError(f"'{path[0]}' is not a mapping")
    current = parent.get(key)
    if isinstance(current, CommentedMap) and len(current):
        added = {name: value for name, value in values.items() if name not in current}
        _update(current, added)
        return list(added)
    fresh = yamlvalues.new_mapping(values, flow=False)
    if parent is doc.data:
        _put_section(doc, key, fresh, before="policy")
    elif key in parent:
        yamlcomments.replace(parent, key, fresh)
    else:
        yamlcomments.append(parent, yamlvalues.text(key, flow=False), fresh)
    return list(values)


def set_cost(doc: EditableAssessment, cost: Mapping[str, object]) -> None:
    """Make the `cost` section hold exactly these keys; keys that stay keep their place and comments."""
    yamlvalues.writable("cost", cost)
    current = doc.data.get("cost")
    if isinstance(current, CommentedMap) and len(current):
        _merge(current, cost)
        return
    _put_section(doc, "cost", yamlvalues.new_mapping(cost, flow=False), before="policy")


def render(doc: EditableAssessment) -> str:
    """The text save() would write, BOM and line ends included."""
    text, _ = yamlrender.render(doc.data, doc._layout, doc._source, doc._rendered)
    return yamlrender.outward(text, doc._layout)


def save(
    doc: EditableAssessment,
    *,
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[Path], None] | None = None,
) -> None:
    """Write the edits atomically, unless the file changed on disk since it was read or last saved.

    The comparison and the write happen under the file's lock, so that of two sessions saving at once, the
    second finds the first one's file and raises FileChanged instead of writing over it. `waiting(lock file)`
    is called when the lock is taken and the save has to wait; FileLocked after `timeout` seconds.

    The lock file, beside the assessment, is removed before the lock is released, so none is left behind: a
    waiter that then locks the removed file finds it has no name any more and locks the new one (filelock checks
    this since 3.29.5). Removed after the release instead, a waiter could hold the old file while a third
    process locks a new one. A crash mid-save leaves an empty lock file, which the next save uses and removes.
    """
    lock_file = lock_path(doc.path)
    lock = FileLock(str(lock_file), timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if waiting is not None:
                waiting(lock_file)
            lock.acquire(timeout=timeout)
    except Timeout:
        raise FileLocked(
            f"{doc.path} stayed locked by another program for {timeout:g} seconds (its lock file is {lock_file}); "
            "nothing was written"
        ) from None
    except OSError as error:
        raise file_problem(str(doc.path), f"cannot lock {lock_file}: {error.strerror or error}") from None
    try:
        _compare_and_write(doc)
    finally:
        with contextlib.suppress(OSError):  # Windows refuses while it is open; filelock removes it there
            lock_file.unlink()
        lock.release()


def restore(doc: EditableAssessment, previous: bytes, *, timeout: float = LOCK_TIMEOUT) -> None:
    """Put back `previous`, the exact bytes the file held before the last save (undo), under the same lock and
    with the same refusal as save(): FileChanged if the file is no longer what that save wrote. `doc` must be
    opened again afterwards."""
    text = previous.decode("utf-8")  # it was read as UTF-8; the BOM stays a "\ufeff" that write_atomic writes back
    lock_file = lock_path(doc.path)
    lock = FileLock(str(lock_file), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise FileLocked(f"{doc.path} stayed locked by another program for {timeout:g} seconds") from None
    try:
        if read_bytes(doc.path, str(doc.path)) != doc.baseline:
            raise FileChanged(f"{doc.path} was changed by someone else since the last save; nothing was undone")
        write_atomic(doc.path, text)
        doc.baseline = previous
    finally:
        with contextlib.suppress(OSError):
            lock_file.unlink()
        lock.release()


def _compare_and_write(doc: EditableAssessment) -> None:
    # Rendered first: an editor takes no lock, so the moment between reading the file to compare and replacing
    # it is kept as short as it can be.
    text, rendered = yamlrender.render(doc.data, doc._layout, doc._source, doc._rendered)
    written = yamlrender.outward(text, doc._layout)
    data = written.encode("utf-8")
    try:  # by the reader's rules too: another program may have put a link, a FIFO or a huge file in its place
        current = read_bytes(doc.path, str(doc.path))
    except InputError:
        if not (doc.path.exists() or doc.path.is_symlink()):
            raise FileChanged(f"{doc.path} was deleted or moved since it was read") from None
        raise
    if current != doc.baseline:
        raise FileChanged(f"{doc.path} was changed by someone else since it was read; nothing was written")
    if data != current:
        # write_atomic opens the file with newline="\n": "\r\n" in the text is written as is, and "\ufeff"
        # at the start becomes the UTF-8 BOM, so `data` is exactly what lands on disk.
        write_atomic(doc.path, written)
    doc.baseline = data
    doc._source = text.splitlines(keepends=True)
    doc._rendered = rendered


# ── Editing mappings ────────────────────────────────────────────────────────────────────────────────────────


def _update(mapping: Any, values: Mapping[str, object]) -> None:
    """Set these keys of an existing mapping: None removes a key, new keys go after the existing ones."""
    flow = yamlcomments.is_flow(mapping)
    added = []
    for key, value in values.items():
        if value is None:
            if key in mapping:
                yamlcomments.remove(mapping, key)
        elif key in mapping:
            _assign(mapping, key, value)
        else:
            added.append(key)
    for key in added:
        yamlcomments.append(mapping, yamlvalues.text(key, flow=flow), yamlvalues.node(values[key], flow=flow))


def _assign(mapping: Any, key: str, value: object) -> None:
    """Give an existing key a new value, keeping its comments, and the style of a list or quoted string."""
    flow = yamlcomments.is_flow(mapping)
    old = mapping[key]
    if isinstance(value, list) and isinstance(old, CommentedSeq):
        if list(old) != value:
            _set_items(mapping, key, [yamlvalues.checked_str(v) for v in value])
        return
    if not isinstance(old, (CommentedMap, CommentedSeq)) and yamlvalues.same_scalar(old, value):
        return
    if isinstance(value, str) and isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        new: Any = type(old)(value)
    else:
        new = yamlvalues.node(value, flow=flow)
    yamlcomments.replace(mapping, key, new)


def _merge(mapping: Any, values: Mapping[str, object]) -> None:
    """Make `mapping` hold exactly `values` (None counts as absent), nested mappings merged the same way."""
    for key in list(mapping):
        if values.get(key) is None:
            yamlcomments.remove(mapping, key)
    flow = yamlcomments.is_flow(mapping)
    for key, value in values.items():
        if value is None:
            continue
        if key not in mapping:
            yamlcomments.append(mapping, yamlvalues.text(key, flow=flow), yamlvalues.node(value, flow=flow))
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
        yamlcomments.replace(entry, "R", yamlvalues.new_list(responsible, flow=True))
    else:
        entry.insert(0, "R", yamlvalues.new_list(responsible, flow=True))
    if "A" in entry:
        _assign(entry, "A", accountable)
    else:
        entry.insert(list(entry).index("R") + 1, "A", yamlvalues.text(accountable, flow=yamlcomments.is_flow(entry)))


def _set_items(mapping: Any, key: str, items: list[str]) -> None:
    """Replace the items of an existing list in place: its style stays, so do the comments of items kept."""
    sequence = mapping[key]
    if yamlcomments.is_flow(sequence) or yamlcomments.is_flow(mapping):
        del sequence[:]
        sequence.ca.items.clear()
        sequence.extend(yamlvalues.text(item, flow=True) for item in items)
        return
    following = yamlcomments.take_following(mapping, key)
    old = list(sequence)
    tokens = [yamlcomments.comment_token(sequence, index) for index in range(len(old))]
    used = [False] * len(old)
    kept: list[Any] = []
    for item in items:
        match = next((i for i, value in enumerate(old) if value == item and not used[i]), None)
        if match is not None:
            used[match] = True
        kept.append(tokens[match] if match is not None else None)
    # Comment lines between the items of a removed entry stay in the file, after the list.
    orphans = "".join(
        yamlcomments.split_token(tokens[i], False)[1] for i in range(len(old)) if not used[i] and tokens[i]
    )
    del sequence[:]
    sequence.ca.items.clear()
    sequence.extend(yamlvalues.text(item, flow=False) for item in items)
    for index, token in enumerate(kept):
        if token is not None:
            yamlcomments.set_comment_token(sequence, index, token)
    yamlcomments.give_following(mapping, key, orphans + following)


def _put_section(doc: EditableAssessment, key: str, value: Any, after: Sequence[str] = (), before: str = "") -> None:
    """Set a top-level section: in place if the key is there, else after the first of `after` present, else
    before `before`, else at the end of the document."""
    root = doc.data
    if key in root:
        yamlcomments.replace(root, key, value)
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
    keep, move = yamlcomments.split_lines(
        yamlcomments.take_following(root, previous) + yamlcomments.take_before(root, following), 0
    )
    root.insert(position, key, value)
    yamlcomments.give_following(root, previous, keep + ("\n" if doc._layout.spaced else ""))
    yamlcomments.give_following(root, key, move)


def _append_section(doc: EditableAssessment, key: str, value: Any) -> None:
    """Add a section at the end, below any comments that end the file (the starter file's say "below")."""
    root = doc.data
    last = yamlcomments.last_key(root)
    text = yamlcomments.take_following(root, last) + yamlcomments.take_end(root)
    lines = text.splitlines()
    if doc._layout.spaced and not (lines and (not lines[-1].strip() or lines[-1].startswith("#"))):
        text += "\n"
    yamlcomments.give_following(root, last, text)
    root[key] = value
