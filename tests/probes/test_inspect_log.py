"""The Inspect log probe on real `inspect eval --log-format json` logs (tests/artifacts/inspect-log/: inspect_ai
0.3.140 and 0.3.285; success, error, cancelled, started), and on the odd and hostile JSON a pull request could
put in their place."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from readiness.verify.probes import inspect_log
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact
from tests.probes.evalfacts import check, folder, hostile

EXPECT, FILES = folder("inspect-log")
JUDGES = {
    "status": [("status", "status '")],
    "created": [("recent", "run created")],
    "score": [("score", "target at least")],
}
LOG: dict[str, Any] = {
    "version": 2,
    "status": "success",
    "eval": {
        "eval_id": "EpZJ4mjvXwEBQX7G7ySbuT",
        "created": "2026-11-21T10:14:03+00:00",
        "task": "refund_policy_qa",
        "model": "openai/gpt-4.1-mini",
    },
    "results": {
        "total_samples": 30,
        "completed_samples": 30,
        "scores": [
            {
                "name": "includes",
                "scorer": "includes",
                "metrics": {
                    "accuracy": {"name": "accuracy", "value": 0.9, "params": {}},
                    "stderr": {"name": "stderr", "value": 0.05, "params": {}},
                },
            }
        ],
        "headline": {"scorer": "includes", "score": "includes", "metric": "accuracy"},
    },
    "stats": {"started_at": "2026-11-21T10:14:03+00:00", "completed_at": "2026-11-21T10:14:50+00:00"},
}


def log(**changes: Any) -> dict[str, Any]:
    """LOG with dotted keys replaced (None removes the key), as a JSON log holds it."""
    data = copy.deepcopy(LOG)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        inner = data
        for part in parents:
            inner = inner[int(part)] if isinstance(inner, list) else inner[part]
        if value is None:
            del inner[last]
        else:
            inner[last] = value
    return data


def run(data: Any, expect: dict[str, Any] | None = None) -> Report:
    text = json.dumps(data, indent=2)
    return inspect_log.probe(Artifact("logs/refund.json", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_log_says(name: str) -> None:
    check(inspect_log.probe(artifact("inspect-log", name), EXPECT), FILES[name], JUDGES)


@pytest.mark.parametrize("name", sorted(n for n, e in FILES.items() if e.get("facts", {}).get("score")))
def test_the_score_judged_is_the_headline_one(name: str) -> None:
    facts = FILES[name]["facts"]
    report = inspect_log.probe(artifact("inspect-log", name), EXPECT)
    said = f"{facts['scorer']} {facts['metric']} {facts['score']:.4g},"
    assert any(said in f.message for f in report.findings), report


@pytest.mark.parametrize(("value", "outcome"), [(0.9, Outcome.HOLDS), (0.8999, Outcome.FAILS)])
def test_a_score_at_the_target_holds_and_below_it_fails(value: float, outcome: Outcome) -> None:
    report = run(log(results__scores__0__metrics__accuracy__value=value), {"pass_rate": 0.9})
    assert report.outcome is outcome, report


@pytest.mark.parametrize(("today", "outcome"), [("2027-02-19", Outcome.HOLDS), ("2027-02-20", Outcome.FAILS)])
def test_a_run_exactly_as_old_as_allowed_holds(today: str, outcome: Outcome) -> None:
    assert run(LOG, {"max_age_days": 90, "today": today}).outcome is outcome


def test_without_a_headline_the_first_score_is_judged_never_the_best() -> None:
    best = {"name": "match", "scorer": "match", "metrics": {"accuracy": {"name": "accuracy", "value": 1.0}}}
    data = log(results__headline=None, results__scores__0__metrics__accuracy__value=0.5)
    data["results"]["scores"].append(best)
    report = run(data)
    assert report.outcome is Outcome.FAILS
    assert any("includes accuracy 0.5," in f.message for f in report.findings)


def test_a_metric_named_in_expect_is_read_from_the_headline_score() -> None:
    data = log(results__scores__0__metrics__mean={"name": "mean", "value": 0.95})
    report = run(data, {**EXPECT, "metric": "mean"})
    assert report.outcome is Outcome.HOLDS
    assert any("includes mean 0.95," in f.message for f in report.findings)


def test_a_metric_the_score_lacks_proves_nothing() -> None:
    report = run(LOG, {**EXPECT, "metric": "f1"})
    assert report.outcome is Outcome.NOTHING
    assert any("has no metric 'f1'" in f.message for f in report.findings)


def test_a_headline_naming_a_missing_score_proves_nothing() -> None:
    report = run(log(results__headline__score="judge"))
    assert report.outcome is Outcome.NOTHING


@pytest.mark.parametrize("value", [None, "NaN", True, "0.95"])
def test_a_metric_without_a_number_cannot_meet_the_target(value: Any) -> None:
    report = run(log(results__scores__0__metrics__accuracy={"name": "accuracy", "value": value}))
    assert report.outcome is Outcome.FAILS, report


def test_a_version_1_log_is_read_through_its_scorer_and_metrics() -> None:
    results = {
        "total_samples": 30,
        "completed_samples": 30,
        "scorer": {"name": "includes", "params": {}},
        "metrics": {"accuracy": {"name": "accuracy", "value": 0.93}},
    }
    report = run(log(version=1, results=results))
    assert report.outcome is Outcome.HOLDS
    assert any("includes accuracy 0.93," in f.message for f in report.findings)


def test_a_log_format_newer_than_known_is_not_judged() -> None:
    report = run(log(version=3))
    assert report.outcome is Outcome.NOTHING
    assert (report.findings[0].line, report.findings[0].column) == (2, 14)


def test_a_finished_run_with_no_completed_sample_proves_nothing() -> None:
    assert run(log(results__completed_samples=0)).outcome is Outcome.NOTHING


def test_the_completion_time_stands_in_for_an_unreadable_creation_time() -> None:
    assert run(log(eval__created="last Tuesday")).outcome is Outcome.HOLDS
    assert run(log(eval__created="last Tuesday", stats=None)).outcome is Outcome.NOTHING


def test_samples_left_out_and_invalidated_samples_are_told() -> None:
    report = run(log(results__completed_samples=28, invalidated=True))
    assert report.outcome is Outcome.HOLDS
    assert [f.message for f in report.findings if f.holds is None] == [
        "28 of 30 samples completed",
        "some samples of this run were invalidated afterwards",
    ]


def test_an_error_message_reaches_the_finding_without_invisible_characters() -> None:
    error = {"message": "Boom\u202e\u200b ok", "traceback": "x", "traceback_ansi": "\x1b[31mx\x1b[0m"}
    report = run(log(status="error", results=None, error=error))
    assert report.outcome is Outcome.FAILS
    assert report.findings[0].message == "the run stopped on an error (status 'error'): Boom ok"


def test_an_error_message_with_a_control_character_is_left_out_but_the_error_is_not() -> None:
    error = {"message": "\x1b[31mBoom\x07", "traceback": "x"}
    report = run(log(status="error", results=None, error=error))
    assert report.outcome is Outcome.FAILS
    assert report.findings[0].message == "the run stopped on an error (status 'error')"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("promptfoo-results", "pass-all-green.json"),
        ("lm-eval-results", "pass-single-task.json"),
        ("k6-summary", "pass-export-with-thresholds.json"),
        ("model-card", "fail-empty-sections.md"),
        ("junit-xml", "pass-pytest.xml"),
    ],
)
def test_files_of_other_formats_earn_nothing(kind: str, name: str) -> None:
    assert inspect_log.probe(artifact(kind, name), EXPECT).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(log(results__scores__0__metrics__accuracy__value=0.5)).replace("0.5", "1e999"),
        json.dumps(log(results__completed_samples=0)).replace(": 0,", ": " + "9" * 5000 + ",", 1),
        json.dumps(log(version=10**30)),
        '{"version": 2, "status": "success", "eval": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps(log(eval__task="\x1b[2J")),
        json.dumps(log(results__scores=[{}] * 10_000)),
        json.dumps(log(results__headline={"score": {"name": "includes"}})),
        json.dumps(log(results__scores__0__metrics=[])),
        json.dumps(log(status="SUCCESS")),
        json.dumps(log(eval__created="9" * 1_000_000, stats=None)),
        '{"version": 2, "status": "success", "eval": {"task": "t", "model": "m", "created": "2026-11-21"',
    ],
)
def test_hostile_files_give_a_finding_or_nothing(text: str) -> None:
    hostile(inspect_log.probe, text, EXPECT)


def test_the_schema_of_expect_is_valid_and_strict() -> None:
    Draft202012Validator.check_schema(inspect_log.EXPECT_SCHEMA)
    validator = Draft202012Validator(inspect_log.EXPECT_SCHEMA)
    assert validator.is_valid(EXPECT)
    assert validator.is_valid({"pass_rate": 0.9, "metric": "mean"})
    assert not validator.is_valid({"metric": "accuracy"})  # judges nothing on its own
    assert not validator.is_valid({"max_age_days": 90})  # an age limit needs the reference date
    assert not validator.is_valid({"pass_rate": 0.9, "metric": ""})
