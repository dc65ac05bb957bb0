"""DESIGN.md §5: every kind of bad input gets `FILE:LINE:COL: error: <json path>: <message>`, exit 2, no traceback.

Each bad file is the small valid assessment BASE with one or a few lines changed, so every expected line and
column below can be read off this listing:

     1 version: 1
     2 project:
     3   name: Support Copilot
     4   stage: pilot
     5   target: production
     6   profile: {llm: true}
     7 team:
     8   alice: {name: Alice Chen, role: ML lead}
     9   bob: {name: Bob Diaz, role: SRE}
    10 raci:
    11   incident-response: {R: [bob], A: bob, C: [alice]}
    12 answers:
    13   ownership.on-call:
    14     status: partial
    15     owner: bob
    16     due: 2026-12-15
    17   observability.golden-signals:
    18     status: done
    19 waivers:
    20   - item: ownership.report-concerns
    21     reason: Pilot only
    22     approved_by: alice
    23     expires: 2027-01-31
    24 policy:
    25   min_score: 70

Lines appended to it start at line 26.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import TODAY, Run

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]

BASE = """\
version: 1
project:
  name: Support Copilot
  stage: pilot
  target: production
  profile: {llm: true}
team:
  alice: {name: Alice Chen, role: ML lead}
  bob: {name: Bob Diaz, role: SRE}
raci:
  incident-response: {R: [bob], A: bob, C: [alice]}
answers:
  ownership.on-call:
    status: partial
    owner: bob
    due: 2026-12-15
  observability.golden-signals:
    status: done
waivers:
  - item: ownership.report-concerns
    reason: Pilot only
    approved_by: alice
    expires: 2027-01-31
policy:
  min_score: 70
"""

MB = 1024 * 1024

# One diagnostic line of the contract: FILE:LINE:COL: error|warning: <json path>: <message>
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<path>\$\S*): .+$")


def edit(old: str, new: str, text: str = BASE) -> str:
    """`text` with the one occurrence of `old` replaced."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def at(path: Path | str, line: int, col: int, json_path: str) -> str:
    """The start of the expected diagnostic line."""
    return f"{path}:{line}:{col}: error: {json_path}: "


def errors_of(run: Run) -> list[str]:
    """The error lines of a run that must have refused its input; every stderr line must be a diagnostic."""
    assert "Traceback" not in run.err, run.err
    assert run.code == 2, f"exit {run.code}, stderr:\n{run.err}"
    lines = run.err.splitlines()
    matches = [DIAGNOSTIC.match(line) for line in lines]
    for line, match in zip(lines, matches, strict=True):
        assert match, f"not FILE:LINE:COL: error: <json path>: <message>: {line!r}"
    return [line for line, match in zip(lines, matches, strict=True) if match and match["level"] == "error"]


def check(cli: CliRunner, path: Path | str, *more: str | Path) -> Run:
    return cli("check", path, "--today", TODAY, *more)


def bad(cli: CliRunner, path: Path, *, validate: bool = True) -> list[str]:
    """`check` on a bad file: exit 2, no traceback, no report on stdout; the error lines.

    With `validate`, `readiness validate FILE` must report the very same errors. (Left out where a table of cases
    goes through the same code path, to keep the module fast.)
    """
    run = check(cli, path)
    found = errors_of(run)
    assert run.out == ""
    if validate:
        assert errors_of(cli("validate", path)) == found, "validate and check disagree"
    return found


def expect_one(found: list[str], where: str, fragment: str) -> str:
    """Exactly one error, starting with `where` and containing `fragment` after it; returns what follows `where`."""
    assert len(found) == 1, "\n".join(found)
    line = found[0]
    assert line.startswith(where), f"{line!r} does not start with {where!r}"
    rest = line[len(where) :]
    assert fragment in rest, f"{fragment!r} not in {line!r}"
    return rest


