"""Keep what is valid in an assessment with schema errors, so its reference errors are reported too.

DESIGN §5 asks for every problem in one run. A schema error stops us from trusting the part of the file it
sits in, but the rest can still be checked: we drop the broken parts and cross-check what remains.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from typing import Any

from readiness import schemas
from readiness.diagnostics import JsonPath
from readiness.yamlsource import Document

_REQUIRED = ("version", "project")
_MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # as in the assessment schema
_ROUNDS = 10  # each round removes at least one broken part; real files settle in two or three


@dataclass(frozen=True)
class Salvaged:
    document: Document
    touched: frozenset[str]  # top-level sections that lost something


def salvage(document: Document) -> Salvaged | None:
    """The document without its schema-breaking parts, or None when what is left cannot be used."""
    data = copy.deepcopy(document.data)
    touched: set[str] = set()
    for _ in range(_ROUNDS):
        broken = schemas.invalid_paths(data, "assessment")
        if not broken:
            return Salvaged(replace(document, data=data), frozenset(touched))
        for path in sorted(broken, key=len, reverse=True):
            target = _removable(path)
            if target is None or not isinstance(data, dict):
                return None
            touched.add(str(target[0]))
            _remove(data, target)
    return None


def _removable(path: JsonPath) -> JsonPath | None:
    """What to drop for a problem at `path`: never a list element (later indexes would shift their lines)."""
    cut: list[str | int] = []
    for part in path:
        if isinstance(part, int):
            break
        cut.append(part)
    if not cut or (len(cut) == 1 and cut[0] in _REQUIRED):
        return None
    return tuple(cut)


def _remove(data: dict[str, Any], path: JsonPath) -> None:
    team = data.get("team")
    if path[:1] == ("team",) and len(path) >= 2 and isinstance(team, dict) and _MEMBER_ID.match(str(path[1])):
        # Keep a broken member's id: dropping it would turn every mention of them into a second error.
        team[path[1]] = {"name": str(path[1])}
        return
    parent: Any = data
    for part in path[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
