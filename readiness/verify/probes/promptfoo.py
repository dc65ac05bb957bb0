"""promptfoo results JSON: the file `promptfoo eval -o results.json` (or `outputPath:`) writes.

The file holds one eval run (tests/artifacts/promptfoo-results/ABOUT.md): `results` is the run's summary, whose
`version` is the format's (3 since promptfoo ~0.8x; 2 before, with a `table` and no `errors` count). Both keep
the counts of result cells (test x prompt x provider) in `results.stats` and the run's creation time in
`results.timestamp`, so those are what is judged: the counts are what promptfoo's own summary line and exit code
are made of, and a cell that ended in an error (a provider failure, a timeout) counts against the pass rate as it
does there. An `error` string on a cell is no error marker (a failed assertion sets it too), so cells are not
recounted. A run with no cells, as `--filter-pattern` matching nothing leaves, proves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, nothing
from readiness.verify.probes.evalrun import (
    conclude,
    count,
    expect_schema,
    parse_instant,
    percent,
    plural,
    read_json,
    recency,
    shown,
)

KIND = "promptfoo-results"
EXPECT_SCHEMA: dict[str, Any] = expect_schema()

_STATS: JsonPath = ("results", "stats")
_COUNTED = ("successes", "failures", "errors")


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = read_json(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    summary = data.get("results") if isinstance(data, dict) else None
    if not isinstance(summary, dict) or not _is_summary(summary):
        return nothing(artifact, "not a promptfoo results file (no results.stats.successes and results.results)")
    version = summary.get("version")
    if type(version) is not int or version not in (2, 3):
        line, column = document.where(("results", "version"))
        message = f"promptfoo results format version {shown(repr(version), 20)}, not one this probe reads (2 or 3)"
        return nothing(artifact, message, line, column)
    counts = _counts(document, summary["stats"], version)
    if isinstance(counts, Report):
        return counts
    passed, failed, errors = counts
    total = passed + failed + errors
    if total == 0:
        return Report(
            Outcome.NOTHING,
            (at(document, (*_STATS, "successes"), "the run has no test results: nothing to judge", None),),
        )
    if not summary["results"]:
        message = f"results.stats counts {total:,} test cells but results.results holds none"
        return Report(Outcome.NOTHING, (at(document, ("results", "results"), message, None),))

    findings: list[Finding] = []
    missing = False
    if "pass_rate" in expect:
        rate = passed / total
        tally = f"{passed:,} of {plural(total, 'test cell')} passed, {failed:,} failed, {plural(errors, 'error')}"
        message = f"pass rate {percent(rate)} ({tally}), target at least {percent(expect['pass_rate'])}"
        findings.append(at(document, (*_STATS, "successes"), message, rate >= expect["pass_rate"]))
    if errors:
        message = f"{plural(errors, 'test cell')} ended in an error (provider error, timeout or exception)"
        findings.append(at(document, (*_STATS, "errors"), message, None))
    if "max_age_days" in expect:
        finding = _age(document, summary, expect)
        missing = finding.holds is None
        findings.append(finding)
    return conclude(findings, missing)


def _is_summary(summary: dict[str, Any]) -> bool:
    stats = summary.get("stats")
    return isinstance(stats, dict) and "successes" in stats and isinstance(summary.get("results"), list)


def _counts(document: Document, stats: dict[str, Any], version: int) -> tuple[int, int, int] | Report:
    """successes, failures and errors; version 2 has no `errors` (an error was counted as a failure)."""
    found = []
    for name in _COUNTED:
        if name == "errors" and version == 2 and name not in stats:
            found.append(0)
            continue
        value = count(stats.get(name))
        if value is None:
            # None also stands for a number the reader could not take (1e999, thousands of digits)
            said = "null or out of range" if stats.get(name) is None else shown(repr(stats.get(name)), 30)
            message = f"results.stats.{name} is {said}, not a count of test cells"
            return Report(Outcome.FAILS, (at(document, (*_STATS, name), message, False),))
        found.append(value)
    return found[0], found[1], found[2]


def _age(document: Document, summary: dict[str, Any], expect: Mapping[str, Any]) -> Finding:
    """The run's creation time: `results.timestamp`, else `metadata.evaluationCreatedAt` (the same instant)."""
    metadata = document.data.get("metadata")
    candidates: list[tuple[JsonPath, Any]] = [(("results", "timestamp"), summary.get("timestamp"))]
    if isinstance(metadata, dict):
        candidates.append((("metadata", "evaluationCreatedAt"), metadata.get("evaluationCreatedAt")))
    for path, value in candidates:
        when = parse_instant(value)
        if when is not None:
            line, column = document.where(path)
            return recency((document.file, line, column), when, expect, "run created")
    return at(
        document, ("results", "timestamp"), "no time of the run (results.timestamp is not an ISO 8601 time)", None
    )