def positions(found: list[str]) -> list[tuple[int, int]]:
    matches = [DIAGNOSTIC.match(line) for line in found]
    return [(int(m["line"]), int(m["col"])) for m in matches if m]


# --- reading the file: YAML and bytes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "fragment"),
    [
        # The flow sequence opened on line 3 is found unclosed at the ':' of line 4.
        pytest.param(
            "  name: Support Copilot",
            "  name: [Support Copilot",
            4,
            8,
            "(while parsing a flow sequence at line 3)",
            id="unclosed-bracket",
        ),
        pytest.param(
            "  stage: pilot", "  stage: pilot: again", 4, 15, "mapping values are not allowed", id="colon-in-value"
        ),
        pytest.param(
            "  name: Support Copilot",
            '  name: "Support Copilot',
            26,
            1,
            "(while scanning a quoted scalar at line 3)",
            id="unclosed-quote",
        ),
        pytest.param(
            "  name: Support Copilot\n  stage: pilot\n  target: production",
            "  name: Support Copilot\n  description: |\n    Drafts replies\n    \twith a tab, which block scalars allow"
            "\n  stage: pilot\n  target: [production",
            9,
            10,
            "(while parsing a flow sequence at line 8)",
            id="tab-in-block-scalar-hides-the-error",
        ),
    ],
)
def test_yaml_syntax_error(
    cli: CliRunner, write: Writer, old: str, new: str, line: int, col: int, fragment: str
) -> None:
    path = write("readiness.yaml", edit(old, new))
    expect_one(bad(cli, path), at(path, line, col, "$") + "YAML syntax error: ", fragment)


@pytest.mark.parametrize(("indent", "col"), [("\t", 1), ("  \t", 3)], ids=["tab", "spaces-then-tab"])
def test_tab_indentation(cli: CliRunner, write: Writer, indent: str, col: int) -> None:
    path = write("readiness.yaml", edit("  stage: pilot", f"{indent}stage: pilot"))
    expect_one(bad(cli, path), at(path, 4, col, "$"), "tab character in indentation; YAML indents with spaces")


def test_tab_after_a_colon_is_fine(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", edit("  stage: pilot", "  stage:\tpilot"))
    assert check(cli, path).code == 1


@pytest.mark.parametrize(
    ("text", "line", "col", "json_path", "fragment"),
    [
        pytest.param(
            edit("  target: production", "  stage: production"),
            5,
            3,
            "$.project.stage",
            "at lines 4 and 5",
            id="nested",
        ),
        pytest.param(
            BASE + "answers:\n  ownership.spend-owner: {status: todo}\n",
            26,
            1,
            "$.answers",
            "at lines 12 and 26",
            id="top-level",
        ),
        pytest.param(
            edit("{name: Alice Chen, role: ML lead}", "{name: Alice Chen, name: Alice}"),
            8,
            29,
            "$.team.alice.name",
            "11",  # the column of the first 'name', to tell the two apart
            id="same-line",
        ),
    ],
)
def test_duplicate_key_names_both_lines(
    cli: CliRunner, write: Writer, text: str, line: int, col: int, json_path: str, fragment: str
) -> None:
    path = write("readiness.yaml", text)
    message = expect_one(bad(cli, path), at(path, line, col, json_path), "duplicate key")
    assert fragment in message
    assert f"lines {line} and {line}" not in message


def billion_laughs() -> str:
    """Nine aliases per level over nine levels: 9**9 strings if expanded."""
    lines = ["version: 1", "a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join([*lines, "project: {name: *i}", ""])


def test_alias_bomb_is_refused_before_it_expands(cli: CliRunner, write: Writer) -> None:
    """The bomb is named as one, once, inside it: a reader that expanded it would give no such message."""
    path = write("readiness.yaml", billion_laughs())
    found = bad(cli, path)
    expect_one(found, f"{path}:", "(an alias bomb?)")
    assert 2 <= positions(found)[0][0] <= 10  # somewhere in the bomb


def test_alias_bomb_points_at_the_line_that_expands(cli: CliRunner, write: Writer) -> None:
    text = billion_laughs()
    path = write("readiness.yaml", text)
    [message] = bad(cli, path)
    match = re.search(r": error: \$\.([a-z]+)", message)
    assert match, message
    key_line = text.splitlines().index(next(s for s in text.splitlines() if s.startswith(f"{match[1]}:"))) + 1
    assert message.startswith(f"{path}:{key_line}:"), message


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(6 * MB, id="6-mb"),
        pytest.param(
            5 * MB + 1,
            id="one-byte-over",
        ),
    ],
)
def test_file_over_5_mb(cli: CliRunner, write: Writer, size: int) -> None:
    path = write("readiness.yaml", BASE + "#" * (size - len(BASE) - 1) + "\n")
    assert path.stat().st_size == size
    message = expect_one(bad(cli, path), at(path, 1, 1, "$"), "the limit is 5 MB")
    shown = re.search(r"file is ([\d.]+) MB", message)
    assert shown is None or float(shown[1]) > 5, "the size shown must exceed the limit it breaks"


