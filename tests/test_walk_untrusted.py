"""`readiness assess` and `readiness init` never write a file the next run refuses, and never lose an answer
they reported as saved: driven in real pseudo-terminals (pexpect), with real concurrent processes.

What is typed is held to the reader's own rule at the prompt; two sessions saving at the same moment are
serialised by the file's lock and the second one is asked again; an editor's write is never overwritten; keys
typed while a save runs are used; a file broken during the walk ends it with the reader's diagnostics.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pexpect
import pytest
import yaml
from filelock import FileLock

from readiness.score.engine import load
from tests.conftest import TODAY
from tests.test_interactive import ASSESSMENT, _answers, _project
from tests.walkpty import readiness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def lock_path(file: Path) -> Path:
    """The lock file a save holds beside the assessment, as the README names it."""
    return file.with_name(f".{file.name}.lock")


DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: error: \$\S*: .+$", re.MULTILINE)


def _assess(file: Path, **env: str) -> pexpect.spawn:
    # XDG_STATE_HOME: where the walk keeps its place, beside the project, not where whoever runs the tests keeps it.
    state = str(file.parent.parent / "state")
    environment = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100", "XDG_STATE_HOME": state, **env}
    environment.pop("SOURCE_DATE_EPOCH", None)
    return readiness(
        "assess",
        file.name,
        "--today",
        TODAY,
        cwd=file.parent,
        env=environment,
        codec_errors="replace",  # the terminal echoes what is typed, bytes that are not UTF-8 included
    )


def _type(child: pexpect.spawn, data: bytes) -> None:
    """Bytes as a keyboard or a paste sends them, all at once, whatever they are."""
    os.write(child.child_fd, data)


def _ended(child: pexpect.spawn) -> tuple[int, str]:
    """The exit code, and everything the walk printed after the last expect."""
    child.expect(pexpect.EOF)
    rest = str(child.before)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)), rest


def _todo(child: pexpect.spawn, note: str = "") -> None:
    """Answer the item on screen 'todo', with a note, no owner and no due date."""
    child.expect_exact("[d]one")
    child.send("t")
    child.expect_exact("Note")
    child.sendline(note)
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")


@contextmanager
def _held(file: Path) -> Iterator[FileLock]:
    """The assessment's lock, held by the test as another session would hold it while saving."""
    lock = FileLock(str(lock_path(file)))
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()


# ── What is typed ───────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        (b"ok \x1b[2J\x1b[31mred", "U+001B"),  # an escape sequence pasted into a note
        (b"ok \x1b]0;owned\x07", "U+001B"),  # a terminal title escape
        ("ok \u009b31m".encode(), "U+009B"),  # a C1 control, as UTF-8
        ("line\u2028separator".encode(), "U+2028"),  # a line break to YAML, invisible in editors
        ("next\u0085line".encode(), "U+0085"),
        ("\ufeffmarked".encode(), "U+FEFF"),  # a byte-order mark
        (b"caf\xe9 latin-1", "the byte 0xe9 at character 4 is not UTF-8 text"),
        (b"\xff\xfe", "the byte 0xff at character 1 is not UTF-8 text"),
    ],
    ids=["csi", "osc", "c1", "u2028", "u0085", "bom", "latin1", "invalid-bytes"],
)
def test_a_note_the_file_cannot_hold_is_refused_at_the_prompt_and_asked_again(
    tmp_path: Path, typed: bytes, told: str
) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    child.expect_exact("[d]one")
    child.send("t")
    child.expect_exact("Note")
    _type(child, typed + b"\r")
    child.expect_exact(told)
    child.expect_exact("type it again")
    child.expect_exact("Note")  # asked again, and nothing was saved meanwhile
    assert file.read_text(encoding="utf-8") == ASSESSMENT
    child.sendline("Checked with Bo")
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("[d]one")
    child.send("q")
    assert _ended(child)[0] == 0
    load(file)  # the next run reads the file
    assert _answers(file)["ops.runbook"] == {"status": "todo", "note": "Checked with Bo"}


