"""Probes in the verdict, as a team sees them: what a k6 summary in the repository does to an item's credit, and how
each output shows where the credit comes from. The artifacts are real k6 summaries (tests/artifacts/k6-summary)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from readiness.load import schemas
from tests.conftest import REPO, TODAY, Run

K6 = REPO / "tests" / "artifacts" / "k6-summary"
PASSING = (K6 / "pass-export-with-thresholds.json").read_text(encoding="utf-8")  # p95 412.7 ms at 66:22
FAILING = (K6 / "fail-p95-thresholds-failed.json").read_text(encoding="utf-8")  # p95 731.5 ms at 29:22

PACK = """\
id: perf
title: Performance
items:
  - id: load-test
    title: Load test at peak
    question: Has the service been load-tested at the projected peak?
    why: w
    verify: v
    severity: blocker
    stage: prototype
    effort: low
    auto:
      probe: k6-summary
      files: ["load-tests/**/*summary*.json"]
      expect: {p95_ms: targets.latency_p95_ms, error_rate: targets.error_rate}
  - {id: other, title: Other, question: Other?, why: w, verify: v, severity: minor, stage: prototype, effort: low}
"""
TARGETS = "targets: {latency_p95_ms: 500, error_rate: 0.01}\n"


def make(folder: Path, body: str, summary: str | None, pack: str = PACK) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "perf.yaml").write_text(pack, encoding="utf-8")
    if summary is not None:
        (folder / "load-tests" / "2026-11").mkdir(parents=True)
        (folder / "load-tests" / "2026-11" / "summary.json").write_text(summary, encoding="utf-8")
    head = "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [], extra: [perf.yaml]}\n"
    file = folder / "readiness.yaml"
    file.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return file


def result(cli: Callable[..., Run], file: Path, *flags: str) -> dict[str, Any]:
    run = cli("check", file, "-f", "json", "--today", TODAY, *flags)
    assert run.code in (0, 1), run.err
    data: dict[str, Any] = json.loads(run.out)
    assert list(schemas.validator("result").iter_errors(data)) == []
    return data


def item(data: dict[str, Any], item_id: str = "perf.load-test") -> dict[str, Any]:
    found: dict[str, Any] = next(entry for entry in data["items"] if entry["id"] == item_id)
    return found


def test_a_summary_that_holds_verifies_an_unanswered_item(tmp_path: Path, cli: Callable[..., Run]) -> None:
    data = result(cli, make(tmp_path, TARGETS, PASSING))
    load = item(data)
    assert (load["outcome"], load["credit"], load["source"]) == ("met", 1.0, "verified")
    assert load["probe"]["outcome"] == "holds" and load["probe"]["read"] == ["load-tests/2026-11/summary.json"]
    assert {key: value for key, value in load["probe"]["findings"][0].items() if key != "message"} == {
        "file": "load-tests/2026-11/summary.json",
        "line": 66,
        "column": 22,
        "holds": True,
    }
    # The minor item is unanswered: the whole score (blocker weight 3 of 4) is what the probe verified.
    assert data["score"] == 75.0 and data["verified"] == {
        "score": 75.0,
        "percent": 100,
        "items": {"verified": 1, "attested": 0, "unverified": 0},
    }


def test_a_summary_over_the_target_contradicts_a_done_at_its_line(tmp_path: Path, cli: Callable[..., Run]) -> None:
    file = make(tmp_path, TARGETS + "answers:\n  perf.load-test: {status: done}\n", FAILING)
    load = item(result(cli, file))
    assert (load["outcome"], load["credit"], load["source"], load["unverified"]) == ("gap", 0.5, "unverified", True)
    (reason,) = load["unverified_reasons"]
    assert reason.startswith("the k6-summary probe contradicts it: load-tests/2026-11/summary.json:29:")
    assert "731.5 ms, target at most 500 ms" in reason
    assert item(result(cli, file, "--strict"))["credit"] == 0.0
    text = cli("check", file, "--today", TODAY).out
    assert "perf.load-test: load-tests/2026-11/summary.json:29:22: p95 latency 731.5 ms" in text
    assert "0 % of the score is verified by probes and checks; 0 items attested only" in text


def test_an_empty_summary_is_nothing_and_leaves_the_item_to_the_team(tmp_path: Path, cli: Callable[..., Run]) -> None:
    file = make(tmp_path, TARGETS + "answers:\n  perf.load-test: {status: done}\n", "")
    load = item(result(cli, file))
    assert (load["outcome"], load["source"], load["probe"]["outcome"]) == ("met", "attested", "nothing")
    assert load["candidates"] == ["load-tests/2026-11/summary.json"]
    unanswered = item(result(cli, make(tmp_path / "b", TARGETS, "{}")))
    assert (unanswered["outcome"], unanswered["credit"], unanswered["source"]) == ("gap", 0.0, None)


def test_a_partial_answer_stands_even_where_the_probe_holds(tmp_path: Path, cli: Callable[..., Run]) -> None:
    file = make(tmp_path, TARGETS + "answers:\n  perf.load-test: {status: partial, due: 2026-12-01}\n", PASSING)
    load = item(result(cli, file))
    assert (load["outcome"], load["credit"], load["source"], load["probe"]["outcome"]) == (
        "gap",
        0.5,
        "attested",
        "holds",
    )


def test_a_target_the_assessment_lacks_is_not_judged_and_said(tmp_path: Path, cli: Callable[..., Run]) -> None:
    only_latency = make(tmp_path, "targets: {latency_p95_ms: 500}\n", FAILING)
    load = item(result(cli, only_latency))
    messages = [finding["message"] for finding in load["probe"]["findings"]]
    assert "targets.error_rate is not set in the assessment: not judged" in messages
    assert load["probe"]["outcome"] == "fails"  # the latency is still judged
    none_set = item(result(cli, make(tmp_path / "b", "", PASSING)))
    assert none_set["probe"]["outcome"] == "nothing" and none_set["probe"]["read"] == []
    assert none_set["source"] is None  # a summary nobody can compare with anything earns nothing


@pytest.mark.parametrize(
    ("policy", "summary", "source"),
    [
        ("none", None, "attested"),
        ("blocker", None, "unverified"),
        ("blocker", "", "unverified"),
        ("blocker", PASSING, "verified"),
        ("major", None, "unverified"),
    ],
)
def test_require_verified_asks_a_probe_to_hold_for_serious_items(
    tmp_path: Path, cli: Callable[..., Run], policy: str, summary: str | None, source: str
) -> None:
    body = TARGETS + f"policy: {{require_verified: {policy}}}\nanswers:\n  perf.load-test: {{status: done}}\n"
    data = result(cli, make(tmp_path, body, summary))
    assert data["policy"]["require_verified"] == policy
    load = item(data)
    assert load["source"] == source
    if source == "unverified":
        assert load["unverified_reasons"][-1].startswith(
            "policy require_verified: the k6-summary probe must hold for a blocker item; it found nothing"
        )


def test_require_verified_leaves_items_below_its_severity_alone(tmp_path: Path, cli: Callable[..., Run]) -> None:
    pack = PACK.replace("severity: blocker", "severity: minor", 1)
    body = TARGETS + "policy: {require_verified: major}\nanswers:\n  perf.load-test: {status: done}\n"
    assert item(result(cli, make(tmp_path, body, None, pack)))["source"] == "attested"


def test_sarif_places_a_probe_failure_at_the_artifact_line(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, sarif_schema: dict[str, Any]
) -> None:
    (tmp_path / ".git").mkdir()
    make(tmp_path / "svc", TARGETS + "answers:\n  perf.load-test: {status: done}\n", FAILING)
    monkeypatch.chdir(tmp_path)
    run = cli("check", "svc/readiness.yaml", "-f", "sarif", "--today", TODAY)
    assert run.code == 1, run.err
    sarif = json.loads(run.out)
    jsonschema.validate(sarif, sarif_schema)
    located = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in sarif["runs"][0]["results"]
        if r["ruleId"] == "perf.load-test"
    ]
    assert located == [
        ("svc/readiness.yaml", {"startLine": 6, "startColumn": 3}),  # the claim
        ("svc/load-tests/2026-11/summary.json", {"startLine": 29, "startColumn": 22}),  # the p95 that contradicts it
        ("svc/load-tests/2026-11/summary.json", {"startLine": 31, "startColumn": 17}),  # k6's own failed threshold
    ]


def test_the_report_shows_verified_evidence(tmp_path: Path, cli: Callable[..., Run]) -> None:
    file = make(tmp_path, TARGETS + "answers:\n  perf.load-test: {status: done}\n", FAILING)
    out = tmp_path / "report.md"
    assert cli("report", file, "-f", "markdown", "-o", out, "--today", TODAY).code == 0
    page = out.read_text(encoding="utf-8")
    section = page[page.index("## Verified evidence") : page.index("## Ownership")]
    assert "0 % of the score is verified by probes and checks; 0 items attested only." in section
    assert "| perf.load-test — Load test at peak | k6-summary | fails | unverified |" in section
    assert "load-tests/2026-11/summary.json:29:22: p95 latency 731.5 ms, target at most 500 ms" in section


@pytest.mark.parametrize(
    ("auto", "message"),
    [
        (
            "{probe: k6-sumary, files: [a.json]}",
            "'k6-sumary' is not one of",
        ),
        ("{probe: k6-summary, files: [a.json], expect: {p95: 500}}", "p95"),
        (
            "{probe: k6-summary, files: [a.json], expect: {p95_ms: targets.latency_p99_ms}}",
            "(did you mean 'targets.latency_p95_ms'?)",
        ),
        ("{probe: k6-summary, expect: {p95_ms: 500}}", "files"),
        ("{files: [a.json], expect: {p95_ms: 500}}", "probe"),
    ],
)
def test_a_pack_with_a_bad_probe_is_an_input_error_at_its_line(
    tmp_path: Path, cli: Callable[..., Run], auto: str, message: str
) -> None:
    pack = PACK.split("  - id: load-test")[0] + (
        "  - {id: t, title: T, question: Q?, why: w, verify: v, severity: minor, stage: prototype, effort: low,\n"
        f"     auto: {auto}}}\n"
    )
    file = make(tmp_path, "", None, pack)
    run = cli("check", file, "--today", TODAY)
    assert run.code == 2, run.out
    first = run.err.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'perf.yaml'}:5:") and message in first, run.err
    assert "Traceback" not in run.err


def test_a_probe_that_finds_no_artifact_says_so_and_leaves_the_item_to_the_team(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    file = make(tmp_path, TARGETS + "answers:\n  perf.load-test: {status: done}\n", None)
    load = item(result(cli, file))
    assert load["probe"] == {"kind": "k6-summary", "outcome": "nothing", "read": [], "not_read": 0, "findings": []}
    assert (load["outcome"], load["source"], load["candidates"]) == ("met", "attested", [])
    out = tmp_path / "report.md"
    assert cli("report", file, "-f", "markdown", "-o", out, "--full", "--today", TODAY).code == 0
    assert "| k6-summary | nothing | attested | no file matches the item's globs |" in out.read_text(encoding="utf-8")
