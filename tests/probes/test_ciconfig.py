"""The CI evaluation-gate probe on real GitHub Actions workflows and GitLab CI files (tests/artifacts/ci-config/)
and on the shapes a careless or hostile pull request could bring."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import ciconfig
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within, says_what_the_file_says

TARGETS, FILES = expected("ci-config")
EXPECT = {"command": TARGETS["eval_commands"]}
# The fact whose `where` a finding points at -> the property that finding judges ("trigger": the workflow's
# pull-request trigger itself, which holds wherever the fixture names it).
PROPERTY_OF = {
    "pr_trigger": "trigger",
    "triggers": "runs_on_pr",
    "job_if": "runs_on_pr",
    "eval_command": "runs_eval",
    "allowed_to_fail": "blocking",
}


def judge(text: str, name: str = ".gitlab-ci.yml", commands: list[str] | None = None) -> Report:
    return ciconfig.probe(Artifact(name, text), {"command": commands or ["promptfoo eval", "pytest evals"]})


def places(report: Report) -> list[tuple[int, int, bool | None]]:
    return [(f.line, f.column, f.holds) for f in report.findings]


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_ci_file_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = ciconfig.probe(artifact("ci-config", name), EXPECT)
    says_what_the_file_says(report, entry, PROPERTY_OF)


def test_a_composite_action_that_runs_the_command_earns_nothing() -> None:
    report = ciconfig.probe(artifact("ci-config", "not-this-format-composite-action.yml"), EXPECT)
    assert report.outcome is Outcome.NOTHING


def test_a_workflow_that_runs_no_evaluation_earns_nothing() -> None:
    text = "on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ruff check .\n"
    report = judge(text, ".github/workflows/lint.yml")
    assert report.outcome is Outcome.NOTHING
    assert places(report) == [(3, 3, None)]


@pytest.mark.parametrize(
    ("run", "holds"),
    [
        ("npx promptfoo@latest eval -c promptfooconfig.yaml", True),
        ("npx @promptfoo/cli eval", False),  # another package: not the pack's command
        ("uv run pytest evals/ -q", True),
        ("python -m pytest evals", True),
        ("mypytest evals", False),
        ("pytest tests/", False),
        ("# pytest evals (disabled)", False),
        ("pytest \\\n  evals -q", True),  # a continued line
    ],
)
def test_which_lines_run_the_command(run: str, holds: bool) -> None:
    text = f"on: [pull_request]\njobs:\n  e:\n    steps:\n      - run: |\n          {run}\n"
    report = judge(text.replace("\\\n  ", "\\\n            "), ".github/workflows/e.yml")
    assert report.outcome is (Outcome.HOLDS if holds else Outcome.NOTHING), report


def test_a_failure_swallowed_by_or_true_is_allowed_to_fail() -> None:
    text = "on: pull_request\njobs:\n  e:\n    steps:\n      - run: pytest evals || true\n"
    report = judge(text, ".github/workflows/e.yml")
    assert report.outcome is Outcome.FAILS
    assert (5, 14, False) in places(report)


@pytest.mark.parametrize(
    ("condition", "skipped"),
    [
        ("github.event_name == 'push'", True),
        ("github.event_name != 'pull_request'", True),
        ("github.event_name == 'push' || github.event_name == 'pull_request'", False),
        ("${{ github.event_name == 'pull_request' }}", False),
        ("always()", False),
        ("false", True),
    ],
)
def test_a_job_condition_that_is_false_on_pull_requests_skips_the_gate(condition: str, skipped: bool) -> None:
    text = f'on: [push, pull_request]\njobs:\n  e:\n    if: "{condition}"\n    steps:\n      - run: pytest evals\n'
    if condition == "false":
        text = text.replace('"false"', "false")
    report = judge(text, ".github/workflows/e.yml")
    assert report.outcome is (Outcome.FAILS if skipped else Outcome.HOLDS), report


@pytest.mark.parametrize(
    ("on", "holds"),
    [
        ("pull_request_target", True),
        ("{pull_request: {types: [closed]}}", False),
        ("{pull_request: {types: [labeled, synchronize]}}", True),
        ("[push, workflow_dispatch]", False),
        ("{schedule: [{cron: '0 3 * * *'}]}", False),
    ],
)
def test_the_trigger_decides_whether_pull_requests_wait(on: str, holds: bool) -> None:
    report = judge(f"on: {on}\njobs:\n  e:\n    steps:\n      - run: pytest evals\n", ".github/workflows/e.yml")
    assert report.outcome is (Outcome.HOLDS if holds else Outcome.FAILS), report


def test_continue_on_error_given_as_an_expression_may_let_it_pass() -> None:
    text = (
        "on: pull_request\njobs:\n  e:\n    continue-on-error: ${{ matrix.experimental }}\n"
        "    steps:\n      - run: pytest evals\n"
    )
    report = judge(text, ".github/workflows/e.yml")
    assert report.outcome is Outcome.FAILS
    assert (4, 24, False) in places(report)


def test_one_gating_job_is_enough_when_another_only_reports() -> None:
    text = """on: pull_request
