"""The cache file of `portfolio --cache` as plain JSON: written from the outcomes kept, and read back only after
every field has been checked.

The file may have been written by anyone who can write where it lies, a pull request among them: nothing in it
is run, and nothing is believed before it has the shape written here. Every string that reaches an output must be
one an assessment or a pack could hold (the YAML reader refuses control characters; so does this), every number
is a small whole number, every index points into its table. A file that fails is ignored whole (`Unfit`).

Titles, paths and whole lists of them repeat across thousands of projects (copies of one layout miss the same
items), so each is written once in a table and the projects point into it:

    {"format": "readiness portfolio cache", "version": 1,
     "key": {...},                          # the version, the packs, the options: all must match
     "paths": ["readiness.yaml", ...],      # relative to each assessment's folder
     "items": [["cost.budget", "A budget"], ...], "packs": [["cost", "Cost"], ...],
     "lists": [[0, 3, 4], ...],             # positions in one of the three tables above
     "projects": {"team-a/readiness.yaml": {
         "stamp": {"root": ".", "real": null, "listed": L, "looked": L, "read": L, "packs": L, "places": L,
                   "digest": "<sha256>", "quick": "<sha256>" or null},        # L: a list of paths
         "summary": {"name", "target", "verdict", "score", "stage", "packs": L, "scores": [...], "blockers",
                     "gaps": L, "inputs": [...]}                             # L: a list of packs, of items
         or "failed": {"diagnostics": [...], "inputs": [...]}}}}
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from readiness.core.model import Stage
from readiness.load.textsafe import first_control
from readiness.rollup.cachestamp import Stamp
from readiness.rollup.portfolio import Failed, Outcome, ProjectSummary

FORMAT = "readiness portfolio cache"
VERSION = 1
Kept = tuple[Outcome, Stamp]
Where = tuple[str, ...]  # the parts of a JSON path, put together only for a message

# What the YAML reader lets into a value: the characters YAML allows, less the controls it refuses when escaped
# and the ones it reads as line breaks where an editor shows none.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_DIGEST = re.compile("[0-9a-f]{64}")
_SCORES = frozenset({f"{tenths // 10}.{tenths % 10}" for tenths in range(1001)} | {"n/a"})  # 0.0 to 100.0, n/a
_VERDICTS = frozenset({"ready", "ready-with-waivers", "not-ready"})
_STAGES = frozenset(stage.value for stage in Stage)
_TOP = ("format", "version", "key", "paths", "items", "packs", "lists", "projects")
_PLACES = ("listed", "looked", "read", "packs", "places")
_SUMMARY = ("name", "target", "verdict", "score", "stage", "packs", "scores", "blockers", "gaps", "inputs")
_MANY = 10**9  # beyond any count a roll-up can reach; a larger number is a forgery or damage


class Unfit(ValueError):
    """The file is not a cache this version writes; the message says where and why."""


# --- writing -------------------------------------------------------------------------------------------------


def dumps(key: Mapping[str, Any], kept: Iterable[tuple[str, Kept]]) -> str:
    """The cache file's text for the outcomes `kept` (by the path shown), in the order given."""
    tables: dict[str, dict[Any, int]] = {"paths": {}, "items": {}, "packs": {}, "lists": {}}

    def listed(table: str, values: Iterable[Any]) -> int:
        positions = tuple(tables[table].setdefault(value, len(tables[table])) for value in values)
        return tables["lists"].setdefault(positions, len(tables["lists"]))

    projects = {}
    for shown, (outcome, stamp) in kept:
        entry: dict[str, Any] = {
            "stamp": {
                "root": stamp.root,
                "real": stamp.real,
                **{name: listed("paths", getattr(stamp, name)) for name in _PLACES},
                "digest": stamp.digest,
                "quick": stamp.quick,
            }
        }
        if isinstance(outcome, ProjectSummary):
            entry["summary"] = {
                "name": outcome.name,
                "target": outcome.target,
                "verdict": outcome.verdict,
                "score": outcome.score,
                "stage": outcome.stage_reached,
                "packs": listed("packs", ((pack, outcome.pack_titles[pack]) for pack in outcome.scores)),
                "scores": list(outcome.scores.values()),
                "blockers": outcome.blockers,
                "gaps": listed("items", outcome.gaps),
                "inputs": list(outcome.inputs),
            }
        else:
            entry["failed"] = {"diagnostics": list(outcome.diagnostics), "inputs": list(outcome.inputs)}
        projects[shown] = entry
    document = {
        "format": FORMAT,
        "version": VERSION,
        "key": dict(key),
        **{name: [list(row) if isinstance(row, tuple) else row for row in rows] for name, rows in tables.items()},
        "projects": projects,
    }
    # ASCII: a file name that is not UTF-8 stays one (as an escaped surrogate) and the file still writes.
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")) + "\n"


