"""Keep what is valid in an assessment with schema errors, so its reference errors are reported too.

DESIGN §5 asks for every problem in one run. A schema error stops us from trusting the part of the file it
sits in, but the rest can still be checked: we drop the broken parts and cross-check what remains.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from typing import Any

from readiness.load import schemas
from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document

_REQUIRED = ("version", "project")
_MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # as in the assessment schema
_ROUNDS = 10  # each round removes at least one broken part; real files settle in two or three


@dataclass(frozen=True)
class Salvaged:
    """A document with the values that broke the schema taken out, so that the rest can still be checked."""

    document: Document
    # Top-level sections that lost something. Losing only `checklists.use` does not count as losing
    # `checklists`: every built-in pack then stands in, a superset, so item ids can still be called unknown.
    touched: frozenset[str]


def salvage(document: Document) -> Salvaged | None:
    """The document without its schema-breaking parts, or None when what is left cannot be used."""
    data = copy.deepcopy(document.data)
    touched: set[str] = set()
    blanked: set[JsonPath] = set()  # list elements replaced by None, which the schema need not accept any more
    for _ in range(_ROUNDS):
        broken = {
            path
            for path in schemas.invalid_paths(data, "assessment")
            if not any(path[: len(element)] == element for element in blanked)
        }
        if not broken:
            return Salvaged(replace(document, data=data), frozenset(touched))
        for path in sorted(broken, key=len, reverse=True):
            element = _blankable(data, path)
            if element is not None:
                # Blank the one broken element, not the whole list, so the others are still checked; None keeps
                # the later ones at their index (and so at their line). to_assessment skips it.
                *parents, index = element
                _at(data, parents)[index] = None
                blanked.add(element)
                touched.add(str(element[0]))
                continue
            target = _removable(path)
            if target is None or not isinstance(data, dict):
                return None
            touched.add("checklists.use" if target[:2] == ("checklists", "use") else str(target[0]))
            _remove(data, target)
    return None


# Lists whose elements are checked one by one: a waiver, an evidence entry ("*" stands for any answer).
_BLANKABLE: tuple[JsonPath, ...] = (("waivers",), ("answers", "*", "evidence"))


def _blankable(data: Any, path: JsonPath) -> JsonPath | None:
    """The element of a _BLANKABLE list that `path` lies in, if it does."""
    for pattern in _BLANKABLE:
        element = path[: len(pattern) + 1]
        if (
            len(element) == len(pattern) + 1
            and isinstance(element[-1], int)
            and all(want in ("*", got) for want, got in zip(pattern, element, strict=False))
            and isinstance(_at(data, element[:-1]), list)
        ):
            return element
    return None


def _at(data: Any, path: JsonPath | list[str | int]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


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
    parent = _at(data, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