def test_file_of_exactly_5_mb_is_read(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", BASE + "#" * (5 * MB - len(BASE) - 1) + "\n")
    assert path.stat().st_size == 5 * MB
    assert check(cli, path).code == 1


@pytest.mark.parametrize(
    ("content", "line", "col", "byte"),
    [
        pytest.param(
            edit("  name: Support Copilot", "  name: Support Copilot café").encode("latin-1"), 3, 28, "0xe9", id="value"
        ),
        pytest.param(edit("raci:", "raci: # \xff").encode("latin-1"), 10, 9, "0xff", id="comment"),
        # The column counts characters: 'ü' is two bytes of valid UTF-8 before the bad byte.
        pytest.param(
            edit("  name: Support Copilot", "  name: Müller café").encode().replace("é".encode(), b"\xe9"),
            3,
            19,
            "0xe9",
            id="after-multibyte",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + edit("  name: Support Copilot", "  name: Support Copilot café").encode("latin-1"),
            3,
            28,
            "0xe9",
            id="after-a-bom",
        ),
    ],
)
def test_non_utf8_byte_is_pinned(cli: CliRunner, write: Writer, content: bytes, line: int, col: int, byte: str) -> None:
    path = write("readiness.yaml", content)
    expect_one(bad(cli, path), at(path, line, col, "$"), f"not valid UTF-8: byte {byte} cannot be decoded")


@pytest.mark.parametrize(
    ("name", "col"),
    [
        pytest.param("Support Copilot", 24, id="ascii"),
        pytest.param(
            "Café Copilot",
            21,
            id="after-non-ascii",
        ),
    ],
)
def test_control_character_is_pinned(cli: CliRunner, write: Writer, name: str, col: int) -> None:
    path = write("readiness.yaml", edit("  name: Support Copilot", f"  name: {name}\x07"))
    expect_one(bad(cli, path), at(path, 3, col, "$"), "control character U+0007 is not allowed in YAML")


@pytest.mark.parametrize(
    "content", ["", "# only a comment\n# and another one\n", "\n   \n"], ids=["empty", "comments", "blank"]
)
def test_empty_file(cli: CliRunner, write: Writer, content: str) -> None:
    path = write("readiness.yaml", content)
    expect_one(bad(cli, path), at(path, 1, 1, "$"), "file is empty")


@pytest.mark.parametrize(
    ("make", "fragment"), [("directory", "is a directory, not a file"), ("missing", "no such file")]
)
def test_not_a_file(cli: CliRunner, tmp_path: Path, make: str, fragment: str) -> None:
    path = tmp_path / "readiness.yaml"
    if make == "directory":
        path.mkdir()
    expect_one(bad(cli, path), at(path, 1, 1, "$"), fragment)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_refused_without_blocking(cli: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "readiness.yaml"
    os.mkfifo(fifo)
    opened = threading.Event()
    done = threading.Event()

    def writer() -> None:
        # Opening a FIFO to read blocks until a writer comes. Be that writer whenever a reader waits, so that a
        # tool which opens the FIFO fails this test instead of hanging it.
        while not done.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody is reading
                done.wait(0.01)
                continue
            opened.set()
            os.close(descriptor)

    guard = threading.Thread(target=writer, daemon=True)
    guard.start()
    try:
        found = bad(cli, fifo)
    finally:
        done.set()
        guard.join()
    assert not opened.is_set(), "the FIFO was opened"
    expect_one(found, at(fifo, 1, 1, "$"), "is not a regular file")


@pytest.mark.parametrize(
    "tag",
    ["!!python/object:os.system x", "!!python/object/apply:os.system [touch {pwned}]", "!!python/name:os.system"],
    ids=["object", "object-apply", "name"],
)
def test_python_tags_are_refused_not_run(cli: CliRunner, write: Writer, tmp_path: Path, tag: str) -> None:
    pwned = tmp_path / "pwned"
    path = write("readiness.yaml", edit("  name: Support Copilot", f"  name: {tag.format(pwned=pwned)}"))
    message = expect_one(bad(cli, path), at(path, 3, 9, "$.project.name"), "YAML tag '!!python/")
    assert message.endswith("' is not allowed; write the value plainly")
    assert not pwned.exists()


def test_two_documents(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", BASE + "---\nversion: 1\n")
    expect_one(bad(cli, path), at(path, 26, 1, "$"), "more than one YAML document")


def test_utf8_bom_is_read(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", "\ufeff".encode() + BASE.encode())
    run = check(cli, path)
    assert run.code in (0, 1), run.err
    assert "error" not in run.err
    assert cli("validate", path).out == f"{path}: ok (assessment)\n"


# --- the schema: types, keys, enums, dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "json_path", "fragment"),
    [
        (
            "project:\n  name: Support Copilot\n  stage: pilot\n  target: production\n  profile: {llm: true}\n",
            "project: [a]\n#\n#\n#\n#\n",
            2,
            10,
            "$.project",
            "expected a mapping, got a list",
        ),
        (
            "min_score: 70",
            'min_score: "high"',
            25,
            14,
            "$.policy.min_score",
            "expected a number, got the string 'high'",
        ),
        ("  stage: pilot", "  stagee: pilot", 4, 3, "$.project.stagee", "unknown key 'stagee' (did you mean 'stage'?)"),
        ("answers:", "answer:", 12, 1, "$.answer", "unknown key 'answer' (did you mean 'answers'?)"),
        (
            "status: partial",
            "status: dun",
            14,
            13,
            '$.answers["ownership.on-call"].status',
            "the string 'dun' is not one of: done, partial, todo, na, proposed (did you mean 'done'?)",
        ),
        ("target: production", "target: prod", 5, 11, "$.project.target", "(did you mean 'production'?)"),
        (
            "due: 2026-12-15",
            "due: 2026-02-30",
            16,
            10,
            '$.answers["ownership.on-call"].due',
            "'2026-02-30' is not a valid date",
        ),
        ("expires: 2027-01-31", "expires: 2027-02-30", 23, 14, "$.waivers[0].expires", "is not a valid date"),
        ("version: 1", "version: 2", 1, 10, "$.version", "must be 1, got 2"),
    ],
    ids=[
        "project-list",
        "min-score-string",
        "unknown-key",
        "unknown-top-level-key",
        "status-enum",
        "target-enum",
        "due-date",
        "expires-date",
        "version",
    ],
)
def test_schema_problem(
    cli: CliRunner, write: Writer, old: str, new: str, line: int, col: int, json_path: str, fragment: str
) -> None:
    path = write("readiness.yaml", edit(old, new))
    expect_one(bad(cli, path, validate=False), at(path, line, col, json_path), fragment)


# --- references: items, teams, activities, packs, na, waivers ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "json_path", "fragment"),
    [
        (
            "  ownership.on-call:",
            "  ownership.on-cal:",
            13,
            3,
            '$.answers["ownership.on-cal"]',
            "unknown item 'ownership.on-cal' (did you mean 'ownership.on-call'?)",
        ),
        (
            "owner: bob",
            "owner: bobb",
            15,
            12,
            '$.answers["ownership.on-call"].owner',
            "unknown team id 'bobb' (did you mean 'bob'?)",
        ),
        (
            "approved_by: alice",
            "approved_by: alic",
            22,
            18,
            "$.waivers[0].approved_by",
            "unknown team id 'alic' (did you mean 'alice'?)",
        ),
        (
            "R: [bob]",
            "R: [bobby]",
            11,
            27,
            "$.raci.incident-response.R[0]",
            "unknown team id 'bobby' (did you mean 'bob'?)",
        ),
        ("A: bob", "A: bobb", 11, 36, "$.raci.incident-response.A", "unknown team id 'bobb' (did you mean 'bob'?)"),
        (
            "C: [alice]",
            "C: [alise]",
            11,
            45,
            "$.raci.incident-response.C[0]",
            "unknown team id 'alise' (did you mean 'alice'?)",
        ),
        (
            "  incident-response:",
            "  incident-responce:",
            11,
            3,
            "$.raci.incident-responce",
            "unknown activity 'incident-responce' (did you mean 'incident-response'?)",
        ),
        (
            "status: partial",
            "status: na",
            14,
            13,
            '$.answers["ownership.on-call"].status',
            "'na' needs a reason",
        ),
        (
            "  ownership.on-call:\n    status: partial\n    owner: bob\n",
            "  ownership.accountable-owner:\n    status: na\n    reason: We are a team of one\n",
            14,
            13,
            '$.answers["ownership.accountable-owner"].status',
            "item 'ownership.accountable-owner' cannot be marked na",
        ),
        (
            "item: ownership.report-concerns",
            "item: ownership.report-concern",
            20,
            11,
            "$.waivers[0].item",
            "waiver for unknown item 'ownership.report-concern' (did you mean 'ownership.report-concerns'?)",
        ),
    ],
    ids=[
        "item",
        "owner",
        "approved-by",
        "raci-r",
        "raci-a",
        "raci-c",
        "activity",
        "na-without-reason",
        "na-forbidden",
        "waiver-item",
    ],
)
def test_reference_problem(
    cli: CliRunner, write: Writer, old: str, new: str, line: int, col: int, json_path: str, fragment: str
) -> None:
    path = write("readiness.yaml", edit(old, new))
    expect_one(bad(cli, path, validate=False), at(path, line, col, json_path), fragment)


def test_unknown_pack_in_use(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", BASE + "checklists: {use: [ownership, observabilty]}\n")
    expect_one(
        bad(cli, path),
        at(path, 26, 31, "$.checklists.use[1]"),
        "unknown pack 'observabilty' (did you mean 'observability'?)",
    )


# --- every problem in one run -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [
                ("  stage: pilot", "  stagee: pilot"),
                ("status: partial", "status: dun"),
                ("min_score: 70", "min_score: x"),
            ],
            [(4, 3), (14, 13), (25, 14)],
            id="schema",
        ),
        pytest.param(
            [
                ("  incident-response:", "  incident-responce:"),
                ("  ownership.on-call:", "  ownership.on-cal:"),
                ("approved_by: alice", "approved_by: alic"),
                (
                    "policy:\n  min_score: 70\n",
                    "policy:\n  min_score: 70\nchecklists: {use: [ownership, observabilty]}\n",
                ),
            ],
            [(11, 3), (13, 3), (22, 18), (26, 31)],
            id="references",
        ),
        pytest.param(
            [("  stage: pilot", "  stagee: pilot"), ("owner: bob", "owner: bobb")],
            [(4, 3), (15, 12)],
            id="schema-and-references",
        ),
    ],
)
def test_all_problems_reported_in_one_run_sorted_by_line(
    cli: CliRunner, write: Writer, changes: list[tuple[str, str]], expected: list[tuple[int, int]]
) -> None:
    text = BASE
    for old, new in changes:
        text = edit(old, new, text)
    path = write("readiness.yaml", text)
    found = bad(cli, path)
    assert positions(found) == expected, "\n".join(found)
    assert all(line.startswith(f"{path}:") for line in found)


