"""Round-trip edits of readiness.yaml (readiness/edit/yamledit.py): what `assess` writes after every answer."""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from readiness.edit import yamledit
from readiness.load.yamlsource import parse_document
from readiness.score import engine

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

# A small assessment the way people write them: a header, comments above keys and at the end of lines,
# blank lines between sections, both list styles.
MINIMAL = """\
# Readiness of the Mini bot.
# Kept by the ML team; `readiness check` reads it in CI.
version: 1

project:
  name: Mini Bot
  stage: prototype              # where it is now
  target: pilot
  profile: {llm: true, agentic: false}

# The people answers refer to.
team:
  alice: {name: Alice Chen, role: ML lead}   # accountable owner

answers:
  # Ownership first.
  ownership.accountable-owner:
    status: done                # signed off in October
    evidence: [OWNERS]
    reviewed: 2026-10-02
  ownership.report-concerns:
    status: na
    # Legal confirmed this on 2026-10-01.
    reason: Internal tool; concerns go through the support queue   # required for na

  # Data.
  data.source-licence:
    status: partial             # the wiki export is unclear
    evidence:
      - docs/sources.md         # the register
      - docs/licences.md
    owner: alice
    due: 2026-12-15

# The gate.
policy:
  min_score: 70
  fail_on: blocker
"""


def write(folder: Path, text: str, name: str = "readiness.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, *edits: tuple[str, Any]) -> str:
    """Open, apply each (function name, arguments) edit, save; the file's new text."""
    doc = yamledit.open_assessment(path)
    for name, arguments in edits:
        getattr(yamledit, name)(doc, *arguments)
    yamledit.save(doc)
    return path.read_text(encoding="utf-8")


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from `before` and the lines added in `after`; every other line is identical."""
    old, new = before.splitlines(), after.splitlines()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def comments(text: str) -> list[str]:
    return [match.group(1) for line in text.splitlines() for match in [re.search(r"(?:^|\s)(#.*)$", line)] if match]


def answer(text: str, item_id: str) -> Any:
    """The answer as the tool's own loader reads it."""
    return parse_document(text, "readiness.yaml").data["answers"][item_id]


def loads(path: Path) -> engine.Loaded:
    """The assessment passes every check of the tool (InputError otherwise)."""
    return engine.load(path)


# ── Nothing changes what was not edited ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("example", ["support-copilot", "fraud-scoring", "ops-agent", "minimal"])
def test_an_unedited_file_is_rendered_byte_for_byte(tmp_path: Path, example: str) -> None:
    source = EXAMPLES / example / "readiness.yaml"
    original = MINIMAL if example == "minimal" else source.read_text(encoding="utf-8")
    path = write(tmp_path, original)
    doc = yamledit.open_assessment(path)
    assert yamledit.render(doc) == original
    yamledit.save(doc)
    assert path.read_text(encoding="utf-8") == original


def test_switching_from_na_to_done_changes_only_the_lines_of_that_answer(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(
        path,
        ("set_answer", ("ownership.report-concerns", {"status": "done", "reason": None, "evidence": ["SUPPORT.md"]})),
    )
    removed, added = changes(MINIMAL, after)
    assert removed == [
        "    status: na",
        "    reason: Internal tool; concerns go through the support queue   # required for na",
    ]
    assert added == ["    status: done", "    evidence: [SUPPORT.md]"]
    # Only the removed key's own comment went; the one above it, and the section heading below, stay in place.
    assert set(comments(MINIMAL)) - set(comments(after)) == {"# required for na"}
    assert (
        "    status: done\n    evidence: [SUPPORT.md]\n    # Legal confirmed this on 2026-10-01.\n\n  # Data.\n"
        in after
    )
    assert answer(after, "ownership.report-concerns") == {"status": "done", "evidence": ["SUPPORT.md"]}
    loads(path)


def test_an_existing_answer_is_updated_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(
        path,
        ("set_answer", ("data.source-licence", {"status": "done", "due": None, "reviewed": date(2026, 11, 20)})),
    )
    removed, added = changes(MINIMAL, after)
    assert removed == ["    status: partial             # the wiki export is unclear", "    due: 2026-12-15"]
    assert added == ["    status: done                # the wiki export is unclear", "    reviewed: 2026-11-20"]
    # Keys keep their order; the new one comes after them, before the blank line and the next section.
    assert list(answer(after, "data.source-licence")) == ["status", "evidence", "owner", "reviewed"]
    assert "    owner: alice\n    reviewed: 2026-11-20\n\n# The gate.\npolicy:\n" in after
    assert comments(after) == comments(MINIMAL)
    loads(path)


def test_a_new_answer_goes_at_the_end_of_answers(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(
        path,
        (
            "set_answer",
            (
                "data.lineage",
                {"note": "Snapshot ids recorded per release", "status": "partial", "owner": "alice"},
            ),
        ),
    )
    removed, added = changes(MINIMAL, after)
    assert removed == []
    assert added == [
        "  data.lineage:",
        "    status: partial",
        "    note: Snapshot ids recorded per release",
        "    owner: alice",
    ]
    assert "    due: 2026-12-15\n  data.lineage:\n" in after
    assert "    owner: alice\n\n# The gate.\npolicy:\n" in after
    assert comments(after) == comments(MINIMAL)
    loads(path)


def test_answers_is_created_at_the_end_when_missing(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("answers:")] + MINIMAL[MINIMAL.index("# The gate.") :]
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"status": "todo", "owner": "alice"})))
    removed, added = changes(text, after)
    assert removed == []
    assert added == ["", "answers:", "  ownership.accountable-owner:", "    status: todo", "    owner: alice"]
    assert after.endswith(
        "  fail_on: blocker\n\nanswers:\n  ownership.accountable-owner:\n    status: todo\n    owner: alice\n"
    )
    loads(path)