# --- reading -------------------------------------------------------------------------------------------------


def loads(data: Any, key: Mapping[str, Any]) -> dict[str, Kept]:
    """The outcomes kept in `data` (the file's JSON), by the path shown; none when `key` differs (another version,
    other packs or options: nothing in it holds, and that is no fault of the file). Raises Unfit."""
    top = _object(data, ("$",), _TOP, strict=False)
    if top["format"] != FORMAT:
        raise Unfit("$.format: not a readiness portfolio cache")
    version = top["version"]
    if version != VERSION or isinstance(version, bool):
        raise Unfit(f"$.version: format {_quoted(version)} is not one this readiness reads (it reads {VERSION})")
    _object(data, ("$",), _TOP)
    if top["key"] != key:
        return {}
    tables = _Tables(top)
    projects = _object(top["projects"], ("$", ".projects"), None)
    return {shown: _entry(shown, entry, tables) for shown, entry in projects.items()}


class _Tables:
    """The tables every project points into, each checked once, and each list resolved once for each use."""

    def __init__(self, top: dict[str, Any]) -> None:
        self.rows: dict[str, list[Any]] = {
            "paths": [
                _string(row, ("$", f".paths[{n}]"), _path) for n, row in enumerate(_list(top["paths"], ("$", ".paths")))
            ],
            "items": _pairs(top["items"], "items"),
            "packs": _pairs(top["packs"], "packs"),
        }
        self._lists = _list(top["lists"], ("$", ".lists"))
        self._resolved: dict[tuple[str, Any], tuple[Any, ...]] = {}

    def resolve(self, table: str, value: Any, where: Where) -> tuple[Any, ...]:
        """The rows of `table` that list number `value` points to."""
        if type(value) is not int or not 0 <= value < len(self._lists):
            raise Unfit(f"{_joined(where)}: expected a position in the lists (0 to {len(self._lists) - 1})")
        found = self._resolved.get((table, value))
        if found is None:
            rows = self.rows[table]
            positions = _list(self._lists[value], ("$", f".lists[{value}]"))
            for n, position in enumerate(positions):
                if type(position) is not int or not 0 <= position < len(rows):
                    raise Unfit(f"$.lists[{value}][{n}]: expected a position in the {table} (0 to {len(rows) - 1})")
            found = self._resolved[(table, value)] = tuple(rows[position] for position in positions)
        return found


def _entry(shown: str, entry: Any, tables: _Tables) -> Kept:
    where: Where = ("$", f".projects[{shown}]")  # the name is quoted only for a message
    failed = isinstance(entry, dict) and "failed" in entry
    fields = _object(entry, where, ("stamp", "failed" if failed else "summary"))
    stamp = _stamp(fields["stamp"], (*where, ".stamp"), tables)
    if failed:
        body = _object(fields["failed"], (*where, ".failed"), ("diagnostics", "inputs"))
        lines = _strings(body["diagnostics"], (*where, ".failed.diagnostics"), _line)
        return Failed(shown, tuple(lines), tuple(_strings(body["inputs"], (*where, ".failed.inputs"), _path))), stamp
    where = (*where, ".summary")
    body = _object(fields["summary"], where, _SUMMARY)
    used = tables.resolve("packs", body["packs"], (*where, ".packs"))
    scores = _strings(body["scores"], (*where, ".scores"), _score)
    if len(scores) != len(used) or len({pack for pack, _ in used}) != len(used):
        raise Unfit(f"{_joined(where)}.scores: one score for each pack, each pack once")
    stage = body["stage"]
    summary = ProjectSummary(
        path=shown,
        name=_string(body["name"], (*where, ".name"), _text),
        target=_string(body["target"], (*where, ".target"), _one_of(_STAGES)),
        verdict=_string(body["verdict"], (*where, ".verdict"), _one_of(_VERDICTS)),
        score=_string(body["score"], (*where, ".score"), _score),
        stage_reached=None if stage is None else _string(stage, (*where, ".stage"), _one_of(_STAGES)),
        scores={pack: score for (pack, _), score in zip(used, scores, strict=True)},
        pack_titles=dict(used),
        blockers=_count(body["blockers"], (*where, ".blockers")),
        gaps=tables.resolve("items", body["gaps"], (*where, ".gaps")),
        inputs=tuple(_strings(body["inputs"], (*where, ".inputs"), _path)),
    )
    return summary, stamp