# --- custom packs (checklists.extra) ----------------------------------------------------------------------

ACME_HEAD = "id: acme\ntitle: Acme rules\nitems:\n"


def pack_item(local_id: str, **fields: str) -> str:
    """One pack item in block style: `- id:` on the first line, then one field a line (8 lines by default)."""
    spec = {
        "title": "T",
        "question": "Q?",
        "why": "W",
        "verify": "V",
        "severity": "minor",
        "stage": "prototype",
        "effort": "low",
        **fields,
    }
    return f"  - id: {local_id}\n" + "".join(f"    {key}: {value}\n" for key, value in spec.items())


def with_pack(write: Writer, pack_text: str | bytes) -> tuple[Path, Path]:
    """The pack as acme.yaml beside an assessment that lists it in `checklists.extra` (line 26)."""
    pack = write("acme.yaml", pack_text)
    return pack, write("readiness.yaml", BASE + "checklists: {extra: [acme.yaml]}\n")


def pack_errors(cli: CliRunner, pack: Path, assessment: Path) -> list[str]:
    """The pack's errors through `check` of the assessment, and the same through `validate` of the pack itself."""
    found = bad(cli, assessment, validate=False)
    alone = errors_of(cli("validate", pack))
    assert [line.split(": error: ")[0] for line in alone] == [line.split(": error: ")[0] for line in found]
    return found


