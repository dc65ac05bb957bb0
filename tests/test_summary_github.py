"""`check -f markdown` (the pull-request summary) and `check -f github` (workflow commands for annotations)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from readiness.core.model import Result, Stage
from readiness.render import github, summary
from readiness.render.formats import RenderOptions
from readiness.render.headline import headline
from readiness.rollup.compare import Comparison, compare, signed, snapshot
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import OPS_PACK, REPO, Project

EXAMPLES = sorted((REPO / "examples").glob("*/readiness.yaml"))
NAMES = [path.parent.name for path in EXAMPLES]
OPTIONS = Options(today=date(2026, 11, 21), strict=False, target=None, policy={})
HEADINGS = {
    "fraud-scoring": "### ❌ Not ready for production · score 91.8 · stage reached: pilot",
    "ops-agent": "### ❌ Not ready for pilot · score 43.4 · stage reached: none",
    "support-copilot": "### ❌ Not ready for production · score 75.9 · stage reached: prototype",
}
WARNINGS = {"fraud-scoring": 1, "ops-agent": 1, "support-copilot": 0}  # their minor gaps
# Fixed: a gap closed. Regressed: a met item reopened. Lapsed: its waiver expired, so it is a gap again, and it
# comes before the regressed item in the checklists.
FIXED, REGRESSED, LAPSED = "data.upstream-changes", "evaluation.groundedness", "cost.load-test"
HOSTILE_NAME = "Eve | <script>alert(1)</script> *boss*"
# A title and a why with everything GitHub's command syntax treats specially.
HOSTILE_TITLE = "Kill switch: 100%, no deploy"
HOSTILE_PACK = OPS_PACK.replace("title: Kill switch,", f'title: "{HOSTILE_TITLE}",').replace(
    "why: w, verify: v, severity: major, stage: prototype,\n     effort: low, activity: switch-off",
    'why: "Stops it::now,\\r\\nfast: %0A is not a newline", verify: v, severity: major, stage: prototype,\n'
    "     effort: low, activity: switch-off",
)
TINY_PACK = """\
id: tiny
title: Tiny
items:
  - {id: docs, title: Docs, question: Docs?, why: w, verify: v, severity: blocker, stage: prototype, effort: low}
  - {id: alarm, title: Alarm, question: Alarm?, why: w, verify: v, severity: major, stage: prototype, effort: low}
"""
HOSTILE_BODY = f"""\
team:
  eve: {{name: "{HOSTILE_NAME}"}}
answers:
  ops.kill-switch: {{status: todo, owner: eve, due: 2027-01-01, note: "a | b <script>x</script> *c*"}}
  ops.runbook: {{status: partial, owner: eve}}