def _stamp(value: Any, where: Where, tables: _Tables) -> Stamp:
    fields = _object(value, where, ("root", "real", *_PLACES, "digest", "quick"))
    real, fast = fields["real"], fields["quick"]
    listed, looked, read, packs, places = (
        tables.resolve("paths", fields[name], (*where, f".{name}")) for name in _PLACES
    )
    return Stamp(
        root=_string(fields["root"], (*where, ".root"), _path),
        real=None if real is None else _string(real, (*where, ".real"), _path),
        listed=listed,
        looked=looked,
        read=read,
        packs=packs,
        places=places,
        digest=_string(fields["digest"], (*where, ".digest"), _hex),
        quick=None if fast is None else _string(fast, (*where, ".quick"), _hex),
    )


# --- checks ----------------------------------------------------------------------------------------------------


def _object(value: Any, where: Where, names: tuple[str, ...] | None, *, strict: bool = True) -> dict[str, Any]:
    """A JSON object; with `names`, with those keys (and, `strict`, no others)."""
    if not isinstance(value, dict):
        raise Unfit(f"{_joined(where)}: expected an object")
    if names is not None and value.keys() != _keys(names):
        missing = [name for name in names if name not in value]
        if missing:
            raise Unfit(f"{_joined(where)}: '{missing[0]}' is missing")
        if strict:
            extra = next(name for name in value if name not in names)
            raise Unfit(f"{_joined(where)}: unknown key {_quoted(extra)}")
    return value


@functools.cache
def _keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


def _list(value: Any, where: Where) -> list[Any]:
    if not isinstance(value, list):
        raise Unfit(f"{_joined(where)}: expected a list")
    return value


def _string(value: Any, where: Where, check: Callable[[str], str | None]) -> str:
    if not isinstance(value, str):
        raise Unfit(f"{_joined(where)}: expected a string")
    problem = check(value)
    if problem is not None:
        raise Unfit(f"{_joined(where)}: {problem}")
    return value


def _strings(value: Any, where: Where, check: Callable[[str], str | None]) -> list[str]:
    values = _list(value, where)
    if all(type(inner) is str and check(inner) is None for inner in values):  # then no place to name
        return values
    return [_string(inner, (*where, f"[{n}]"), check) for n, inner in enumerate(values)]


def _pairs(value: Any, table: str) -> list[tuple[str, str]]:
    """A table of (id, title)."""
    pairs = []
    for n, pair in enumerate(_list(value, ("$", f".{table}"))):
        if not isinstance(pair, list) or len(pair) != 2:
            raise Unfit(f"$.{table}[{n}]: expected [id, title]")
        pairs.append(
            (_string(pair[0], ("$", f".{table}[{n}][0]"), _text), _string(pair[1], ("$", f".{table}[{n}][1]"), _text))
        )
    return pairs


def _count(value: Any, where: Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MANY:
        raise Unfit(f"{_joined(where)}: expected a count")
    return value


def _text(value: str) -> str | None:
    """Text an assessment or a pack could hold."""
    bad = _NOT_TEXT.search(value)
    return None if bad is None else f"holds the character U+{ord(bad.group()):04X}, which no assessment can hold"


def _line(value: str) -> str | None:
    """An error line as the tool formats it: every control character written out."""
    bad = first_control(value)
    return None if bad is None else f"holds the control character U+{ord(value[bad]):04X}"


def _path(value: str) -> str | None:
    return "holds a NUL character" if "\0" in value else None


def _score(value: str) -> str | None:
    return None if value in _SCORES else "expected a score with one decimal (0.0 to 100.0) or n/a"


def _hex(value: str) -> str | None:
    return None if _DIGEST.fullmatch(value) else "expected a SHA-256 digest in hexadecimal"


def _one_of(allowed: frozenset[str]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in allowed else "expected one of " + ", ".join(sorted(allowed))

    return check


def _joined(where: Where) -> str:
    """A JSON path for a message; a project's path (from the file) quoted, its control characters escaped."""
    head, *rest = where
    parts = [head]
    for part in rest:
        parts.append(f".projects[{_quoted(part[len('.projects[') : -1])}]" if part.startswith(".projects[") else part)
    return "".join(parts)


def _quoted(value: Any) -> str:
    """A value from the file, for a message: short, and its control characters written out by the caller."""
    text = json.dumps(value, ensure_ascii=True) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