def test_a_null_answers_key_is_filled_where_it_stands(tmp_path: Path) -> None:
    text = (
        MINIMAL[: MINIMAL.index("answers:")] + "answers:   # one per item\n\n" + MINIMAL[MINIMAL.index("# The gate.") :]
    )
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"status": "todo"})))
    removed, added = changes(text, after)
    assert removed == []
    assert added == ["  ownership.accountable-owner:", "    status: todo"]
    assert "answers:   # one per item\n  ownership.accountable-owner:\n    status: todo\n\n# The gate.\n" in after
    loads(path)


def test_an_answer_in_flow_style_stays_valid_yaml(tmp_path: Path) -> None:
    text = MINIMAL.replace("  # Data.\n", "  ownership.on-call: {status: todo}   # after the pilot\n\n  # Data.\n")
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.on-call", {"status": "done", "evidence": ["runbooks/on-call.md"]})))
    removed, added = changes(text, after)
    assert removed == ["  ownership.on-call: {status: todo}   # after the pilot"]
    assert added == ["  ownership.on-call: {status: done, evidence: [runbooks/on-call.md]}  # after the pilot"]
    assert answer(after, "ownership.on-call") == {"status": "done", "evidence": ["runbooks/on-call.md"]}
    loads(path)


def test_removing_the_last_key_keeps_the_comments_that_follow_it(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(path, ("set_answer", ("data.source-licence", {"due": None})))
    assert changes(MINIMAL, after) == (["    due: 2026-12-15"], [])
    assert comments(after) == comments(MINIMAL)


# ── Values read back as what was written ────────────────────────────────────────────────────────────────────

TRICKY = [
    "yes", "no", "on", "off", "Yes", "NO", "y", "true", "False", "null", "~", "", "123", "-7", "1.5", "1e3",
    "0x1F", "0o17", "1_000", "1:20", ".inf", "2026-01-01", "2026-01-01 10:00:00", "a: b", "a #b", "#x", "- x",
    "-x", "?x", "? x", ":x", "x:", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "[x]", "{x}", "a, b", "a,b",
    "'q'", '"dq"', "it's", " lead", "trail ", "two\nlines", "tab\there", "é ünïcode ✓",
    "https://grafana.example.com/d/abc?from=now-7d#panel-2", "<<", "=", "docs/a b.md",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_strings_read_back_as_the_same_strings(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, MINIMAL)
    long_list = [value, *(f"docs/evidence-file-{n}.md" for n in range(8))]  # over 100 characters: block style
    doc = yamledit.open_assessment(path)
    yamledit.set_answer(doc, "ownership.accountable-owner", {"note": value, "evidence": [value, "OWNERS"]})
    yamledit.set_answer(doc, "data.lineage", {"status": "todo", "note": value, "evidence": long_list})
    yamledit.set_answer(doc, "ownership.on-call", {"status": "todo", "evidence": [value]})
    yamledit.save(doc)
    text = path.read_text(encoding="utf-8")
    assert "      - docs/evidence-file-7.md\n" in text
    for data in (yaml.safe_load(text)["answers"], parse_document(text, "x").data["answers"]):
        assert data["ownership.accountable-owner"]["note"] == value
        assert data["ownership.accountable-owner"]["evidence"] == [value, "OWNERS"]
        assert data["data.lineage"]["note"] == value
        assert data["data.lineage"]["evidence"] == long_list
        assert data["ownership.on-call"]["evidence"] == [value]


def test_dates_are_plain_yaml_dates_and_lookalike_strings_are_quoted(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(
        path,
        (
            "set_answer",
            ("data.lineage", {"status": "todo", "due": date(2026, 12, 15), "note": "2026-12-15", "owner": "yes"}),
        ),
    )
    assert "    due: 2026-12-15\n" in after
    assert '    note: "2026-12-15"\n' in after
    assert '    owner: "yes"\n' in after
    assert yaml.safe_load(after)["answers"]["data.lineage"]["due"] == date(2026, 12, 15)
    assert answer(after, "data.lineage") == {
        "status": "todo",
        "note": "2026-12-15",
        "owner": "yes",
        "due": "2026-12-15",
    }


def test_a_long_note_stays_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    note = " ".join(["The alert threshold is not agreed yet"] * 150)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"note": note})))
    assert f"    note: {note}\n" in after


