"""`check -f junit`: one suite per pack and one test case per scored or deliberately excluded item, as CI reads it."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from readiness.core.model import Outcome, Result, Stage
from readiness.render.formats import RenderOptions
from readiness.render.junit import render
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import OPS_PACK, REPO, Project

TODAY = date(2026, 11, 21)
EXAMPLES = sorted(path.parent.name for path in (REPO / "examples").glob("*/readiness.yaml"))
IN_THE_REPORT = (Outcome.MET, Outcome.GAP, Outcome.NA, Outcome.WAIVED)


def result_of(file: Path, target: Stage | None = None, display: str | None = None) -> Result:
    options = Options(today=TODAY, strict=False, target=target, policy={})
    return evaluate(file, options, display=display).result


def example(name: str, target: Stage | None = None) -> Result:
    path = REPO / "examples" / name / "readiness.yaml"
    return result_of(path, target, display=f"examples/{name}/readiness.yaml")


def parse(text: str) -> JUnitXml:
    # Bytes: lxml, which junitparser prefers when installed, refuses a str with an encoding declaration.
    return JUnitXml.fromstring(text.encode("utf-8"))


def suites(xml: JUnitXml) -> list[TestSuite]:
    return list(xml)


def case_of(xml: JUnitXml, item_id: str) -> TestCase:
    found = [case for suite in xml for case in suite if case.name.startswith(f"{item_id}: ")]
    assert len(found) == 1, item_id
    return found[0]


def only_result(case: TestCase) -> Failure | Skipped:
    [outcome] = case.result
    assert isinstance(outcome, (Failure, Skipped))
    return outcome


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_parses_with_one_suite_per_pack_that_has_test_cases(name: str) -> None:
    result = example(name)
    xml = parse(render(result, RenderOptions()))
    shown = [r for r in result.items if r.outcome in IN_THE_REPORT]
    packs_shown = {r.item.pack for r in shown}
    assert [s.name for s in suites(xml)] == [c.pack.title for c in result.categories if c.pack.id in packs_shown]
    names = [case.name for suite in xml for case in suite]
    assert sorted(names) == sorted(f"{r.item.id}: {r.item.title}" for r in shown)
    assert {case.classname for suite in xml for case in suite} == {f"readiness.{pack}" for pack in packs_shown}


def test_next_stage_items_and_packs_without_any_scored_item_are_left_out() -> None:
    # At prototype, the ops agent's observability and reliability packs have nothing to check.
    result = example("ops-agent", target=Stage.PROTOTYPE)
    xml = parse(render(result, RenderOptions()))
    titles = [s.name for s in suites(xml)]
    assert {"Observability", "Reliability"}.isdisjoint(titles)
    assert titles and len(titles) < len(result.categories)
    next_stage = [r.item.id for r in result.items if r.outcome is Outcome.NEXT_STAGE]
    assert next_stage
    names = [case.name for suite in xml for case in suite]
    assert not [item for item in next_stage if any(n.startswith(f"{item}: ") for n in names)]


@pytest.mark.parametrize("name", EXAMPLES)
def test_suite_counts_match_the_categories_and_add_up_on_the_root(name: str) -> None:
    result = example(name)
    xml = parse(render(result, RenderOptions()))
    by_title = {c.pack.title: c for c in result.categories}
    for suite in suites(xml):
        category = by_title[suite.name]
        cases = list(suite)
        assert suite.failures == category.gaps == sum(case.is_failure for case in cases)
        assert suite.skipped == category.excluded == sum(case.is_skipped for case in cases)
        assert suite.tests == category.counted + category.excluded == len(cases)
        assert suite.errors == 0
    assert xml.name == "readiness"
    assert xml.tests == sum(s.tests for s in suites(xml)) == sum(r.outcome in IN_THE_REPORT for r in result.items)
    assert xml.failures == sum(s.failures for s in suites(xml)) == len(result.gaps)
    assert xml.skipped == sum(s.skipped for s in suites(xml))
    assert xml.errors == 0


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_failure_names_owner_due_date_and_says_what_to_do(name: str) -> None:
    result = example(name)
    xml = parse(render(result, RenderOptions()))
    for gap in result.gaps:
        failure = only_result(case_of(xml, gap.item.id))
        assert isinstance(failure, Failure)
        assert failure.type == gap.severity.value
        assert "\n" not in failure.message
        due = gap.answer.due if gap.answer else None
        assert (f"due {due}" if due else "no due date") in failure.message
        assert (gap.owner if gap.owner != "unassigned" else "no owner") in failure.message
        text = failure.text
        assert text.startswith(failure.message + "\n")  # GitLab shows only the text
        for part in (gap.item.question, gap.item.why, gap.item.verify, *gap.unverified_reasons):
            assert part in text
        if gap.answer and gap.answer.note:
            assert f"Note: {gap.answer.note}" in text


def test_the_support_copilot_failure_reads_as_a_sentence() -> None:
    xml = parse(render(example("support-copilot"), RenderOptions()))
    failure = only_result(case_of(xml, "ownership.retraining-owner"))
    assert failure.message == "to do; major; owner Tomás Ferreira (tomas); due 2026-12-19"


def test_unverified_evidence_is_explained_in_the_failure() -> None:
    result = example("fraud-scoring")
    unverified = [r for r in result.gaps if r.unverified]
    assert unverified
    xml = parse(render(result, RenderOptions()))
    for gap in unverified:
        failure = only_result(case_of(xml, gap.item.id))
        assert failure.message.startswith("done but unverified; ")
        assert "Unverified because:\n" + "\n".join(f"  - {r}" for r in gap.unverified_reasons) in failure.text


def test_skipped_items_carry_the_reason_or_the_waiver() -> None:
    result = example("support-copilot")
    xml = parse(render(result, RenderOptions()))
    na = [r for r in result.items if r.outcome is Outcome.NA]
    waived = [r for r in result.items if r.outcome is Outcome.WAIVED]
    assert na and waived
    for item in na:
        skipped = only_result(case_of(xml, item.item.id))
        assert isinstance(skipped, Skipped)
        assert item.answer is not None
        assert skipped.message == "n/a: " + " ".join(item.answer.reason.split())
    for item in waived:
        skipped = only_result(case_of(xml, item.item.id))
        assert isinstance(skipped, Skipped)
        assert item.waiver is not None
        assert f"({item.waiver.approved_by}) until {item.waiver.expires}: " in skipped.message
        assert skipped.message.endswith(" ".join(item.waiver.reason.split()))
        assert skipped.text.startswith(skipped.message)


def test_met_items_pass() -> None:
    result = example("fraud-scoring")
    xml = parse(render(result, RenderOptions()))
    met = [r for r in result.items if r.outcome is Outcome.MET]
    assert met
    assert all(case_of(xml, r.item.id).is_passed for r in met)


def test_test_cases_point_at_the_answer_in_the_assessment() -> None:
    result = example("support-copilot")
    # junitparser has no accessor for `file` and `line`, which GitLab and Jenkins read; ElementTree has.
    cases = {
        case.get("name", "").split(":")[0]: case
        for case in ET.fromstring(render(result, RenderOptions())).iter("testcase")
    }
    lines = (REPO / "examples" / "support-copilot" / "readiness.yaml").read_text(encoding="utf-8").splitlines()
    answered = unanswered = 0
    for item in (r for r in result.items if r.outcome in IN_THE_REPORT):
        case = cases[item.item.id]
        assert case.get("file") == "examples/support-copilot/readiness.yaml"
        line = case.get("line")
        if item.answer is None:
            assert line is None
            unanswered += 1
        else:
            assert line is not None
            assert lines[int(line) - 1].strip().startswith(f"{item.item.id}:")
            answered += 1
    assert answered and unanswered


HOSTILE = "Fix ]]></failure><x> & \"quoted\" 'single' <b>bold</b> 🚀 שלום עולם ‮evil‬"
HOSTILE_TITLE = 'Runbook ]]> & <x> "q" 🚀 مرحبا'


def test_hostile_user_text_is_escaped_and_reads_back_equal(project: Callable[..., Project]) -> None:
    pack = OPS_PACK.replace("title: Ops", f"title: {json.dumps('Ops & <Co> ]]>', ensure_ascii=False)}").replace(
        "title: Runbook", f"title: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}"
    )
    note = json.dumps(HOSTILE + "\nsecond line", ensure_ascii=False)
    reason = json.dumps(HOSTILE + "\n  second line", ensure_ascii=False)
    body = f"""\