"""


def result_of(path: Path) -> Result:
    return evaluate(path, OPTIONS).result


def markdown(result: Result, baseline: Comparison | None = None) -> str:
    return summary.render(result, RenderOptions(baseline=baseline))


def commands(result: Result) -> list[str]:
    return github.render(result, RenderOptions()).splitlines()


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """support-copilot with one gap closed (evidence that exists), one met item reopened, one waiver expired."""
    folder = tmp_path / "support-copilot"
    shutil.copytree(REPO / "examples" / "support-copilot", folder)
    path = folder / "readiness.yaml"
    text = path.read_text(encoding="utf-8")
    fixed = text.replace(
        f"  {FIXED}:\n    status: todo\n",
        f"  {FIXED}:\n    status: done\n    evidence: [docs/dependencies.md]\n    reviewed: 2026-11-20\n",
    )
    reopened = fixed.replace(f"  {REGRESSED}:\n    status: done\n", f"  {REGRESSED}:\n    status: todo\n")
    lapsed = reopened.replace("    expires: 2027-02-15\n", "    expires: 2026-10-31\n")
    assert text != fixed != reopened != lapsed  # every edit took
    path.write_text(lapsed, encoding="utf-8")
    return path


def support_copilot() -> Result:
    return result_of(REPO / "examples" / "support-copilot" / "readiness.yaml")


def folded(text: str) -> tuple[list[str], list[str]]:
    """The lines outside <details>…</details> and the lines inside."""
    outside: list[str] = []
    inside: list[str] = []
    folding = False
    for line in text.splitlines():
        if line.startswith("<details>"):
            folding = True
        (inside if folding else outside).append(line)
        if line == "</details>":
            folding = False
    return outside, inside


def cells(row: str) -> list[str]:
    """A GitHub table row split on its unescaped pipes; a backslash escapes the character after it."""
    found, current, chars = [], "", iter(row.strip())
    for char in chars:
        if char == "\\":
            current += char + next(chars, "")
        elif char == "|":
            found.append(current)
            current = ""
        else:
            current += char
    found.append(current)
    return [cell.strip() for cell in found[1:-1]]


def tables(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    previous = False
    for line in text.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            blocks.append([])
        if is_row:
            blocks[-1].append(line)
        previous = is_row
    return blocks


# --- the Markdown summary --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_summary_opens_with_verdict_score_and_stage_then_the_reasons(path: Path) -> None:
    result = result_of(path)
    text = markdown(result)
    lines = text.splitlines()
    assert lines[0] == HEADINGS[path.parent.name]
    assert "**Not ready because:**" in lines
    reasons = [line[2:] for line in lines if line.startswith("- ")]
    assert reasons == list(result.reasons)  # the examples' reasons hold nothing that needs escaping
    rows = {cells(row)[0]: cells(row)[1] for row in tables(text)[0][2:]}
    assert rows["**Overall**"] == f"**{HEADINGS[path.parent.name].split('score ')[1].split(' ')[0]}**"
    assert set(rows) == {c.pack.title for c in result.categories} | {"**Overall**"}


def test_summary_marks_categories_below_the_minimum() -> None:
    text = markdown(result_of(REPO / "examples" / "ops-agent" / "readiness.yaml"))
    rows = {cells(row)[0]: cells(row)[1] for row in tables(text)[0][2:]}
    assert rows["Security"] == "**19.6**"  # below the category minimum 50
    assert rows["Observability"] == "50.0"  # exactly at it


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_summary_folds_every_open_item_in_remediation_order(path: Path) -> None:
    result = result_of(path)
    outside, inside = folded(markdown(result))
    assert inside[0] == f"<details><summary>{len(result.gaps)} open items</summary>"
    rows = [cells(row) for row in tables("\n".join(inside))[0]]
    assert rows[0] == ["#", "Severity", "Item", "Status", "Owner", "Due"]
    body = rows[2:]
    assert [row[2].rsplit("(", 1)[1].rstrip(")") for row in body] == [gap.item.id for gap in result.gaps]
    severities = [row[1].strip("*") for row in body]
    assert severities == sorted(severities, key=["blocker", "major", "minor"].index)  # blockers first
    # Compact: a pull-request comment, not the review report.
    assert len(outside) < 60
    assert outside[-1] == "<sub>readiness 0.1.0 · 2026-11-21</sub>"


def test_summary_shows_owner_names_and_marks_unanswered_items() -> None:
    result = result_of(REPO / "examples" / "ops-agent" / "readiness.yaml")
    _, inside = folded(markdown(result))
    rows = {row[2]: row for row in map(cells, tables("\n".join(inside))[0][2:])}
    assert rows["Budget and anomaly alerts to the spend owner (cost.budget-alerts)"][3:] == [
        "todo",
        "Kai Nakamura",
        "2026-12-19",
    ]
    assert rows["Written authority to roll back or disable (ownership.rollback-authority)"][3:] == [
        "unanswered",
        "unassigned",
        "—",
    ]


def test_summary_with_a_baseline_shows_the_change_the_fixed_item_and_the_regression(changed: Path) -> None:
    old, new = support_copilot(), result_of(changed)
    comparison = compare(snapshot(old, "main"), snapshot(new, "HEAD"))
    assert comparison.delta is not None and comparison.delta != 0
    text = markdown(new, comparison)
    heading = text.splitlines()[0]
    assert f"({signed(comparison.delta)} since main)" in heading
    assert signed(comparison.delta)[0] in "+-"

    lines = text.splitlines()
    fixed = lines[lines.index("Fixed (1):") + 2]
    assert fixed == "- Upstream data changes notified (data.upstream-changes) · major · met now"
    start = lines.index("**New gaps (2, 1 regression):**")
    # The regression is called out first, in bold, though it comes later in the checklists.
    assert lines[start + 2 : start + 4] == [
        f"- **Regression: Groundedness and confabulation measured ({REGRESSED}) · major** · met on main",
        f"- Load test at projected peak ({LAPSED}) · major · waived on main",
    ]

    header, _, *rows = (cells(row) for row in tables(text)[0])
    assert header == ["Category", "main", "Now", "Change"]
    by_category = {row[0]: row[1:] for row in rows}
    evaluation = next(c for c in comparison.categories if c.id == "evaluation")
    assert by_category["Evaluation"] == [str(evaluation.before), str(evaluation.after), signed(evaluation.delta)]
    assert evaluation.delta is not None and evaluation.delta < 0  # an item reopened there
    assert by_category["**Overall**"][2] == signed(comparison.delta)


def test_summary_against_an_unchanged_baseline_says_nothing_moved() -> None:
    result = support_copilot()
    text = markdown(result, compare(snapshot(result, "main"), snapshot(result, "HEAD")))
    assert "(±0.0 since main)" in text.splitlines()[0]
    assert "No item became a gap or stopped being one since main." in text
    assert "Fixed" not in text and "New gaps" not in text


def test_summary_lists_at_most_ten_changes_of_a_kind() -> None:
    path = REPO / "examples" / "ops-agent" / "readiness.yaml"
    at_prototype = evaluate(path, Options(today=date(2026, 11, 21), target=Stage.PROTOTYPE)).result
    at_pilot = result_of(path)
    comparison = compare(snapshot(at_prototype, "main"), snapshot(at_pilot, "HEAD"))
    assert len(comparison.new_gaps) > 10
    outside, _ = folded(markdown(at_pilot, comparison))
    start = next(i for i, line in enumerate(outside) if line.startswith("New gaps"))
    listed = outside[start + 2 : outside.index("", start + 2)]
    assert len(listed) == 11
    assert listed[-1] == f"- and {len(comparison.new_gaps) - 10} more"
    assert all(line.endswith("next stage on main") for line in listed[:-1])
    assert len(outside) < 60


@pytest.mark.parametrize(
    ("answer", "heading", "said"),
    [
        (
            "{status: done}",
            "### ✅ Ready for prototype · score 100.0 · stage reached: prototype",
            "Every condition holds.",
        ),
        (
            "{status: todo}\nwaivers:\n  - {item: tiny.alarm, reason: Pilot, approved_by: ana, expires: 2027-01-31}",
            "### ⚠️ Ready with waivers for prototype · score 100.0 · stage reached: prototype",
            "Every condition holds, with accepted risk under a waiver for: tiny.alarm.",
        ),
    ],
    ids=["ready", "ready-with-waivers"],
)
def test_summary_of_a_ready_assessment_has_no_open_items_and_github_only_the_notice(
    project: Callable[..., Project], answer: str, heading: str, said: str
) -> None:
    body = f"team:\n  ana: {{name: Ana}}\nanswers:\n  tiny.docs: {{status: done}}\n  tiny.alarm: {answer}\n"
    result = result_of(project(body, pack=TINY_PACK).file)
    lines = markdown(result).splitlines()
    assert lines[0] == heading
    assert said in lines
    assert "No open items." in lines and "<details>" not in "\n".join(lines)
    assert commands(result) == [f"::notice::{headline(result)}"]


def test_summary_escapes_hostile_text_and_keeps_every_table_row_whole(project: Callable[..., Project]) -> None:
    result = result_of(project(HOSTILE_BODY, pack=HOSTILE_PACK).file)
    text = markdown(result)
    assert "<script>" not in text
    assert "Eve \\| &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*boss\\*" in text
    for table in tables(text):
        widths = {len(cells(row)) for row in table}
        assert len(widths) == 1, table
    _, inside = folded(text)
    owners = [row[4] for row in map(cells, tables("\n".join(inside))[0][2:])]
    assert owners.count("Eve \\| &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*boss\\*") == 2


# --- GitHub workflow commands ----------------------------------------------------------------------------

_DECODE = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def decode(value: str, keys: tuple[str, ...]) -> str:
    """What GitHub's runner gives back: its escapes undone in one pass, so `%250A` stays `%0A`."""
    return re.sub("|".join(keys), lambda found: _DECODE[found.group(0)], value)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line: its name, decoded properties and decoded message."""
    found = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert found is not None, line
    name, shown, message = found.groups()
    properties = dict(part.split("=", 1) for part in shown.split(",")) if shown else {}
    decoded = {key: decode(value, tuple(_DECODE)) for key, value in properties.items()}
    return name, decoded, decode(message, ("%25", "%0D", "%0A"))


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_github_annotates_each_gap_at_its_answer_by_severity(path: Path) -> None:
    result = result_of(path)
    lines = [line for line in commands(result) if line.startswith("::") and not line.startswith("::notice")]
    gap_lines = [line for line in lines if " (" not in parse(line)[1].get("title", "")]
    probed = [line for line in lines if line not in gap_lines]
    # After the gaps of a severity, each failing probe finding is annotated on its artifact's own line.
    for line in probed:
        _, properties, message = parse(line)
        artifact = Path(properties["file"])
        assert artifact.is_file() and artifact.name != "readiness.yaml"
        assert int(properties["line"]) <= len(artifact.read_text(encoding="utf-8").splitlines())
        assert "probe found:" in message
    yaml_lines = path.read_text(encoding="utf-8").splitlines()
    annotated = {parse(line)[1]["title"] for line in gap_lines}
    gaps = [gap for gap in result.gaps if f"readiness: {gap.item.id}" in annotated]
    for line, gap in zip(gap_lines, gaps, strict=True):
        name, properties, message = parse(line)
        assert name == ("warning" if gap.severity.value == "minor" else "error")
        assert properties["title"] == f"readiness: {gap.item.id}"
        assert Path(properties["file"]).resolve() == path.resolve()
        written = yaml_lines[int(properties["line"]) - 1]
        column = int(properties["col"])
        if gap.answer is None:
            assert (written, column) == ("answers:", 1)
        else:
            assert written[column - 1 :].startswith(f"{gap.item.id}:")
        assert message.startswith(f"{gap.item.title} — {gap.severity.value} gap")
    assert sum(line.startswith("::warning ") for line in lines) == WARNINGS[path.parent.name]


def test_github_shows_the_ten_most_important_errors_and_counts_the_rest(tmp_path: Path) -> None:
    """GitHub displays 10 error annotations a step and drops the others silently: a fresh file has 70 gaps."""
    path = tmp_path / "readiness.yaml"
    path.write_text("version: 1\nproject: {name: Fresh, profile: {llm: true}}\n", encoding="utf-8")
    result = result_of(path)
    lines = commands(result)
    errors = [parse(line) for line in lines if line.startswith("::error ")]
    left = [line for line in lines if line.startswith("readiness: not annotated: ")]
    blockers = [gap for gap in result.gaps if gap.severity.value == "blocker"]
    assert len(errors) == 10 and len(blockers) > 10
    # The ten shown are the first blockers of the remediation plan, not whatever came first.
    assert [properties["title"] for _, properties, _ in errors] == [f"readiness: {g.item.id}" for g in blockers[:10]]
    left_errors = [line for line in left if ": error: " in line]
    notice = parse(lines[len(errors) + sum(line.startswith("::warning ") for line in lines)])
    assert notice[0] == "notice"
    assert notice[2].startswith(f"{len(left_errors)} more errors")
    assert "GitHub shows 10 of each per step" in notice[2]
    # Every gap is either annotated or a line of the log, once.
    assert len(errors) + len(left_errors) == sum(gap.severity.value != "minor" for gap in result.gaps)
    assert not any(line.startswith("::") for line in left)
    summary_page = github.step_summary(result)
    rows = [row for row in summary_page.splitlines() if re.match(r"\| \d+ \|", row)]
    assert len(rows) == len(errors) + len(left) + sum(line.startswith("::warning ") for line in lines)
    assert f"{len(left)} left out" in summary_page
    assert sum("(left out)" in row for row in rows) == len(left)


def test_github_ends_with_the_verdict_headline() -> None:
    result = support_copilot()
    assert parse(commands(result)[-1]) == ("notice", {}, headline(result))


def test_github_escapes_commas_colons_percent_and_newlines_so_they_round_trip(
    project: Callable[..., Project],
) -> None:
    result = result_of(project(HOSTILE_BODY, pack=HOSTILE_PACK).file)
    output = github.render(result, RenderOptions())
    lines = output.splitlines()
    assert len(lines) == len(result.gaps) + 1  # every command stayed on its line
    assert "\r" not in output
    gap = next(g for g in result.gaps if g.item.id == "ops.kill-switch")
    line = next(line for line in lines if "ops.kill-switch" in line)
    assert "title=readiness%3A ops.kill-switch::" in line
    _, properties, message = parse(line)
    assert properties["title"] == "readiness: ops.kill-switch"
    assert message.splitlines()[0] == f"{HOSTILE_TITLE} — major gap, to do; owner {HOSTILE_NAME}, due 2027-01-01."
    assert f"Why: {gap.item.why}" in message
    assert "Stops it::now,\r\nfast: %0A is not a newline" in message


def test_github_points_a_file_path_with_a_comma_or_colon_at_the_right_file(tmp_path: Path) -> None:
    folder = tmp_path / "a,b:c"
    shutil.copytree(REPO / "examples" / "fraud-scoring", folder)
    result = result_of(folder / "readiness.yaml")
    line = commands(result)[0]
    assert "a%2Cb%3Ac" in line
    assert Path(parse(line)[1]["file"]).resolve() == (folder / "readiness.yaml").resolve()


# --- both ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=NAMES)
def test_summary_and_commands_are_byte_identical_on_a_second_run(path: Path, changed: Path) -> None:
    comparison = compare(snapshot(support_copilot(), "main"), snapshot(result_of(changed), "HEAD"))
    first, second = result_of(path), result_of(path)
    assert markdown(first) == markdown(second)
    assert markdown(first, comparison) == markdown(second, comparison)
    assert github.render(first, RenderOptions()) == github.render(second, RenderOptions())
    assert markdown(first).endswith("</sub>\n")