def test_new_lists_are_flow_when_short_and_block_when_long(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    long_list = [f"monitoring/alerts/very-long-alert-rule-file-name-{n}.yaml" for n in range(3)]
    after = edit(
        path,
        ("set_answer", ("data.lineage", {"status": "done", "evidence": ["a.md", "https://x.example/y"]})),
        ("set_answer", ("data.retention", {"status": "done", "evidence": long_list})),
    )
    assert '    evidence: [a.md, "https://x.example/y"]\n' in after
    assert "    evidence:\n" + "".join(f"      - {entry}\n" for entry in long_list) in after


def test_replacing_a_list_keeps_its_style_and_the_comments_of_kept_entries(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    long_list = [f"OWNERS-{n}-with-a-rather-long-name-for-the-file.md" for n in range(4)]
    after = edit(
        path,
        ("set_answer", ("data.source-licence", {"evidence": ["docs/sources.md", "docs/new.md"]})),
        ("set_answer", ("ownership.accountable-owner", {"evidence": long_list})),
    )
    removed, added = changes(MINIMAL, after)
    assert removed == ["    evidence: [OWNERS]", "      - docs/licences.md"]
    assert added == [f"    evidence: [{', '.join(long_list)}]", "      - docs/new.md"]
    assert "      - docs/sources.md         # the register\n      - docs/new.md\n    owner: alice\n" in after


def test_both_block_list_styles_are_kept(tmp_path: Path) -> None:
    flush = MINIMAL.replace("      - docs/sources.md", "    - docs/sources.md").replace(
        "      - docs/licences.md", "    - docs/licences.md"
    )
    for text, dash in ((MINIMAL, "      - "), (flush, "    - ")):
        path = write(tmp_path, text)
        after = edit(
            path,
            ("set_answer", ("ownership.report-concerns", {"note": "Checked with legal"})),
            (
                "set_answer",
                (
                    "data.lineage",
                    {"status": "todo", "evidence": [f"docs/lineage-{n:02}-long-name.md" for n in range(5)]},
                ),
            ),
        )
        removed, added = changes(text, after)
        assert removed == []
        assert added[0] == "    note: Checked with legal"
        assert added[3] == "    evidence:"
        assert added[4:] == [f"{dash}docs/lineage-{n:02}-long-name.md" for n in range(5)]
        assert f"{dash}docs/sources.md         # the register\n{dash}docs/licences.md\n" in after
        loads(path)


def test_a_four_space_file_gets_four_space_answers(tmp_path: Path) -> None:
    text = """\
version: 1
project:
    name: Wide
    target: prototype
answers:
    ownership.accountable-owner:
        status: todo
        evidence:
            - OWNERS
"""
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("security.no-secrets-in-prompts", {"status": "done", "evidence": ["a", "b"]})))
    assert changes(text, after) == (
        [],
        ["    security.no-secrets-in-prompts:", "        status: done", "        evidence: [a, b]"],
    )
    loads(path)


def test_lines_ruamel_would_rewrite_are_kept_when_not_edited(tmp_path: Path) -> None:
    text = (
        """\
---
# Hand-written, with aligned values.
version: 1
project:
  name:    Aligned Bot    # padded on purpose
  target:  prototype
  profile: {llm: True, agentic: False,risk: low}
answers:
  ownership.accountable-owner:
    status: todo
    evidence: [ OWNERS ]
  security.no-secrets-in-prompts: {status: todo}
policy:
  min_score: 70"""
        "   \n"  # trailing spaces
    )
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("security.no-secrets-in-prompts", {"status": "done"})))
    assert changes(text, after) == (
        ["  security.no-secrets-in-prompts: {status: todo}"],
        ["  security.no-secrets-in-prompts: {status: done}"],
    )
    loads(path)


def test_a_file_with_mixed_indentation_is_reindented_rather_than_broken(tmp_path: Path) -> None:
    text = """\
version: 1
project:
  name: Mixed
  target: prototype
answers:
  ownership.accountable-owner:
      status: todo      # indented by four
      owner: al
  security.no-secrets-in-prompts:
    status: todo
team:
  al: {name: Al}
"""
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"note": "Signed by Al"})))
    # Putting back the four-space lines next to a new two-space one would not be YAML: that answer is
    # written in the file's usual indentation instead, and nothing else moves.
    assert changes(text, after) == (
        ["      status: todo      # indented by four", "      owner: al"],
        ["    status: todo        # indented by four", "    owner: al", "    note: Signed by Al"],
    )
    assert answer(after, "ownership.accountable-owner") == {"status": "todo", "owner": "al", "note": "Signed by Al"}
    loads(path)


