"""The gaps as SARIF 2.1.0, for code scanning: one rule per item, one result per gap, located in readiness.yaml.

An alert is keyed by its item id alone (`partialFingerprints`), so it stays the same alert when lines move and
closes when the gap is fixed. Nothing here depends on the clock or the machine: the same result always gives
the same bytes.
"""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath
from typing import Any
from urllib.parse import quote

from readiness import __version__
from readiness.core.model import ItemResult, ProbeOutcome, Result, Severity, Source
from readiness.render import jsontext, words
from readiness.render.formats import RenderOptions
from readiness.render.mdescape import md
from readiness.score.scoring import format_score

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "readinessItem/v1"
PROBE_FINGERPRINT = "readinessProbe/v1"

LEVEL = {Severity.BLOCKER: "error", Severity.MAJOR: "warning", Severity.MINOR: "note"}


def _unique(values: list[str]) -> list[str]:
    """SARIF tags must be unique; keep the first of each, in order."""
    return list(dict.fromkeys(values))


def _rule(result: ItemResult) -> dict[str, Any]:
    item = result.item
    return {
        "id": item.id,
        "name": item.id,
        "shortDescription": {"text": item.title},
        "fullDescription": {"text": item.question},
        "help": {
            "text": f"Why: {item.why}\nHow to verify: {item.verify}",
            "markdown": f"**Why:** {md(item.why)}\n\n**How to verify:** {md(item.verify)}",
        },
        # The pack's own severity: an assessment's profile may escalate it, which each result's level shows.
        "defaultConfiguration": {"level": LEVEL[item.severity]},
        "properties": {
            "tags": _unique([item.pack, item.severity.value, *item.refs]),
            "refs": list(item.refs),
        },
    }


def status_of(gap: ItemResult) -> str:
    """unverified | partial | todo | unanswered."""
    return "unverified" if gap.unverified else gap.status


def message(gap: ItemResult, today: str) -> str:
    text = f"{gap.item.title}: {words.state(gap)} (owner {gap.owner}, {words.due(gap, today)})"
    if gap.unverified_reasons:
        text += ": " + "; ".join(gap.unverified_reasons)
    return text + "."


def artifact_uri(file: str) -> str:
    """The assessment's path as a URI reference: relative paths stay relative (to the checkout, for code
    scanning), absolute ones become file URIs, separators are forward slashes, and what a URI cannot hold
    is percent-encoded."""
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _location(source: Source) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(source.file)},
            "region": {"startLine": max(source.line, 1), "startColumn": max(source.column, 1)},
        }
    }


def _result(gap: ItemResult, rule_index: int, answers_source: Source, today: str) -> dict[str, Any]:
    source = gap.answer.source if gap.answer is not None else answers_source
    return {
        "ruleId": gap.item.id,
        "ruleIndex": rule_index,
        "level": LEVEL[gap.severity],
        "message": {"text": message(gap, today)},
        "locations": [_location(source)],
        "partialFingerprints": {FINGERPRINT: gap.item.id},
        "properties": {"owner": gap.owner, "status": status_of(gap), "stage": gap.item.stage.value},
    }


def _probe_results(item: ItemResult, rule_index: int, assessment: str) -> list[dict[str, Any]]:
    """Each failing finding of the item's probe, placed at the artifact's line: a leaked key in
    prompts/system.txt becomes an alert on that line of that file. Artifact paths are relative to the
    assessment's folder; the assessment's own path leads there from where the tool was run."""
    run = item.probe
    if run is None or run.outcome is not ProbeOutcome.FAILS:
        return []
    folder = PurePath(assessment).parent
    results = []
    ordinal: dict[str, int] = {}
    for finding in run.failures:
        # Keyed by item, file and the finding's rank in that file, not its line: an edit above it keeps the alert.
        ordinal[finding.file] = ordinal.get(finding.file, 0) + 1
        place = Source(str(folder / PurePosixPath(finding.file)), finding.line, finding.column)
        results.append(
            {
                "ruleId": item.item.id,
                "ruleIndex": rule_index,
                "level": LEVEL[item.severity],
                "message": {"text": f"{item.item.title}: the {run.kind} probe found: {finding.message}."},
                "locations": [_location(place)],
                "partialFingerprints": {PROBE_FINGERPRINT: f"{item.item.id}:{finding.file}:{ordinal[finding.file]}"},
                "properties": {"owner": item.owner, "status": "probe-fails", "stage": item.item.stage.value},
            }
        )
    return results


def to_dict(result: Result) -> dict[str, Any]:
    rules = [_rule(r) for r in result.items]
    index = {r.item.id: position for position, r in enumerate(result.items)}
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readiness",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    *(_result(gap, index[gap.item.id], result.answers_source, result.today) for gap in result.gaps),
                    *(
                        found
                        for item in result.items
                        if item.counted
                        for found in _probe_results(item, index[item.item.id], result.answers_source.file)
                    ),
                ],
                "properties": {
                    "verdict": result.verdict,
                    "score": format_score(result.score),
                    "target": result.target.value,
                },
            }
        ],
    }


def render(result: Result, options: RenderOptions) -> str:
    return jsontext.dumps(to_dict(result))
