"""`e` changes one field of an answer and nothing else; `u` puts back the exact bytes of the file."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from readiness.edit import yamledit
from tests.test_interactive import ASSESSMENT, _answers, _project
from tests.walkpty import assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ANSWERED = ASSESSMENT + (
    "answers:\n"
    "  ops.runbook:\n"
    "    status: done\n"
    "    evidence: [docs/runbook.md, docs/missing.md]   # the second one is a typo\n"
    "    reviewed: 2026-10-02\n"
    "  ops.data-map: {status: todo, owner: bo, due: 2027-01-15}  # asked legal\n"
)


def test_edit_one_due_date_then_undo_restores_every_byte(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    original = file.read_bytes()
    child = assess(file, "--item", "ops.data-map")
    child.expect_exact("[?]")
    child.send("u")
    child.expect_exact("nothing to undo: this sitting has saved nothing yet")
    child.send("e")
    child.expect_exact("Edit which field?")
    child.send("d")
    child.expect_exact("Due date")
    child.sendline("2027-02-01")
    child.expect_exact("saved: todo · owner bo · due 2027-02-01")
    changed = file.read_text(encoding="utf-8")
    assert changed == original.decode().replace("due: 2027-01-15}", "due: 2027-02-01}")  # that value, nothing else
    child.expect_exact("[?]")
    child.send("u")
    child.expect_exact("Undo the answer to ops.data-map?")
    child.sendline("")
    child.expect_exact("undone:")
    assert file.read_bytes() == original
    child.expect_exact("Data map")  # the item again, as the file now has it
    child.expect_exact("due 2027-01-15")
    child.send("q")
    child.expect_exact("Nothing changed in this session.")
    assert ended(child) == 0


def test_edit_removes_one_evidence_entry_and_keeps_the_others(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file, "--item", "runbook")
    child.expect_exact("[?]")
    child.send("e")
    child.expect_exact("Edit which field?")
    child.send("e")
    child.expect_exact("2. docs/missing.md")
    child.expect_exact("Enter alone when done")
    child.sendline("2")
    child.expect_exact("removed docs/missing.md")
    child.expect_exact("Enter alone when done")
    child.sendline("")
    child.expect_exact("saved: done · evidence docs/runbook.md · reviewed 2026-10-02")
    child.send("q")
    child.expect_exact("ops.runbook: done (unverified) → done")
    assert ended(child) == 0
    answer = _answers(file)["ops.runbook"]
    assert answer["evidence"] == ["docs/runbook.md"] and str(answer["reviewed"]) == "2026-10-02"
    assert "# asked legal" in file.read_text(encoding="utf-8")


def test_edit_the_status_keeps_the_rest_of_the_answer(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file, "--item", "ops.data-map")
    child.expect_exact("[?]")
    child.send("e")
    child.expect_exact("Edit which field?")
    child.send("s")
    child.expect_exact("New status")
    child.send("p")
    child.expect_exact("saved: partial · owner bo · due 2027-01-15")
    child.send("q")
    assert ended(child) == 0
    assert _answers(file)["ops.data-map"] == {"status": "partial", "owner": "bo", "due": date(2027, 1, 15)}


def test_undo_never_writes_over_a_file_someone_else_changed(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    original = file.read_bytes()
    doc = yamledit.open_assessment(file)
    yamledit.set_answer(doc, "ops.dashboards", {"status": "todo"})
    yamledit.save(doc)
    edited = file.read_bytes() + b"# added in the editor\n"
    file.write_bytes(edited)
    with pytest.raises(yamledit.FileChanged):
        yamledit.restore(doc, original)
    assert file.read_bytes() == edited
