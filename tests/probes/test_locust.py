"""The Locust statistics probe on real Locust CSV files (tests/artifacts/locust-stats/: 0.11 to 2.37), and on the
odd and hostile CSV a pull request could put in their place."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import locust
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within

TARGETS, FILES = expected("locust-stats")
EXPECT = {
    "p95_ms": TARGETS["latency_p95_ms"],
    "error_rate": TARGETS["error_rate"],
    "peak_concurrency": TARGETS["peak_concurrency"],
}
JUDGED = {"p95_ms", "error_rate", "peak_users"}  # the facts of expected.yaml that a finding points at

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
HISTORY_HEADER = (
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,100%,Total Request Count,Total Failure Count,"
    "Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,"
    "Total Average Content Size"
)


def stats(p95: str = "410", requests: str = "15160", failures: str = "35", name: str = "/api/cart") -> str:
    """A Locust 2.x _stats.csv with one endpoint and the Aggregated row, CRLF as csv.writer writes it."""
    rest = f"130.0,134.6,3.1,2841.6,1878.6,126.7,0.29,130,160,190,210,300,{p95},560,680,1300,2400,2800"
    rows = [HEADER, f"GET,{name},{requests},{failures},{rest}", f",Aggregated,{requests},{failures},{rest}"]
    return "\r\n".join(rows) + "\r\n"


def history(*rows: tuple[str, int, str], failures: int = 1) -> str:
    """A Locust 2.x _stats_history.csv: (timestamp cell, users, name) per row, cumulative counts."""
    lines = [HISTORY_HEADER]
    for count, (timestamp, users, name) in enumerate(rows, start=1):
        lines.append(
            f"{timestamp},{users},,{name},9.1,0.2,120,410,900,{count * 100},{failures},120,130.5,3.1,900.2,1800"
        )
    return "\r\n".join(lines) + "\r\n"


def run(text: str, expect: dict[str, Any] | None = None, name: str = "run_stats.csv") -> Report:
    return locust.probe(Artifact(name, text), EXPECT if expect is None else expect)


def judged_at(report: Report, line: int, column: int) -> bool | None:
    found = [f for f in report.findings if (f.line, f.column) == (line, column)]
    assert found, f"no finding at {line}:{column}: {report.findings}"
    return found[0].holds


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_file_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = locust.probe(artifact("locust-stats", name), EXPECT)
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    for fact in entry.get("not_in_format", []):
        assert fact == "peak_users"
        assert any(f.holds is None and "how many users" in f.message for f in report.findings), report
    if report.outcome is Outcome.NOTHING and not entry.get("missing"):
        assert not any(f.holds for f in report.findings), report
        return
    failing = set(entry.get("fails", []))
    for fact, (line, column) in entry.get("where", {}).items():
        if fact in JUDGED:
            assert judged_at(report, line, column) is (fact not in failing), fact


def test_a_file_of_another_tool_earns_nothing() -> None:
    for kind, name in [
        ("k6-summary", "pass-export-with-thresholds.json"),
        ("jmeter-statistics", "pass-checkout-api.json"),
    ]:
        assert locust.probe(artifact(kind, name), EXPECT).outcome is Outcome.NOTHING


def test_every_property_exactly_at_its_target_holds() -> None:
    report = run(stats(p95="500", requests="100", failures="1"), {"p95_ms": 500, "error_rate": 0.01})
    assert report.outcome is Outcome.HOLDS, report
    peak = run(history(("1794993603", 50, "Aggregated"), ("1794993608", 100, "Aggregated")), {"peak_concurrency": 100})
    assert peak.outcome is Outcome.HOLDS, peak
    assert judged_at(peak, 3, 12) is True


def test_one_over_the_target_fails() -> None:
    assert run(stats(p95="510"), {"p95_ms": 500}).outcome is Outcome.FAILS
    assert run(stats(requests="100", failures="2"), {"error_rate": 0.01}).outcome is Outcome.FAILS
    assert run(history(("1794993603", 99, "Aggregated")), {"peak_concurrency": 100}).outcome is Outcome.FAILS


def test_peak_concurrency_alone_on_a_stats_file_is_nothing_never_a_pass() -> None:
    report = run(stats(), {"peak_concurrency": 100})
    assert report.outcome is Outcome.NOTHING
    assert [f.holds for f in report.findings] == [None]


def test_windows_line_ends_count_as_two_lines() -> None:
    # Written in text mode on Windows, csv.writer's \r\n becomes \r\r\n: editors show a blank line after each row.
    text = artifact("locust-stats", "pass-several-endpoints_stats.csv").text.replace("\r\n", "\r\r\n")
    report = run(text)
    assert report.outcome is Outcome.HOLDS
    assert judged_at(report, 15, 144) is True
    assert judged_at(report, 15, 19) is True


def test_a_line_break_in_a_quoted_name_moves_the_rows_below_it() -> None:
    text = stats(name='"/api/search?q=""red\r\nshoes"""')
    report = run(text, {"p95_ms": 500, "error_rate": 0.01})
    assert report.outcome is Outcome.HOLDS
    assert judged_at(report, 4, 19) is True  # the Aggregated row is on line 4: its Failure Count at column 19