jobs:
  report:
    continue-on-error: true
    steps:
      - run: promptfoo eval -o report.json
  gate:
    steps:
      - run: pytest evals
"""
    report = judge(text, ".github/workflows/e.yml")
    assert report.outcome is Outcome.HOLDS
    assert (9, 14, True) in places(report)


MERGE_KEYS = """.defaults: &defaults
  image: python:3.12
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
.relaxed: &relaxed
  allow_failure: true
evals:
  <<: [*defaults, *relaxed]
  script:
    - uv run pytest evals -q
"""


def test_merge_keys_are_resolved_from_their_anchors() -> None:
    report = judge(MERGE_KEYS)
    assert report.outcome is Outcome.FAILS
    assert places(report) == [(4, 11, True), (10, 7, True), (6, 18, False)]


def test_a_rule_merged_from_an_anchor_is_read_whole() -> None:
    text = """.mr: &mr
  if: $CI_PIPELINE_SOURCE == "merge_request_event"
  allow_failure: true
evals:
  rules:
    - <<: *mr
      when: on_success
  script: [pytest evals]
"""
    report = judge(text)
    assert report.outcome is Outcome.FAILS
    assert places(report) == [(2, 7, True), (8, 12, True), (3, 18, False)]


def test_an_own_key_wins_over_a_merged_one() -> None:
    report = judge(MERGE_KEYS.replace("  script:", "  allow_failure: false\n  script:"))
    assert report.outcome is Outcome.HOLDS


def test_extends_reaches_through_two_levels_and_replaces_lists() -> None:
    text = """.base:
  script: [pytest evals]
  rules:
    - if: $CI_COMMIT_TAG
.mr:
  extends: .base
  rules:
    - if: $CI_MERGE_REQUEST_IID
job:
  extends: [.mr]
