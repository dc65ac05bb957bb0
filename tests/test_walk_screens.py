"""The walk as a person sees it at 80x24 and at 120x40: each screen is rebuilt from the bytes the walk writes to a
real pseudo-terminal (tests/vt.py) and saved under tests/screens/, where a reviewer can read it."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import REPO
from tests.vt import Terminal
from tests.walkpty import KEY_LINE, LINE_PROMPT, TIMEOUT, assess, ended

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

SCREENS = Path(__file__).parent / "screens"
EXAMPLE = "support-copilot"  # the largest example: long titles, notes and many items
ITEM_ID = re.compile(r"\b[a-z0-9-]+\.[a-z0-9-]+\b")


class _Screen:
    """pexpect's log of what the walk wrote, fed to a terminal of the same size."""

    def __init__(self, rows: int, columns: int) -> None:
        self.terminal = Terminal(rows, columns)

    def write(self, text: str) -> None:
        self.terminal.feed(text)

    def flush(self) -> None:
        pass


def _capture(screen: _Screen, name: str) -> list[str]:
    lines = screen.terminal.screen()
    SCREENS.mkdir(exist_ok=True)
    (SCREENS / f"{name}.txt").write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    return lines


def _walk(tmp_path: Path, rows: int, columns: int) -> tuple[pexpect.spawn, _Screen]:
    folder = tmp_path / EXAMPLE
    shutil.copytree(REPO / "examples" / EXAMPLE, folder)
    child = assess(folder / "readiness.yaml", rows=rows, columns=columns)
    screen = _Screen(rows, columns)
    child.logfile_read = screen
    return child, screen


def _press(child: pexpect.spawn, key: str) -> None:
    """`key`, once the walk reads keys: typed before (a person typing ahead), the terminal would echo it above
    the walk's own '> key', and the saved screens would differ from run to run."""
    child.waitnoecho(timeout=TIMEOUT)
    assert not child.getecho(), f"the walk never read a key to press {key!r}"
    child.send(key)


def _pinned(lines: list[str], columns: int) -> tuple[str, str]:
    """The progress line and the title line at the top of an item's screen."""
    assert re.search(r"item 1 of \d+ · ", lines[0]), lines[0]
    assert len(lines[0]) <= columns
    assert ITEM_ID.search(lines[1]), lines[1]
    return lines[0], lines[1]


@pytest.mark.parametrize(("rows", "columns"), [(24, 80), (40, 120)])
def test_an_item_keeps_its_title_and_progress_in_sight_while_it_is_answered(
    tmp_path: Path, rows: int, columns: int
) -> None:
    size = f"{columns}x{rows}"
    child, screen = _walk(tmp_path, rows, columns)
    child.expect(KEY_LINE)
    lines = _capture(screen, f"item-{size}")
    top = _pinned(lines, columns)
    assert re.match(r"\[d\]one", [line for line in lines if line][-1])  # the key line, on screen
    assert all(len(line) <= columns for line in lines)
    assert not any("Now: not ready" in line for line in lines)  # the header went to the normal screen
    # a partial: evidence, note, owner and due date are asked below the pinned title
    _press(child, "p")
    for prompt in ("evidence:", "Note", "Owner"):
        child.expect_exact(prompt)
        child.sendline("")
    child.expect(LINE_PROMPT)  # the whole of the due date's prompt
    lines = _capture(screen, f"answering-{size}")
    assert _pinned(lines, columns) == top
    assert re.search(r"Due date.*: ?$", [line for line in lines if line][-1])
    child.sendline("+2w")
    child.expect_exact("saved:")
    child.expect(KEY_LINE)
    lines = _capture(screen, f"next-item-{size}")
    assert re.search(r"item 2 of \d+ · ", lines[0])
    assert any("saved: partial" in line for line in lines[2:5])  # said at the top of the next screen
    _press(child, "l")
    child.expect_exact("Enter: back: ")  # the whole prompt, so that the saved screen is always the same
    lines = _capture(screen, f"overview-{size}")
    assert lines[0].startswith("─") and "overview · " in lines[0]
    assert sum(1 for line in lines if re.match(r"[ ▸] *\d+ ", line)) >= rows - 8  # a screenful of items
    assert "more item" in "\n".join(lines)
    child.sendline("")
    child.expect(KEY_LINE)
    _press(child, "q")
    child.expect_exact("Open items left")
    assert ended(child) == 0
    lines = _capture(screen, f"after-{size}")  # the normal screen again: the summary, no item left over
    assert any("summary" in line for line in lines) and not any(line.startswith("[d]one") for line in lines)


def test_a_terminal_resized_during_the_walk_is_used_at_its_new_size(tmp_path: Path) -> None:
    child, screen = _walk(tmp_path, 24, 80)
    child.expect(KEY_LINE)
    assert len(screen.terminal.screen()[0]) == 80
    child.setwinsize(30, 120)
    screen.terminal = Terminal(30, 120)  # the emulator resized with it; the walk redraws the whole screen
    _press(child, "s")
    child.expect(r"item 2 of \d+")
    child.expect(KEY_LINE)
    lines = _capture(screen, "resized-120x30")
    assert len(lines[0]) == 120 and lines[0].startswith("─") and "item 2 of" in lines[0]
    assert ITEM_ID.search(lines[1])
    _press(child, "q")
    assert ended(child) == 0