def test_comments_ending_the_file_stay_above_new_sections(tmp_path: Path) -> None:
    text = """\
# Starter written by `readiness init`.
version: 1

project:
  name: Starter Bot
  target: prototype
  profile: {}
    # llm: not answered yet

# The people.
team:
  al: {name: Al}

# Accepted risks:
# waivers:
#   - item: cost.load-test

# `readiness assess` adds the answers below.
"""
    path = write(tmp_path, text)
    after = edit(
        path,
        ("set_answer", ("ownership.accountable-owner", {"status": "todo", "owner": "al"})),
        ("set_raci", ("incident-response", ["al"], "al")),
    )
    # answers goes below the closing comments; raci, created once answers exists, right after team.
    assert after == text.replace(
        "  al: {name: Al}\n", "  al: {name: Al}\n\nraci:\n  incident-response: {R: [al], A: al}\n"
    ) + ("answers:\n  ownership.accountable-owner:\n    status: todo\n    owner: al\n")
    loads(path)


def test_an_empty_flow_answers_section_becomes_a_block(tmp_path: Path) -> None:
    text = "version: 1\nproject: {name: E, target: prototype}\nanswers: {}   # filled by assess\n"
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"status": "todo"})))
    assert after == (
        "version: 1\nproject: {name: E, target: prototype}\nanswers:      # filled by assess\n"
        "  ownership.accountable-owner:\n    status: todo\n"
    )
    loads(path)


# ── The edited file is still a valid assessment ─────────────────────────────────────────────────────────────


def test_answering_items_of_the_example_keeps_it_valid(tmp_path: Path) -> None:
    folder = tmp_path / "support-copilot"
    shutil.copytree(EXAMPLES / "support-copilot", folder)
    path = folder / "readiness.yaml"
    before = path.read_text(encoding="utf-8")
    loaded = loads(path)
    unanswered = [i.id for i in loaded.catalog.items if loaded.assessment.answer(i.id) is None]
    assert unanswered
    new_item = unanswered[0]
    after = edit(
        path,
        (
            "set_answer",
            (new_item, {"status": "done", "evidence": ["runbooks/rollback.md"], "reviewed": date(2026, 11, 20)}),
        ),
        ("set_answer", ("security.retrieval-permissions", {"status": "todo", "reason": None, "owner": "jonas"})),
    )
    reloaded = loads(path)
    new = reloaded.assessment.answer(new_item)
    assert new is not None
    assert (new.status.value, new.evidence, new.reviewed) == ("done", ("runbooks/rollback.md",), "2026-11-20")
    changed = reloaded.assessment.answer("security.retrieval-permissions")
    assert changed is not None
    assert (changed.status.value, changed.reason, changed.owner) == ("todo", "", "jonas")
    removed, added = changes(before, after)
    assert removed[:2] == ["    status: na", "    reason: >-"]
    assert added == [
        "    status: todo",
        "    owner: jonas",
        f"  {new_item}:",
        "    status: done",
        "    evidence: [runbooks/rollback.md]",
        "    reviewed: 2026-11-20",
    ]
    assert comments(after) == comments(before)