team: {{ann: {{name: {json.dumps("Ann <&> O'Neil")}}}}}
raci:
  on-call: {{R: [ann], A: ann}}
  switch-off: {{R: [ann], A: ann}}
answers:
  ops.runbook: {{status: todo, owner: ann, due: 2026-12-01, note: {note}}}
  ops.kill-switch: {{status: na, reason: {reason}}}
"""
    made = project(body, pack=pack)
    text = render(result_of(made.file), RenderOptions())
    xml = parse(text)
    assert [s.name for s in suites(xml)] == ["Ops & <Co> ]]>"]
    runbook = case_of(xml, "ops.runbook")
    assert runbook.name == f"ops.runbook: {HOSTILE_TITLE}"
    failure = only_result(runbook)
    assert failure.message == "to do; blocker; owner Ann <&> O'Neil (ann); due 2026-12-01"
    assert failure.text.endswith(f"Note: {HOSTILE}\nsecond line")
    # A message is one line, whatever line breaks the reason has.
    skipped = only_result(case_of(xml, "ops.kill-switch"))
    assert skipped.message == f"n/a: {HOSTILE} second line"
    assert "<x>" not in text and "]]></failure>" not in text


def test_characters_xml_cannot_carry_are_dropped(project: Callable[..., Project]) -> None:
    made = project("answers:\n  ops.runbook: {status: todo, note: plain}\n")
    result = result_of(made.file)
    items = tuple(
        dataclasses.replace(r, answer=dataclasses.replace(r.answer, note="a\x00b\x1bc\ufffed\ud800e\tf"))
        if r.item.id == "ops.runbook" and r.answer is not None
        else r
        for r in result.items
    )
    text = render(dataclasses.replace(result, items=items), RenderOptions())
    failure = only_result(case_of(parse(text), "ops.runbook"))
    assert failure.text.endswith("Note: abcde\tf")


def test_a_gap_past_its_due_date_says_overdue(project: Callable[..., Project]) -> None:
    made = project("answers:\n  ops.runbook: {status: partial, due: 2026-11-20}\n")
    failure = only_result(case_of(parse(render(result_of(made.file), RenderOptions())), "ops.runbook"))
    assert failure.message == "partly done; blocker; no owner; due 2026-11-20 (overdue)"


def test_suites_carry_the_verdict_and_scores_as_properties() -> None:
    result = example("support-copilot")
    xml = parse(render(result, RenderOptions()))
    ownership = suites(xml)[0]
    properties = {p.name: p.value for p in ownership.properties()}
    assert properties == {
        "project": "Support Copilot",
        "verdict": "not-ready",
        "score": "75.9",
        "target": "production",
        "stage_reached": "prototype",
        "category_score": "81.3",
    }


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_output_is_byte_identical_on_two_runs(name: str) -> None:
    first = render(example(name), RenderOptions())
    second = render(example(name), RenderOptions())
    assert first.encode("utf-8") == second.encode("utf-8")
    assert first.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="readiness" tests=')
    assert first.endswith("</testsuites>\n")
