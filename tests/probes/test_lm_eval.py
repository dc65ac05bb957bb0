"""The lm-eval results probe on real `lm_eval --output_path` results (tests/artifacts/lm-eval-results/: lm-eval
0.4.13 and the 0.3 shape; groups, generative tasks with filters, a --limit run), and on the odd and hostile JSON a
pull request could put in their place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from readiness.verify.probes import lm_eval
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact
from tests.probes.evalfacts import check, folder, hostile

EXPECT, FILES = folder("lm-eval-results")
NOT_TASKS = {"date": [("recent", "run started")], "limit": [("limited", "run")], "results": []}


def judges(entry: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The facts of `where` that name a task are its score; `date` and `limit` the run's age and completeness."""
    return {fact: NOT_TASKS.get(fact, [("score", "target at least")]) for fact in entry.get("where", {})}


def results(rows: dict[str, Any] | None = None, **top: Any) -> str:
    """A results file as lm-eval 0.4 writes it (json.dumps, indent 2), cut to what is judged."""
    rows = (
        {"support_faq": {"alias": "support_faq", "acc,none": 0.93, "acc_stderr,none": 0.018}} if rows is None else rows
    )
    data = {
        "results": rows,
        "versions": dict.fromkeys(rows, 1.0),
        "higher_is_better": {task: {"acc": True} for task in rows},
        "n-samples": {task: {"original": 200, "effective": 200} for task in rows},
        "config": {"model": "local-completions", "limit": None},
        "date": 1795179941.412754,  # 2026-11-20T13:05:41Z
        **top,
    }
    return json.dumps({key: value for key, value in data.items() if value is not ...}, indent=2)


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return lm_eval.probe(Artifact("out/acme__support-7b/results.json", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_results_say(name: str) -> None:
    entry = FILES[name]
    report = lm_eval.probe(artifact("lm-eval-results", name), {**EXPECT, **entry.get("expect", {})})
    check(report, entry, judges(entry))


@pytest.mark.parametrize("name", sorted(n for n, e in FILES.items() if e.get("facts", {}).get("scores")))
def test_every_task_row_is_judged_with_its_score(name: str) -> None:
    entry = FILES[name]
    report = lm_eval.probe(artifact("lm-eval-results", name), {**EXPECT, **entry.get("expect", {})})
    for task, score in entry["facts"]["scores"].items():
        said = f"{task} {entry['facts']['metric_key']} {score:.4g},"
        assert any(said in f.message for f in report.findings), (said, report)


def test_a_generative_task_has_nothing_to_judge_under_the_default_metric() -> None:
    report = lm_eval.probe(artifact("lm-eval-results", "odd-generative-filter-keys.json"), EXPECT)
    assert report.outcome is Outcome.NOTHING
    assert "no task reports a score under acc,none" in report.findings[0].message


def test_an_undated_0_3_file_holds_on_its_score_alone() -> None:
    report = lm_eval.probe(artifact("lm-eval-results", "odd-legacy-0.3-no-filter-suffix.json"), {"pass_rate": 0.9})
    assert report.outcome is Outcome.HOLDS


@pytest.mark.parametrize(("score", "outcome"), [(0.9, Outcome.HOLDS), (0.8999, Outcome.FAILS)])
def test_a_score_at_the_target_holds_and_below_it_fails(score: float, outcome: Outcome) -> None:
    text = results({"support_faq": {"acc,none": score}})
    assert run(text, {"pass_rate": 0.9}).outcome is outcome


@pytest.mark.parametrize(("today", "outcome"), [("2027-02-18", Outcome.HOLDS), ("2027-02-19", Outcome.FAILS)])
def test_a_run_exactly_as_old_as_allowed_holds(today: str, outcome: Outcome) -> None:
    assert run(results(), {"max_age_days": 90, "today": today}).outcome is outcome


def test_a_group_above_the_target_does_not_hide_a_weak_subtask() -> None:
    rows = {"faq": {"acc,none": 0.99}, "escalation": {"acc,none": 0.7}, "suite": {"acc,none": 0.91}}
    report = run(results(rows))
    assert report.outcome is Outcome.FAILS
    assert [f.holds for f in report.findings if "target at least" in f.message] == [True, False, True]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "N/A", None])
def test_a_score_that_is_no_number_cannot_meet_the_target(value: Any) -> None:
    text = results({"support_faq": {"acc,none": 0.5}}).replace('"acc,none": 0.5', f'"acc,none": {value or "null"}')
    if value == "N/A":
        text = text.replace('"acc,none": N/A', '"acc,none": "N/A"')
    assert run(text).outcome is Outcome.FAILS


