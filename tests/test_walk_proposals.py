"""A scan's proposals in `readiness assess`: offered first, shown as a claim nobody has made yet, confirmed with one
key into exactly the answer a person would have given, answered otherwise, skipped or undone; driven in a real
pseudo-terminal, as a tech lead meets them after `readiness scan --write`."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pexpect
import pytest

from readiness.core.model import Outcome
from readiness.score.engine import evaluate
from readiness.score.scoring import Options, format_score
from tests.conftest import TODAY
from tests.test_interactive import ASSESSMENT, PACK, _answers, _project
from tests.test_walk_screens import SCREENS, _Screen
from tests.walkpty import KEY_LINE, assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

# What `readiness scan --write` leaves: two proposals, for items that come late in the pack's order, among the
# team's own answers and comments. The reason holds rich markup, which must be shown as written.
DASHBOARDS = """\
  ops.dashboards:
    status: proposed   # not ours until someone says so
    proposal:
      status: done
      by: scan
      reason: "grafana/claims.json is a dashboard [bold]with 4 panels[/bold]"
    evidence:
      - grafana/claims.json
"""
PROPOSED = (
    ASSESSMENT
    + "answers:\n"
    + "  # Proposed by the scan.\n"
    + DASHBOARDS
    + "  ops.data-map: {status: proposed, proposal: {status: todo, by: scan, reason: no data map found}}\n"
    + "# The end.\n"
)
# The same answer given by hand: the status, the evidence, the comment; no trace of the proposal.
DASHBOARDS_DONE = """\
  ops.dashboards:
    status: done       # not ours until someone says so
    evidence:
      - grafana/claims.json
