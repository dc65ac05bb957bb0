"""Driving `readiness assess` in a real pseudo-terminal (pexpect), shared by the walk's tests.

Every helper waits for what the walk prints before it types, the way a person reads before pressing a key: no
sleeps, and a test fails on the first screen that is not what it expects.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect

from tests.conftest import TODAY

KEY_LINE = r"\[d\]one[^\r\n]*\[\?\]"
YES_NO = r"\((?:Y/n|y/N|y/n)\): ?\Z"


# How long one expect waits for the screen it wants: a walk answers in milliseconds, but the other test workers
# and a slow CI machine can hold a start-up or a save back by seconds.
TIMEOUT = 30


def readiness(
    *args: str, cwd: Path, env: dict[str, str], rows: int = 50, columns: int = 100, codec_errors: str = "strict"
) -> pexpect.spawn:
    """`python -m readiness ARGS` in a pseudo-terminal of this size, with exactly `env` as its environment; what
    it prints is read as UTF-8, with `codec_errors` for bytes that are not."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "readiness", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(rows, columns),
        codec_errors=codec_errors,
    )
    # pexpect sleeps 50 ms before every send, for programs that turn echo off only after printing a password
    # prompt. Every test here waits for the prompt before it types, and the walk keeps keys typed ahead of its
    # question (ask.py): the sleep only added 50 ms to each key, 15 s to a whole walk of the largest example.
    child.delaybeforesend = None
    return child


def spawn(folder: Path, *args: str, rows: int = 50, columns: int = 100, state: Path | None = None) -> pexpect.spawn:
    """`readiness ARGS` in a pty of this size; `state` is the user's state directory (XDG_STATE_HOME)."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("SOURCE_DATE_EPOCH", None)
    env["XDG_STATE_HOME"] = str(state if state is not None else folder.parent / "state")
    return readiness(*args, cwd=folder, env=env, rows=rows, columns=columns)


def assess(file: Path, *extra: str, **size: int) -> pexpect.spawn:
    return spawn(file.parent, "assess", file.name, "--today", TODAY, *extra, **size)  # type: ignore[arg-type]


def ended(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0))


# The first words of every line the walk asks for (items, RACI and cost): Enter alone keeps what is shown.
_LINE_PROMPTS = (
    "evidence",
    "Note",
    "Owner",
    "Due date",
    "Why does it not apply",
    "Accountable",
    "Responsible",
    "Requests per day",
    "Growth of requests",
    "Input tokens",
    "Output tokens",
    "Price per million",
    "Share of input",
    "Fixed costs",
    "Monthly budget",
    "Months to project",
)
LINE_PROMPT = r"(?m)^ *(?:" + "|".join(re.escape(p) for p in _LINE_PROMPTS) + r")[^\r\n]*(?:\r\n[^\r\n]*)*: ?\Z"
_KEY_OF_STATUS = {"done": "d", "partial": "p", "todo": "t", "na": "n"}


def keep_everything(child: pexpect.spawn) -> int:
    """Walk to the end keeping every default: each item answered with the status it has (Enter through every
    question), an unanswered one skipped, the RACI and cost walks entered and every value kept. Returns the number
    of items seen."""
    status = ""
    items = 0
    while True:
        found = child.expect([r"Now: ([a-z]+)", KEY_LINE, YES_NO, LINE_PROMPT, r"─ summary ─"])
        if found == 0:
            match = child.match
            assert isinstance(match, re.Match)
            status = match.group(1)
        elif found == 1:
            items += 1
            child.send(_KEY_OF_STATUS.get(status, "s"))
            status = ""
        elif found == 2:
            # Walking the RACI matrix and the cost model is what is being kept; saving a kept model is the default.
            child.sendline("y" if "Walk the" in str(child.before).splitlines()[-1] else "")
        elif found == 3:
            child.sendline("")
        else:
            return items
