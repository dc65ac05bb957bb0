"""The walk shows the comments the team wrote near an answer: often the line that says why an item stands where
it does. A '#' inside text is not a comment, the next answer's comments stay with it, and a comment from a
pull request is shown as visible text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from readiness.interactive.filecomments import answer_comments, shown
from tests.test_interactive import ASSESSMENT, _project
from tests.walkpty import assess, ended

FILE = """\
version: 1
project: {name: P}
answers:
  # --- operations ---
  # blocked on legal until the DPA is signed
  ops.runbook:   # reviewed with Bo
    status: partial   # half the runbook is written
    note: >-
      Steps for #2 and #3 are missing; "# not a comment" either
    # ask Cy for the escalation part

  # the data map lives in the wiki for now
  ops.data-map: {status: todo}  # owner to be found
# accepted risks below
waivers: []
"""


def test_comments_above_and_inside_an_answer_are_its_own() -> None:
    assert answer_comments(FILE, "readiness.yaml", "ops.runbook") == [
        "# --- operations ---",
        "# blocked on legal until the DPA is signed",
        "# reviewed with Bo",
        "# half the runbook is written",
        "# ask Cy for the escalation part",
    ]
    # The comment above the next key is the next answer's; the one above `waivers` is nobody's answer.
    assert answer_comments(FILE, "readiness.yaml", "ops.data-map") == [
        "# the data map lives in the wiki for now",
        "# owner to be found",
    ]
    assert answer_comments(FILE, "readiness.yaml", "ops.kill-switch") == []


def test_a_hash_in_text_is_not_a_comment_and_a_broken_file_has_none() -> None:
    text = 'answers:\n  a.b: {status: done, note: "see #12"}\n  c.d:\n    note: |\n      # a heading in the note\n'
    assert answer_comments(text, "x.yaml", "a.b") == []
    assert answer_comments(text, "x.yaml", "c.d") == []
    assert answer_comments("answers: [unclosed\n  # c\n", "x.yaml", "a.b") == []


def test_a_comment_from_a_pull_request_is_shown_as_visible_text() -> None:
    # An escape sequence in a comment would drive the terminal: the reader refuses the file, so nothing is shown.
    hostile = "answers:\n  # approved \x1b]0;pwned\x07\n  a.b: {status: done}\n"
    assert shown(answer_comments(hostile, "x.yaml", "a.b")) == []
    assert shown(["# tab\there"]) == ["# tab\\there"]
    many = "answers:\n" + "".join(f"  # line {n}\n" for n in range(9)) + "  a.b: {status: done}\n"
    assert shown(answer_comments(many, "x.yaml", "a.b"))[-1] == "… and 4 more comment lines"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_item_screen_shows_the_comments_near_its_answer(tmp_path: Path) -> None:
    text = ASSESSMENT + (
        "answers:\n"
        "  # blocked on legal until the DPA is signed\n"
        "  ops.data-map: {status: todo, owner: bo, due: 2027-01-15}  # Bo asked for a week\n"
    )
    file = _project(tmp_path, text)
    child = assess(file, "--item", "ops.data-map", columns=120)
    child.expect_exact("Now: todo · owner bo · due 2027-01-15")
    child.expect_exact("In the file: # blocked on legal until the DPA is signed")
    child.expect_exact("In the file: # Bo asked for a week")
    child.send("q")
    assert ended(child) == 0
    assert file.read_text(encoding="utf-8") == text  # looking changes nothing