"""


def _proposed(tmp_path: Path, text: str = PROPOSED) -> Path:
    file = _project(tmp_path, text)
    (file.parent / "grafana").mkdir()
    (file.parent / "grafana" / "claims.json").write_text("{}\n", encoding="utf-8")
    return file


def _score(file: Path) -> str:
    return format_score(evaluate(file, Options(today=date.fromisoformat(TODAY))).result.score)


def _first_screen(child: pexpect.spawn) -> None:
    child.expect_exact("Answers a scan proposed, to confirm first: 2 (c confirms one, s leaves it proposed).")
    child.expect_exact("item 1 of 4 · Operations 1 of 4")
    child.expect_exact("Dashboards  ops.dashboards")
    child.expect_exact("Now: proposed (not confirmed): done, by scan · evidence grafana/claims.json")
    child.expect_exact("A claim nobody has made yet: it counts as no answer until someone confirms it.")
    child.expect_exact("Reason given by scan: grafana/claims.json is a dashboard [bold]with 4 panels[/bold]")
    child.expect_exact("Evidence listed: grafana/claims.json")
    child.expect_exact("c confirms it as done · d p t n answer otherwise · s leaves it proposed")
    child.expect(KEY_LINE)


def test_proposals_come_first_and_c_writes_exactly_the_answer_given_by_hand(tmp_path: Path) -> None:
    file = _proposed(tmp_path / "confirmed")
    by_hand = _proposed(tmp_path / "by-hand")
    unanswered = _proposed(tmp_path / "unanswered", ASSESSMENT)
    child = assess(file)
    _first_screen(child)
    child.send("c")
    child.expect_exact("saved: done · evidence grafana/claims.json")
    assert file.read_text(encoding="utf-8") == PROPOSED.replace(DASHBOARDS, DASHBOARDS_DONE)
    # the other proposal next, then the open items in the pack's order
    child.expect_exact("item 2 of 4")
    child.expect_exact("Data map  ops.data-map")
    child.expect_exact("c confirms it as todo")
    child.send("s")
    child.expect_exact("item 3 of 4")
    child.expect_exact("Runbook for the feature")
    child.send("q")
    child.expect(r"Before: not ready, score (\S+)\r\nAfter: +not ready, score (\S+)\r\n")
    assert isinstance(child.match, re.Match)
    before, after = child.match.groups()
    child.expect_exact("ops.dashboards: proposed (not confirmed) → done")
    child.expect_exact("Proposals: 1 confirmed · 0 answered otherwise · 1 still not confirmed")
    assert ended(child) == 0
    # a proposal scored as no answer; confirmed, it counts as the team's answer
    assert before == _score(unanswered) and after == _score(file) and after != before

    # the same item answered with d, keeping the evidence and an empty note, writes the same bytes
    child = assess(by_hand)
    _first_screen(child)
    child.send("d")
    child.expect_exact("Now: grafana/claims.json")
    child.expect_exact("evidence:")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved: done · evidence grafana/claims.json")
    child.send("q")
    assert ended(child) == 0
    assert by_hand.read_bytes() == file.read_bytes()


def test_another_answer_removes_the_proposal_and_undo_puts_it_back(tmp_path: Path) -> None:
    file = _proposed(tmp_path)
    original = file.read_bytes()
    child = assess(file)
    _first_screen(child)
    child.send("t")
    child.expect_exact("Note")
    child.sendline("No dashboard yet: that file is a stub")
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("saved: todo · evidence grafana/claims.json · note: No dashboard yet: that file is a stub")
    answer = _answers(file)["ops.dashboards"]
    assert answer == {
        "status": "todo",
        "evidence": ["grafana/claims.json"],
        "note": "No dashboard yet: that file is a stub",
    }
    assert "# not ours until someone says so" in file.read_text(encoding="utf-8")
    child.expect_exact("Data map  ops.data-map")
    child.expect(KEY_LINE)
    child.send("u")
    child.expect_exact("Undo the answer to ops.dashboards?")
    child.sendline("")
    child.expect_exact("undone:")
    assert file.read_bytes() == original
    child.expect_exact("Now: proposed (not confirmed): todo, by scan")  # the screen as the file now has it
    child.expect(KEY_LINE)
    child.send("b")
    child.expect_exact("Now: proposed (not confirmed): done, by scan")
    child.expect_exact("c confirms it as done")
    child.send("c")
    child.expect_exact("saved: done")
    child.send("u")
    child.expect_exact("Undo the answer to ops.dashboards?")
    child.sendline("")
    child.expect_exact("undone:")
    assert file.read_bytes() == original
    child.send("q")
    child.expect_exact("Nothing changed in this session.")
    child.expect_exact("Proposals: 0 confirmed · 0 answered otherwise · 2 still not confirmed")
    assert ended(child) == 0


def test_a_skip_leaves_the_proposal_and_the_overview_search_and_go_to_find_it(tmp_path: Path) -> None:
    file = _proposed(tmp_path)
    original = file.read_bytes()
    child = assess(file, columns=120)
    _first_screen(child)
    child.send("s")
    child.expect_exact("Data map  ops.data-map")
    child.expect(KEY_LINE)
    child.send("s")
    child.expect_exact("Runbook for the feature")
    child.expect(KEY_LINE)
    assert file.read_bytes() == original
    child.send("c")  # no proposal here: c is no key of this item
    child.expect_exact("keys: d p t n s b e u l g / q ?")
    child.send("l")
    child.expect_exact("2 proposed (not confirmed) · 2 unanswered")
    child.expect_exact("Left to do: 4 items")
    child.expect(r"3 proposed +minor +prototype +ops\.dashboards")
    child.expect(r"4 proposed +major +prototype +ops\.data-map")
    child.expect_exact("Enter: back")
    child.sendline("proposed")
    child.expect_exact("overview · 4 items · proposed: 2")
    child.expect_exact("Enter: back")
    child.sendline("4")
    child.expect_exact("Data map  ops.data-map")
    child.expect_exact("c confirms it as todo")
    child.expect(KEY_LINE)
    child.send("/")
    child.expect_exact("Find")
    child.sendline("dashboard")
    child.expect_exact("overview · 4 items · /dashboard: 1")
    child.expect_exact("Enter: back")
    child.sendline("3")
    child.expect_exact("c confirms it as done")
    child.expect(KEY_LINE)
    child.send("g")
    child.expect_exact("Go to")
    child.sendline("data-map")
    child.expect_exact("c confirms it as todo")
    child.send("c")
    child.expect_exact("saved: todo")
    child.send("q")
    child.expect_exact("Proposals: 1 confirmed · 0 answered otherwise · 1 still not confirmed")
    assert ended(child) == 0
    assert _answers(file)["ops.data-map"] == {"status": "todo"}
    assert _answers(file)["ops.dashboards"]["status"] == "proposed"


def test_a_resumed_walk_offers_the_proposals_before_where_it_stopped(tmp_path: Path) -> None:
    file = _proposed(tmp_path)
    child = assess(file, "--from", "ops.runbook")
    child.expect_exact("Runbook for the feature  ops.runbook")  # --from starts where it is told
    child.expect(KEY_LINE)
    child.send("q")
    assert ended(child) == 0
    child = assess(file)
    child.expect_exact("Dashboards  ops.dashboards")
    child.expect_exact("The scan's proposals come first; the last sitting stopped at ops.runbook")
    child.expect(KEY_LINE)
    child.send("q")
    assert ended(child) == 0
    child = assess(file, "--item", "ops.data-map")  # one item, its proposal confirmed
    child.expect_exact("item 1 of 1")
    child.expect_exact("c confirms it as todo")
    child.send("c")
    child.expect_exact("saved: todo")
    child.expect_exact("That was the last item of this walk.")
    assert ended(child) == 0
    child = assess(file, "--category", "ops")
    child.expect_exact("to confirm first: 1 ")
    child.expect_exact("Dashboards  ops.dashboards")
    child.send("q")
    assert ended(child) == 0


def test_an_n_a_proposal_takes_a_reason(tmp_path: Path) -> None:
    text = PROPOSED.replace(DASHBOARDS, DASHBOARDS.replace("status: done", "status: na"))
    file = _proposed(tmp_path, text)
    child = assess(file)
    child.expect_exact("c confirms it as na")
    child.send("c")
    child.expect_exact("Why does it not apply? (required) [grafana/claims.json is a dashboard")
    child.sendline("Only used in the staging account")
    child.expect_exact("saved: na · evidence grafana/claims.json · reason: Only used in the staging account")
    child.send("q")
    assert ended(child) == 0
    answers = _answers(file)
    assert answers["ops.dashboards"]["status"] == "na" and "proposal" not in answers["ops.dashboards"]


def test_an_n_a_proposal_where_the_pack_forbids_n_a_is_refused_at_its_line(tmp_path: Path) -> None:
    """Nobody could confirm it: the file is refused before the walk starts, as `validate` refuses it."""
    text = PROPOSED.replace("{status: todo, by: scan, reason: no data map found}", "{status: na, by: scan, reason: x}")
    file = _proposed(tmp_path, text)
    child = assess(file)
    child.expect(pexpect.EOF)
    printed = str(child.before)
    child.close()
    assert child.exitstatus == 2
    assert "item 'ops.data-map' cannot be marked na: it applies to every project, so nobody could confirm it" in printed
    assert _answers(file)["ops.data-map"]["status"] == "proposed"


# An escape sequence (clear the screen, retitle the window), a C1 CSI, a line break that would forge a line of
# the walk, markup: what a pull request can put in a proposal's reason.
HOSTILE_REASONS = {
    "escape": r'"\e[2J\e]0;owned\a all clear"',
    "c1": r'"\u009b31m red"',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_REASONS))
def test_a_reason_with_control_characters_is_refused_at_its_line_and_never_printed(tmp_path: Path, kind: str) -> None:
    reason = HOSTILE_REASONS[kind]
    text = PROPOSED.replace('"grafana/claims.json is a dashboard [bold]with 4 panels[/bold]"', reason)
    file = _proposed(tmp_path, text)
    child = assess(file)
    child.expect(pexpect.EOF)
    printed = str(child.before)
    child.close()
    assert child.exitstatus == 2
    line = text.splitlines().index(f"      reason: {reason}") + 1
    assert re.search(rf"readiness\.yaml:{line}:\d+: error: ", printed), printed
    assert not any(char in printed for char in ("\x1b[2J", "\x1b]0;", "\x07", "\x9b")), repr(printed)


def test_a_reason_on_several_lines_is_shown_on_one_without_forging_a_line(tmp_path: Path) -> None:
    block = "      reason: |\n        looked fine\n        Now: done · verified\n"
    text = PROPOSED.replace('      reason: "grafana/claims.json is a dashboard [bold]with 4 panels[/bold]"\n', block)
    file = _proposed(tmp_path, text)
    child = assess(file)
    child.expect_exact(r"Reason given by scan: looked fine\nNow: done · verified\n")
    child.expect(KEY_LINE)
    assert not re.search(r"(?m)^Now: done", str(child.before))
    child.send("q")
    assert ended(child) == 0


def test_a_proposal_screen_at_80x24_keeps_the_proposal_and_the_keys_in_sight(tmp_path: Path) -> None:
    file = _proposed(tmp_path)
    child = assess(file, rows=24, columns=80)
    screen = _Screen(24, 80)
    child.logfile_read = screen
    child.expect(KEY_LINE)
    lines = screen.terminal.screen()
    SCREENS.mkdir(exist_ok=True)
    (SCREENS / "proposal-80x24.txt").write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    shown = [line for line in lines if line]
    assert "item 1 of 4" in shown[0] and shown[1].startswith("Dashboards  ops.dashboards")
    for words in ("Now: proposed (not confirmed)", "Reason given by scan", "Evidence listed", "c confirms it"):
        assert any(words in line for line in shown), words
    assert shown[-1].startswith("[d]one") and all(len(line) <= 80 for line in lines)
    child.send("q")
    assert ended(child) == 0


def test_a_proposal_is_offered_first_even_where_a_check_already_verifies_its_item(tmp_path: Path) -> None:
    proposal = "{status: proposed, evidence: [docs/runbook.md], proposal: {status: done, by: scan, reason: found it}}"
    file = _project(
        tmp_path, ASSESSMENT + f"answers:\n  ops.kill-switch: {{status: todo}}\n  ops.runbook: {proposal}\n"
    )
    (file.parent / "ops.yaml").write_text(
        PACK.replace("activity: on-call}", "activity: on-call, auto: {raci: [on-call]}}"), encoding="utf-8"
    )
    scored = evaluate(file, Options(today=date.fromisoformat(TODAY))).result
    assert next(r for r in scored.items if r.item.id == "ops.runbook").outcome is Outcome.MET  # the RACI check holds
    child = assess(file)
    child.expect_exact("to confirm first: 1 ")
    child.expect_exact("item 1 of 4")
    child.expect_exact("Runbook for the feature  ops.runbook")
    child.expect_exact("c confirms it as done")
    child.expect(KEY_LINE)
    child.send("l")
    child.expect(r"1 proposed \(not confirmed\) · 1 todo · 2 unanswered\r\n")  # not 'verified': nobody confirmed it
    child.expect_exact("Enter: back")
    child.sendline("")
    child.expect(KEY_LINE)
    child.send("e")  # the status edited by hand replaces the proposal too
    child.expect_exact("Edit which field?")
    child.send("s")
    child.expect_exact("New status")
    child.send("p")
    child.expect_exact("saved: partial · evidence docs/runbook.md")
    child.send("q")
    child.expect_exact("Proposals: 0 confirmed · 1 answered otherwise · 0 still not confirmed")
    assert ended(child) == 0
    assert _answers(file)["ops.runbook"] == {"status": "partial", "evidence": ["docs/runbook.md"]}


def test_c_on_a_todo_proposal_writes_what_t_with_every_default_taken_writes(tmp_path: Path) -> None:
    # The kill switch has an accountable person (bo), whom a new todo is offered as its owner: a proposal is not
    # new, so Enter keeps it without one, as c does.
    text = PROPOSED.replace("  ops.data-map: {status: proposed,", "  ops.kill-switch: {status: proposed,")
    confirmed, by_hand = _proposed(tmp_path / "c", text), _proposed(tmp_path / "t", text)
    child = assess(confirmed, "--item", "kill-switch")
    child.expect_exact("c confirms it as todo")
    child.send("c")
    child.expect_exact("saved: todo")
    assert ended(child) == 0
    flow = "  ops.kill-switch: {status: proposed, proposal: {status: todo, by: scan, reason: no data map found}}\n"
    assert confirmed.read_text(encoding="utf-8") == text.replace(flow, "  ops.kill-switch: {status: todo}\n")
    child = assess(by_hand, "--item", "kill-switch")
    child.expect_exact("c confirms it as todo")
    child.send("t")
    for prompt in ("Note", "Owner (ana, bo; - for none)", "Due date"):
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact("saved: todo")
    assert ended(child) == 0
    assert by_hand.read_bytes() == confirmed.read_bytes()
