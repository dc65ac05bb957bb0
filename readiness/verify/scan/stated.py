"""A target value a file states, and how the statements of one file make one: the strictest of them."""

from __future__ import annotations

from dataclasses import dataclass

from readiness.load.textsafe import visible
from readiness.verify.scan.model import Clue

Value = float | int
_LOWER_IS_STRICTER = frozenset({"latency_p95_ms", "error_rate"})
_SHOWN = 60  # characters of a written value shown in a reason


@dataclass(frozen=True)
class Stated:
    """`key` is a key of the assessment's `targets`; `value` already satisfies the schema's constraint on it."""

    key: str
    value: Value
    clue: Clue


def strictest(found: list[Stated]) -> list[Stated]:
    """One statement per key: the strictest (lowest latency or error rate, highest availability or concurrency),
    the first in the file of those equal."""
    kept: dict[str, Stated] = {}
    for statement in found:
        before = kept.get(statement.key)
        if before is None or _stricter(statement, before):
            kept[statement.key] = statement
    return list(kept.values())


def _stricter(one: Stated, other: Stated) -> bool:
    if one.key in _LOWER_IS_STRICTER:
        return one.value < other.value
    return one.value > other.value


def shown(value: object) -> str:
    """A value for a reason: a number as written by `g`, anything else on one line, control characters written
    out, cut to a readable length."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    text = visible(str(value))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
