"""The cache file of `portfolio --cache` as plain JSON: written from the outcomes kept, and read back only after
every field has been checked.

The file may have been written by anyone who can write where it lies, a pull request among them: nothing in it
is run, and nothing is believed before it has the shape written here. Every string that reaches an output must be
one an assessment or a pack could hold (the YAML reader refuses control characters; so does this), every number
is a small whole number, every index points into its table. A file that fails is ignored whole (`Unfit`).

Titles, paths and pack lists repeat across thousands of projects, so each is written once in a table and the
projects point into it:

    {"format": "readiness portfolio cache", "version": 1,
     "key": {...},                          # the version, the packs, the options: all must match
     "paths": ["readiness.yaml", ...],      # relative to each assessment's folder
     "items": [["cost.budget", "A budget"], ...], "packs": [["cost", "Cost"], ...],
     "projects": {"team-a/readiness.yaml": {
         "stamp": {"root": ".", "real": null, "listed": [i], "looked": [i], "read": [i], "packs": [i],
                   "digest": "<sha256>"},
         "summary": {"name", "target", "verdict", "score", "stage", "packs": [i], "scores": [...],
                     "blockers", "gaps": [i], "inputs": [...]}
         or "failed": {"diagnostics": [...], "inputs": [...]}}}}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from readiness.core.model import Stage
from readiness.load.textsafe import first_control
from readiness.rollup.cachestamp import Stamp
from readiness.rollup.portfolio import Failed, Outcome, ProjectSummary

FORMAT = "readiness portfolio cache"
VERSION = 1
Kept = tuple[Outcome, Stamp]

# What the YAML reader lets into a value: the characters YAML allows, less the controls it refuses when escaped
# and the ones it reads as line breaks where an editor shows none.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_SCORE = re.compile(r"100\.0|[1-9]?[0-9]\.[0-9]|n/a")
_DIGEST = re.compile("[0-9a-f]{64}")
_VERDICTS = frozenset({"ready", "ready-with-waivers", "not-ready"})
_STAGES = frozenset(stage.value for stage in Stage)
_MANY = 10**9  # beyond any count a roll-up can reach; a larger number is a forgery or damage


class Unfit(ValueError):
    """The file is not a cache this version writes; the message says where and why."""


# --- writing -------------------------------------------------------------------------------------------------


def dumps(key: Mapping[str, Any], kept: Iterable[tuple[str, Kept]]) -> str:
    """The cache file's text for the outcomes `kept` (by the path shown), in the order given."""
    tables: dict[str, dict[Any, int]] = {"paths": {}, "items": {}, "packs": {}}

    def index(table: str, value: Any) -> int:
        return tables[table].setdefault(value, len(tables[table]))

    projects = {}
    for shown, (outcome, stamp) in kept:
        entry: dict[str, Any] = {"stamp": _stamp(stamp, lambda path: index("paths", path))}
        if isinstance(outcome, ProjectSummary):
            entry["summary"] = {
                "name": outcome.name,
                "target": outcome.target,
                "verdict": outcome.verdict,
                "score": outcome.score,
                "stage": outcome.stage_reached,
                "packs": [index("packs", (pack, outcome.pack_titles[pack])) for pack in outcome.scores],
                "scores": list(outcome.scores.values()),
                "blockers": outcome.blockers,
                "gaps": [index("items", gap) for gap in outcome.gaps],
                "inputs": list(outcome.inputs),
            }
        else:
            entry["failed"] = {"diagnostics": list(outcome.diagnostics), "inputs": list(outcome.inputs)}
        projects[shown] = entry
    document = {
        "format": FORMAT,
        "version": VERSION,
        "key": dict(key),
        **{
            name: [list(value) if isinstance(value, tuple) else value for value in rows]
            for name, rows in tables.items()
        },
        "projects": projects,
    }
    # ASCII: a file name that is not UTF-8 stays one (as an escaped surrogate) and the file still writes.
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")) + "\n"


def _stamp(stamp: Stamp, index: Callable[[str], int]) -> dict[str, Any]:
    return {
        "root": stamp.root,
        "real": stamp.real,
        **{name: [index(path) for path in getattr(stamp, name)] for name in ("listed", "looked", "read", "packs")},
        "digest": stamp.digest,
    }


# --- reading -------------------------------------------------------------------------------------------------


def loads(data: Any, key: Mapping[str, Any]) -> dict[str, Kept]:
    """The outcomes kept in `data` (the file's JSON), by the path shown; none when `key` differs (another version,
    other packs or options: nothing in it holds, and that is no fault of the file). Raises Unfit."""
    top = _object(data, "$", ("format", "version", "key", "paths", "items", "packs", "projects"), strict=False)
    if top["format"] != FORMAT:
        raise Unfit("$.format: not a readiness portfolio cache")
    version = top["version"]
    if version != VERSION or isinstance(version, bool):
        raise Unfit(f"$.version: format {_quoted(version)} is not one this readiness reads (it reads {VERSION})")
    _object(data, "$", ("format", "version", "key", "paths", "items", "packs", "projects"))
    if top["key"] != key:
        return {}
    paths = [_string(value, f"$.paths[{n}]", _path) for n, value in enumerate(_list(top["paths"], "$.paths"))]
    items = _pairs(top["items"], "$.items")
    packs = _pairs(top["packs"], "$.packs")
    projects = _object(top["projects"], "$.projects", None)
    found = {}
    for shown, entry in projects.items():
        where = f"$.projects[{_quoted(shown)}]"
        found[shown] = _entry(shown, entry, where, paths, items, packs)
    return found


