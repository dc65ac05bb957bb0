"""What the tests of the evaluation-result probes share (promptfoo, Inspect, lm-eval, JUnit XML): each folder's
expected.yaml read with its reference date and age limit, and the check that a probe's report says what an entry
says: its outcome, and for each fact with a `where`, a finding there on the property that fact is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import ARTIFACTS, placed_within

Probe = Callable[[Artifact, Mapping[str, Any]], Report]


def folder(kind: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The `expect` that expected.yaml's `_targets`, `_today` and `_max_age_days` stand for, and its entries."""
    data = yaml.safe_load((ARTIFACTS / kind / "expected.yaml").read_text(encoding="utf-8"))
    expect = {
        "pass_rate": data["_targets"]["eval_pass_rate"],
        "max_age_days": data["_max_age_days"],
        "today": data["_today"],
    }
    return expect, {name: entry for name, entry in data.items() if not name.startswith("_")}


def check(report: Report, entry: Mapping[str, Any], judges: Mapping[str, list[tuple[str, str]]]) -> None:
    """`judges` maps a fact of `where` to the properties (as `fails` names them) a finding at its place judges,
    each with words its message holds, so that two findings at one place (a JUnit suite) are told apart."""
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS, report
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])], report
        return
    assert report.outcome.value == entry["outcome"], report
    failing = set(entry.get("fails", []))
    if report.outcome is Outcome.NOTHING:
        # Whatever held was not enough: a property the file normally carries is missing.
        assert all(f.holds is not True or entry.get("missing") for f in report.findings), report
        return
    assert all(f.holds is not False for f in report.findings) or failing, report
    for fact, (line, column) in entry.get("where", {}).items():
        for name, words in judges.get(fact, []):
            here = [f for f in report.findings if (f.line, f.column) == (line, column) and words in f.message]
            assert here, f"no finding on {name} ('{words}') at {line}:{column} for {fact}: {report.findings}"
            assert here[0].holds is (name not in failing), here[0]


def hostile(probe: Probe, text: str, expect: Mapping[str, Any], name: str = "evil.json") -> Report:
    """The report on a hostile file: a finding or nothing, never an exception, never a pass, every finding at a
    place the file has."""
    report = probe(Artifact(name, text), expect)
    assert report.outcome in (Outcome.FAILS, Outcome.NOTHING), report
    assert report.findings, report
    placed_within(report, text)
    return report