def test_pack_and_assessment_problems_reported_together(cli: CliRunner, write: Writer) -> None:
    pack = write("acme.yaml", ACME_HEAD + pack_item("x", severity="critical"))
    path = write("readiness.yaml", edit("owner: bob", "owner: bobb") + "checklists: {extra: [acme.yaml]}\n")
    found = bad(cli, path)
    assert len(found) == 2, "\n".join(found)
    assert found[0].startswith(at(pack, 9, 15, "$.items[0].severity"))
    assert found[1].startswith(at(path, 15, 12, '$.answers["ownership.on-call"].owner'))


def test_pack_reusing_a_builtin_id_names_both_files(cli: CliRunner, write: Writer) -> None:
    pack, assessment = with_pack(write, ACME_HEAD.replace("id: acme", "id: observability") + pack_item("x"))
    message = expect_one(pack_errors(cli, pack, assessment), at(pack, 1, 5, "$.id"), "pack id 'observability'")
    assert "is already used by the built-in pack (checklists/observability.yaml)" in message
    assert "extends: observability" in message


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        pytest.param(
            "observabilty",
            "cannot extend: no pack has the id 'observabilty' (did you mean 'observability'?)",
            id="typo",
        ),
        pytest.param(
            "nope",
            "did you mean",
            id="nope",
        ),
    ],
)
def test_extends_unknown_pack(cli: CliRunner, write: Writer, target: str, fragment: str) -> None:
    pack, assessment = with_pack(write, f"extends: {target}\nitems:\n" + pack_item("x"))
    message = expect_one(pack_errors(cli, pack, assessment), at(pack, 1, 10, "$.extends"), f"'{target}'")
    assert fragment in message or ("observability" in message and "ownership" in message)


