"""The promptfoo results probe on real `promptfoo eval -o results.json` files (tests/artifacts/promptfoo-results/:
format versions 2 and 3, promptfoo 0.121), and on the odd and hostile JSON a pull request could put in their place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from readiness.verify.probes import promptfoo
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact
from tests.probes.evalfacts import check, folder, hostile

EXPECT, FILES = folder("promptfoo-results")
JUDGES = {"successes": [("pass_rate", "pass rate")], "timestamp": [("recent", "run created")]}


def results(
    passed: Any = 9, failed: Any = 1, errors: Any = 0, when: str = "2026-11-23T16:42:05.062Z", **extra: Any
) -> str:
    """A version 3 results file as promptfoo writes it (JSON.stringify, two spaces), cut to what is judged."""
    cells = [{"success": True, "score": 1, "failureReason": 0, "response": {"output": "ok"}}]  # one is enough
    summary = {
        "version": 3,
        "timestamp": when,
        "prompts": [],
        "results": cells,
        "stats": {"successes": passed, "failures": failed, "errors": errors, "durationMs": 1062},
    }
    return json.dumps({"evalId": "eval-bzj-2026-11-23T16:42:05", "results": summary, "config": {}, **extra}, indent=2)


# YAML's billion laughs in JSON's clothes (flow style): each level refers to the one before ten times.
ALIAS_BOMB = (
    "{"
    + ", ".join(
        ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    )
    + "}"
)


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return promptfoo.probe(Artifact("evals/results.json", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_results_say(name: str) -> None:
    check(promptfoo.probe(artifact("promptfoo-results", name), EXPECT), FILES[name], JUDGES)


@pytest.mark.parametrize("name", sorted(n for n, e in FILES.items() if e.get("facts", {}).get("pass_rate")))
def test_the_pass_rate_is_the_one_promptfoo_prints(name: str) -> None:
    rate = FILES[name]["facts"]["pass_rate"]
    report = promptfoo.probe(artifact("promptfoo-results", name), EXPECT)
    assert any(f"pass rate {rate:.2%}".replace("%", " %") in f.message for f in report.findings), report


@pytest.mark.parametrize(
    ("passed", "failed", "errors", "holds"), [(9, 1, 0, True), (9, 0, 1, True), (89, 11, 0, False)]
)
def test_a_pass_rate_at_the_target_holds_and_below_it_fails(passed: int, failed: int, errors: int, holds: bool) -> None:
    report = run(results(passed, failed, errors), {"pass_rate": 0.9})
    assert report.outcome is (Outcome.HOLDS if holds else Outcome.FAILS), report


@pytest.mark.parametrize(("today", "outcome"), [("2027-02-21", Outcome.HOLDS), ("2027-02-22", Outcome.FAILS)])
def test_a_run_exactly_as_old_as_allowed_holds(today: str, outcome: Outcome) -> None:
    assert run(results(), {"max_age_days": 90, "today": today}).outcome is outcome


def test_a_run_dated_after_today_fails() -> None:
    report = run(results(when="2027-03-01T00:00:00.000Z"), EXPECT)
    assert report.outcome is Outcome.FAILS
    assert any("after the reference date" in f.message for f in report.findings)


def test_without_a_time_of_the_run_its_age_is_unknown_and_nothing_is_proven() -> None:
    report = run(results(when=""), EXPECT)
    assert report.outcome is Outcome.NOTHING
    assert any(f.holds is None and "no time of the run" in f.message for f in report.findings)


def test_the_creation_time_in_metadata_stands_in_for_a_missing_timestamp() -> None:
    text = results(when="", metadata={"evaluationCreatedAt": "2026-11-23T16:42:05.062Z"})
    assert run(text, EXPECT).outcome is Outcome.HOLDS


def test_an_age_limit_without_a_reference_date_judges_no_age() -> None:
    assert run(results(), {"max_age_days": 90}).outcome is Outcome.NOTHING


def test_a_format_version_it_does_not_know_is_not_judged() -> None:
    report = run(results().replace('"version": 3', '"version": 4'), EXPECT)
    assert report.outcome is Outcome.NOTHING
    assert (report.findings[0].line, report.findings[0].column) == (4, 16)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("inspect-log", "pass-accuracy.json"),
        ("lm-eval-results", "pass-single-task.json"),
        ("k6-summary", "pass-export-with-thresholds.json"),
        ("model-card", "fail-cyclonedx-1.6-placeholder-considerations.json"),
        ("model-card", "fail-empty-sections.md"),
        ("junit-xml", "pass-pytest.xml"),
    ],
)
def test_files_of_other_formats_earn_nothing(kind: str, name: str) -> None:
    assert promptfoo.probe(artifact(kind, name), EXPECT).outcome is Outcome.NOTHING


def test_escape_codes_in_a_model_answer_do_not_make_the_file_unreadable() -> None:
    cell = {"success": True, "response": {"output": "\x1b[31mred\x1b[0m \x00 \u202e"}}
    text = results(passed=1, failed=0).replace('"results": [', f'"results": [{json.dumps(cell)}, ', 1)
    assert run(text, EXPECT).outcome is Outcome.HOLDS


@pytest.mark.parametrize(
    "text",
    [
        results(passed="1e999"),
        results().replace('"successes": 9', '"successes": 1e999'),
        results().replace('"successes": 9', '"successes": ' + "9" * 5000),
        results(passed=-3),
        results(passed=2.5),
        '{"results": ' + "[" * 100_000 + "]" * 100_000 + "}",
        results().replace('"durationMs": 1062', '"durationMs": "\x1b[2J"'),
        ALIAS_BOMB,
        '{"results": {"stats": {"successes": 1}, "results": []' + "," * 1_000_000,
        "\x00\x01",
        "[]",
        "null",
        '"just a string"',
    ],
)
def test_hostile_files_give_a_finding_or_nothing(text: str) -> None:
    hostile(promptfoo.probe, text, EXPECT)


def test_a_model_answer_of_a_megabyte_on_one_line_changes_nothing() -> None:
    text = results().replace('"config": {}', '"config": {"x": "' + "a" * 1_000_000 + '"}')
    report = run(text)
    assert report.outcome is Outcome.HOLDS
    plain = run(results())
    assert [(f.line, f.column, f.message) for f in report.findings] == [
        (f.line, f.column, f.message) for f in plain.findings
    ]


def test_a_huge_count_is_still_a_count() -> None:
    report = run(results(passed=10**300, failed=0), EXPECT)
    assert report.outcome is Outcome.HOLDS


def test_the_schema_of_expect_is_valid_and_strict() -> None:
    Draft202012Validator.check_schema(promptfoo.EXPECT_SCHEMA)
    validator = Draft202012Validator(promptfoo.EXPECT_SCHEMA)
    assert validator.is_valid(EXPECT)
    assert validator.is_valid({"pass_rate": 0.9})
    assert not validator.is_valid({})
    assert not validator.is_valid({"max_age_days": 90})  # an age limit needs the reference date
    assert not validator.is_valid({"pass_rate": 90})  # a fraction, unlike PROMPTFOO_PASS_RATE_THRESHOLD
    assert not validator.is_valid({"pass_rate": 0.9, "today": "07/12/2026"})
    assert not validator.is_valid({"pass_rate": 0.9, "p95_ms": 300})
