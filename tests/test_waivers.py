"""Waivers (DESIGN §3.4): the item applies, the approver is its activity's A, expiry and length limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from readiness.core.model import Result
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import Project, Run

TODAY = date(2026, 11, 21)
HEAD = """\
team: {ann: {name: Ann}, ben: {name: Ben}}
raci:
  on-call: {R: [ben], A: ben}
  switch-off: {R: [ben], A: ann}
answers:
  ops.runbook: {status: done}
  ops.raci: {status: done}
  ops.budget: {status: na, reason: no spend yet}
waivers:
"""


def result_of(made: Project) -> Result:
    return evaluate(made.file, Options(today=TODAY)).result


def waiver(approver: str, expires: str, item: str = "ops.kill-switch") -> str:
    return f"  - {{item: {item}, reason: r, approved_by: {approver}, expires: {expires}}}\n"


def outcome(result: Result, item_id: str) -> str:
    return next(r.outcome.value for r in result.items if r.item.id == item_id)


def test_a_waiver_approved_by_the_accountable_person_excuses_the_item(project: Callable[..., Project]) -> None:
    made = project(HEAD + waiver("ann", "2027-01-31"), files={"runbooks/a.md": "x"})
    result = result_of(made)
    assert [(s.state, s.days_left) for s in result.waivers] == [("valid", 71)]
    assert outcome(result, "ops.kill-switch") == "waived"
    # The blocker-free pack is ready, and a major item counts only through the waiver.
    assert result.verdict == "ready-with-waivers"


def test_the_wrong_approver_does_not_excuse_the_item(project: Callable[..., Project]) -> None:
    made = project(HEAD + waiver("ben", "2027-01-31"), files={"runbooks/a.md": "x"})
    result = result_of(made)
    problem = (
        "the waiver for ops.kill-switch is approved by ben, but ann is accountable for 'switch-off' and must approve it"
    )
    assert [(s.state, s.problem) for s in result.waivers] == [("wrong-approver", problem)]
    assert outcome(result, "ops.kill-switch") == "gap"
    assert problem in result.reasons


def test_any_team_member_may_approve_an_item_without_an_activity(project: Callable[..., Project]) -> None:
    body = HEAD.replace("  ops.budget: {status: na, reason: no spend yet}\n", "") + waiver(
        "ben", "2027-01-31", item="ops.budget"
    )
    result = result_of(project(body, files={"runbooks/a.md": "x"}))
    assert [s.state for s in result.waivers] == ["valid"]
    assert outcome(result, "ops.budget") == "waived"


def test_expired_and_over_long_waivers_fail_the_verdict(project: Callable[..., Project]) -> None:
    # 2026-11-20 is yesterday; 2027-05-21 is 181 days away, one over the default limit of 180.
    made = project(HEAD + waiver("ann", "2026-11-20") + waiver("ben", "2027-05-21", item="ops.budget"))
    result = result_of(made)
    assert [(s.state, s.days_left) for s in result.waivers] == [("expired", -1), ("too-long", 181)]
    assert "the waiver for ops.kill-switch expired on 2026-11-20" in result.reasons
    assert "the waiver for ops.budget runs 181 days, over the limit of 180" in result.reasons
    assert outcome(result, "ops.kill-switch") == "gap"
    valid_today = project(HEAD + waiver("ann", "2026-11-21"))
    assert [s.state for s in result_of(valid_today).waivers] == ["valid"]


def test_a_waiver_for_an_item_that_does_not_apply_is_reported(project: Callable[..., Project]) -> None:
    pack_extra = (
        "  - {id: later, title: Later, question: Later?, why: w, verify: v, severity: major, stage: scale, "
        "effort: low}\n"
    )
    from tests.conftest import OPS_PACK

    made = project(HEAD + waiver("ann", "2027-01-31", item="ops.later"), pack=OPS_PACK + pack_extra)
    result = result_of(made)
    assert [(s.state, s.problem) for s in result.waivers] == [
        ("unused", "the waiver for ops.later has no effect: the item does not apply")
    ]
    assert "the waiver for ops.later has no effect: the item does not apply" in result.warnings
    assert all("ops.later" not in reason for reason in result.reasons)


def test_waivers_in_text_and_json(project: Callable[..., Project], cli: Callable[..., Run]) -> None:
    made = project(HEAD + waiver("ann", "2027-01-31") + waiver("ben", "2026-11-01", item="ops.budget"))
    text = cli("check", made.file, "--today", "2026-11-21").out
    assert (
        "Waivers\n"
        "  • ops.kill-switch: valid until 2027-01-31, approved by ann\n"
        "  • line 14: ops.budget: expired: the waiver for ops.budget expired on\n"
        "    2026-11-01\n"
    ) in text
    data = json.loads(cli("check", made.file, "-f", "json", "--today", "2026-11-21").out)
    assert [(w["state"], w["problem"]) for w in data["waivers"]] == [
        ("valid", ""),
        ("expired", "the waiver for ops.budget expired on 2026-11-01"),
    ]