def _entry(
    shown: str, entry: Any, where: str, paths: list[str], items: list[tuple[str, str]], packs: list[tuple[str, str]]
) -> Kept:
    failed = isinstance(entry, dict) and "failed" in entry
    fields = _object(entry, where, ("stamp", "failed" if failed else "summary"))
    stamp = _read_stamp(fields["stamp"], f"{where}.stamp", paths)
    if failed:
        body = _object(fields["failed"], f"{where}.failed", ("diagnostics", "inputs"))
        lines = _strings(body["diagnostics"], f"{where}.failed.diagnostics", _line)
        return Failed(shown, tuple(lines), tuple(_strings(body["inputs"], f"{where}.failed.inputs", _path))), stamp
    where = f"{where}.summary"
    names = ("name", "target", "verdict", "score", "stage", "packs", "scores", "blockers", "gaps", "inputs")
    body = _object(fields["summary"], where, names)
    used = _picks(packs, body["packs"], f"{where}.packs")
    scores = _strings(body["scores"], f"{where}.scores", _score)
    if len(scores) != len(used) or len({pack for pack, _ in used}) != len(used):
        raise Unfit(f"{where}.scores: one score for each pack, each pack once")
    stage = body["stage"]
    summary = ProjectSummary(
        path=shown,
        name=_string(body["name"], f"{where}.name", _text),
        target=_string(body["target"], f"{where}.target", _one_of(_STAGES)),
        verdict=_string(body["verdict"], f"{where}.verdict", _one_of(_VERDICTS)),
        score=_string(body["score"], f"{where}.score", _score),
        stage_reached=None if stage is None else _string(stage, f"{where}.stage", _one_of(_STAGES)),
        scores={pack: score for (pack, _), score in zip(used, scores, strict=True)},
        pack_titles=dict(used),
        blockers=_count(body["blockers"], f"{where}.blockers"),
        gaps=tuple(_picks(items, body["gaps"], f"{where}.gaps")),
        inputs=tuple(_strings(body["inputs"], f"{where}.inputs", _path)),
    )
    return summary, stamp


def _read_stamp(value: Any, where: str, paths: list[str]) -> Stamp:
    fields = _object(value, where, ("root", "real", "listed", "looked", "read", "packs", "digest"))
    real = fields["real"]
    parts = {
        name: tuple(_picks(paths, fields[name], f"{where}.{name}")) for name in ("listed", "looked", "read", "packs")
    }
    return Stamp(
        root=_string(fields["root"], f"{where}.root", _path),
        real=None if real is None else _string(real, f"{where}.real", _path),
        digest=_string(fields["digest"], f"{where}.digest", _hex),
        **parts,
    )


# --- checks ----------------------------------------------------------------------------------------------------

T = TypeVar("T")


def _object(value: Any, where: str, names: Sequence[str] | None, *, strict: bool = True) -> dict[str, Any]:
    """A JSON object; with `names`, with those keys (and, `strict`, no others)."""
    if not isinstance(value, dict):
        raise Unfit(f"{where}: expected an object")
    if names is not None:
        missing = [name for name in names if name not in value]
        if missing:
            raise Unfit(f"{where}: '{missing[0]}' is missing")
        extra = [name for name in value if name not in names]
        if strict and extra:
            raise Unfit(f"{where}: unknown key {_quoted(extra[0])}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise Unfit(f"{where}: expected a list")
    return value


def _string(value: Any, where: str, check: Callable[[str], str | None]) -> str:
    if not isinstance(value, str):
        raise Unfit(f"{where}: expected a string")
    problem = check(value)
    if problem is not None:
        raise Unfit(f"{where}: {problem}")
    return value


def _strings(value: Any, where: str, check: Callable[[str], str | None]) -> list[str]:
    return [_string(inner, f"{where}[{n}]", check) for n, inner in enumerate(_list(value, where))]


def _pairs(value: Any, where: str) -> list[tuple[str, str]]:
    """A table of (id, title)."""
    pairs = []
    for n, pair in enumerate(_list(value, where)):
        if not isinstance(pair, list) or len(pair) != 2:
            raise Unfit(f"{where}[{n}]: expected [id, title]")
        pairs.append((_string(pair[0], f"{where}[{n}][0]", _text), _string(pair[1], f"{where}[{n}][1]", _text)))
    return pairs


def _pick(table: list[T], value: Any, where: str) -> T:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(table):
        raise Unfit(f"{where}: expected a position in its table (0 to {len(table) - 1})")
    return table[value]


def _picks(table: list[T], value: Any, where: str) -> list[T]:
    values = _list(value, where)
    # Checked all at once first: thousands of projects, dozens of gaps each.
    if not values or (set(map(type, values)) == {int} and min(values) >= 0 and max(values) < len(table)):
        return [table[inner] for inner in values]
    return [_pick(table, inner, f"{where}[{n}]") for n, inner in enumerate(values)]


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MANY:
        raise Unfit(f"{where}: expected a count")
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
    return None if _SCORE.fullmatch(value) else "expected a score with one decimal (0.0 to 100.0) or n/a"


def _hex(value: str) -> str | None:
    return None if _DIGEST.fullmatch(value) else "expected a SHA-256 digest in hexadecimal"


def _one_of(allowed: frozenset[str]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in allowed else "expected one of " + ", ".join(sorted(allowed))

    return check


def _quoted(value: Any) -> str:
    """A value from the file, for a message: short, and its control characters written out by the caller."""
    text = json.dumps(value, ensure_ascii=True) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