def test_the_minimal_assessment_loads_after_every_save(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    steps = [
        lambda: yamledit.set_answer(doc, "data.source-licence", {"status": "done", "due": None}),
        lambda: yamledit.add_member(doc, "bob", "Bob Diaz", "SRE"),
        lambda: yamledit.set_answer(doc, "ownership.on-call", {"status": "partial", "owner": "bob"}),
        lambda: yamledit.set_raci(doc, "incident-response", ["bob"], "alice"),
        lambda: yamledit.set_cost(
            doc,
            {
                "requests_per_day": 100,
                "tokens": {"input": 1000, "output": 200},
                "price_per_million": {"input": 3.0, "output": 15.0},
            },
        ),
        lambda: yamledit.set_answer(doc, "ownership.report-concerns", {"status": "todo", "reason": None}),
    ]
    for step in steps:
        step()
        yamledit.save(doc)
        loads(path)
    final = path.read_text(encoding="utf-8")
    assert set(comments(MINIMAL)) - set(comments(final)) == {"# required for na"}


# ── Saving ──────────────────────────────────────────────────────────────────────────────────────────────────


def test_a_file_changed_by_someone_else_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    yamledit.set_answer(doc, "data.lineage", {"status": "todo"})
    theirs = MINIMAL.replace("min_score: 70", "min_score: 80")
    path.write_text(theirs, encoding="utf-8")
    with pytest.raises(yamledit.FileChanged):
        yamledit.save(doc)
    assert path.read_text(encoding="utf-8") == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["readiness.yaml"]  # no temporary file left behind


def test_a_deleted_file_is_not_written_again(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    path.unlink()
    with pytest.raises(yamledit.FileChanged):
        yamledit.save(doc)
    assert not path.exists()


def test_consecutive_saves_from_one_object_each_land(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    yamledit.set_answer(doc, "data.lineage", {"status": "todo"})
    yamledit.save(doc)
    yamledit.set_answer(doc, "data.retention", {"status": "done"})
    yamledit.save(doc)
    text = path.read_text(encoding="utf-8")
    assert answer(text, "data.lineage") == {"status": "todo"}
    assert answer(text, "data.retention") == {"status": "done"}
    assert doc.baseline == path.read_bytes()
    path.write_text(text + "# edited by hand\n", encoding="utf-8")
    yamledit.set_answer(doc, "data.retention", {"status": "partial"})
    with pytest.raises(yamledit.FileChanged):
        yamledit.save(doc)


def test_crlf_line_ends_and_a_bom_survive(tmp_path: Path) -> None:
    path = tmp_path / "readiness.yaml"
    path.write_bytes(codecs.BOM_UTF8 + MINIMAL.replace("\n", "\r\n").encode("utf-8"))
    doc = yamledit.open_assessment(path)
    yamledit.set_answer(doc, "ownership.report-concerns", {"status": "done", "reason": None})
    yamledit.set_answer(doc, "data.lineage", {"status": "todo", "note": "two\nlines"})
    rendered = yamledit.render(doc)
    yamledit.save(doc)
    raw = path.read_bytes()
    assert raw == rendered.encode("utf-8")
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.count(b"\n") == raw.count(b"\r\n") > 30
    text = raw[len(codecs.BOM_UTF8) :].decode("utf-8").replace("\r\n", "\n")
    assert changes(MINIMAL, text) == (
        ["    status: na", "    reason: Internal tool; concerns go through the support queue   # required for na"],
        ["    status: done", "  data.lineage:", "    status: todo", '    note: "two\\nlines"'],
    )
    assert answer(text, "data.lineage")["note"] == "two\nlines"
    loads(path)


def test_a_plain_file_gets_no_bom_and_no_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    edit(path, ("set_answer", ("data.lineage", {"status": "todo"})))
    raw = path.read_bytes()
    assert not raw.startswith(codecs.BOM_UTF8)
    assert b"\r" not in raw


def test_the_file_mode_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    path.chmod(0o640)
    edit(path, ("set_answer", ("data.lineage", {"status": "todo"})))
    assert path.stat().st_mode & 0o777 == 0o640


# ── Team, RACI and cost ─────────────────────────────────────────────────────────────────────────────────────

BARE = """\
# Readiness of the Bare bot.
version: 1

project:
  name: Bare Bot
  target: pilot
  profile: {llm: true}

# Packs in use.
checklists:
  use: [ownership, data]

# The gate.
policy:
  min_score: 70
"""


def test_team_raci_and_cost_are_created_where_they_belong(tmp_path: Path) -> None:
    path = write(tmp_path, BARE)
    after = edit(
        path,
        ("add_member", ("maya", "Maya Lindqvist", "Head of Support Tools")),
        ("add_member", ("tomas", "Tomás Ferreira", None)),
        ("set_raci", ("incident-response", ["tomas", "maya"], "maya")),
        (
            "set_cost",
            (
                {
                    "requests_per_day": 5400,
                    "tokens": {"input": 2600, "output": 320},
                    "price_per_million": {"input": 2.5, "output": 10.0},
                    "budget_monthly": 4500,
                },
            ),
        ),
    )
    assert after == BARE.replace(
        "  use: [ownership, data]\n",
        "  use: [ownership, data]\n"
        "\n"
        "team:\n"
        "  maya: {name: Maya Lindqvist, role: Head of Support Tools}\n"
        "  tomas: {name: Tomás Ferreira}\n"
        "\n"
        "raci:\n"
        "  incident-response: {R: [tomas, maya], A: maya}\n"
        "\n"
        "cost:\n"
        "  requests_per_day: 5400\n"
        "  tokens: {input: 2600, output: 320}\n"
        "  price_per_million: {input: 2.5, output: 10.0}\n"
        "  budget_monthly: 4500\n",
    )
    loaded = loads(path)
    assert [(m.id, m.name) for m in loaded.assessment.team] == [("maya", "Maya Lindqvist"), ("tomas", "Tomás Ferreira")]


def test_team_goes_after_project_when_there_is_no_checklists_section(tmp_path: Path) -> None:
    text = BARE.replace("# Packs in use.\nchecklists:\n  use: [ownership, data]\n\n", "")
    path = write(tmp_path, text)
    after = edit(path, ("add_member", ("maya", "Maya", "Owner")))
    assert "  profile: {llm: true}\n\nteam:\n  maya: {name: Maya, role: Owner}\n\n# The gate.\npolicy:\n" in after
    loads(path)


def test_cost_goes_at_the_end_when_there_is_no_policy(tmp_path: Path) -> None:
    text = BARE[: BARE.index("# The gate.")] + "# Answers come below.\n"
    path = write(tmp_path, text)
    after = edit(
        path,
        (
            "set_cost",
            (
                {
                    "requests_per_day": 10,
                    "tokens": {"input": 1, "output": 1},
                    "gpu": {"hourly_rate": 2.5, "tokens_per_second": 900},
                },
            ),
        ),
    )
    assert (
        after
        == text
        + "cost:\n  requests_per_day: 10\n  tokens: {input: 1, output: 1}\n"
        + "  gpu: {hourly_rate: 2.5, tokens_per_second: 900}\n"
    )
    loads(path)


def test_editing_existing_team_raci_and_cost_keeps_their_comments(tmp_path: Path) -> None:
    folder = tmp_path / "support-copilot"
    shutil.copytree(EXAMPLES / "support-copilot", folder)
    path = folder / "readiness.yaml"
    before = path.read_text(encoding="utf-8")
    cost = {
        "currency": "USD",
        "horizon_months": 6,
        "requests_per_day": 5400,
        "monthly_growth": 0.4,
        "tokens": {"input": 2600, "output": 400},
        "price_per_million": {"input": 2.5, "output": 10.0},
        "cache_hit_rate": 0.4,
        "fixed_monthly": 1100,
        "budget_monthly": 6000.0,
        "gpu": {"hourly_rate": 4.0, "tokens_per_second": 2500},
    }
    after = edit(
        path,
        ("add_member", ("kai", "Kai Müller", "Data engineer")),
        ("set_raci", ("retraining", ["priya"], "maya")),
        ("set_cost", (cost,)),
    )
    removed, added = changes(before, after)
    assert removed == [
        "  retraining: {R: [tomas], A: tomas, C: [priya], I: [maya]}          # here: provider model-version upgrades",
        "  horizon_months: 5",
        "  tokens: {input: 2600, output: 320}",
        "  price_per_million: {input: 2.5, output: 10.0, cached_input: 1.25}",
        "  overhead: 0.12                  "
        "# regenerations and nightly evaluations (October: 187,500 calls, 167,400 drafts)",
        "  budget_monthly: 7500",
        "  volatility: 2.0",
    ]
    assert added == [
        "  kai: {name: Kai Müller, role: Data engineer}",
        "  retraining: {R: [priya], A: maya, C: [priya], I: [maya]}           # here: provider model-version upgrades",
        "  horizon_months: 6",
        "  tokens: {input: 2600, output: 400}",
        "  price_per_million: {input: 2.5, output: 10.0}",
        "  budget_monthly: 6000.0",
        "  gpu: {hourly_rate: 4.0, tokens_per_second: 2500}",
    ]
    assert set(comments(before)) - set(comments(after)) == {
        "# regenerations and nightly evaluations (October: 187,500 calls, 167,400 drafts)"
    }
    loaded = loads(path)
    assert loaded.assessment.cost is not None
    written = loaded.assessment.cost
    assert (type(written["horizon_months"]), type(written["budget_monthly"])) == (int, float)
    assert (type(written["price_per_million"]["output"]), type(written["fixed_monthly"])) == (float, int)


def test_set_raci_adds_r_and_a_in_front_and_keeps_a_single_responsible_id(tmp_path: Path) -> None:
    text = BARE.replace(
        "# The gate.\n",
        "team:\n  ann: {name: Ann}\n  ben: {name: Ben}\n\n"
        "raci:\n  rollback: {C: [ann]}   # agreed in the retro\n  model-quality: {R: ann, A: ann, I: [ben]}\n\n"
        "# The gate.\n",
    )
    path = write(tmp_path, text)
    after = edit(
        path,
        ("set_raci", ("rollback", ["ben", "ann"], "ann")),
        ("set_raci", ("model-quality", ["ben"], "ben")),
    )
    assert changes(text, after) == (
        ["  rollback: {C: [ann]}   # agreed in the retro", "  model-quality: {R: ann, A: ann, I: [ben]}"],
        [
            "  rollback: {R: [ben, ann], A: ann, C: [ann]}  # agreed in the retro",
            "  model-quality: {R: ben, A: ben, I: [ben]}",
        ],
    )
    loads(path)


def test_very_small_and_large_floats_stay_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, BARE)
    after = edit(
        path,
        ("set_cost", ({"requests_per_day": 1e20, "monthly_growth": 1e-7, "tokens": {"input": 1, "output": 2.0}},)),
    )
    written = parse_document(after, "x").data["cost"]
    assert written == {"requests_per_day": 1e20, "monthly_growth": 1e-7, "tokens": {"input": 1, "output": 2.0}}
    assert [type(v) for v in (written["requests_per_day"], written["monthly_growth"])] == [float, float]
    assert yaml.safe_load(after)["cost"]["monthly_growth"] == 1e-7


def test_an_existing_member_is_updated_not_duplicated(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    after = edit(path, ("add_member", ("alice", "Alice Chen-Li", "Head of ML")))
    assert changes(MINIMAL, after) == (
        ["  alice: {name: Alice Chen, role: ML lead}   # accountable owner"],
        ["  alice: {name: Alice Chen-Li, role: Head of ML}  # accountable owner"],
    )


# ── Mistakes of the caller ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"stauts": "done"}, ValueError),
        ({"evidence": "OWNERS"}, TypeError),
        ({"evidence": ["OWNERS", 3]}, TypeError),
        ({"due": "2026-12-15"}, TypeError),
        ({"due": datetime(2026, 12, 15, 10, 0)}, TypeError),
        ({"note": 5}, TypeError),
    ],
)
def test_wrong_fields_are_refused_before_anything_changes(
    tmp_path: Path, fields: dict[str, object], error: type
) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    with pytest.raises(error):
        yamledit.set_answer(doc, "ownership.accountable-owner", fields)
    assert yamledit.render(doc) == MINIMAL


# ── What the user wrote around and between the values ───────────────────────────────────────────────────────

# Directives and document markers, with comments among them, and values that ruamel would write otherwise than
# the user did, each on a line an edit below changes or sits next to.
FRAMED = """\
# Readiness of the Framed bot.
%YAML 1.2
# the directive above is kept
--- # the assessment starts here
version: 1
project: {name: &bot "Fr\\u00e4med\\tBot", target: pilot, profile: {llm: yes, agentic: No, risk: high}}
checklists: {use: [ownership, cost]}
team: {alice: {name: *bot, role: 'ML ''lead'''}, bob: {name: "B\\x6Fb", role: "S\\u00e9R"}}
cost:
  horizon_months: 12
  requests_per_day: 1_000
  monthly_growth: 0.25
  tokens: {input: 1800, output: 350}
  price_per_million: {input: 3.0, output: 15.0}
  fixed_monthly: 1.0e+3
answers:
  ownership.accountable-owner: {status: todo, note: "caf\\u00e9 \\"quoted\\"", due: 2026-01-01, reason: 0o14}
  ownership.spend-owner: {status: partial, note: 2026-01-01T00:00:00Z, evidence: ['a b', "c\\\\d"]}
  ownership.raci-complete:
    status: todo
    note: |+
      kept, with the blank line below

  ownership.rollback-authority:
    status: todo
    note: >-
      A folded note that goes on and on and on and on and on and on and on and on and on and on and on and on
      and on, over two lines.
... # the assessment ends here
# and a comment after it
"""

EDITS: dict[str, tuple[str, Any]] = {
    "status in a flow answer": ("set_answer", ("ownership.accountable-owner", {"status": "partial"})),
    "status next to a timestamp": ("set_answer", ("ownership.spend-owner", {"status": "done"})),
    "status above a kept block": ("set_answer", ("ownership.raci-complete", {"status": "done"})),
    "status above a folded note": ("set_answer", ("ownership.rollback-authority", {"status": "done"})),
    "a new answer at the end": ("set_answer", ("ownership.release-gate-owner", {"status": "done", "note": "n"})),
    "a new member": ("add_member", ("cy", "Cy", None)),
    "one number of the cost": (
        "set_cost",
        (
            {
                "horizon_months": 12,
                "requests_per_day": 1000,
                "monthly_growth": 0.3,
                "tokens": {"input": 1800, "output": 350},
                "price_per_million": {"input": 3.0, "output": 15.0},
                "fixed_monthly": 1000.0,
            },
        ),
    ),
    "a new raci section": ("set_raci", ("incident-response", ["alice"], "alice")),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_directives_markers_and_untouched_values_survive_byte_for_byte(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, FRAMED)
    before = parse_document(FRAMED, "readiness.yaml").data
    after = edit(path, EDITS[name])
    old, new = FRAMED.splitlines(keepends=True), after.splitlines(keepends=True)
    assert new[:4] == old[:4]  # the comments, the %YAML directive and the `---` line
    assert new[-2:] == old[-2:]  # the `...` line and the comment after it
    removed, added = changes(FRAMED, after)
    assert len(removed) <= 1, "only the edited line may change"
    if removed:  # an edit within a line changes the edited value only: every other token stays as written
        edited = SequenceMatcher(None, removed[0], added[0], autojunk=False)
        unchanged = sum(block.size for block in edited.get_matching_blocks())
        assert len(removed[0]) - unchanged <= len("partial"), (removed, added)
    data = parse_document(after, "readiness.yaml").data
    assert data["project"] == before["project"] and data["answers"]["ownership.raci-complete"]["note"].endswith("\n\n")
    loads(path)


def test_a_file_without_a_final_line_break_keeps_it_that_way(tmp_path: Path) -> None:
    text = "version: 1\nproject: {name: Mini}\n...  # end"
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"status": "todo"})))
    assert after.endswith("\n  ownership.accountable-owner:\n    status: todo\n...  # end")


