"""Under `--all` the walk shows the file as it is: waivers, reviewed dates, the whole RACI row, what a glob found."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.test_interactive import ASSESSMENT, _project
from tests.walkpty import assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ANSWERED = ASSESSMENT.replace(
    "  on-call: {R: [bo], A: ana}",
    "  on-call: {R: [bo, ana], A: ana, C: [cy], I: [di]}",
).replace("  bo: {name: Bo Chan}   # SRE\n", "  bo: {name: Bo Chan}   # SRE\n  cy: {name: Cy}\n  di: {name: Di}\n") + (
    "answers:\n"
    "  ops.runbook: {status: done, evidence: [docs/runbook.md], reviewed: 2026-10-02}\n"
    "  ops.data-map: {status: todo, owner: bo, due: 2027-01-15}\n"
    "  ops.dashboards: {status: partial}\n"
    "waivers:\n"
    "  - {item: ops.kill-switch, reason: Flag ships next sprint, approved_by: bo, expires: 2026-12-20}\n"
    "  - {item: ops.dashboards, reason: Old waiver, approved_by: ana, expires: 2026-11-01}\n"
)


def test_all_shows_waivers_reviewed_dates_and_whole_raci_rows(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file, "--all", columns=120)
    child.expect_exact("Ownership: all 2 activities are complete")  # not "2 need an accountable person"
    child.expect_exact("Walk the RACI matrix now?")
    child.sendline("y")
    child.expect_exact("On-call rota")
    child.expect_exact("Owns: Runbook for the feature")
    child.expect_exact("Now: R bo, ana · A ana · C cy · I di")  # C and I too, R in the file's order
    child.expect_exact("Accountable")
    child.sendline("")
    child.expect_exact("Responsible")
    child.sendline("")
    child.expect_exact("unchanged")
    child.expect_exact("Switching it off")
    child.expect_exact("Accountable")
    child.sendline("")
    child.expect_exact("Responsible")
    child.sendline("")
    # open items first: the partial whose waiver expired, the todo; then the settled ones in the pack's order
    child.expect_exact("Dashboards")
    child.expect_exact("Now: partial")
    child.expect_exact("Waiver: approved by ana until 2026-11-01 (Old waiver): expired")
    child.expect_exact("[d]one")
    child.send("s")
    child.expect_exact("Data map")
    child.expect_exact("Now: todo · owner bo · due 2027-01-15")
    child.send("s")
    child.expect_exact("Runbook for the feature")
    child.expect_exact("Now: done · evidence docs/runbook.md · reviewed 2026-10-02")
    child.send("s")
    child.expect_exact("Kill switch")
    child.expect_exact("Now: unanswered, waived")
    child.expect_exact("Waiver: approved by bo until 2026-12-20 (Flag ships next sprint): valid, 29 days left")
    child.send("q")
    child.expect_exact("Nothing changed in this session.")
    assert ended(child) == 0


def test_one_item_is_one_item(tmp_path: Path) -> None:
    answered = ASSESSMENT + (
        "answers:\n"
        "  ops.runbook: {status: done, evidence: [docs/runbook.md]}\n"
        "  ops.kill-switch: {status: done, evidence: [docs/runbook.md]}\n"
        "  ops.data-map: {status: done}\n"
    )
    child = assess(_project(tmp_path, answered))
    child.expect_exact("1 item to walk.")
    child.send("q")
    assert ended(child) == 0


def test_the_raci_walk_has_help_skip_and_keep_all(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    before = file.read_bytes()
    child = assess(file, "--all", columns=120)
    child.expect_exact("Walk the RACI matrix now?")
    child.sendline("")
    child.expect_exact("activity 1 of 2")
    child.expect_exact("Accountable")
    child.sendline("?")
    child.expect_exact("/skip (or /s) leaves this activity as it is")
    child.expect_exact("Accountable")
    child.sendline("bo")  # a change begun, then skipped: nothing of it is written
    child.expect_exact("Responsible")
    child.sendline("/skip")
    child.expect_exact("skipped: left as it is")
    child.expect_exact("activity 2 of 2")
    child.expect_exact("Accountable")
    child.sendline("/k")
    child.expect_exact("kept as they are: 1 activity")
    child.expect_exact("[d]one")
    child.send("q")
    child.expect_exact("Nothing changed in this session.")
    assert ended(child) == 0
    assert file.read_bytes() == before