def test_a_history_whose_percentiles_cover_a_window_judges_users_and_errors_only() -> None:
    quoted = history(('"1794993603"', 120, "Aggregated"), ('"1794993608"', 150, "Aggregated"))  # Locust 1.0 - 1.1
    full = history(("1794993603", 150, "/api/cart"), ("1794993603", 150, "Aggregated"))  # --csv-full-history
    for text in (quoted, full):
        report = run(text, {"p95_ms": 100, "error_rate": 0.01, "peak_concurrency": 100}, "run_stats_history.csv")
        assert report.outcome is Outcome.HOLDS, report
        assert any(f.holds is None and "seconds before each row" in f.message for f in report.findings)


def test_an_old_history_without_user_count_says_so() -> None:
    text = '"Type","Name","Timestamp","# requests","# failures","95%"\n"None","Aggregated","1574000000",900,3,410'
    report = run(text, {"peak_concurrency": 100, "error_rate": 0.01})
    assert report.outcome is Outcome.HOLDS
    assert any(f.holds is None and "no User Count" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("columns", "cells", "outcome"),
    [
        ("50%,99%,100%", "120,480,900", Outcome.HOLDS),  # p95 <= p99 = 480 <= 500
        ("50%,90%,100%", "120,620,900", Outcome.FAILS),  # p95 >= p90 = 620 > 500
        ("50%,99%,100%", "120,620,900", Outcome.NOTHING),  # p99 over the target says nothing of p95
    ],
)
def test_without_a_95_column_a_neighbouring_percentile_may_settle_it(
    columns: str, cells: str, outcome: Outcome
) -> None:
    text = f"Type,Name,Request Count,Failure Count,{columns}\n,Aggregated,100,0,{cells}\n"
    assert run(text, {"p95_ms": 500}).outcome is outcome


HOSTILE = {
    "a 1 MB line and no header": "x" * 1_000_000,
    "a 1 MB cell after the header": HEADER + "\r\n" + "x" * 1_000_000,
    "a quote that never closes": HEADER + '\r\n,Aggregated,"' + "y\r\n" * 200_000,
    "half a million blank lines": HEADER + "\r\nGET,/a,1,0" + ",1" * 18 + "\r\n" * 500_000,
    "a count Python will not read": stats(requests="9" * 5000),
    "a p95 of nan": stats(p95="nan"),
    "a p95 beyond a float": stats(p95="1e400"),
    "a negative p95": stats(p95="-1"),
    "a count with an underscore": stats(failures="1_0"),
    "NUL characters": "\x00" * 100_000,
    "a hundred thousand Aggregated rows": "Name,Request Count,Failure Count\r\n" + "Aggregated,1,0\r\n" * 100_000,
    "ninety thousand columns": ",".join(["Name", "Request Count", "Failure Count"] * 30_000) + "\r\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_a_finding_or_nothing(case: str) -> None:
    report = run(HOSTILE[case])
    assert report.outcome is not Outcome.HOLDS
    assert report.findings
    if report.outcome is Outcome.FAILS:
        assert any(f.holds is False for f in report.findings)
    placed_within(report, HOSTILE[case])


def test_control_characters_in_a_name_are_never_repeated() -> None:
    report = run(stats(name="/a\x1b[31m\x00\u2028\x85"))
    assert report.outcome is Outcome.HOLDS
    assert all(finding.message.isprintable() for finding in report.findings)


def test_a_byte_order_mark_before_the_header_is_no_obstacle() -> None:
    assert run("\ufeff" + stats()).outcome is Outcome.HOLDS


def test_a_count_that_is_not_a_number_is_a_broken_file() -> None:
    report = run(stats(requests="lots"), {"error_rate": 0.01})
    assert report.outcome is Outcome.FAILS
    assert (report.findings[0].line, report.findings[0].column) == (3, 13)
