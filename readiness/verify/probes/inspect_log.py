"""Inspect AI eval logs in JSON (`inspect eval --log-format json`, or `inspect log convert --to json`).

One log is one task run (tests/artifacts/inspect-log/ABOUT.md): log format `version` 2 (1 in early releases,
whose `results` held one `scorer` and its `metrics` instead of `scores`), a `status`, the `eval` spec with its
`created` time (UTC since inspect_ai 0.3.151, local with an offset before) and, once the run ended, `results`.
The default `.eval` format is a ZIP archive, which a probe of pull-request files must not unpack; teams convert it.

Judged: that the run finished (`status` success: an error or a cancellation contradicts the claim, even with
partial results that look good; a run still `started` has nothing to judge), that it completed samples, that the
headline score (`results.headline`, else the first score's `accuracy`; never the best of several) is at or above
the target, and that `eval.created` is recent. Metrics are taken as higher-is-better, as accuracy is.
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
    read_json,
    recency,
    score_finding,
    shown,
)

KIND = "inspect-log"
EXPECT_SCHEMA: dict[str, Any] = expect_schema(metric={"type": "string", "minLength": 1, "maxLength": 200})

_STATUSES = ("started", "success", "cancelled", "error")
_NEWEST_VERSION = 2  # Inspect itself refuses a log of a version newer than it knows; so does this probe


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = read_json(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    if not _is_log(data):
        return nothing(artifact, "not an Inspect eval log (no version, status and eval with task, model, created)")
    if data["version"] > _NEWEST_VERSION:
        line, column = document.where(("version",))
        message = f"Inspect log format version {data['version']}, newer than this probe reads (up to 2)"
        return nothing(artifact, message, line, column)
    if data["status"] == "started":
        message = "the run has not finished (status 'started': still going, or its process died): nothing to judge"
        return Report(Outcome.NOTHING, (at(document, ("status",), message, None),))

    findings = [_status(document, data)]
    age = _age(document, data, expect) if "max_age_days" in expect else None
    results = data.get("results")
    completed = count(results.get("completed_samples")) if isinstance(results, dict) else None
    if not completed or not isinstance(results, dict):
        if data["status"] == "success":
            return Report(Outcome.NOTHING, (at(document, ("results",), "the run completed no samples", None),))
        # An error or a cancellation already contradicts the claim; its date is still worth telling.
        return conclude([*findings, *([age] if age else [])], False)
    total = count(results.get("total_samples"))
    if total is not None and completed < total:
        message = f"{completed:,} of {total:,} samples completed"
        findings.append(at(document, ("results", "completed_samples"), message, None))
    if data.get("invalidated") is True:
        findings.append(at(document, ("invalidated",), "some samples of this run were invalidated afterwards", None))
    score = _score(document, results, expect) if "pass_rate" in expect else None
    asked = [finding for finding in (score, age) if finding is not None]
    # A score or a date the log normally carries and this one lacks (holds None) leaves the run unproven.
    return conclude([*findings, *asked], any(finding.holds is None for finding in asked))


def _is_log(data: Any) -> bool:
    if not isinstance(data, dict) or type(data.get("version")) is not int or data.get("status") not in _STATUSES:
        return False
    spec = data.get("eval")
    return isinstance(spec, dict) and all(isinstance(spec.get(key), str) for key in ("task", "model", "created"))


def _status(document: Document, data: dict[str, Any]) -> Finding:
    status = data["status"]
    if status == "success":
        return at(document, ("status",), "the run finished (status 'success')", True)
    if status == "cancelled":
        message = "the run was cancelled (status 'cancelled'): its partial results do not prove the target"
        return at(document, ("status",), message, False)
    error = data.get("error")
    reason = error.get("message") if isinstance(error, dict) else None
    told = f": {shown(reason, 120)}" if isinstance(reason, str) and reason.strip() else ""
    return at(document, ("status",), f"the run stopped on an error (status 'error'){told}", False)


def _score(document: Document, results: dict[str, Any], expect: Mapping[str, Any]) -> Finding:
    """The headline metric of the run against the target, or why there is none (holds None)."""
    chosen = _headline(results, expect.get("metric"))
    if isinstance(chosen, str):
        return at(document, ("results",), chosen, None)
    path, name, metrics, metric = chosen
    entry = metrics.get(metric) if isinstance(metrics, dict) else None
    if not isinstance(entry, dict) or "value" not in entry:
        return at(document, path, f"score '{shown(name, 60)}' has no metric '{shown(metric, 60)}'", None)
    line, column = document.where((*path, metric, "value"))
    label = f"{shown(name, 60)} {shown(metric, 60)}"
    return score_finding((document.file, line, column), label, entry["value"], expect["pass_rate"])


def _headline(results: dict[str, Any], asked: str | None) -> tuple[JsonPath, str, Any, str] | str:
    """(the path of the score's metrics, the score's name, its metrics, the metric) to judge, or why none is.
    The headline names the run's primary score and metric; a log without one judges its first score."""
    scores = results.get("scores")
    if not isinstance(scores, list):
        scorer = results.get("scorer")  # log format version 1: one scorer, its metrics beside it
        if isinstance(scorer, dict) and isinstance(results.get("metrics"), dict):
            name = str(scorer.get("name", "scorer"))
            return ("results", "metrics"), name, results["metrics"], asked or "accuracy"
        return "the results hold no scores"
    headline = results.get("headline")
    if isinstance(headline, dict):
        wanted = headline.get("score", headline.get("scorer"))
        metric = asked or str(headline.get("metric", "accuracy"))
        for index, score in enumerate(scores):
            if isinstance(score, dict) and score.get("name") == wanted:
                return ("results", "scores", index, "metrics"), str(wanted), score.get("metrics"), metric
        return f"the headline names the score '{shown(str(wanted), 60)}', which the results do not hold"
    if not scores or not isinstance(scores[0], dict):
        return "the results hold no scores"
    first = scores[0]
    return (
        ("results", "scores", 0, "metrics"),
        str(first.get("name", "score")),
        first.get("metrics"),
        asked or "accuracy",
    )


def _age(document: Document, data: dict[str, Any], expect: Mapping[str, Any]) -> Finding:
    """The run's start, `eval.created` (always with an offset), else when it completed."""
    stats = data.get("stats")
    candidates: list[tuple[JsonPath, Any]] = [(("eval", "created"), data["eval"]["created"])]
    if isinstance(stats, dict):
        candidates.append((("stats", "completed_at"), stats.get("completed_at")))
    for path, value in candidates:
        when = parse_instant(value)
        if when is not None:
            line, column = document.where(path)
            return recency((document.file, line, column), when, expect, "run created")
    return at(document, ("eval", "created"), "no time of the run (eval.created is not an ISO 8601 time)", None)
