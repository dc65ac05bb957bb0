"""JMeter dashboard statistics: the `statistics.json` that JMeter 5.1 and later writes beside the HTML report
(`jmeter -n -t plan.jmx -l results.jtl -e -o report/`, or `jmeter -g results.jtl -o report/`).

One JSON object maps each sample label to the numbers of the dashboard's Statistics table
(tests/artifacts/jmeter-statistics/ABOUT.md). 5.1 and 5.2 have no `medianResTime`; 5.3 added it. The overall
entry is keyed by the resource string `reportgenerator_summary_total`: "Total", or "총계" under a Korean locale.
Only that entry is judged: a sampler's entry is a slice of the run, and Transaction Controller entries are left
out of the overall one by JMeter on purpose, so the entries never add up to it.
- p95 latency: `pct2ResTime`, the 95th percentile under JMeter's default `aggregate_rpt_pct2=95`. Nothing in the
  file records a changed setting, so the finding names the field it read.
- error rate: `errorCount / sampleCount`. `errorPct` is a percent (0.42 means 0.42 %), never a fraction.
- peak concurrency: never in this file (active threads are in the `.jtl`); said as information, not judged.
A results file of parent samples only leaves the overall entry with no samples and "NaN" strings: nothing to judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

KIND = "jmeter-statistics"
EXPECT_SCHEMA = LOAD_TEST_EXPECT

# reportgenerator_summary_total in messages.properties (and _fr), and in messages_ko.properties; the other
# locales fall back to the English one.
_OVERALL = ("Total", "총계")
# The fields every entry has, whatever the version: enough to tell this file from another tool's statistics.
_SHAPE = ("transaction", "sampleCount", "errorCount", "errorPct", "pct2ResTime")


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    if artifact.text.strip() and not artifact.text.lstrip(" \t\r\n\ufeff").startswith("{"):
        # JMeter writes one JSON object; YAML, CSV or HTML under this name is another format, not a broken one.
        return nothing(artifact, "not a JMeter statistics.json (it is not a JSON object)")
    document = structured(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    if data == {}:
        return nothing(artifact, "an empty map: no statistics (JMeter writes none for a results file without samples)")
    if not isinstance(data, dict) or not any(_is_entry(entry) for entry in data.values()):
        return nothing(artifact, "not a JMeter statistics.json (no entry with sampleCount, errorCount and pct2ResTime)")
    key = next((name for name in _OVERALL if _is_entry(data.get(name))), None)
    if key is None:
        return nothing(artifact, "no overall entry ('Total'): only per-sampler statistics, which are not judged")
    samples = data[key].get("sampleCount")
    if not isinstance(samples, int) or isinstance(samples, bool) or samples <= 0:
        line, column = document.where((key, "sampleCount"))
        return nothing(artifact, f"the overall entry '{key}' counts no samples: nothing to judge", line, column)
    return _judge(document, key, samples, expect)


def _is_entry(value: Any) -> bool:
    return isinstance(value, dict) and all(field in value for field in _SHAPE)


def _judge(document: Document, key: str, samples: int, expect: Mapping[str, Any]) -> Report:
    findings: list[Finding] = []
    missing = False
    if "p95_ms" in expect:
        finding = _p95(document, key, expect["p95_ms"])
        missing = missing or finding.holds is None
        findings.append(finding)
    if "error_rate" in expect:
        finding = _error_rate(document, key, samples, expect["error_rate"])
        missing = missing or finding.holds is None
        findings.append(finding)
    if "peak_concurrency" in expect:
        # Not missing: the format never carries it, so it neither blocks nor earns credit.
        line, column = document.where((key,), key=True)
        message = "statistics.json does not record how many threads ran: peak concurrency is not judged here"
        findings.append(Finding(document.file, line, column, message, None))
    report = judged(findings)
    if missing and report.outcome is Outcome.HOLDS:
        return Report(Outcome.NOTHING, report.findings)
    return report


def _p95(document: Document, key: str, target: float) -> Finding:
    path = (key, "pct2ResTime")
    p95 = number(document.data[key].get("pct2ResTime"))
    if p95 is None:
        return at(document, path, f"pct2ResTime of '{key}' is not a number: the p95 latency is unknown", None)
    message = (
        f"p95 latency {p95:,.1f} ms (pct2ResTime of '{key}', the 95th percentile unless aggregate_rpt_pct2 "
        f"was changed), target at most {target:,} ms"
    )
    return at(document, path, message, p95 <= target)


def _error_rate(document: Document, key: str, samples: int, target: float) -> Finding:
    entry = document.data[key]
    errors = entry.get("errorCount")
    # The rate is computed from the counts; the finding points at errorPct, the figure a reader looks for.
    path = (key, "errorPct") if "errorPct" in entry else (key, "errorCount")
    if not isinstance(errors, int) or isinstance(errors, bool) or not 0 <= errors <= samples:
        message = f"errorCount of '{key}' is not a count of failed samples out of its {samples:,} samples"
        return at(document, (key, "errorCount"), message, False)
    rate = errors / samples
    message = (
        f"error rate {_percent(rate)} ({errors:,} of {samples:,} samples failed), target at most {_percent(target)}"
    )
    return at(document, path, message, rate <= target)


def _percent(fraction: float) -> str:
    # Three significant digits: 1 error in 105,000 samples reads 0.000952 %, not 0.00 %.
    return f"{fraction * 100:.3g} %"
