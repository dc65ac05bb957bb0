"""Golden sets: the fixed cases (inputs with expected outputs) every release is scored on, as JSON Lines or CSV.

No one schema owns the file; the tool that reads it names the fields. OpenAI evals reads JSONL `input` (a chat
message list or a string) and `ideal`; DeepEval reads CSV columns or a JSON array with `input` and
`expected_output`; Inspect AI reads `input` and `target`. So the probe takes the required field names as
parameters and knows the other tools' names for the expected output (FIELDS). JSON Lines (jsonlines.org): one
JSON object per line, blank lines skipped; a line that is not JSON makes the file broken, at json's position.
CSV (RFC 4180): a header, then records that may span lines inside quotes; a byte-order mark is not a column's.
A file whose first character is '[' is read as one JSON array of records (DeepEval's JSON goldens).

A golden set is only as good as its cases: too few and a pass rate means little, an empty expected output grades
nothing, and a case that appears twice counts twice. So the probe judges the number of records against
`min_rows`, that every required field is filled in, and that no two records share an id or an input.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing, structured
from readiness.verify.probes.plaintext import quoted, undecodable

KIND = "golden-set"

# Other tools' names for a field: a record has the field when it has one of them (the first present is read).
FIELDS: dict[str, tuple[str, ...]] = {"expected_output": ("expected_output", "ideal", "target")}
REQUIRED_FIELDS = ("input", "expected_output")
UNIQUE_BY = ("id", "input")  # `input` compared with blanks collapsed, a chat input as its canonical JSON

_SHOWN = 10  # findings of one kind, before a count of the rest
_DEPTH = 32  # how deep a value is searched for text (a chat message's content)
_SNIFF = 65_536  # characters in which a broken JSON array must name a required field to be taken for records

EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "min_rows": {"type": "integer", "minimum": 1},
        "required_fields": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "unique_by": {"type": "array", "items": {"type": "string", "minLength": 1}},
    },
    "required": ["min_rows"],
    "additionalProperties": False,
}


class _Record(NamedTuple):  # a tuple: a golden set may hold a hundred thousand of them
    line: int  # where the record starts
    values: dict[str, Any]
    where: Callable[[str], tuple[int, int]]  # line and column of a field's value, found when a finding needs it


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    broken = undecodable(artifact)
    if broken is not None:
        return broken
    text = artifact.text.removeprefix("\ufeff")
    if not text.strip():
        return nothing(artifact, "the file is empty")
    required = tuple(expect.get("required_fields", REQUIRED_FIELDS))
    first = text.lstrip()[:1]
    if first == "{":
        read = _jsonl(artifact, text)
    else:
        read = _array(artifact, required) if first == "[" else _csv(artifact, text, required)
    if isinstance(read, Report):
        return read
    records, bad = read
    if not records:
        if bad:
            return nothing(artifact, f"no readable record ({bad[0].message})", bad[0].line, bad[0].column)
        return nothing(artifact, "no records: a golden set needs cases")
    if not any(_field(record, name) for record in records for name in required):
        return nothing(artifact, f"no record has any of the fields {', '.join(required)}: not a golden set")
    if bad:
        more = len(bad) - _SHOWN
        summary = [Finding(artifact.path, bad[0].line, bad[0].column, f"{more} more unreadable records", False)]
        return Report(Outcome.FAILS, tuple(bad[:_SHOWN] + (summary if more > 0 else [])))
    findings = [_rows(artifact, len(records), int(expect["min_rows"]))]
    findings += _filled_in(artifact, records, required)
    findings += _unique(artifact, records, tuple(expect.get("unique_by", UNIQUE_BY)))
    return judged(findings)


# --- reading ---------------------------------------------------------------------------------------------------


def _jsonl(artifact: Artifact, text: str) -> tuple[list[_Record], list[Finding]] | Report:
    records: list[_Record] = []
    bad: list[Finding] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue  # a blank line is no record (jsonlines.org is silent; most readers skip it)
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as error:
            if not records and not bad and _one_document(text):
                return nothing(artifact, "one JSON document, not JSON Lines: no records")
            column = error.colno if isinstance(error, json.JSONDecodeError) else 1
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep or a number too long"
            bad.append(Finding(artifact.path, number, column, f"line {number} is not JSON: {reason}", False))
            continue
        if isinstance(value, dict):
            records.append(_Record(number, value, _in_line(number, line)))
        else:
            message = f"line {number} holds a JSON {type(value).__name__}, not an object"
            bad.append(Finding(artifact.path, number, 1, message, False))
    return records, bad


def _one_document(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _in_line(number: int, line: str) -> Callable[[str], tuple[int, int]]:
    def where(field: str) -> tuple[int, int]:
        return number, _value_column(line, field)

    return where


def _value_column(line: str, field: str) -> int:
    """The column where the value of the object's top-level `field` starts (the last, as json keeps the last of
    two equal keys); 1 when it has none. json gives no positions, so its decoder is walked key by key."""
    decoder = json.JSONDecoder()
    found = 1
    try:
        index = _skip(line, line.index("{") + 1)
        while line[index] != "}":
            key, index = decoder.raw_decode(line, index)
            index = _skip(line, _skip(line, index) + 1)  # past the colon
            if key == field:
                found = index + 1
            _, index = decoder.raw_decode(line, index)
            index = _skip(line, index)
            if line[index] == ",":
                index = _skip(line, index + 1)
    except (ValueError, IndexError, RecursionError):
        pass
    return found


def _skip(line: str, index: int) -> int:
    while index < len(line) and line[index] in " \t\r\n":
        index += 1
    return index


def _array(artifact: Artifact, required: tuple[str, ...]) -> tuple[list[_Record], list[Finding]] | Report:
    document = structured(artifact)
    if isinstance(document, Report):
        # Broken JSON is a broken golden set only when it names a required field; '[' also starts Markdown links.
        named = any(f'"{alias}"' in artifact.text[:_SNIFF] for name in required for alias in FIELDS.get(name, (name,)))
        return document if named else nothing(artifact, "neither JSON records nor CSV with the required fields")
    if not isinstance(document.data, list):
        return nothing(artifact, "a JSON document that is not a list of records")
    records: list[_Record] = []
    bad: list[Finding] = []
    for index, value in enumerate(document.data):
        line, column = document.where((index,))
        if isinstance(value, dict):
            records.append(_Record(line, value, _in_document(document, index)))
        else:
            bad.append(Finding(artifact.path, line, column, f"item {index} is not an object", False))
    return records, bad


def _in_document(document: Document, index: int) -> Callable[[str], tuple[int, int]]:
    def where(field: str) -> tuple[int, int]:
        return document.where((index, field))

    return where


def _csv(artifact: Artifact, text: str, required: tuple[str, ...]) -> tuple[list[_Record], list[Finding]] | Report:
    lines: list[str] = []

    def source() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):  # LF, CRLF or CR, kept, as the csv module wants them
            lines.append(line)
            yield line

    reader = csv.reader(source(), strict=True)  # strict: a stray quote is an error, not a silently odd record
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error):
        return nothing(artifact, "no CSV header")
    if not any(alias in header for name in required for alias in FIELDS.get(name, (name,))):
        return nothing(artifact, f"the CSV header has none of the fields {', '.join(required)}: not a golden set")
    records: list[_Record] = []
    bad: list[Finding] = []
    start = reader.line_num
    try:
        for row in reader:
            end = reader.line_num
            raw, number, start = lines[start] if end == start + 1 else "".join(lines[start:end]), start + 1, end
            if any(cell.strip() for cell in row):  # a blank line or a row of empty cells (',,,') is no record
                records.append(_Record(number, dict(zip(header, row, strict=False)), _in_record(header, raw, number)))
            if len(row) > len(header):
                at = _in_record([str(i) for i in range(len(row))], raw, number)(str(len(header)))
                message = f"the record on line {number} has {len(row)} fields, the header {len(header)}"
                bad.append(Finding(artifact.path, *at, message, False))
    except csv.Error as error:
        bad.append(
            Finding(artifact.path, start + 1, 1, f"the record on line {start + 1} cannot be read: {error}", False)
        )
    return records, bad


def _in_record(header: list[str], raw: str, number: int) -> Callable[[str], tuple[int, int]]:
    def where(field: str) -> tuple[int, int]:
        if field not in header:
            return number, 1
        wanted, index, inside = header.index(field), 0, False
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        line, start = number, 0
        for offset, char in enumerate(text):  # the record as the csv module read it, so its quoting is valid
            if index == wanted:
                return line, offset - start + 1
            if char == '"':
                inside = not inside  # a doubled quote toggles twice
            elif char == "," and not inside:
                index += 1
            elif char == "\n":
                line, start = line + 1, offset + 1
        return (line, len(text) - start + 1) if index == wanted else (number, 1)

    return where


# --- judging ---------------------------------------------------------------------------------------------------


def _field(record: _Record, name: str) -> str | None:
    for alias in FIELDS.get(name, (name,)):
        if alias in record.values:
            return alias
    return None


def _rows(artifact: Artifact, count: int, minimum: int) -> Finding:
    return Finding(artifact.path, 1, 1, f"{count:,} records, target at least {minimum:,}", count >= minimum)


def _filled_in(artifact: Artifact, records: list[_Record], required: tuple[str, ...]) -> list[Finding]:
    empty: list[Finding] = []
    count = 0
    for record in records:
        for name in required:
            alias = _field(record, name)
            if alias is not None and _filled(record.values[alias], 0):
                continue
            count += 1
            if count > _SHOWN:
                continue
            if alias is None:
                empty.append(Finding(artifact.path, record.line, 1, f"the record has no {name}", False))
            else:
                empty.append(Finding(artifact.path, *record.where(alias), f"the record's {alias} is empty", False))
    if not empty:
        return [Finding(artifact.path, 1, 1, f"every record has {' and '.join(required)} filled in", True)]
    if count > _SHOWN:
        first = empty[0]
        message = f"{count:,} empty required fields in {len(records):,} records"
        empty.append(Finding(artifact.path, first.line, first.column, message, False))
    return empty


def _filled(value: Any, depth: int) -> bool:
    """Whether a value says something: not null, not blank, and a chat message list with some content."""
    if isinstance(value, str):
        return bool(value.strip())
    if depth > _DEPTH:
        return True
    if value is None:
        return False
    if isinstance(value, list):
        return any(_filled(item, depth + 1) for item in value)
    if isinstance(value, dict):
        said = [key for key in ("content", "text") if key in value]  # a chat message, or one part of one
        return any(_filled(value[key], depth + 1) for key in said) if said else bool(value)
    return True


def _unique(artifact: Artifact, records: list[_Record], fields: tuple[str, ...]) -> list[Finding]:
    repeated: list[Finding] = []
    count = 0
    judged_fields = []
    for field in fields:
        seen: dict[str, int] = {}
        for record in records:
            value = record.values.get(field)
            if not _filled(value, 0):
                continue
            key = _key(value)
            first = seen.setdefault(key, record.line)
            if first != record.line:
                count += 1
                if count <= _SHOWN:
                    message = f"{field} '{quoted(key, 60)}' repeats the record on line {first}"
                    repeated.append(Finding(artifact.path, *record.where(field), message, False))
        if seen:
            judged_fields.append(field)
    if count > _SHOWN:
        first_finding = repeated[0]
        message = f"{count:,} records repeat an earlier one's {' or '.join(judged_fields)}"
        repeated.append(Finding(artifact.path, first_finding.line, first_finding.column, message, False))
    if repeated or not judged_fields:
        return repeated
    return [Finding(artifact.path, 1, 1, f"no two records share {' or '.join(judged_fields)}", True)]


def _key(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        return repr(value)
