"""The JSON Schemas we ship (schemas/ at the top of the checkout, beside the packs), and validation that speaks in
positions and plain words."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from datetime import date
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from readiness.load import prebuilt
from readiness.load.diagnostics import Diagnostic, JsonPath, did_you_mean
from readiness.load.resources import data_dir

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

    from readiness.load.yamlsource import Document

KINDS = ("assessment", "checklist", "result")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)

_PATTERN_WORDS = {
    "^[a-z0-9][a-z0-9-]*$": "an id of lowercase letters, digits and '-'",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "a team id of letters, digits, '_', '.' and '-'",
    "^[a-z0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9-]*$": "a full item id such as 'observability.output-drift-alerts'",
}
_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def schema_text(kind: str) -> str:
    return (data_dir("schemas") / f"{kind}.schema.json").read_text(encoding="utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


@cache
def validator(kind: str) -> Validator:
    # Imported here: jsonschema costs a tenth of a second, which `--help` and `schema` need not pay.
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(kind), format_checker=FormatChecker(formats=["date"]))


@cache
def _fast_check(kind: str) -> Callable[[Any], Any]:
    """A validator compiled to Python code by fastjsonschema: one valid assessment in a few milliseconds,
    where jsonschema takes tens. It only answers "valid or not"; the words and positions of every problem
    come from jsonschema, which runs only when this one says no.

    Generating the code costs more than a check, so the build puts it in the package (readiness.load.prebuilt);
    a run that finds it missing or made from another schema generates it in memory.
    """
    return partial(prebuilt.validator(kind), custom_formats={"date": is_date})


def is_date(value: Any) -> bool:
    """The `date` format as jsonschema checks it: YYYY-MM-DD, and a day that exists."""
    if not isinstance(value, str):
        return True
    if len(value) != 10 or not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_valid(data: Any, kind: str) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        _fast_check(kind)(data)
    except JsonSchemaException:
        return False
    return True


def validate(document: Document, kind: str) -> list[Diagnostic]:
    """Every schema problem of the document, each at the line of the offending key or value, and the problems
    met while reading it (Document.problems). A schema finding at or below a value the reading already found
    wrong (a tag read as None) would only say the same thing again, and is left out."""
    read = document.problems
    if is_valid(document.data, kind):
        return sorted(read)
    found = [
        document.diag(path, message, key=at_key)
        for error in validator(kind).iter_errors(document.data)
        for path, message, at_key in _findings(error)
    ]
    said = {problem.path for problem in read}
    return sorted({*read, *(d for d in found if not _below(d.path, said))})


def _below(path: str, roots: set[str]) -> bool:
    return any(path == root or path.startswith((root + ".", root + "[")) for root in roots)


def invalid_paths(data: Any, kind: str) -> set[JsonPath]:
    """Where the data breaks the schema: the offending value, or the unknown key itself."""
    return {path for error in validator(kind).iter_errors(data) for path, _, _ in _findings(error)}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string '{shown}'"
    return repr(value)


# Where a problem is (the path), what it is in words, and whether it sits at the key rather than the value.
Finding = tuple[JsonPath, str, bool]


def _findings(error: ValidationError) -> list[Finding]:
    from jsonschema.exceptions import best_match

    path: JsonPath = tuple(error.absolute_path)
    kind = error.validator
    spec: dict[str, Any] = dict(error.schema) if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    if kind in ("anyOf", "oneOf") and error.context:
        # A string where a number or a named value may stand ('targets.latency_p95_ms'): the list of names, with
        # "did you mean", says more than "expected a number".
        named = [e for e in error.context if e.validator == "enum" and not e.relative_path]
        if isinstance(instance, str) and named:
            return _findings(named[0])
        types = {e.validator_value for e in error.context if e.validator == "type" and not e.relative_path}
        if len(types) == len(error.context):
            wanted = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in sorted(types, key=str))
            return [(path, f"expected {wanted}, got {_describe(error.instance)}", False)]
        return _findings(best_match(error.context))
    if kind == "additionalProperties":
        allowed = list(spec.get("properties", {}))
        return [((*path, key), _unknown_key(key, allowed), True) for key in instance if key not in allowed]
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else str(error.validator_value)
        if _misspelt(missing, instance, spec):
            return []  # the misspelt key's own message says "did you mean"; a second error would be noise
        return [(path, f"missing required key '{missing}'", False)]
    if "propertyNames" in error.schema_path:
        # jsonschema reports a bad key at its parent mapping; the user needs the key's own line.
        key = str(error.instance)
        rule = _PATTERN_WORDS.get(str(error.validator_value), "a valid key")
        return [((*path, key), f"key '{key}' is not {rule}", True)]
    return [(path, _message(error), False)]


def _unknown_key(key: str, allowed: list[str]) -> str:
    hint = did_you_mean(key, allowed)
    if not hint and 0 < len(allowed) <= 12:
        hint = "; the keys here are " + ", ".join(allowed)
    return f"unknown key '{key}'{hint}"


def _misspelt(missing: str, instance: Any, spec: dict[str, Any]) -> bool:
    """Whether an unknown key of the mapping is `missing` misspelt (`expiry` for `expires`)."""
    if spec.get("additionalProperties") is not False or not isinstance(instance, dict):
        return False
    allowed = list(spec.get("properties", {}))
    unknown = [key for key in instance if key not in allowed]
    return any(did_you_mean(key, allowed) == f" (did you mean '{missing}'?)" for key in unknown)


def _date_problem(value: str) -> str:
    """Why a YYYY-MM-DD string is no date, in words; '' when it does not even have that shape."""
    if not _DATE.match(value):
        return ""
    year, month, day = (int(part) for part in value.split("-"))
    if year == 0:
        return ": there is no year 0"
    if not 1 <= month <= 12:
        return f": there is no month {month}"
    if day == 0:
        return ": there is no day 0"
    days = calendar.monthrange(year, month)[1]
    return f": {calendar.month_name[month]} {year} has {days} days"


def _message(error: ValidationError) -> str:
    kind = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if kind == "type":
        schema_here: Any = error.schema
        if isinstance(schema_here, dict) and schema_here.get("format") == "date":
            return f"expected a date (YYYY-MM-DD), got {_describe(instance)}"
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in ([value] if isinstance(value, str) else value))
        if not error.absolute_path and isinstance(schema_here, dict) and schema_here.get("required"):
            keys = " and ".join(f"'{key}'" for key in schema_here["required"])
            wanted += f" with {keys} at the top"
        elif instance is None and value in ("object", "array"):
            empty = "{}" if value == "object" else "[]"
            return f"expected {wanted}, got nothing; write {empty} for an empty one, or leave the key out"
        return f"expected {wanted}, got {_describe(instance)}"
    if kind == "enum":
        choices = ", ".join(str(v) for v in value)
        hint = did_you_mean(instance, [str(v) for v in value]) if isinstance(instance, str) else ""
        return f"{_describe(instance)} is not one of: {choices}{hint}"
    if kind == "const":
        return f"must be {json.dumps(value)}, got {_describe(instance)}"
    if kind == "format" and value == "date":
        reason = _date_problem(instance) if isinstance(instance, str) else ""
        return f"{_describe(instance)} is not a valid date{reason or ' (YYYY-MM-DD)'}"
    if kind == "pattern":
        return f"{_describe(instance)} is not {_PATTERN_WORDS.get(str(value), f'of the form {value}')}"
    if kind == "minLength" and value == 1:
        return "must not be empty"
    if kind == "minItems" and value == 1:
        return "must list at least one entry"
    if kind == "minProperties" and value == 1:
        return "must not be empty"
    if kind == "uniqueItems":
        return "lists the same entry twice"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }
    if kind in bounds:
        limit = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
        return f"must be {bounds[kind]} {limit}, got {_describe(instance)}"
    return str(error.message)