def test_override_of_unknown_item(cli: CliRunner, write: Writer) -> None:
    pack, assessment = with_pack(write, "extends: observability\noverrides:\n  golden-signal: {severity: minor}\n")
    expect_one(
        pack_errors(cli, pack, assessment),
        at(pack, 3, 3, "$.overrides.golden-signal"),
        "pack 'observability' has no item 'golden-signal' (did you mean 'golden-signals'?)",
    )


def test_extra_item_clashing_with_a_builtin_item_names_both(cli: CliRunner, write: Writer) -> None:
    pack, assessment = with_pack(write, "extends: observability\nitems:\n" + pack_item("golden-signals"))
    message = expect_one(
        pack_errors(cli, pack, assessment),
        at(pack, 3, 9, "$.items[0].id"),
        "item 'observability.golden-signals' is already defined at checklists/observability.yaml:6",
    )
    assert "overrides" in message


def test_pack_item_with_unknown_activity(cli: CliRunner, write: Writer) -> None:
    pack, assessment = with_pack(write, ACME_HEAD + pack_item("x", activity="incident-responce"))
    expect_one(
        pack_errors(cli, pack, assessment),
        at(pack, 12, 15, "$.items[0].activity"),
        "unknown activity 'incident-responce' (did you mean 'incident-response'?)",
    )