def test_a_metric_where_lower_is_better_is_not_taken_for_a_pass_rate() -> None:
    text = results({"wikitext": {"acc,none": 0.2}}, higher_is_better={"wikitext": {"acc": False}})
    report = run(text)
    assert report.outcome is Outcome.NOTHING
    assert any("lower is better" in f.message for f in report.findings)


def test_a_task_that_evaluated_no_sample_is_not_judged() -> None:
    text = results(**{"n-samples": {"support_faq": {"original": 200, "effective": 0}}})
    report = run(text)
    assert report.outcome is Outcome.NOTHING
    assert any("no sample of the task" in f.message for f in report.findings)


@pytest.mark.parametrize("limit", [0.1, 5, "5"])
def test_a_limited_run_proves_nothing_however_good(limit: Any) -> None:
    report = run(results(config={"model": "hf", "limit": limit}))
    assert report.outcome is Outcome.FAILS
    assert any("--limit" in f.message and f.holds is False for f in report.findings)


def test_a_run_on_a_selection_of_the_data_proves_nothing() -> None:
    report = run(results(**{"n-samples": {"support_faq": {"original": 200, "effective": 50}}}))
    assert report.outcome is Outcome.FAILS
    assert any("50 of 200 samples of support_faq" in f.message for f in report.findings)


@pytest.mark.parametrize("date", [..., "2026-11-20", 1e300, -1e300])
def test_a_run_without_a_usable_date_proves_nothing_about_its_age(date: Any) -> None:
    report = run(results(date=date))
    assert report.outcome is Outcome.NOTHING
    assert any("no date of the run" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("promptfoo-results", "pass-all-green.json"),
        ("inspect-log", "pass-accuracy.json"),
        ("k6-summary", "pass-export-with-thresholds.json"),
        ("model-card", "fail-empty-sections.md"),
        ("junit-xml", "pass-pytest.xml"),
    ],
)
def test_files_of_other_formats_earn_nothing(kind: str, name: str) -> None:
    assert lm_eval.probe(artifact(kind, name), EXPECT).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "text",
    [
        results().replace("0.93,", "1e999,"),
        results().replace("0.93,", "9" * 5000 + ","),
        results({"t": {"acc,none": 0.95, "acc_stderr,none": json.loads("[" * 70 + "]" * 70)}}),
        '{"results": {"t": ' + "{" * 50_000 + "}" * 50_000 + '}, "versions": {}}',
        results({"\x1b]0;pwned\x07": {"acc,none": 0.5}}),
        results({"t": {"acc,none": 0.5}}).replace('"acc,none": 0.5', '"acc,none": 0.5, "acc,none": 0.95'),
        results(config=[]),
        '{"results": [], "versions": {}}',
        '{"results": {"t": 1}, "versions": {}}',
    ],
)
def test_hostile_files_give_a_finding_or_nothing(text: str) -> None:
    hostile(lm_eval.probe, text, EXPECT)


def test_five_thousand_tasks_are_each_judged_once_at_their_own_line() -> None:
    """One finding per task at its own line, plus the two on the run: none lost or repeated among many tasks."""
    text = results({f"task_{n}": {"acc,none": 0.5} for n in range(5_000)})
    report = hostile(lm_eval.probe, text, EXPECT)
    assert report.outcome is Outcome.FAILS
    failing = [f for f in report.findings if f.holds is False]
    assert len(failing) == 5_000 and len(report.findings) == 5_002
    assert len({(f.line, f.column) for f in failing}) == 5_000
    assert failing[-1].message.startswith("task_4999 acc,none 0.5")


def test_a_file_that_does_not_say_whether_the_run_was_limited_proves_nothing() -> None:
    report = run(results(config={"model": "hf"}))
    assert report.outcome is Outcome.NOTHING
    assert any("no config.limit" in f.message for f in report.findings)


def test_the_schema_of_expect_is_valid_and_strict() -> None:
    Draft202012Validator.check_schema(lm_eval.EXPECT_SCHEMA)
    validator = Draft202012Validator(lm_eval.EXPECT_SCHEMA)
    assert validator.is_valid(EXPECT)
    assert validator.is_valid({"pass_rate": 0.9, "metric": "exact_match", "filter": "strict-match"})
    assert not validator.is_valid({"pass_rate": 0.9, "metric": "exact_match,strict-match"})  # the filter apart
    assert not validator.is_valid({"filter": "none"})
    assert not validator.is_valid({"max_age_days": 90})
