"""What the four evaluation-result probes share (promptfoo, Inspect, lm-eval, JUnit XML): the `expect` keys
they all take, the age of a run against the caller's `today`, and the tolerant reading of their JSON.

Every one of them answers the same questions of a run: did it hold enough cases, did enough of them pass, and
is it recent. The thresholds and the reference date come in `expect`; a probe never reads the clock, so the
same files and the same `--today` always give the same findings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import MAX_DEPTH, Document, parse_document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing

# The keys every evaluation probe takes. `today` is the reference date the caller fills in from `--today`;
# `max_age_days` cannot be judged without it.
COMMON_PROPERTIES: dict[str, Any] = {
    "pass_rate": {"type": "number", "minimum": 0, "maximum": 1},
    "max_age_days": {"type": "integer", "minimum": 0},
    "today": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
}


def expect_schema(**extra: Any) -> dict[str, Any]:
    """The JSON Schema of a probe's `expect`: the common keys and the probe's own, at least one threshold."""
    return {
        "type": "object",
        "properties": {**COMMON_PROPERTIES, **extra},
        "additionalProperties": False,
        "anyOf": [{"required": ["pass_rate"]}, {"required": ["max_age_days"]}],
        "dependentRequired": {"max_age_days": ["today"]},
    }


def read_json(artifact: Artifact) -> Document | Report:
    """The artifact's JSON with positions, or the report of why it cannot be read (FAILS where the reader
    stopped). Unlike `common.structured`, a value the reader cannot take stands as None instead of refusing the
    file: a real Inspect error log carries its traceback with colour escapes (`traceback_ansi`), and a model's
    answer in a promptfoo file may hold any control character; neither is a value these probes read."""
    text = artifact.text
    if not text.strip():
        return nothing(artifact, "the file is empty")
    deep = _too_deep(text)
    if deep is not None:
        return _unreadable(artifact, *_position(text, deep), _DEEP)
    try:
        return parse_document(text, artifact.path, tolerant=True)
    except InputError as error:
        first = error.diagnostics[0]
        return _unreadable(artifact, first.line, first.column, first.message)


def _unreadable(artifact: Artifact, line: int, column: int, problem: str) -> Report:
    if not artifact.text.lstrip("\ufeff \t\r\n").startswith("{"):
        # Every file these tools write is one JSON object; text that is none and does not parse is another
        # format (Markdown, XML) that a glob also matched, not a broken run.
        return nothing(artifact, f"not a JSON object, and not readable as YAML either: {problem}", line, column)
    return Report(Outcome.FAILS, (Finding(artifact.path, line, column, f"cannot be read: {problem}", False),))


_DEEP = f"nesting is deeper than {MAX_DEPTH} levels"
_MARKS = re.compile(r'["\\\[\]{}]')  # one character each: nothing to backtrack


def _too_deep(text: str) -> int | None:
    """Where a '{' or '[' outside strings first opens a level deeper than the reader takes, found in one pass.

    The reader refuses such nesting too, but only after libyaml has scanned it, which costs the square of the
    depth for mappings opened as keys of mappings: 8,000 '{' in a row (16 kB) take 20 seconds there."""
    depth = 0
    in_string = False
    escaped = -1  # the index of the character a backslash in a string escapes
    for found in _MARKS.finditer(text):
        index = found.start()
        if index == escaped:
            continue
        mark = found.group()
        if in_string:
            if mark == "\\":
                escaped = index + 1
            in_string = mark != '"'
        elif mark == '"':
            in_string = True
        elif mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif mark in "]}":
            depth -= 1
    return None


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character of the text."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def conclude(findings: list[Finding], missing: bool) -> Report:
    """`judged`, except that a run which holds on what it says but leaves out a property it normally carries (no
    date, no score) proves nothing: NOTHING, with every finding kept for the reader."""
    report = judged(findings)
    if missing and report.outcome is Outcome.HOLDS:
        return Report(Outcome.NOTHING, report.findings)
    return report


# ISO 8601 as these tools write it: a date and time, optional seconds and fraction, optional zone. Every part
# is bounded, so matching costs the same on any text; the text is cut to 64 characters first.
_INSTANT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
    r"(Z|z|[+-][0-9]{2}:?[0-9]{2})?"
)


def parse_instant(text: Any) -> datetime | None:
    """An ISO 8601 time (Python 3.10's `fromisoformat` takes neither 'Z' nor 9 fraction digits) in UTC; a time
    without a zone is read as UTC (at most 14 hours off, which a limit in days can bear). None when not one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    found = _INSTANT.fullmatch(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        zone_info = _zone(zone)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        parts = (int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
        return datetime(*parts, tzinfo=zone_info).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def _zone(zone: str | None) -> timezone:
    if zone is None or zone in ("Z", "z"):
        return timezone.utc
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if zone[0] == "-" else offset)


def from_unix(seconds: float) -> datetime | None:
    """Unix seconds (UTC by definition) as a time; None for a number no calendar holds."""
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def recency(where: tuple[str, int, int], when: datetime, expect: Mapping[str, Any], what: str) -> Finding:
    """Whether a run dated `when` is within `max_age_days` of the caller's `today`. A date after today (by more
    than the day a time zone can explain) fails too: the date is then not one the run can have had."""
    file, line, column = where
    today = _today(expect)
    if today is None:
        return Finding(file, line, column, "no reference date ('today') was given: the age cannot be judged", None)
    limit = expect["max_age_days"]
    age = (today - when.date()).days
    stamp = when.strftime("%Y-%m-%d %H:%M UTC")
    if age < -1:
        message = f"{what} {stamp}, {-age} days after the reference date {today.isoformat()}: a date it cannot have"
        return Finding(file, line, column, message, False)
    held = age <= limit
    verdict = "within" if held else "older than"
    message = f"{what} {stamp}, {max(age, 0)} days before {today.isoformat()}: {verdict} the {limit} days allowed"
    return Finding(file, line, column, message, held)


def _today(expect: Mapping[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(expect.get("today", "")))
    except ValueError:
        return None


def score_finding(where: tuple[str, int, int], label: str, value: Any, target: float) -> Finding:
    """A score against the target (at or above holds). A value that is there but is no finite number (lm-eval
    writes NaN when it cannot compute a metric, Inspect null) cannot meet any target."""
    file, line, column = where
    number = finite(value)
    if number is None:
        # None also stands for a number the reader could not take (1e999, thousands of digits)
        said = "null or out of range" if value is None else shown(repr(value), 40)
        message = f"{label} is {said}, not a number: it cannot meet the target of {target:g}"
        return Finding(file, line, column, message, False)
    return Finding(file, line, column, f"{label} {number:.4g}, target at least {target:g}", number >= target)


def finite(value: Any) -> float | None:
    """A JSON number as a finite float; None for anything else (a bool, NaN, a number too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def plural(number: int, word: str) -> str:
    """'1 error', '3 errors': a count and its noun, as a message reads it."""
    return f"{number:,} {word}" if number == 1 else f"{number:,} {word}s"


def percent(share: float) -> str:
    return f"{share:.2%}".replace("%", " %")


def count(value: Any) -> int | None:
    """A count from JSON: a whole, non-negative number (`3` or `3.0`); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if value >= 0 else None


def shown(text: str, limit: int = 80) -> str:
    """Text from the artifact as a message may quote it: one line, no control or invisible characters (they
    would reach terminals and reports as they are), cut to `limit` characters."""
    cut = text[: limit + 1]
    cleaned = "".join(char if char.isprintable() else " " for char in cut)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cut) <= limit else cleaned[: limit - 1] + "…"