@pytest.mark.parametrize(
    ("pack_text", "line", "col", "json_path", "fragment"),
    [
        (
            ACME_HEAD + pack_item("x", severity="blockr"),
            9,
            15,
            "$.items[0].severity",
            "the string 'blockr' is not one of: blocker, major, minor (did you mean 'blocker'?)",
        ),
        (ACME_HEAD + pack_item("x", weight="heavy"), 12, 13, "$.items[0].weight", "expected a number"),
        (
            ACME_HEAD + pack_item("x") + "    title: Again\n",
            12,
            5,
            "$.items[0].title",
            "duplicate key 'title' at lines 5 and 12",
        ),
        (ACME_HEAD + pack_item("x").replace("    why:", "\twhy:"), 7, 1, "$", "tab character in indentation"),
        ((ACME_HEAD + pack_item("x", why="café")).encode("latin-1"), 7, 13, "$", "not valid UTF-8: byte 0xe9"),
    ],
    ids=["enum", "type", "duplicate-key", "tab", "non-utf8"],
)
def test_pack_file_problem_is_reported_in_the_pack(
    cli: CliRunner, write: Writer, pack_text: str | bytes, line: int, col: int, json_path: str, fragment: str
) -> None:
    pack, assessment = with_pack(write, pack_text)
    expect_one(pack_errors(cli, pack, assessment), at(pack, line, col, json_path), fragment)


def test_missing_pack_file_is_reported_where_it_is_named(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", BASE + "checklists: {extra: [acme.yaml]}\n")
    expect_one(bad(cli, path), at(path, 26, 22, "$.checklists.extra[0]"), "acme.yaml")


# --- command line -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dotdot"])
def test_output_over_the_input_is_refused(cli: CliRunner, write: Writer, spelling: str) -> None:
    path = write("readiness.yaml", BASE)
    (path.parent / "sub").mkdir()
    output = path if spelling == "same" else path.parent / "sub" / ".." / path.name
    run = check(cli, path, "-f", "json", "-o", output)
    expect_one(errors_of(run), at(output, 1, 1, "$"), "refusing to write the output over its own input")
    assert run.out == ""
    assert path.read_text(encoding="utf-8") == BASE
    assert sorted(p.name for p in path.parent.iterdir()) == ["readiness.yaml", "sub"]  # no temporary file left


@pytest.mark.parametrize("today", ["2026-13-01", "2026-02-30", "21/11/2026"])
def test_bad_today(cli: CliRunner, write: Writer, today: str) -> None:
    path = write("readiness.yaml", BASE)
    run = cli("check", path, "--today", today)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert run.out == ""
    assert f"Invalid value for --today: '{today}' is not a date (YYYY-MM-DD)" in run.err
