"""Finding one's way in `readiness assess`: the overview, search, jump, --item, --from, and resuming where the
last sitting stopped (kept in the user's state directory, never in readiness.yaml)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from readiness.interactive.position import position_file
from tests.test_interactive import ASSESSMENT, _project
from tests.walkpty import assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ANSWERED = ASSESSMENT + (
    "answers:\n  ops.runbook: {status: done, evidence: [docs/runbook.md]}\n  ops.data-map: {status: todo, owner: bo}\n"
)


def _positions(file: Path) -> Path:
    return position_file(file.parent.parent / "state" / "readiness" / "walk", file)


def test_the_overview_lists_filters_searches_and_jumps(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file)
    child.expect_exact("item 1 of 3")
    child.expect_exact("[?]")
    child.send("l")
    child.expect_exact("overview · 4 items")
    child.expect_exact("1 met · 1 todo · 2 unanswered")
    child.expect_exact("Left to do: 3 items, by effort 1 low · 2 medium")
    child.expect(r"1 met +major +prototype +ops\.runbook  Runbook for the feature")
    child.expect(r"▸ *2 unanswered blocker +prototype +ops\.kill-switch")  # where the walk stands
    child.expect(r"4 todo +major +prototype +ops\.data-map")
    child.expect_exact("Enter: back")
    child.sendline("todo")
    child.expect_exact("overview · 4 items · todo: 1")
    child.expect(r"4 todo +major")
    child.expect_exact("Enter: back")
    child.sendline("waived")
    child.expect_exact("no item matches 'waived'")
    child.expect_exact("Enter: back")
    child.sendline("/DASH")  # any case, in the id, title or question
    child.expect_exact("overview · 4 items · /DASH: 1")
    child.expect_exact("Enter: back")
    child.sendline("1")  # a number goes to that item: a settled one the walk would not visit
    child.expect_exact("Runbook for the feature")
    child.expect_exact("Now: done")
    child.expect_exact("[?]")
    child.send("s")  # and the walk goes on from where it was
    child.expect_exact("Kill switch")
    child.expect_exact("[?]")
    child.send("g")
    child.expect_exact("Go to")
    child.sendline("data")  # the start of an id, without its pack
    child.expect_exact("Data map")
    child.expect_exact("[?]")
    child.send("/")
    child.expect_exact("Find")
    child.sendline("switched off")
    child.expect_exact("/switched off: 1")
    child.expect_exact("Enter: back")
    child.sendline("g kill")
    child.expect_exact("Kill switch")
    child.expect_exact("[?]")
    child.send("q")
    child.expect_exact("Nothing changed in this session.")
    assert ended(child) == 0


def test_a_plain_assess_resumes_where_the_last_sitting_stopped_and_says_so(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file)
    for _ in range(2):
        child.expect_exact("[?]")
        child.send("s")
    child.expect_exact("Data map")
    child.expect_exact("[?]")
    child.send("q")
    assert ended(child) == 0
    assert "data-map" not in file.read_text(encoding="utf-8").split("answers:")[0]
    assert _positions(file).is_file()  # beside the user's state, not in the assessment's folder
    assert sorted(p.name for p in file.parent.iterdir()) == ["docs", "ops.yaml", "readiness.yaml"]
    child = assess(file)
    child.expect_exact("item 3 of 3")
    child.expect_exact("Data map")
    child.expect_exact("Resuming at ops.data-map, where the last sitting stopped")
    child.expect_exact("[?]")
    child.send("s")  # the end of the walk: the next sitting starts at the beginning again
    child.expect_exact("That was the last item of this walk.")
    child.expect_exact("Packs walked to the end:")
    child.expect_exact("Operations, for now: 1 met · 1 todo · 2 unanswered; score 25.0")
    assert ended(child) == 0
    child = assess(file)
    child.expect_exact("item 1 of 3")
    assert "Resuming" not in str(child.before)
    child.expect_exact("[?]")
    child.send("q")
    assert ended(child) == 0


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe garbage",
        b'{"assessment": "PATH", "item": "ops.nope"}',
        b'{"assessment": "/elsewhere/readiness.yaml", "item": "ops.data-map"}',
        b'{"assessment": "PATH", "item": ["ops.data-map"]}',
        b"[" * 100_000,
        b'{"assessment": "PATH", "item": "ops.data-map", "pad": "' + b"x" * 10_000 + b'"}',
        b"",
        "dir",
        "link",
    ],
    ids=["bytes", "unknown-id", "other-file", "not-a-string", "deep", "huge", "empty", "folder", "symlink"],
)
def test_a_hostile_position_file_starts_at_the_first_open_item(tmp_path: Path, content: bytes | str) -> None:
    file = _project(tmp_path, ANSWERED)
    planted = _positions(file)
    planted.parent.mkdir(parents=True)
    if content == "dir":
        planted.mkdir()
    elif content == "link":
        target = tmp_path / "target.json"
        target.write_text(f'{{"assessment": "{file.resolve()}", "item": "ops.data-map"}}', encoding="utf-8")
        os.symlink(target, planted)
    else:
        assert isinstance(content, bytes)
        planted.write_bytes(content.replace(b"PATH", str(file.resolve()).encode()))
    child = assess(file)
    child.expect_exact("item 1 of 3")
    child.expect_exact("Kill switch")
    assert "Resuming" not in str(child.before) and "Traceback" not in str(child.before)
    child.expect_exact("[?]")
    child.send("q")
    assert ended(child) == 0


def test_item_shows_one_item_and_from_starts_at_one(tmp_path: Path) -> None:
    file = _project(tmp_path, ANSWERED)
    child = assess(file)
    child.expect_exact("[?]")
    child.send("s")
    child.expect_exact("Dashboards")
    child.expect_exact("[?]")
    child.send("q")  # a sitting stopped at item 2
    assert ended(child) == 0
    child = assess(file, "--item", "ops.runbook")
    child.expect_exact("1 item to walk.")
    child.expect_exact("Runbook for the feature")
    child.expect_exact("[?]")
    child.send("s")
    child.expect_exact("That was the last item of this walk.")
    assert ended(child) == 0
    child = assess(file)  # a look at one item did not move where the sitting resumes
    child.expect_exact("Resuming at ops.dashboards")
    child.expect_exact("[?]")
    child.send("q")
    assert ended(child) == 0
    child = assess(file, "--from", "dashboards")
    child.expect_exact("item 2 of 3")
    child.expect_exact("Dashboards")
    child.expect_exact("[?]")
    child.send("q")
    assert ended(child) == 0
    child = assess(file, "--item", "ops.kill-swich")
    child.expect_exact("did you mean ops.kill-switch?")
    assert ended(child) == 2