@pytest.mark.parametrize(
    "text",
    ["Bob\x1b[2J", "\x1b]0;owned\x07", "a\x9bb", "line\u2028sep", "next\x85line", "\ufeffmark", "a\udcffb", "\x00"],
    ids=["csi", "osc", "c1", "u2028", "u0085", "bom", "not-utf8", "nul"],
)
def test_a_string_the_reader_would_refuse_is_never_written(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, MINIMAL)
    doc = yamledit.open_assessment(path)
    for setter, arguments in (
        ("set_answer", ("ownership.accountable-owner", {"status": "done", "note": text})),
        ("set_answer", ("ownership.accountable-owner", {"status": "done", "evidence": ["OWNERS", text]})),
        ("set_answer", ("data.source-licence", {"status": "na", "reason": text})),
        ("add_member", ("bob", text, None)),
        ("add_member", ("alice", "Alice Chen", text)),
    ):
        with pytest.raises(ValueError, match=r"U\+|not UTF-8"):
            getattr(yamledit, setter)(doc, *arguments)
        assert yamledit.render(doc) == MINIMAL  # refused before anything changed
    yamledit.save(doc)
    assert path.read_text(encoding="utf-8") == MINIMAL


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (MINIMAL.replace("  target: pilot\n", "  target: [pilot\n"), ":9:"),  # a syntax error
        (MINIMAL.replace("  target: pilot\n", "\ttarget: pilot\n"), ":8:1:"),  # a tab
        (MINIMAL.replace("  target: pilot\n", "  target: pilot\n  target: scale\n"), ":9:3:"),  # a duplicate key
        (MINIMAL.replace("Mini Bot", "Mini\u2028Bot"), ":6:13:"),  # a character the reader refuses
    ],
    ids=["syntax", "tab", "duplicate", "u2028"],
)
def test_a_file_that_cannot_be_read_is_told_in_the_readers_words(tmp_path: Path, text: str, where: str) -> None:
    from readiness.load.diagnostics import InputError

    path = write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        yamledit.open_assessment(path)
    with pytest.raises(InputError) as read:
        parse_document(text, str(path))
    told = [d.format() for d in raised.value.diagnostics]
    assert told == [d.format() for d in read.value.diagnostics]
    assert where in told[0] and "<unicode string>" not in told[0] and "ruamel" not in told[0]


