"""Scoring edge cases against values worked out by hand (DESIGN.md §3.1 to 3.3, §3.5).

Each test writes a small custom pack with known weights and an assessment that uses only that pack, so
every expected number can be checked with pencil and paper from what is written here.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from readiness.core.model import Result
from readiness.load.diagnostics import InputError
from readiness.score.engine import evaluate
from readiness.score.scoring import Options, format_score

# Weights: blocker 3, major 2, minor 1 unless the item says otherwise.
PACK = """
id: alpha
title: Alpha
weight: {weight}
items:
  - {{id: a-blocker, title: A1, question: A1?, why: w, verify: v, severity: blocker, stage: prototype, effort: low}}
  - {{id: b-major, title: B, question: B?, why: w, verify: v, severity: major, stage: pilot, effort: medium}}
  - {{id: c-minor, title: C, question: C?, why: w, verify: v, severity: minor, stage: production, effort: high}}
  - {{id: d-scale, title: D, question: D?, why: w, verify: v, severity: blocker, stage: scale, effort: low}}
  - {{id: e-llm, title: E, question: E?, why: w, verify: v, severity: major, stage: pilot, effort: low,
      when: {{llm: true}}}}
"""

BETA = """
id: beta
title: Beta
weight: {weight}
items:
  - {{id: heavy, title: H, question: H?, why: w, verify: v, severity: minor, stage: pilot, effort: low, weight: 5}}
  - {{id: light, title: L, question: L?, why: w, verify: v, severity: minor, stage: pilot, effort: low, weight: 1}}