def test_bytes_that_are_not_utf8_on_a_strict_stdin_are_refused_not_a_crash(tmp_path: Path) -> None:
    """Where stdin decodes strictly (Windows, PYTHONIOENCODING), input() itself fails on such bytes."""
    file = _project(tmp_path)
    child = _assess(file, PYTHONIOENCODING="utf-8:strict")
    child.expect_exact("[d]one")
    child.send("t")
    child.expect_exact("Note")
    _type(child, b"caf\xe9\r")
    child.expect_exact("the byte 0xe9 is not UTF-8 text; type it again")
    child.expect_exact("Note")
    child.sendline("café")
    child.expect_exact("Owner")
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("saved:")
    child.send("q")
    code, rest = _ended(child)
    assert code == 0 and "sorry, this is a bug" not in rest
    assert _answers(file)["ops.runbook"]["note"] == "café"


def test_evidence_a_reason_and_a_new_members_name_are_held_to_the_same_rule(tmp_path: Path) -> None:
    file = _project(tmp_path, ASSESSMENT.replace("  switch-off: {R: [bo], A: bo}   # Bo owns the flag\n", ""))
    child = _assess(file)
    child.expect_exact("Walk the RACI matrix now?")
    child.sendline("y")
    child.expect_exact("Accountable")
    child.sendline("cy")
    child.expect_exact("Add them?")
    child.sendline("y")
    child.expect_exact("Name")
    _type(child, b"Cy\x1b[8m hidden\r")
    child.expect_exact("U+001B")
    child.expect_exact("Name")
    child.sendline("Cy Okafor")
    child.expect_exact("Role")
    child.sendline("PM")
    child.expect_exact("Responsible")
    child.sendline("cy")
    child.expect_exact("saved")
    child.expect_exact("[d]one")
    child.send("d")
    child.expect_exact("evidence:")
    _type(child, "\ufeffdocs/runbook.md\r".encode())
    child.expect_exact("U+FEFF")
    child.expect_exact("evidence:")
    child.sendline("docs/runbook.md")
    child.expect_exact("✓ found")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("Kill switch")
    child.expect_exact("[d]one")
    child.send("n")
    child.expect_exact("Why does it not apply?")
    _type(child, "Read-only\u2029it writes nothing\r".encode())
    child.expect_exact("U+2029")
    child.expect_exact("Why does it not apply?")
    child.sendline("Read-only: it writes nothing")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved:")
    child.send("q")
    assert _ended(child)[0] == 0
    load(file)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["team"]["cy"] == {"name": "Cy Okafor", "role": "PM"}
    assert data["answers"]["ops.runbook"]["evidence"] == ["docs/runbook.md"]
    assert data["answers"]["ops.kill-switch"]["reason"] == "Read-only: it writes nothing"


