"""The runbook probe on real Markdown runbooks (tests/artifacts/runbook/), and on the odd and hostile Markdown a pull
request could put in their place."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import runbook
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import at, expected, placed_within, read

TARGETS, FILES = expected("runbook")
EXPECT = {"required": TARGETS["required"]}
SECTIONS = set(TARGETS["required"])


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return runbook.probe(Artifact("runbooks/x.md", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_runbook_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = runbook.probe(read("runbook", name), EXPECT)
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings), report
        return
    failing = set(entry.get("fails", []))
    for fact, (line, column) in entry.get("where", {}).items():
        found = at(report, line, column)
        if fact in SECTIONS:  # the section's heading, or where it should have been
            assert any(f.holds is (fact not in failing) for f in found), (fact, found)
        else:  # a placeholder, or a code block that swallowed a heading: said where it is, never as a pass
            assert all(f.holds is not True for f in found), (fact, found)


def test_every_section_is_judged_once_and_named_by_its_heading() -> None:
    report = runbook.probe(read("runbook", "pass-setext-headings.md"), EXPECT)
    assert [(f.line, f.holds) for f in report.findings] == [(6, True), (14, True), (20, True)]
    assert "'Symptoms'" in report.findings[0].message


def test_a_placeholder_is_shown_where_it_stands() -> None:
    report = runbook.probe(read("runbook", "fail-tbd-only.md"), EXPECT)
    assert any(f.line == 10 and "'TBD'" in f.message for f in report.findings)
    assert any(f.line == 14 and "TODO: add the privacy officer" in f.message for f in report.findings)


def test_files_of_other_kinds_earn_nothing() -> None:
    for kind, name in [
        ("model-card", "pass-complete-card.md"),
        ("golden-set", "pass-golden.csv"),
        ("codeowners", "pass-github-teams.CODEOWNERS"),
        ("k6-summary", "pass-export-with-thresholds.json"),
    ]:
        assert runbook.probe(read(kind, name), EXPECT).outcome is Outcome.NOTHING, name


def test_only_the_required_sections_are_judged() -> None:
    report = runbook.probe(read("runbook", "fail-no-detection-section.md"), {"required": ["mitigation", "escalation"]})
    assert report.outcome is Outcome.HOLDS
    assert runbook.probe(read("runbook", "fail-tbd-only.md"), {"required": ["detection"]}).outcome is Outcome.HOLDS


def test_one_sentence_beside_a_placeholder_is_text() -> None:
    text = (
        "## Detection\n\nTBD\n\nThe p95 alert fires.\n\n"
        "## Mitigation\n\nRoll back.\n\n## Escalation\n\nPage the lead.\n"
    )
    assert run(text).outcome is Outcome.HOLDS
    alone = text.replace("Page the lead.", "TODO - find out who")
    assert run(alone).outcome is Outcome.FAILS


def test_a_title_that_names_a_section_does_not_stand_for_it() -> None:
    # '# Escalation policy runbook' holds the whole document, but the Escalation section under it is empty.
    text = (
        "# Escalation policy runbook\n\nIntro.\n\n"
        "## Alerts\n\nIt fires.\n\n## Mitigation\n\nRoll back.\n\n## Escalation\n"
    )
    report = run(text)
    assert report.outcome is Outcome.FAILS
    assert at(report, 13)[0].holds is False


def test_a_subsection_is_part_of_its_section_but_another_required_section_is_not() -> None:
    nested = (
        "## Detection\n\nIt fires.\n\n## Mitigation\n\n### Rollback\n\n`kubectl rollout undo`\n\n"
        "## Escalation\n\nPage.\n"
    )
    assert run(nested).outcome is Outcome.HOLDS
    inside = "## Detection\n\nIt fires.\n\n## Mitigation\n\n### Escalation\n\nPage the lead.\n"
    report = run(inside)
    assert at(report, 5)[0].holds is False  # Mitigation's only text belongs to Escalation
    assert at(report, 7)[0].holds is True


def test_toml_front_matter_is_set_aside_too() -> None:
    text = '+++\ntitle = "Escalation backlog"\n+++\n\n## Symptoms\n\nQueue grows.\n\n## Mitigation\n\nAdd agents.\n'
    report = run(text)
    assert [(f.line, f.holds) for f in report.findings] == [(5, True), (9, True), (1, False)]


def test_windows_line_ends_keep_the_lines() -> None:
    text = read("runbook", "pass-good-runbook.md").text.replace("\n", "\r\n")
    report = run(text)
    assert report.outcome is Outcome.HOLDS
    assert [f.line for f in report.findings] == [7, 12, 33]


def test_a_byte_that_is_not_utf8_is_placed() -> None:
    report = run("## Detection\n\nJos\udce9 sees it.\n")
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings] == [(3, 4)]
    assert "0xe9" in report.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "## Detection\x1b[31m\n\nIt fires.\x07\n\n## Mitigation\x1b]0;pwned\x07\n\nTBD\n\n## Escalation\n\n\x00\n",
        "> " * 20_000 + "## Detection\n",
        "- " * 20_000 + "## Mitigation\n",
        "## Detection\n\n" + "*a_" * 80_000,
        "## Detection\n\n" + "[" * 200_000,
        "##Detection\n" * 20_000,
        "## Detection\n" * 20_000,
        "# D\n## Detection\n### Mitigation\n#### Escalation\n##### x\n*TBD*\n\n" * 3_000,
        "```\n## Escalation\n" * 12_000,
        "## Detection\n\n" + "a" * 1_000_000,
        "\ufeff\u202e## Detection\n\n\u2028TBD\n",
    ],
    ids=[
        "control-characters",
        "deep-quotes",
        "deep-lists",
        "emphasis-soup",
        "brackets",
        "no-space-headings",
        "many-headings",
        "nested-sections",
        "fences",
        "one-megabyte-line",
        "invisible-characters",
    ],
)
def test_a_hostile_runbook_gives_a_finding_or_nothing(text: str) -> None:
    report = run(text)
    assert report.outcome in (Outcome.FAILS, Outcome.NOTHING)
    assert report.findings
    placed_within(report, text)