"""

TODAY = date(2026, 11, 21)


@pytest.fixture
def score(tmp_path: Path) -> Callable[..., Result]:
    def run(
        answers: str = "",
        *,
        waivers: str = "",
        target: str = "production",
        profile: str = "{}",
        policy: str = "",
        alpha_weight: int = 1,
        beta: int | None = None,
        flags: dict[str, Any] | None = None,
        **options: Any,
    ) -> Result:
        (tmp_path / "alpha.yaml").write_text(PACK.format(weight=alpha_weight))
        extra = ["alpha.yaml"]
        if beta is not None:
            (tmp_path / "beta.yaml").write_text(BETA.format(weight=beta))
            extra.append("beta.yaml")
        text = textwrap.dedent(
            f"""\
            version: 1
            project: {{name: T, target: {target}, profile: {profile}}}
            checklists: {{use: [], extra: {json.dumps(extra)}}}
            team: {{ann: {{name: Ann}}, ben: {{name: Ben}}}}
            """
        )
        if answers:
            text += "answers:\n" + textwrap.indent(textwrap.dedent(answers), "  ")
        if waivers:
            text += "waivers:\n" + textwrap.indent(textwrap.dedent(waivers), "  ")
        if policy:
            text += f"policy: {policy}\n"
        path = tmp_path / "readiness.yaml"
        path.write_text(text)
        return evaluate(path, Options(today=options.pop("today", TODAY), policy=flags or {}, **options)).result

    return run


def category(result: Result, pack: str) -> str:
    return next(format_score(c.score) for c in result.categories if c.pack.id == pack)


def test_credit_per_status_and_default_weights(score: Callable[..., Result]) -> None:
    result = score(
        """\
        alpha.a-blocker: {status: done}
        alpha.b-major: {status: partial}
        alpha.c-minor: {status: todo}
        """
    )
    # a: 3 x 1, b: 2 x 0.5, c: 1 x 0; d is above the target, e needs llm. (3 + 1 + 0) / 6 = 66.666…
    assert format_score(result.score) == "66.7"
    outcomes = {r.item.id: r.outcome.value for r in result.items}
    assert outcomes == {
        "alpha.a-blocker": "met",
        "alpha.b-major": "gap",
        "alpha.c-minor": "gap",
        "alpha.d-scale": "next-stage",
        "alpha.e-llm": "not-applicable",
    }


def test_profile_condition_brings_item_in(score: Callable[..., Result]) -> None:
    result = score("alpha.a-blocker: {status: done}\n", profile="{llm: true}")
    # a 3 x 1; b 2 x 0; c 1 x 0; e 2 x 0 → 3 / 8 = 37.5
    assert format_score(result.score) == "37.5"


def test_all_items_na_scores_nothing_and_is_not_ready(score: Callable[..., Result]) -> None:
    result = score(
        """\
        alpha.a-blocker: {status: na, reason: r}
        alpha.b-major: {status: na, reason: r}
        alpha.c-minor: {status: na, reason: r}
        """
    )
    assert result.score is None
    assert result.verdict == "not-ready"
    assert "nothing was scored: every applicable item is n/a or waived" in result.reasons
    # n/a items are excluded, so the stage is reached: the only failure is that nothing was scored.
    assert result.stage_reached is not None and result.stage_reached.value == "production"
    assert len(result.reasons) == 1


def test_waived_blocker_is_left_out_and_marks_the_verdict(score: Callable[..., Result]) -> None:
    result = score(
        """\
        alpha.b-major: {status: done}
        alpha.c-minor: {status: done}
        """,
        waivers="- {item: alpha.a-blocker, reason: pilot only, approved_by: ann, expires: 2027-01-31}\n",
    )
    # a waived: left out of both sides; b 2 x 1 + c 1 x 1 over 3 → 100
    assert format_score(result.score) == "100.0"
    assert result.verdict == "ready-with-waivers"
    assert [s.state for s in result.waivers] == ["valid"]


def test_waiver_is_valid_through_its_expiry_day(score: Callable[..., Result]) -> None:
    answers = "alpha.b-major: {status: done}\nalpha.c-minor: {status: done}\n"
    waiver = "- {item: alpha.a-blocker, reason: r, approved_by: ann, expires: 2026-11-21}\n"
    assert score(answers, waivers=waiver).verdict == "ready-with-waivers"
    expired = score(answers, waivers=waiver, today=date(2026, 11, 22))
    assert expired.verdict == "not-ready"
    # The expired waiver no longer excuses the blocker: a 3 x 0, b 2, c 1 → 3 / 6 = 50
    assert format_score(expired.score) == "50.0"
    assert "the waiver for alpha.a-blocker expired on 2026-11-21" in expired.reasons
    assert "1 open blocker item: alpha.a-blocker" in expired.reasons


def test_waiver_longer_than_policy_does_not_excuse(score: Callable[..., Result]) -> None:
    result = score(
        "alpha.b-major: {status: done}\nalpha.c-minor: {status: done}\n",
        waivers="- {item: alpha.a-blocker, reason: r, approved_by: ann, expires: 2027-01-01}\n",
        policy="{max_waiver_days: 30}",
    )
    # 2026-11-21 → 2027-01-01 is 41 days, over 30.
    assert result.waivers[0].state == "too-long"
    assert "the waiver for alpha.a-blocker runs 41 days, over the limit of 30" in result.reasons
    assert format_score(result.score) == "50.0"


def test_minor_waiver_gives_plain_ready(score: Callable[..., Result]) -> None:
    result = score(
        "alpha.a-blocker: {status: done}\nalpha.b-major: {status: done}\n",
        waivers="- {item: alpha.c-minor, reason: r, approved_by: ann, expires: 2027-01-01}\n",
    )
    assert result.verdict == "ready"


def test_target_above_every_item(score: Callable[..., Result]) -> None:
    result = score(
        """\
        alpha.a-blocker: {status: done}
        alpha.b-major: {status: done}
        alpha.c-minor: {status: done}
        alpha.d-scale: {status: done}
        """,
        target="scale",
    )
    assert result.stage_reached is not None and result.stage_reached.value == "scale"
    assert result.next_stage is None
    assert result.verdict == "ready"


def test_nothing_applies_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: p\ntitle: P\nitems:\n"
        "  - {id: x, title: X, question: X?, why: w, verify: v, severity: major, stage: pilot, effort: low}\n"
    )
    path = tmp_path / "readiness.yaml"
    path.write_text("version: 1\nproject: {name: T, target: prototype}\nchecklists: {use: [], extra: [p.yaml]}\n")
    with pytest.raises(InputError) as raised:
        evaluate(path, Options(today=TODAY))
    [problem] = raised.value.diagnostics
    assert (problem.line, problem.column, problem.path) == (2, 28, "$.project.target")
    assert "no checklist item applies at target 'prototype'" in problem.message


def test_stage_reached_stops_at_first_open_blocker(score: Callable[..., Result]) -> None:
    result = score("alpha.a-blocker: {status: done}\n")
    # b (major, pilot) is open: pilot is not reached.
    assert result.stage_reached is not None and result.stage_reached.value == "prototype"
    assert result.next_stage is not None and result.next_stage.value == "pilot"
    assert result.next_stage_blockers == ("alpha.b-major",)
    assert "stage reached is prototype, below the target production" in result.reasons
    none = score("")
    assert none.stage_reached is None
    assert "stage reached is none, below the target production" in none.reasons


def test_minor_items_do_not_hold_the_stage(score: Callable[..., Result]) -> None:
    result = score("alpha.a-blocker: {status: done}\nalpha.b-major: {status: done}\n")
    assert result.stage_reached is not None and result.stage_reached.value == "production"
    # a 3 + b 2 over 6 = 83.3; the open minor fails nothing with fail_on blocker.
    assert format_score(result.score) == "83.3"
    assert result.verdict == "ready"


def test_item_and_pack_weights(score: Callable[..., Result]) -> None:
    result = score(
        """\
        alpha.a-blocker: {status: done}
        alpha.b-major: {status: done}
        alpha.c-minor: {status: todo}
        beta.heavy: {status: done}
        beta.light: {status: todo}
        """,
        alpha_weight=1,
        beta=2,
    )
    # alpha: (3 + 2 + 0) / 6 = 83.333…; beta: (5 x 1 + 1 x 0) / 6 = 83.333…
    assert category(result, "alpha") == "83.3"
    assert category(result, "beta") == "83.3"
    uneven = score(
        """\
        alpha.a-blocker: {status: done}
        alpha.b-major: {status: done}
        alpha.c-minor: {status: done}
        beta.heavy: {status: todo}
        beta.light: {status: done}
        """,
        alpha_weight=1,
        beta=3,
    )
    # alpha 100; beta 1/6 x 100 = 16.666…; overall (1 x 100 + 3 x 16.666…) / 4 = 37.5
    assert category(uneven, "beta") == "16.7"
    assert format_score(uneven.score) == "37.5"
    assert "Beta scores 16.7, below the category minimum 50" in uneven.reasons


def test_unverified_done_gets_half_credit_and_none_when_strict(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: p\ntitle: P\nitems:\n"
        "  - {id: x, title: X, question: X?, why: w, verify: v, severity: major, stage: prototype,"
        " effort: low, evidence: required}\n"
        "  - {id: y, title: Y, question: Y?, why: w, verify: v, severity: minor, stage: prototype, effort: low}\n"
    )
    path = tmp_path / "readiness.yaml"
    path.write_text(
        "version: 1\nproject: {name: T, target: prototype}\nchecklists: {use: [], extra: [p.yaml]}\n"
        "answers:\n  p.x: {status: done}\n  p.y: {status: done, reviewed: 2025-01-01}\n"
        "policy: {max_evidence_age_days: 365}\n"
    )
    loose = evaluate(path, Options(today=TODAY)).result
    # x: 2 x 0.5 (no evidence); y: 1 x 0.5 (reviewed 689 days ago) → 1.5 / 3 = 50
    assert format_score(loose.score) == "50.0"
    assert all(r.unverified for r in loose.gaps)
    strict = evaluate(path, Options(today=TODAY, strict=True)).result
    assert format_score(strict.score) == "0.0"


def test_gap_order(tmp_path: Path) -> None:
    items = [
        # id, severity, stage, effort, weight
        ("m-tie-b", "major", "pilot", "low", 2),
        ("m-tie-a", "major", "pilot", "low", 2),
        ("m-costly", "major", "pilot", "high", 4),  # 4 / 4 = 1 gained per effort
        ("m-cheap", "major", "pilot", "low", 1),  # 1 / 1 = 1 as well: tie broken by id
        ("m-early", "major", "prototype", "high", 1),
        ("b-late", "blocker", "production", "high", 1),
        ("n-minor", "minor", "prototype", "low", 9),
    ]
    rows = "".join(
        f"  - {{id: {i}, title: T, question: Q{i}?, why: w, verify: v, severity: {s},"
        f" stage: {st}, effort: {e}, weight: {w}}}\n"
        for i, s, st, e, w in items
    )
    (tmp_path / "p.yaml").write_text("id: p\ntitle: P\nitems:\n" + rows)
    path = tmp_path / "readiness.yaml"
    path.write_text("version: 1\nproject: {name: T}\nchecklists: {use: [], extra: [p.yaml]}\n")
    result = evaluate(path, Options(today=TODAY)).result
    assert [g.item.id.split(".")[1] for g in result.gaps] == [
        "b-late",  # blockers first, whatever the stage
        "m-early",  # then the earliest stage
        "m-tie-a",  # 2 gained per effort; ties by id
        "m-tie-b",
        "m-cheap",  # 1 per effort, tie with m-costly broken by id
        "m-costly",
        "n-minor",
    ]


def test_policy_precedence_flag_over_file_over_default(score: Callable[..., Result]) -> None:
    answers = "alpha.a-blocker: {status: done}\nalpha.b-major: {status: done}\n"
    default = score(answers)
    assert (default.policy.min_score, default.policy.min_category_score) == (70, 50)
    in_file = score(answers, policy="{min_score: 90, min_category_score: 10}")
    assert "overall score 83.3 is below the minimum 90" in in_file.reasons
    flagged = score(answers, policy="{min_score: 90, min_category_score: 10}", flags={"min_score": 80.0})
    assert flagged.policy.min_score == 80  # the flag wins
    assert flagged.policy.min_category_score == 10  # the file still wins over the default
    assert flagged.verdict == "ready"


def test_fail_on_major_and_none(score: Callable[..., Result]) -> None:
    answers = "alpha.a-blocker: {status: done}\nalpha.b-major: {status: todo}\nalpha.c-minor: {status: done}\n"
    major = score(answers, policy="{fail_on: major, min_score: 0}")
    assert "1 open major or worse item: alpha.b-major" in major.reasons
    none = score(answers, policy="{fail_on: none, min_score: 0}")
    assert not any("open" in reason for reason in none.reasons)


def test_escalation_by_profile(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: p\ntitle: P\nitems:\n"
        "  - {id: x, title: X, question: X?, why: w, verify: v, severity: major, stage: prototype,"
        " effort: low, escalate: {when: {risk: high}, severity: blocker}}\n"
        "  - {id: y, title: Y, question: Y?, why: w, verify: v, severity: minor, stage: prototype, effort: low}\n"
    )
    path = tmp_path / "readiness.yaml"
    for risk, severity, expected in (("high", "blocker", "25.0"), ("low", "major", "33.3")):
        path.write_text(
            f"version: 1\nproject: {{name: T, profile: {{risk: {risk}}}}}\n"
            "checklists: {use: [], extra: [p.yaml]}\nanswers:\n  p.y: {status: done}\n"
        )
        result = evaluate(path, Options(today=TODAY)).result
        # x open with weight 3 (blocker) or 2 (major); y done with weight 1.
        assert result.gaps[0].severity.value == severity
        assert format_score(result.score) == expected
