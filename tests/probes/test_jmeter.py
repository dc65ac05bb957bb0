"""The JMeter statistics.json probe on real dashboard statistics (tests/artifacts/jmeter-statistics/: JMeter 5.2 to
5.6, English and Korean locales), and on the odd and hostile JSON a pull request could put in their place."""

from __future__ import annotations

import json
from typing import Any

import pytest

from readiness.verify.probes import jmeter
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within

TARGETS, FILES = expected("jmeter-statistics")
EXPECT = {
    "p95_ms": TARGETS["latency_p95_ms"],
    "error_rate": TARGETS["error_rate"],
    "peak_concurrency": TARGETS["peak_concurrency"],
}
JUDGED = {"p95_ms", "error_rate"}  # the facts of expected.yaml that a finding points at


def statistics(p95: Any = 412.0, samples: Any = 1000, errors: Any = 2, key: str = "Total") -> str:
    """A statistics.json as Jackson's pretty printer writes it: one sampler and the overall entry."""

    def entry(label: str) -> dict[str, Any]:
        return {
            "transaction": label,
            "sampleCount": samples,
            "errorCount": errors,
            "errorPct": 0.2,
            "meanResTime": 130.5,
            "medianResTime": 118.0,
            "minResTime": 12.0,
            "maxResTime": 2201.0,
            "pct1ResTime": 251.0,
            "pct2ResTime": p95,
            "pct3ResTime": 612.0,
            "throughput": 16.7,
            "receivedKBytesPerSec": 6.8,
            "sentKBytesPerSec": 9.9,
        }

    return json.dumps({"GET /catalog": entry("GET /catalog"), key: entry(key)}, indent=2, ensure_ascii=False)


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return jmeter.probe(Artifact("report/statistics.json", text), EXPECT if expect is None else expect)


def judged_at(report: Report, line: int, column: int) -> bool | None:
    found = [f for f in report.findings if (f.line, f.column) == (line, column)]
    assert found, f"no finding at {line}:{column}: {report.findings}"
    return found[0].holds


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_statistics_say(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = jmeter.probe(artifact("jmeter-statistics", name), EXPECT)
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings), report
        return
    for fact in entry.get("not_in_format", []):
        assert fact == "peak_threads"
        assert any(f.holds is None and "how many threads" in f.message for f in report.findings), report
    failing = set(entry.get("fails", []))
    for fact, (line, column) in entry.get("where", {}).items():
        if fact in JUDGED:
            assert judged_at(report, line, column) is (fact not in failing), fact


def test_error_pct_is_a_percent_not_a_fraction() -> None:
    # errorPct 0.42 means 0.42 %: read as a fraction it would be 42 % and fail a 1 % target.
    report = jmeter.probe(artifact("jmeter-statistics", "pass-checkout-api.json"), {"error_rate": 0.01})
    assert report.outcome is Outcome.HOLDS
    assert "0.42 %" in report.findings[0].message


def test_every_property_exactly_at_its_target_holds() -> None:
    report = run(statistics(p95=500.0, samples=100, errors=1), {"p95_ms": 500, "error_rate": 0.01})
    assert report.outcome is Outcome.HOLDS, report


def test_just_over_the_target_fails() -> None:
    assert run(statistics(p95=500.1), {"p95_ms": 500}).outcome is Outcome.FAILS
    assert run(statistics(samples=1000, errors=11), {"error_rate": 0.01}).outcome is Outcome.FAILS


def test_peak_concurrency_is_never_judged_from_this_file() -> None:
    alone = run(statistics(), {"peak_concurrency": 100})
    assert alone.outcome is Outcome.NOTHING  # no pass on a property the file cannot show
    assert [f.holds for f in alone.findings] == [None]
    assert run(statistics()).outcome is Outcome.HOLDS  # nor does it stand in the way of the others


def test_a_percentile_that_is_not_a_number_is_missing_not_a_pass() -> None:
    report = run(statistics(p95="NaN"))
    assert report.outcome is Outcome.NOTHING
    assert any("pct2ResTime" in f.message and f.holds is None for f in report.findings)


def test_only_the_overall_entry_counts() -> None:
    # A file of sampler entries only (the Total key missing) is not judged by its first or worst entry.
    report = run(statistics(key="GET /search"))
    assert report.outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "text",
    [
        "Type,Name,Request Count\n,Aggregated,10",  # a Locust CSV named statistics.json
        "metrics:\n  p95: 100\n",  # YAML
        "<html><body>Statistics</body></html>",
        "[1, 2, 3]",
        '{"Total": 12}',
    ],
)
def test_other_formats_earn_nothing(text: str) -> None:
    assert run(text).outcome is Outcome.NOTHING


def _bomb() -> str:
    """Nine levels of nine aliases each: 9^9 nodes if anything expanded them."""
    levels = ['"l0": &l0 ["x","x","x","x","x","x","x","x","x"]']
    levels += [f'"l{n}": &l{n} [{",".join([f"*l{n - 1}"] * 9)}]' for n in range(1, 9)]
    return ", ".join(levels)


HOSTILE = {
    "deep nesting": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "a number of 5,000 digits": statistics(samples=1000).replace("1000", "9" * 5000),
    "a number beyond a float": statistics().replace("412.0", "1e400"),
    "more errors than samples": statistics(samples=10, errors=11),
    "a negative error count": statistics(errors=-1),
    "a boolean count": statistics(samples=True),
    "control characters in a label": statistics(key="Total").replace("GET /catalog", "GET \\u001b[31m\\u0000"),
    "a 1 MB line": '{"Total": "' + "x" * 1_000_000 + '"}',
    "an alias bomb": "{" + _bomb() + "}",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_a_finding_or_nothing(case: str) -> None:
    report = run(HOSTILE[case])
    assert report.outcome is not Outcome.HOLDS
    assert report.findings
    if report.outcome is Outcome.FAILS:
        assert any(f.holds is False for f in report.findings)
    placed_within(report, HOSTILE[case])
