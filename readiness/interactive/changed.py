"""What an answer typed in the walk changes in the file: only the fields whose value moved.

A tech lead who presses Enter through every question has changed nothing, and the file must show it: not a
re-ordered list, not a rewritten date, not a line in the summary. The walk asks with the current values as
defaults, then keeps from what came back only what differs from what the file holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from readiness.core.model import Answer


def _as_written(answer: Answer | None, name: str) -> object:
    """A field of the current answer in the form the walk builds its fields in; None where it is absent."""
    if answer is None:
        return None
    value: Any = getattr(answer, name)
    if name == "status":
        return answer.status.value
    if name == "evidence":
        return list(value) or None
    return value or None


def _as_typed(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value) or None
    return value if value != "" else None


def answer_changes(current: Answer | None, fields: Mapping[str, object]) -> dict[str, object]:
    """The fields whose value differs from the current answer (all of them for a new answer, but no removals)."""
    return {
        name: value
        for name, value in fields.items()
        if _as_typed(value) != _as_written(current, name) and not (current is None and value is None)
    }


def same_people(written: Sequence[str], typed: Sequence[str]) -> bool:
    """Whether two lists of team ids name the same people; the written order is the user's, and is kept."""
    return sorted(dict.fromkeys(written)) == sorted(dict.fromkeys(typed))


def plain(value: object) -> object:
    """ruamel's nodes as plain values (its int and float subclasses compare equal already), for comparing models."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