def test_a_yaml_11_directive_warns_nobody(tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    """ruamel reads a %YAML 1.1 file the 1.1 way and warns about floats such as 1e3; the tool reads them."""
    text = "%YAML 1.1\n---\nversion: 1\nproject: {name: Mini}\ncost: {fixed_monthly: 1e3}\n"
    path = write(tmp_path, text)
    after = edit(path, ("set_answer", ("ownership.accountable-owner", {"status": "todo"})))
    assert after.startswith(text) and not recwarn.list


# Any character, with the ones the reader treats specially drawn often.
_TYPED = st.text(
    st.characters(exclude_categories=["Cs"])
    | st.sampled_from("\x00\x07\t\r\n\x1b\x7f\x85\x9b\xa0\u2028\u2029\ufeff\ufffe\udcff'\"#:&*!|>{}[],%@`-? "),
    max_size=24,
)


@settings(derandomize=True, deadline=None, max_examples=80)
@given(text=_TYPED)
@example(text="yes")
@example(text=" - a: b # c")
@example(text='caf\u00e9\tand "quotes"')
@example(text="\x1b[2J")
def test_what_the_prompt_accepts_is_read_back_as_typed_and_what_it_refuses_is_never_written(text: str) -> None:
    """The prompt's rule (typedtext) is the reader's: a note, a name or a role it lets through is read back by
    the tool's own reader exactly as typed, whether `assess` writes it (ruamel) or `init` does (the starter)."""
    from readiness.edit.starter import Member, Starter, starter_text
    from readiness.edit.typedtext import character_problem, one_line_problem

    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), MINIMAL)
        doc = yamledit.open_assessment(path)
        if character_problem(text) is not None:
            event("refused")
            with pytest.raises(ValueError):
                yamledit.set_answer(doc, "ownership.accountable-owner", {"status": "done", "note": text})
            return
        event("accepted")
        yamledit.set_answer(doc, "ownership.accountable-owner", {"status": "done", "note": text})
        yamledit.add_member(doc, "bob", text or "x", text or None)
        yamledit.save(doc)
        data = parse_document(path.read_text(encoding="utf-8"), "readiness.yaml").data
        assert data["answers"]["ownership.accountable-owner"]["note"] == text
        assert data["team"]["bob"] == ({"name": text, "role": text} if text else {"name": "x"})
    if one_line_problem(text) is None and text:
        starter = Starter(text, description=text, team=[Member("bo", text, text)])
        project = parse_document(starter_text(starter), "readiness.yaml").data
        assert project["project"]["name"] == text and project["project"]["description"] == text
        assert project["team"]["bo"] == {"name": text, "role": text}
