"""The k6 summary probe on real k6 summaries (tests/artifacts/k6-summary/: both shapes, k6 0.30 to 1.x)."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import k6
from readiness.verify.probes.common import Outcome
from tests.probes.artifacts import artifact, expected

TARGETS, FILES = expected("k6-summary")
EXPECT = {
    "p95_ms": TARGETS["latency_p95_ms"],
    "error_rate": TARGETS["error_rate"],
    "peak_concurrency": TARGETS["peak_concurrency"],
}
FACT_OF = {"p95_ms": "p95_ms", "error_rate": "error_rate", "peak_vus": "peak_concurrency"}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_summary_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = k6.probe(artifact("k6-summary", name), EXPECT)
    outcomes = {entry["outcome"], entry.get("also_acceptable", {}).get("outcome")}
    if "broken" in outcomes and report.outcome is Outcome.FAILS:
        where = (entry.get("also_acceptable", {}) if entry["outcome"] != "broken" else entry)["where"]["error"]
        assert [(f.line, f.column) for f in report.findings] == [tuple(where)]
        return
    assert report.outcome.value in outcomes, report
    if report.outcome is Outcome.NOTHING:
        assert all(f.holds is not True or entry.get("missing") for f in report.findings)
        return
    failing = set(entry.get("fails", []))
    by_place = {(f.line, f.column): f for f in report.findings}
    for fact, (line, column) in entry.get("where", {}).items():
        if fact not in FACT_OF:
            continue
        finding = by_place.get((line, column))
        assert finding is not None, f"no finding at {line}:{column} for {fact}: {report.findings}"
        assert finding.holds is (fact not in failing), finding


def test_a_threshold_that_failed_is_a_finding_of_its_own() -> None:
    report = k6.probe(artifact("k6-summary", "fail-p95-thresholds-failed.json"), {"error_rate": 0.5})
    assert report.outcome is Outcome.FAILS
    assert any("threshold 'p(95)<500'" in f.message and f.holds is False for f in report.findings)


def test_an_options_file_with_thresholds_earns_nothing() -> None:
    report = k6.probe(artifact("k6-summary", "not-this-format-k6-config.json"), EXPECT)
    assert report.outcome is Outcome.NOTHING
