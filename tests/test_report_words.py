"""One vocabulary for what stands between a project and its target, in the terminal, the pull-request summary,
the review report (HTML and Markdown) and the JSON result; no "passed" beside an open item; the worst-case
budget breach said as such; an evidence index of what was cited or probed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLE, TODAY, Project, Run

CliRunner = Callable[..., Run]
SAID = "3 blockers and 38 other items block production"


def _out(cli: CliRunner, *args: object) -> str:
    run = cli(*args, "--today", TODAY)
    assert run.code in (0, 1), run.err
    return run.out


def test_every_format_says_what_blocks_the_target_with_the_same_count(cli: CliRunner, tmp_path: Path) -> None:
    text = " ".join(_out(cli, "check", EXAMPLE).split())  # the terminal wraps at 80 columns
    summary = _out(cli, "check", EXAMPLE, "-f", "markdown")
    html = _out(cli, "report", EXAMPLE)
    markdown = _out(cli, "report", EXAMPLE, "-f", "markdown")
    full = _out(cli, "report", EXAMPLE, "--full")
    for name, said in [("text", text), ("summary", summary), ("html", html), ("markdown", markdown)]:
        assert SAID in said, name
    # "blocked by" named major items beside a count of blockers: gone from everything a person reads.
    # (The full report quotes the packs' own texts, which may say "blocked by a guardrail": only the brief here.)
    for name, said in [("text", text), ("summary", summary), ("html", html), ("markdown", markdown)]:
        assert "blocked by" not in said.lower() and "open gaps" not in said.lower(), name
    # The machine result counts the same: 3 blocker and 38 major open items, all of them before production.
    result = json.loads(_out(cli, "check", EXAMPLE, "-f", "json"))
    severities = [gap["severity"] for gap in result["gaps"]]
    assert (severities.count("blocker"), severities.count("major"), severities.count("minor")) == (3, 38, 0)
    # The plan in the full report opens with the same split, and lists that many items.
    plan = full.split('<section id="remediation">')[1].split("</section>")[0]
    assert f"41 open items: {SAID}." in plan and plan.count('<li class="card') == 41


def test_next_stage_items_are_named_with_the_same_words(cli: CliRunner) -> None:
    html = _out(cli, "report", EXAMPLE)
    ladder = html.split('class="ladder"')[1].split("</ol>")[0]
    assert "5 items block pilot, none of them a blocker" in ladder and SAID.capitalize() in ladder
    summary = html.split('<section id="summary">')[1].split("</section>")[0]
    assert "Next stage, <strong>pilot</strong>: 5 items block pilot, none of them a blocker" in summary


def test_no_open_item_shows_a_check_as_passed(cli: CliRunner) -> None:
    html = _out(cli, "report", EXAMPLE, "--full")
    plan = html.split('<section id="remediation">')[1].split("</section>")[0]
    cards = {card.split("<code>")[1].split("</code>")[0]: card for card in plan.split('<li class="card')[1:]}
    assert not [item for item, card in cards.items() if re.search(r"\bpassed\b", card)]
    # The RACI check finds the activity well formed; the item is open because the team says it is partly done.
    assert "the item stays open because the answer is “partly done”" in cards["ownership.incident-comms"]
    # The collector's redaction probe holds; the item is open for the same reason, and says so.
    assert (
        "Holds (1 file read); the item stays open because the answer is “partly done”"
        in cards["observability.content-capture-redacted"]
    )
    markdown = _out(cli, "report", EXAMPLE, "-f", "markdown", "--full")
    plan = markdown.split("## Remediation plan")[1].split("## Evidence index")[0]
    assert not re.search(r"\bpassed\b", plan)


def test_a_cost_check_met_while_the_worst_case_breaks_the_budget_says_so(cli: CliRunner) -> None:
    html = _out(cli, "report", EXAMPLE, "--full")
    appendix = html.split('<section id="appendix">')[1]
    row = appendix.split("<code>cost.forecast</code>")[1].split("</tr>")[0]
    assert "met as expected; worst case over budget" in row
    checks = html.split('id="cap-verified"')[1].split("</table>")[0]
    forecast = checks.split("cost.forecast")[1].split("</tr>")[0]
    assert "worst case over budget" in forecast and ">holds<" not in forecast
    markdown = _out(cli, "report", EXAMPLE, "-f", "markdown", "--full")
    assert "cost.forecast — met as expected; worst case over budget" in markdown


def test_the_evidence_index_lists_what_was_cited_or_probed_not_empty_patterns(
    cli: CliRunner, tmp_path: Path, project: Callable[..., Project]
) -> None:
    made = project(
        """\
        answers:
          ops.runbook: {status: done}
          ops.kill-switch: {status: done, evidence: [docs/switch.md, "docs/*.txt", "logs/*.log"]}
        """,
        files={"runbooks/restart.md": "# Restart\n", "docs/switch.md": "x\n", "logs/a.log": "x\n"},
    )
    html = _out(cli, "report", made.file, "--full", "--root", made.folder)
    index = html.split('<section id="evidence">')[1].split("</section>")[0]
    cited = index.split('id="cap-evidence"')[1].split("</table>")[0]
    assert "docs/switch.md" in cited and "logs/a.log" in cited
    assert "docs/*.txt" not in cited  # a pattern that matched nothing is no row
    assert 'no file: <span class="mono"><bdi>docs/*.txt</bdi></span> (<code>ops.kill-switch</code>).' in index
    markdown = _out(cli, "report", made.file, "-f", "markdown", "--full", "--root", made.folder)
    table = markdown.split("### Evidence cited")[1].split("\n\n")[1]
    assert "docs/switch.md" in table and "docs/\\*.txt" not in table
    assert "match no file: docs/\\*.txt (ops.kill-switch)." in markdown or "matches no file: docs/\\*.txt" in markdown
