"""k6 end-of-test summaries: the JSON of `k6 run --summary-export=FILE` and the data `handleSummary()` writes.

The two shapes hold the same numbers (tests/artifacts/k6-summary/ABOUT.md): the legacy export keeps each
metric's values flat and a rate under `value`, with threshold booleans that are true when the threshold FAILED;
handleSummary's data keeps them under `values`, a rate under `rate`, thresholds as `{ok: bool}`. A threshold that
passed proves nothing by itself (it may sit on a sub-metric, or be laxer than the project's target), so the
values decide; a failed threshold is a finding of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import (
    LOAD_TEST_EXPECT,
    Artifact,
    Finding,
    Outcome,
    Report,
    at,
    judged,
    nothing,
    number,
    structured,
)

KIND = "k6-summary"
EXPECT_SCHEMA = LOAD_TEST_EXPECT


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = structured(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    if isinstance(data, dict) and "version" in data and isinstance(data.get("results"), dict):
        return nothing(artifact, "a k6 summary in the machine-readable format of k6 1.6+, which is not read yet")
    metrics = data.get("metrics") if isinstance(data, dict) else None
    if not isinstance(metrics, dict) or "root_group" not in data:
        return nothing(artifact, "not a k6 end-of-test summary (no 'metrics' and 'root_group')")
    legacy = not any(isinstance(m, dict) and isinstance(m.get("values"), dict) for m in metrics.values())

    def stat(metric: str, name: str) -> tuple[float | None, JsonPath]:
        path: JsonPath = ("metrics", metric, name) if legacy else ("metrics", metric, "values", name)
        entry = metrics.get(metric)
        values = entry if legacy else (entry or {}).get("values") if isinstance(entry, dict) else None
        return (number(values.get(name)) if isinstance(values, dict) else None), path

    requests, _ = stat("http_reqs", "count")
    failed_passes, _ = stat("http_req_failed", "passes")
    failed_fails, _ = stat("http_req_failed", "fails")
    samples = (failed_passes or 0) + (failed_fails or 0)
    if not requests and not samples:
        return nothing(artifact, "the run made no HTTP requests: there is nothing to judge")

    findings: list[Finding] = []
    missing = False
    if "p95_ms" in expect:
        p95, path = stat("http_req_duration", "p(95)")
        if p95 is None:
            missing = True
            findings.append(
                at(document, ("metrics",), "no p(95) of http_req_duration (left out of summaryTrendStats)", None)
            )
        else:
            holds = p95 <= expect["p95_ms"]
            findings.append(
                at(document, path, f"p95 latency {p95:,.1f} ms, target at most {expect['p95_ms']:,} ms", holds)
            )
    if "error_rate" in expect:
        rate, path = stat("http_req_failed", "value" if legacy else "rate")
        if rate is None or not samples:
            missing = True
            findings.append(at(document, ("metrics",), "no http_req_failed rate (k6 before 0.31 has none)", None))
        else:
            holds = rate <= expect["error_rate"]
            findings.append(
                at(document, path, f"error rate {rate:.2%}, target at most {expect['error_rate']:.2%}", holds)
            )
    if "peak_concurrency" in expect:
        peak, path = stat("vus", "max")
        if peak is None:
            missing = True
            findings.append(at(document, ("metrics",), "no 'vus' metric: the peak number of VUs is unknown", None))
        else:
            holds = peak >= expect["peak_concurrency"]
            message = f"peak of {peak:,.0f} VUs at once, target at least {expect['peak_concurrency']:,}"
            findings.append(at(document, path, message, holds))
    findings += _failed_thresholds(document.data, document, legacy)
    report = judged(findings)
    if missing and report.outcome is Outcome.HOLDS:
        return Report(Outcome.NOTHING, report.findings)
    return report


def _failed_thresholds(data: dict[str, Any], document: Document, legacy: bool) -> list[Finding]:
    found = []
    for metric, entry in sorted(data["metrics"].items()):
        thresholds = entry.get("thresholds") if isinstance(entry, dict) else None
        if not isinstance(thresholds, dict):
            continue
        for expression, verdict in sorted(thresholds.items()):
            # The legacy export writes true for a threshold that FAILED (kept so for compatibility).
            failed = verdict is True if legacy else isinstance(verdict, dict) and verdict.get("ok") is False
            if failed:
                path = ("metrics", metric, "thresholds", expression)
                line, column = document.where(path, key=True)
                found.append(
                    Finding(document.file, line, column, f"k6 threshold '{expression}' on {metric} failed", False)
                )
    return found
