"""RACI rules (DESIGN §3.4, DOMAIN "RACI rules"): findings with positions, auto.raci, owners of gaps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from readiness.core.model import Result
from readiness.load.diagnostics import InputError
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import Project, Run

TODAY = date(2026, 11, 21)
TEAM = """\
team:
  ann: {name: Ann}
  ben: {name: Ben}
  cat: {name: Cat}
"""


def run(make: Callable[..., Project], body: str) -> Result:
    made = make(body)
    return evaluate(made.file, Options(today=TODAY)).result


def item(result: Result, item_id: str) -> tuple[str, str, object]:
    found = next(r for r in result.items if r.item.id == item_id)
    return found.outcome.value, found.owner, found.credit


def findings(result: Result) -> list[tuple[str, str, int]]:
    return [(f.level, f.message, f.source.line) for f in result.raci.findings]


def test_a_well_formed_raci_passes_auto_raci_and_draws_the_matrix(project: Callable[..., Project]) -> None:
    result = run(
        project,
        TEAM
        + """\
raci:
  on-call: {R: [ben], A: ann, C: [cat]}
  switch-off: {R: [ann, cat], A: ann, I: ben}
""",
    )
    assert [f for f in findings(result) if f[0] == "error"] == []
    # Nobody answered ops.raci: the automated check proves it on its own.
    assert item(result, "ops.raci") == ("met", "unassigned", 1)
    assert result.raci.members == ("ann", "ben", "cat")
    assert [(row.activity, row.cells) for row in result.raci.rows] == [
        ("on-call", ("A", "R", "C")),
        ("switch-off", ("A/R", "I", "R")),
    ]


def test_broken_rules_are_findings_at_their_lines_and_fail_auto_raci(project: Callable[..., Project]) -> None:
    result = run(
        project,
        TEAM
        + """\
raci:
  on-call: {R: [ben], A: [ann, cat]}
answers:
  ops.raci: {status: done}
""",
    )
    assert findings(result) == [
        ("error", "'on-call' has 2 Accountable people (ann, cat); exactly one may be A", 9),
        ("error", "no RACI entry for 'switch-off' (Switch-off)", 8),
    ]
    outcome, _, credit = item(result, "ops.raci")
    found = next(r for r in result.items if r.item.id == "ops.raci")
    assert (outcome, credit, found.unverified) == ("gap", 0.5, True)
    assert found.auto is not None and not found.auto.passed
    assert "exactly one may be A" in found.auto.detail and "no RACI entry for 'switch-off'" in found.auto.detail


def test_no_accountable_no_responsible_and_a_double_letter(project: Callable[..., Project]) -> None:
    result = run(
        project,
        TEAM
        + """\
raci:
  on-call: {C: [ann]}
  switch-off: {R: [ben], A: ann, C: [ben]}
""",
    )
    errors = [message for level, message, _ in findings(result) if level == "error"]
    assert errors == [
        "'on-call' has no Accountable person; name exactly one A",
        "'on-call' has no Responsible person; name at least one R",
        "ben is R/C on 'switch-off'; only A and R may share a cell",
    ]


def test_warnings_many_r_bottleneck_and_idle_member(project: Callable[..., Project]) -> None:
    pack = (
        "id: ops\ntitle: Ops\nactivities:\n"
        + "".join(f"  - {{id: a{n}, title: A{n}}}\n" for n in range(1, 5))
        + "items:\n  - {id: x, title: X, question: X?, why: w, verify: v, severity: minor, stage: prototype, "
        "effort: low}\n"
    )
    made = project(
        TEAM
        + """\
  dan: {name: Dan}
raci:
  a1: {R: [ann, ben, cat], A: ann}
  a2: {R: [ben], A: ann}
  a3: {R: [ben], A: ann}
  a4: {R: [ann], A: cat, I: [dan]}