def test_init_at_a_terminal_refuses_a_name_the_file_cannot_hold(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100"}
    child = readiness("init", cwd=tmp_path, env=env, rows=24, columns=80)
    child.expect_exact("Project name")
    _type(child, b"Claims\x1b]0;owned\x07 Bot\r")
    child.expect_exact("U+001B")
    child.expect_exact("Project name")
    child.sendline("Claims Bot")
    child.expect_exact("description")
    child.sendline("")
    child.expect_exact("Where is it now?")
    child.sendline("")
    child.expect_exact("Which stage should this gate?")
    child.sendline("")
    for _ in range(9):  # every yes/no profile question; the AI Act class is asked only of EU systems
        child.expect_exact("(y/n)")
        child.sendline("n")
    child.expect_exact("How much harm")
    child.sendline("low")
    child.expect_exact("Team member id")
    child.sendline("")
    child.expect_exact("Wrote readiness.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert load(tmp_path / "readiness.yaml").assessment.project.name == "Claims Bot"


@pytest.mark.parametrize(
    ("flags", "option"),
    [
        (["--name", "a\nversion: 2"], "--name"),
        (["--name", "Bot", "--description", "one\rtwo"], "--description"),
        (["--name", "Bot", "--member", "bo:Bo\x1b[2J:SRE"], "--member"),
        (["--name", "Bot", "--member", "bo:Bo:S\u2028RE"], "--member"),
    ],
    ids=["name-line-break", "description-cr", "member-escape", "role-u2028"],
)
def test_init_flags_the_file_cannot_hold_are_a_usage_error_and_nothing_is_written(
    tmp_path: Path, flags: list[str], option: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "init", *flags],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"Invalid value for {option}" in done.stderr
    assert "\x1b" not in done.stderr and "\u2028" not in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


# ── Two sessions, an editor ─────────────────────────────────────────────────────────────────────────────────


def test_two_sessions_saving_at_the_same_moment_never_lose_an_answer_they_reported_saved(tmp_path: Path) -> None:
    file = _project(tmp_path)
    first, second = _assess(file), _assess(file)
    with _held(file):
        # Both answer while the lock is held, so that their saves start together when it is released.
        _todo(first, "first session")
        first.sendline("")
        second.expect_exact("[d]one")
        second.send("s")  # the second session answers the second item
        _todo(second, "second session")
        second.sendline("")
        first.expect_exact("waiting: another program is saving readiness.yaml")
        second.expect_exact("waiting: another program is saving readiness.yaml")
        assert file.read_text(encoding="utf-8") == ASSESSMENT  # neither wrote while the lock was held
    outcomes = {}
    for name, child in (("first", first), ("second", second)):
        outcomes[name] = child.expect_exact(["saved:", "changed on disk since it was read, so nothing was written"])
    assert sorted(outcomes.values()) == [0, 1], "exactly one save went through; the other was told to answer again"
    loser = first if outcomes["first"] == 1 else second
    loser_note = "first session" if outcomes["first"] == 1 else "second session"
    _todo(loser, loser_note)  # asked again, on the file as the winner left it
    loser.sendline("")
    loser.expect_exact("saved:")
    for child in (first, second):
        child.expect_exact("[d]one")
        child.send("q")
        assert _ended(child)[0] == 0
    answers = _answers(file)
    assert answers["ops.runbook"] == {"status": "todo", "note": "first session"}
    assert answers["ops.kill-switch"] == {"status": "todo", "note": "second session"}
    load(file)
    assert not lock_path(file).exists()  # the lock file is not left behind


def test_a_save_that_cannot_have_the_lock_says_so_and_asks_again(tmp_path: Path) -> None:
    from readiness.edit import yamledit

    file = _project(tmp_path)
    doc = yamledit.open_assessment(file)
    yamledit.set_answer(doc, "ops.runbook", {"status": "todo"})
    waited: list[Path] = []
    with _held(file), pytest.raises(yamledit.FileLocked) as locked:
        yamledit.save(doc, timeout=0.2, waiting=waited.append)
    assert waited == [lock_path(file)]
    assert "stayed locked by another program" in str(locked.value) and "nothing was written" in str(locked.value)
    assert file.read_text(encoding="utf-8") == ASSESSMENT


def test_an_editors_write_between_two_answers_is_kept_and_the_answer_asked_again(tmp_path: Path) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    _todo(child, "from the walk")
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("Kill switch")
    # between two answers, someone saves the file in an editor: a comment and an answer of their own
    edited = file.read_text(encoding="utf-8").replace("# Who is who.", "# Who is who (edited).")
    edited += "  ops.data-map: {status: done}  # from the editor\n"
    file.write_text(edited, encoding="utf-8")
    _todo(child, "second answer")
    child.sendline("")
    child.expect_exact("changed on disk since it was read, so nothing was written")
    assert file.read_text(encoding="utf-8") == edited
    _todo(child, "second answer")  # asked again, on the editor's file
    child.sendline("")
    child.expect_exact("saved:")
    child.send("q")
    assert _ended(child)[0] == 0
    text = file.read_text(encoding="utf-8")
    assert "# Who is who (edited)." in text and "# from the editor" in text
    answers = _answers(file)
    assert answers["ops.runbook"]["note"] == "from the walk" and answers["ops.kill-switch"]["note"] == "second answer"
    assert answers["ops.data-map"] == {"status": "done"}


def test_the_walk_keeps_the_yaml_directive_and_the_document_markers(tmp_path: Path) -> None:
    head = "# Claims Bot\n%YAML 1.2\n--- # the assessment\n"
    tail = "... # end of the assessment\n# nothing after this line is read\n"
    text = head + ASSESSMENT.replace("  name: Claims Bot", '  name: "Cl\\u00e4ims Bot"') + tail
    file = _project(tmp_path, text)
    child = _assess(file)
    _todo(child, "kept around the markers")
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("[d]one")
    child.send("q")
    assert _ended(child)[0] == 0
    after = file.read_text(encoding="utf-8")
    # the directive, the `---` and `...` lines and the comments around them are where they were, as they were
    assert after.startswith(head) and after.endswith(tail)
    body = after[len(head) : len(after) - len(tail)]
    assert body.startswith(text[len(head) : len(text) - len(tail)])  # and every line before the new answer
    assert '"Cl\\u00e4ims Bot"' in body
    assert _answers(file)["ops.runbook"] == {"status": "todo", "note": "kept around the markers"}
    load(file)


# ── Keys typed during a save ────────────────────────────────────────────────────────────────────────────────


def test_keys_typed_while_a_save_runs_are_used_in_order(tmp_path: Path) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    with _held(file):
        _todo(child, "first")
        # Enter for the due date, then the key for the next item, typed before the save has run
        _type(child, b"\r" + b"t")
        child.expect_exact("waiting: another program is saving")
        _type(child, b"typed ahead\r")  # the next item's note, still during the save
    child.expect_exact("saved:")
    child.expect_exact("Kill switch")
    child.expect_exact("Owner")  # 't' and the note were used: the walk is at the owner of item 2
    child.sendline("-")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("saved:")
    # several keys at once: an arrow key (one key, refused once), then skip, skip... and quit
    child.expect_exact("[d]one")
    _type(child, b"\x1b[As" + b"q")
    child.expect_exact("keys: d p t n s b e u l g / q ?")
    child.expect_exact("item 4 of 4")
    child.expect_exact("Before: not ready")
    code, _ = _ended(child)
    assert code == 0
    answers = _answers(file)
    assert answers["ops.runbook"] == {"status": "todo", "note": "first"}
    assert answers["ops.kill-switch"] == {"status": "todo", "note": "typed ahead"}
    assert "ops.dashboards" not in answers


# ── A file broken during the walk ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "broken",
    [
        ASSESSMENT + "answers:\n  ops.runbook: {status: done, evidence: [docs/runbook.md\n",  # YAML syntax
        ASSESSMENT + "answers:\n  ops.runbook: {status: finished}\n",  # the schema
        ASSESSMENT.replace("version: 1\n", "version: 1\n\tproject2: x\n"),  # a tab
    ],
    ids=["syntax", "schema", "tab"],
)
def test_a_file_broken_during_the_walk_ends_it_with_the_readers_diagnostics(tmp_path: Path, broken: str) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    _todo(child, "saved before")
    child.sendline("")
    child.expect_exact("saved:")
    child.expect_exact("Kill switch")
    file.write_text(broken, encoding="utf-8")
    _todo(child, "being answered")
    child.sendline("")
    child.expect_exact("Stopped: readiness.yaml can no longer be read, so this answer was not saved")
    code, rest = _ended(child)
    assert code == 2
    validated = subprocess.run(
        [sys.executable, "-m", "readiness", "validate", file.name],
        cwd=file.parent,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    expected = DIAGNOSTIC.findall(validated.stderr)
    assert expected and expected[0] in rest.replace("\r\n", "\n")  # the reader's words, at its line
    assert "Traceback" not in rest and "<unicode string>" not in rest and "ruamel" not in rest
    assert file.read_text(encoding="utf-8") == broken  # nothing written over the user's file
