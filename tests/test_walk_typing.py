"""What people type is taken: `5,000`, `20 %`, `$3`, `+2w`, `in 2 weeks`, `next friday`, each said back as the
value stored; a due date in the past is confirmed; a mistyped path gets 'did you mean'; Tab completes paths."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.test_interactive import ASSESSMENT, _answers, _project
from tests.walkpty import assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def test_cost_numbers_as_people_write_them(tmp_path: Path) -> None:
    text = "version: 1\nproject: {name: Claims Bot}\nchecklists: {use: [cost]}\nteam: {ana: {name: Ana}}\n"
    file = _project(tmp_path, text)
    child = assess(file, "--category", "cost")
    child.expect_exact("Walk the cost model now?")
    child.sendline("y")
    typed = {
        "Requests per day": ("5,000", "= 5000"),
        "Growth of requests": ("20 %", "= 0.2"),
        "Input tokens": ("1,800", "= 1800"),
        "Output tokens": ("350", None),
        "Price per million input": ("$3", "= 3"),
        "Price per million output": ("$15.50", "= 15.5"),
        "Share of input tokens": ("25%", "= 0.25"),
        "Fixed costs": ("€1,200", "= 1200"),
        "Monthly budget": ("5,000.5", "= 5000.5"),
        "Months to project": ("3", None),
    }
    for prompt, (answer, echoed) in typed.items():
        child.expect_exact(prompt)
        child.sendline(answer)
        if echoed:
            child.expect_exact(echoed)
    child.expect_exact("Save this cost model?")
    child.sendline("")
    child.expect_exact("saved")
    child.send("q")
    assert ended(child) == 0
    cost = yaml.safe_load(file.read_text(encoding="utf-8"))["cost"]
    assert cost["requests_per_day"] == 5000 and cost["monthly_growth"] == 0.2 and cost["cache_hit_rate"] == 0.25
    assert cost["price_per_million"] == {"input": 3, "output": 15.5} and cost["fixed_monthly"] == 1200


def test_a_percentage_where_a_count_is_asked_is_refused(tmp_path: Path) -> None:
    text = "version: 1\nproject: {name: Claims Bot}\nchecklists: {use: [cost]}\nteam: {ana: {name: Ana}}\n"
    child = assess(_project(tmp_path, text), "--category", "cost")
    child.expect_exact("Walk the cost model now?")
    child.sendline("y")
    child.expect_exact("Requests per day")
    child.sendline("20 %")
    child.expect_exact("'20 %' is a percentage; a number is needed here")
    child.sendline("1,00")
    child.expect_exact("write thousands as 5,000 or 5000")
    child.expect_exact("Requests per day")
    child.sendintr()
    assert ended(child) == 130


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+2w", "2026-12-05"), ("in 2 weeks", "2026-12-05"), ("next friday", "2026-11-27"), ("+1m", "2026-12-21")],
)
def test_due_dates_as_people_say_them_relative_to_today(tmp_path: Path, typed: str, stored: str) -> None:
    file = _project(tmp_path)  # --today is 2026-11-21, a Saturday
    child = assess(file)
    child.expect_exact("[?]")
    child.send("t")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline(typed)
    child.expect_exact(f"= {stored} (")
    child.expect_exact(f"saved: todo · due {stored}")
    child.send("q")
    assert ended(child) == 0
    assert _answers(file)["ops.runbook"]["due"] == date.fromisoformat(stored)


def test_a_due_date_in_the_past_is_confirmed(tmp_path: Path) -> None:
    file = _project(tmp_path)
    child = assess(file)
    child.expect_exact("[?]")
    child.send("t")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline("2026-11-01")
    child.expect_exact("2026-11-01 is 20 days in the past. Keep it as the due date?")
    child.sendline("")  # no: asked again
    child.expect_exact("Due date")
    child.sendline("2026-11-02")
    child.expect_exact("is 19 days in the past")
    child.sendline("y")
    child.expect_exact("saved: todo · due 2026-11-02")
    child.send("q")
    assert ended(child) == 0


def test_a_mistyped_path_gets_did_you_mean_and_tab_completes(tmp_path: Path) -> None:
    file = _project(tmp_path)
    (file.parent / "docs" / "kill-switch.md").write_text("# Flag\n", encoding="utf-8")
    child = assess(file)
    child.expect_exact("[?]")
    child.send("d")
    child.expect_exact("evidence:")
    child.sendline("docs/runbok.md")
    child.expect_exact("docs/runbok.md is not there. Did you mean docs/runbook.md?")
    child.sendline("")
    child.expect_exact("✓ found docs/runbook.md")
    child.expect_exact("evidence:")
    child.send("do\t")  # one folder: completed to it, and on into it (the bell: two files are in it)
    child.expect_exact("cs/")
    child.send("k\t")
    child.expect_exact("ill-switch.md")
    child.send("\r")
    child.expect_exact("✓ found")
    child.expect_exact("evidence:")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved:")
    child.send("q")
    assert ended(child) == 0
    assert _answers(file)["ops.runbook"]["evidence"] == ["docs/runbook.md", "docs/kill-switch.md"]


def test_tab_never_lists_a_folder_outside_the_project(tmp_path: Path) -> None:
    file = _project(tmp_path, ASSESSMENT)
    (tmp_path / "secret-elsewhere.txt").write_text("x", encoding="utf-8")
    child = assess(file)
    child.expect_exact("[?]")
    child.send("d")
    child.expect_exact("evidence:")
    child.send("../sec\t\t")
    child.send("\r")
    child.expect_exact("project root")  # the refusal of a path out of the project, not a completion
    child.expect_exact("evidence:")
    assert "secret-elsewhere" not in str(child.before)
    child.sendintr()
    assert ended(child) == 130