""",
        pack=pack,
    )
    result = evaluate(made.file, Options(today=TODAY)).result
    # Lines: team members at 5-8 (ann, ben, cat, dan), raci entries at 10-13.
    assert findings(result) == [
        ("warning", "'a1' has 3 people Responsible; split the work or name fewer", 10),
        ("warning", "ann is Accountable for 3 of 4 activities: a bottleneck and a single point of failure", 5),
        ("warning", "ann takes part in every activity; consider who else can carry some of them", 5),
        ("warning", "dan is neither Responsible nor Accountable for any activity", 8),
    ]
    # Warnings are reported, but they do not make the matrix ill-formed.
    assert result.warnings[:1] == ("'a1' has 3 people Responsible; split the work or name fewer",)


def test_unknown_team_id_in_raci_is_an_input_error_with_a_hint(project: Callable[..., Project]) -> None:
    made = project(TEAM + "raci:\n  on-call: {R: [benn], A: ann}\n  switch-off: {R: [ann], A: ann}\n")
    with pytest.raises(InputError) as caught:
        evaluate(made.file, Options(today=TODAY))
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{made.file}:9:17: error: $.raci.on-call.R[0]: unknown team id 'benn' (did you mean 'ben'?)"
    ]


def test_gap_owner_is_the_answer_owner_else_the_activity_a_else_unassigned(project: Callable[..., Project]) -> None:
    result = run(
        project,
        TEAM
        + """\
raci:
  on-call: {R: [ben], A: cat}
  switch-off: {R: [ann], A: ann}
answers:
  ops.runbook: {status: todo, owner: ben}
  ops.kill-switch: {status: todo}
""",
    )
    assert item(result, "ops.runbook")[1] == "ben"
    assert item(result, "ops.kill-switch")[1] == "ann"
    assert item(result, "ops.budget")[1] == "unassigned"


def test_the_matrix_and_findings_are_in_the_result_json(
    project: Callable[..., Project], cli: Callable[..., object]
) -> None:
    import json

    made = project(TEAM + "raci:\n  on-call: {R: [ben], A: ann}\n")
    run_ = cli("check", made.file, "-f", "json", "--today", "2026-11-21")
    data = json.loads(run_.out)  # type: ignore[attr-defined]
    assert data["raci"]["members"] == ["ann", "ben", "cat"]
    assert data["raci"]["activities"][0] == {
        "id": "on-call",
        "title": "On-call",
        "required": True,
        "written": True,
        "cells": {"ann": "A", "ben": "R", "cat": ""},
    }
    assert data["raci"]["activities"][1]["written"] is False
    assert {"level": "error", "message": "no RACI entry for 'switch-off' (Switch-off)", "activity": "switch-off",
            "member": None, "line": 8, "column": 1} in data["raci"]["findings"]  # fmt: skip


def test_text_sections_appear_only_when_there_is_something_to_say(
    project: Callable[..., Project], cli: Callable[..., Run]
) -> None:
    quiet = project(TEAM + "raci:\n  on-call: {R: [ben], A: ann}\n  switch-off: {R: [cat], A: cat}\n")
    text = cli("check", quiet.file, "--today", "2026-11-21").out
    for heading in ("Ownership", "Evidence", "Waivers", "Cost"):
        assert f"\n{heading}\n" not in text
    noisy = project(
        TEAM
        + "raci:\n  on-call: {R: [ben], A: [ann, cat]}\n"
        + "cost: {requests_per_day: 100, tokens: {input: 1000, output: 100}, "
        + "price_per_million: {input: 1, output: 1}, budget_monthly: 10}\n"
    )
    text = cli("check", noisy.file, "--today", "2026-11-21").out
    assert (
        "Ownership\n"
        "  • line 9: 'on-call' has 2 Accountable people (ann, cat); exactly one may be A\n"
        "  • line 8: no RACI entry for 'switch-off' (Switch-off)\n"
    ) in text
    # 100 requests a day * 365/12 days * 1,100 tokens at 1 per million = 3.35 a month; budget 10.
    assert "Cost\n  • 3-month total 10.04 USD expected, 30.11 worst case; peak month 1 at 3.35\n" in text
    assert (
        "  • Within 10.00 USD a month as expected, but the worst case (prices times 3)\n"
        "    passes it in months 1, 2 and 3.\n"
    ) in text