"""
    report = judge(text)
    assert report.outcome is Outcome.HOLDS
    assert places(report) == [(8, 11, True), (2, 12, True), (9, 1, True)]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        (
            ".a: {extends: .b, script: [pytest evals]}\n.b: {extends: .a}\n"
            "job: {extends: .a, only: [merge_requests]}\n",
            Outcome.HOLDS,
        ),
        (
            "".join(f".t{i}: {{extends: .t{i + 1}}}\n" for i in range(200))
            + ".t200: {script: [pytest evals]}\njob: {extends: .t0, only: [merge_requests]}\n",
            Outcome.NOTHING,  # the command is 200 levels down, past GitLab's limit of 11: never reached
        ),
        ("job: {extends: [[.a], 3, null], script: [pytest evals], only: [merge_requests]}\n", Outcome.HOLDS),
    ],
)
def test_extends_cycles_and_chains_stop_at_the_depth_limit(text: str, outcome: Outcome) -> None:
    report = judge(text)
    assert report.outcome is outcome
    placed_within(report, text)


@pytest.mark.parametrize(
    ("rules", "outcome"),
    [
        ('[{if: $CI_PIPELINE_SOURCE != "merge_request_event", when: never}, {when: always}]', Outcome.HOLDS),
        ('[{if: $CI_PIPELINE_SOURCE == "merge_request_event", when: never}, {when: always}]', Outcome.FAILS),
        ("[{if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH}]", Outcome.FAILS),
        ('[{if: $CI_PIPELINE_SOURCE == "merge_request_event", allow_failure: {exit_codes: [137]}}]', Outcome.FAILS),
    ],
)
def test_the_first_rule_that_matches_a_merge_request_pipeline_decides(rules: str, outcome: Outcome) -> None:
    assert judge(f"evals:\n  rules: {rules}\n  script: [pytest evals]\n").outcome is outcome


def test_a_job_without_rules_stays_out_of_merge_request_pipelines() -> None:
    report = judge("evals:\n  script: pytest evals\n")
    assert report.outcome is Outcome.FAILS
    assert (1, 1, False) in places(report)


def test_a_manual_job_may_fail() -> None:
    report = judge("evals:\n  when: manual\n  only: [merge_requests]\n  script: [pytest evals]\n")
    assert report.outcome is Outcome.FAILS
    assert (2, 9, False) in places(report)


def test_a_reference_tag_does_not_stop_the_reading() -> None:
    text = "evals:\n  only: [merge_requests]\n  script:\n    - !reference [.setup, script]\n    - pytest evals\n"
    assert judge(text).outcome is Outcome.HOLDS


def test_merges_of_merges_and_extends_of_extends_are_read_once_each() -> None:
    """Nine levels of 64 references each: a reader that expanded every reference anew would visit 64^9 (about
    10^16) copies, which no machine finishes; one that reads each definition once reads a 6 kB file."""
    merges = ".m0: &m0 {script: [pytest evals], only: [merge_requests]}\n" + "".join(
        f".m{i}: &m{i}\n  <<: [{', '.join([f'*m{i - 1}'] * 64)}]\n" for i in range(1, 10)
    )
    extends = "".join(f".e{i}: {{extends: [{', '.join([f'.e{i + 1}'] * 64)}]}}\n" for i in range(9))
    text = merges + "job1:\n  <<: *m9\n" + extends + ".e9: {script: [pytest evals]}\njob2: {extends: .e0}\n"
    report = judge(text)
    assert report.outcome is Outcome.HOLDS
    assert places(report) == [(1, 42, True), (1, 20, True), (20, 1, True)]


def test_hostile_files_give_a_finding_at_their_place() -> None:
    hostile = [
        ("on: pull_request\njobs: " + "{a: " * 10_000 + "}" * 10_000 + "\n", Outcome.FAILS),
        ("job:\n  script: " + "[" * 5_000 + "pytest evals" + "]" * 5_000 + "\n", Outcome.FAILS),
        (
            "on: pull_request\njobs:\n  e:\n    steps:\n      - run: '" + "pytest evalx " * 80_000 + "'\n",
            Outcome.NOTHING,
        ),
        ("job:\n  only: [merge_requests]\n  script: ['" + "x" * 1_000_000 + " pytest evals']\n", Outcome.HOLDS),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(12)
            )
            + "job: {script: *m}\n",
            Outcome.FAILS,
        ),
        ("".join(f"j{i}:\n  <<: *nowhere{i}\n  script: [x]\n" for i in range(2_000)), Outcome.FAILS),
        ('on: pull_request\njobs:\n  "\\e[31mred":\n    steps:\n      - run: pytest evals\n', Outcome.HOLDS),
        ("on: pull_request\njobs:\n  e:\n    steps:\n      - run: pytest evals\x1b[2J\n", Outcome.FAILS),
    ]
    for text, outcome in hostile:
        report = judge(text)
        assert report.outcome is outcome, report
        assert report.findings
        placed_within(report, text)
