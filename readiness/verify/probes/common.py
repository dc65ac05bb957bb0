"""What every probe shares: the artifact it reads, the findings it makes, and its outcome.

A probe module has `KIND` (the name a pack writes in `auto.probe`), `EXPECT_SCHEMA` (the JSON Schema of the pack's
`expect`, thresholds already resolved from the assessment's `targets` to numbers) and
`probe(artifact, expect) -> Report`, which judges one file. Reading the file (containment, size and time limits)
and combining the reports of several files are the caller's: a probe only ever sees text, never the disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from readiness.core.model import ProbeFinding as Finding
from readiness.core.model import ProbeOutcome as Outcome
from readiness.load.diagnostics import InputError, JsonPath
from readiness.load.yamlsource import Document, parse_document, parse_documents

__all__ = [
    "LOAD_TEST_EXPECT",
    "Artifact",
    "Finding",
    "Outcome",
    "Report",
    "at",
    "judged",
    "nothing",
    "number",
    "streamed",
    "structured",
]


# The parameters every load-test kind takes (k6, Locust, JMeter): the numbers a run at peak must stay within.
LOAD_TEST_EXPECT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "p95_ms": {"type": "number", "exclusiveMinimum": 0},
        "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
        "peak_concurrency": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
    "minProperties": 1,
}


@dataclass(frozen=True)
class Artifact:
    """A file a probe reads: where it is, as shown, and its text."""

    path: str  # as shown: relative to the assessment's folder, '/'-separated
    text: str


@dataclass(frozen=True)
class Report:
    """What a probe found in one artifact: its outcome and the findings behind it."""

    outcome: Outcome
    findings: tuple[Finding, ...]


def nothing(artifact: Artifact, message: str, line: int = 1, column: int = 1) -> Report:
    return Report(Outcome.NOTHING, (Finding(artifact.path, line, column, message, None),))


def judged(findings: Iterable[Finding]) -> Report:
    """FAILS when a finding fails, else HOLDS when one holds, else NOTHING: never a pass on no evidence."""
    found = tuple(findings)
    if any(finding.holds is False for finding in found):
        return Report(Outcome.FAILS, found)
    if any(finding.holds for finding in found):
        return Report(Outcome.HOLDS, found)
    return Report(Outcome.NOTHING, found)


def structured(artifact: Artifact) -> Document | Report:
    """The JSON or YAML data of the artifact with every value's position, or the report of why it cannot be read:
    a file that does not parse is FAILS at the place the reader stopped."""
    if not artifact.text.strip():
        return nothing(artifact, "the file is empty")
    try:
        return parse_document(artifact.text, artifact.path)
    except InputError as error:
        return unreadable(artifact, error)


def streamed(artifact: Artifact) -> list[Document] | Report:
    """Every YAML document of a stream ('---' between them: Kubernetes manifests, multi-document rule files),
    each with its positions, or the report of why the file cannot be read (as `structured`)."""
    if not artifact.text.strip():
        return nothing(artifact, "the file is empty")
    try:
        return parse_documents(artifact.text, artifact.path)
    except InputError as error:
        return unreadable(artifact, error)


def unreadable(artifact: Artifact, error: InputError) -> Report:
    """FAILS at the first place the reader refused: the artifact is of the format, broken."""
    first = error.diagnostics[0]
    return Report(
        Outcome.FAILS, (Finding(artifact.path, first.line, first.column, f"cannot be read: {first.message}", False),)
    )


def at(document: Document, path: JsonPath, message: str, holds: bool | None) -> Finding:
    line, column = document.where(path)
    return Finding(document.file, line, column, message, holds)


def number(value: Any) -> float | None:
    """A JSON number as a float; None for anything else (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
