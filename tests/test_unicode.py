"""Right-to-left text, emoji, CJK, combining marks and very long names through every output format.

One assessment in a folder with a non-ASCII name, under git, with a custom pack: every field a user types
(project name and description, team names and roles, notes, n/a and waiver reasons, evidence paths, pack,
item and activity titles, questions, why, verify, references, commit subjects) carries Arabic, Hebrew with
points, a stray U+202E RIGHT-TO-LEFT OVERRIDE, ZWJ emoji, flags, skin tones, double-width CJK, stacked
combining marks, a 300-character project name, a 200-character member name, a long unbroken word and a long
note. Each format is checked the way its reader would: JSON round-trips, SARIF validates, JUnit parses, GitHub
commands stay one line, Markdown tables keep their columns, terminal text fits its width in cells and never
cuts a character in two, the HTML shows every string in Chromium inside its own bidi isolate, and the same
input gives the same bytes twice.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema.validators import validator_for
from junitparser import Failure, JUnitXml, Skipped
from rich.cells import cell_len

from readiness.render.diffview import as_text as diff_text
from readiness.render.mdescape import md
from readiness.render.terminal import chop, graphemes
from readiness.rollup.baseline import read_side
from readiness.rollup.compare import compare
from readiness.score.scoring import Options
from tests.conftest import TODAY, Run, git
from tests.test_report import _browse

CliRunner = Callable[..., Run]

ARABIC = "مرحبا بالعالم"
HEBREW = "שָׁלוֹם עוֹלָם"  # with vowel points: combining marks on right-to-left letters
RLO = "\u202eexe.txt"  # RIGHT-TO-LEFT OVERRIDE, never closed: everything after it would read backwards
FAMILY = "👩\u200d👩\u200d👧\u200d👦"  # one emoji, seven code points joined by ZERO WIDTH JOINERs
FLAGS = "🇯🇵🇫🇷"  # two flags, each a pair of regional indicators
SKIN = "👍🏽"  # an emoji and its skin-tone modifier
SIGN = "⚠\ufe0f"  # a symbol and VARIATION SELECTOR-16
CJK = "漢字テスト中文"  # two cells per character
STACKED = "e\u0301\u0302\u0303"  # one letter, three combining accents
ZALGO = "Z\u0324\u0354\u0367a\u0308\u0356l\u036eg\u030co\u0319"
MIXED = " ".join([ARABIC, HEBREW, FAMILY, FLAGS, SKIN, SIGN, CJK, STACKED, ZALGO, RLO])
LONG_WORD = "e\u0301" * 25 + FAMILY * 12 + "漢" * 25 + FLAGS * 8 + "ש\u05b8" * 10  # no space to break at


def _spell(length: int, *parts: str) -> str:
    """Whole `parts`, cycled and joined by spaces, padded with dots to exactly `length` code points."""
    text = ""
    while True:
        for part in parts:
            longer = f"{text} {part}" if text else part
            if len(longer) > length:
                return text + "." * (length - len(text))
            text = longer


PROJECT_NAME = _spell(300, ARABIC, FAMILY, CJK, HEBREW, FLAGS, STACKED, SKIN, RLO, SIGN, ZALGO)
MEMBER_NAME = _spell(200, CJK, ARABIC, SKIN, ZALGO, HEBREW, FAMILY)
NOTE = _spell(700, MIXED, "plain words between them", CJK) + " " + LONG_WORD
PACK_TITLE = f"{ARABIC} {FAMILY} {CJK}"
ACTIVITY_TITLE = f"{HEBREW} {RLO}"
REF = f"EU AI Act Art. 13 {HEBREW}"
SUBJECT = f"{ARABIC} {RLO} {FAMILY} {FLAGS} {CJK} {STACKED} then a long subject that wraps over several lines"
AUTHOR = f"{CJK} {ARABIC}"
FOLDER = f"プロジェクト مشروع {SIGN}"
# Each probe stands for itself wherever it is shown whole (a table cell may wrap the longer ones).
PROBES = (ARABIC, HEBREW, FAMILY, FLAGS, SKIN, SIGN, CJK, STACKED, ZALGO, RLO)

PACK = f"""\
id: uni
title: {json.dumps(PACK_TITLE, ensure_ascii=False)}
activities:
  - {{id: on-call, title: {json.dumps(ACTIVITY_TITLE, ensure_ascii=False)}}}
items:
  - id: first
    title: {json.dumps(MIXED, ensure_ascii=False)}
    question: {json.dumps(LONG_WORD, ensure_ascii=False)}
    why: {json.dumps(NOTE, ensure_ascii=False)}
    verify: {json.dumps(CJK, ensure_ascii=False)}
    severity: blocker
    stage: prototype
    effort: low
    activity: on-call
    refs: [{json.dumps(REF, ensure_ascii=False)}]
  - id: second
    title: {json.dumps(LONG_WORD, ensure_ascii=False)}
    question: {json.dumps(MIXED, ensure_ascii=False)}
    why: {json.dumps(RLO, ensure_ascii=False)}
    verify: {json.dumps(ZALGO, ensure_ascii=False)}
    severity: major
    stage: prototype
    effort: low
    evidence: required
  - {{id: third, title: {json.dumps(f"{RLO} {STACKED}", ensure_ascii=False)}, question: q, why: w, verify: v,
     severity: minor, stage: prototype, effort: low}}
  - {{id: fourth, title: {json.dumps(FLAGS + SKIN + SIGN, ensure_ascii=False)}, question: q, why: w, verify: v,
     severity: minor, stage: prototype, effort: low}}
  - {{id: fifth, title: {json.dumps(HEBREW, ensure_ascii=False)}, question: q, why: w, verify: v, severity: minor,
     stage: prototype, effort: high}}
"""

EVIDENCE_FOUND = f"docs/{CJK}.md"
EVIDENCE_MISSING = f"docs/{ARABIC} {FAMILY}.md"


def _assessment(first_status: str) -> str:
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    # The answers are one flow mapping: uni.fourth's key stands on a line after non-ASCII text, so its column
    # (in code points, as SARIF says) is tested too.
    return f"""\
version: 1
project:
  name: {q(PROJECT_NAME)}
  description: {q(NOTE)}
  target: prototype
checklists: {{use: [], extra: [uni.yaml]}}
team:
  ana: {{name: {q(MEMBER_NAME)}, role: {q(RLO + " " + ARABIC)}}}
raci:
  on-call: {{R: [ana], A: ana}}
answers: {{
  uni.first: {{status: {first_status}, owner: ana, due: 2026-12-01, note: {q(NOTE)}}},
  uni.second: {{status: done, evidence: [{q(EVIDENCE_FOUND)}, {q(EVIDENCE_MISSING)}], note: {q(LONG_WORD)}}},
  uni.third: {{status: na, reason: {q(NOTE)}}}, uni.fourth: {{status: partial, note: {q(FLAGS + RLO)}}}}}
waivers:
  - {{item: uni.fifth, reason: {q(NOTE)}, approved_by: ana, expires: 2026-12-31}}
cost:
  requests_per_day: 1000
  tokens: {{input: 1000, output: 200}}
  price_per_million: {{input: 3, output: 15}}
  budget_monthly: 100
"""


@dataclass(frozen=True)
class Uni:
    base: Path  # the current folder of every command
    file: str  # the assessment, relative to base, as typed: "<FOLDER>/readiness.yaml"
    before: str  # an older version of it, beside it, for diff and portfolio
    outputs: Path  # where HTML files are written


@pytest.fixture(scope="module")
def uni(tmp_path_factory: pytest.TempPathFactory) -> Uni:
    base = tmp_path_factory.mktemp("unicode")
    folder = base / FOLDER
    (folder / "docs").mkdir(parents=True)
    (folder / EVIDENCE_FOUND).write_text("# evidence\n", encoding="utf-8")
    (folder / "uni.yaml").write_text(PACK, encoding="utf-8")
    (folder / "before.yaml").write_text(_assessment("done"), encoding="utf-8")  # met, then a gap
    (folder / "readiness.yaml").write_text(_assessment("todo"), encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", SUBJECT, author=AUTHOR)
    (folder / "readiness.yaml").write_text(_assessment("partial"), encoding="utf-8")
    git(folder, "commit", "-q", "-am", f"{CJK} {HEBREW}", author=AUTHOR)
    outputs = base / "out"
    outputs.mkdir()
    return Uni(base, f"{FOLDER}/readiness.yaml", f"{FOLDER}/before.yaml", outputs)


@pytest.fixture
def here(uni: Uni, monkeypatch: pytest.MonkeyPatch) -> Uni:
    monkeypatch.chdir(uni.base)
    return uni


def _twice(cli: CliRunner, *args: str | Path) -> Run:
    """Run a command twice: the output must be the same bytes each time."""
    first, second = cli(*args), cli(*args)
    assert first.code in (0, 1), first.err
    assert first.out.encode() == second.out.encode(), f"{args}: not byte-identical on a second run"
    return first


def _file_twice(cli: CliRunner, out: Path, *args: str | Path) -> str:
    texts = []
    for _ in range(2):
        run = cli(*args, "-o", out)
        assert run.code in (0, 1), run.err
        texts.append(out.read_bytes())
    assert texts[0] == texts[1], f"{args}: not byte-identical on a second run"
    return texts[0].decode("utf-8")


# --- JSON ----------------------------------------------------------------------------------------------------


def test_json_outputs_round_trip_every_string_exactly(here: Uni, cli: CliRunner) -> None:
    out = _twice(cli, "check", here.file, "-f", "json", "--today", TODAY).out
    data = json.loads(out)
    assert json.dumps(data, indent=2, ensure_ascii=False) + "\n" == out  # nothing escaped or lost on the way
    assert (data["project"]["name"], data["project"]["description"]) == (PROJECT_NAME, NOTE)
    assert len(data["project"]["name"]) == 300 and len(data["team"][0]["name"]) == 200
    assert data["team"][0] == {"id": "ana", "name": MEMBER_NAME, "role": f"{RLO} {ARABIC}"}
    assert data["categories"][0]["title"] == PACK_TITLE
    assert data["raci"]["activities"][0]["title"] == ACTIVITY_TITLE
    items = {item["id"]: item for item in data["items"]}
    assert (items["uni.first"]["title"], items["uni.first"]["why"], items["uni.first"]["note"]) == (MIXED, NOTE, NOTE)
    assert (items["uni.second"]["title"], items["uni.second"]["note"]) == (LONG_WORD, LONG_WORD)
    assert items["uni.second"]["evidence"] == [EVIDENCE_FOUND, EVIDENCE_MISSING]
    assert items["uni.third"]["reason"] == NOTE and items["uni.fourth"]["note"] == FLAGS + RLO
    assert data["waivers"][0]["reason"] == NOTE
    assert [(e["entry"], e["status"]) for e in data["evidence"]] == [
        (EVIDENCE_FOUND, "found"),
        (EVIDENCE_MISSING, "missing"),
    ]

    diff = json.loads(_twice(cli, "diff", here.before, here.file, "-f", "json", "--today", TODAY).out)
    assert (diff["old"]["label"], diff["new"]["label"]) == (here.before, here.file)
    assert diff["categories"][0]["title"] == PACK_TITLE
    assert [c["title"] for c in diff["regressions"]] == [MIXED]

    args = ("portfolio", here.file, here.before, "-f", "json", "--workers", "1", "--today", TODAY)
    rolled = json.loads(_twice(cli, *args).out)
    assert [(p["path"], p["name"]) for p in rolled["projects"]] == [
        (here.before, PROJECT_NAME),
        (here.file, PROJECT_NAME),
    ]
    assert rolled["packs"] == [{"id": "uni", "title": PACK_TITLE}]
    assert {g["title"] for g in rolled["common_gaps"]} >= {LONG_WORD, FLAGS + SKIN + SIGN}

    cost = _twice(cli, "cost", here.file, "-f", "json").out
    assert json.dumps(json.loads(cost), indent=2, ensure_ascii=False) + "\n" == cost

    history = json.loads(_twice(cli, "history", here.file, "-f", "json", "--today", TODAY).out)["history"]
    assert [(row["subject"], row["author"]) for row in history] == [(f"{CJK} {HEBREW}", AUTHOR), (SUBJECT, AUTHOR)]
    assert all(row["score"] is not None for row in history)


# --- SARIF, JUnit, GitHub --------------------------------------------------------------------------------------


def test_sarif_validates_and_keeps_every_string(here: Uni, cli: CliRunner, sarif_schema: dict[str, Any]) -> None:
    log = json.loads(_twice(cli, "check", here.file, "-f", "sarif", "--today", TODAY).out)
    validator = validator_for(sarif_schema)
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(sarif_schema, format_checker=validator.FORMAT_CHECKER).iter_errors(log)
    ]
    assert errors == []
    [run] = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    first, second = rules["uni.first"], rules["uni.second"]
    assert (first["shortDescription"]["text"], first["fullDescription"]["text"]) == (MIXED, LONG_WORD)
    assert first["help"]["text"] == f"Why: {NOTE}\nHow to verify: {CJK}"
    assert first["help"]["markdown"] == f"**Why:** {md(NOTE)}\n\n**How to verify:** {md(CJK)}"
    assert first["properties"]["refs"] == [REF] and REF in first["properties"]["tags"]
    assert (second["shortDescription"]["text"], second["help"]["text"]) == (
        LONG_WORD,
        f"Why: {RLO}\nHow to verify: {ZALGO}",
    )
    alerts = {alert["ruleId"]: alert for alert in run["results"]}
    assert alerts["uni.first"]["message"]["text"].startswith(f"{MIXED}: partly done (owner ana")
    assert f"evidence '{EVIDENCE_MISSING}' not found" in alerts["uni.second"]["message"]["text"]
    # The folder's name is percent-encoded in the URI and decodes back to the path as typed.
    uris = {alert["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for alert in run["results"]}
    assert len(uris) == 1 and unquote(uris.pop()) == here.file
    # Columns count code points: uni.fourth's key stands after a long line of non-ASCII text.
    lines = (here.base / here.file).read_text(encoding="utf-8").splitlines()
    for rule_id in ("uni.first", "uni.fourth"):
        region = alerts[rule_id]["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 :].startswith(rule_id + ":"), (rule_id, region)
    assert alerts["uni.fourth"]["locations"][0]["physicalLocation"]["region"]["startColumn"] > 100


def test_junit_parses_and_keeps_every_string(here: Uni, cli: CliRunner) -> None:
    text = _twice(cli, "check", here.file, "-f", "junit", "--today", TODAY).out
    tree = ET.fromstring(text.encode("utf-8"))  # well-formed XML for any parser, not only junitparser
    assert {case.get("file") for case in tree.iter("testcase")} == {here.file}
    [suite] = list(JUnitXml.fromstring(text.encode("utf-8")))
    assert suite.name == PACK_TITLE
    assert {p.name: p.value for p in suite.properties()}["project"] == PROJECT_NAME
    cases = {case.name.split(":")[0]: case for case in suite}
    assert cases["uni.first"].name == f"uni.first: {MIXED}" and cases["uni.second"].name == f"uni.second: {LONG_WORD}"
    [failure] = cases["uni.first"].result
    assert isinstance(failure, Failure)
    assert f"owner {MEMBER_NAME} (ana)" in (failure.message or "")
    assert f"Why: {NOTE}" in (failure.text or "") and f"Note: {NOTE}" in (failure.text or "")
    [skipped] = cases["uni.third"].result
    assert isinstance(skipped, Skipped) and skipped.message == f"n/a: {NOTE}"
    [waived] = cases["uni.fifth"].result
    assert isinstance(waived, Skipped) and (waived.message or "").endswith(f"until 2026-12-31: {NOTE}")


def _unescape(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def test_github_annotations_stay_one_line_each(here: Uni, cli: CliRunner) -> None:
    out = _twice(cli, "check", here.file, "-f", "github", "--today", TODAY).out
    assert "\r" not in out
    lines = out.split("\n")
    assert lines[-1] == ""
    commands = lines[:-1]
    assert len(commands) == 3 + 1  # three gaps and the verdict notice
    messages = {}
    for command in commands[:-1]:
        found = re.fullmatch(r"::(error|warning) ([^:]*)::(.*)", command)
        assert found is not None, command
        properties = dict(pair.split("=", 1) for pair in found.group(2).split(","))
        assert _unescape(properties["file"]) == here.file
        messages[_unescape(properties["title"])] = _unescape(found.group(3))
    assert commands[-1].startswith("::notice::readiness: not-ready")
    first = messages["readiness: uni.first"].split("\n")
    assert first[0].startswith(f"{MIXED} — blocker gap, partly done; owner {MEMBER_NAME}, due 2026-12-01")
    assert first[1:] == [f"Why: {NOTE}", f"Verify: {CJK}"]
    assert messages["readiness: uni.second"].startswith(f"{LONG_WORD} — major gap, done but unverified")
    assert messages["readiness: uni.fourth"].startswith(f"{FLAGS}{SKIN}{SIGN} — minor gap")


# --- Markdown --------------------------------------------------------------------------------------------------


def _pipes(line: str) -> int:
    """Cell separators: `|` not escaped by an odd number of backslashes."""
    count, backslashes = 0, 0
    for char in line:
        if char == "\\":
            backslashes += 1
            continue
        count += char == "|" and backslashes % 2 == 0
        backslashes = 0
    return count


def _assert_tables_hold(markdown: str, name: str) -> int:
    """Every table row has as many cell separators as its header; returns how many tables there are."""
    tables = 0
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        if not lines[index].startswith("|"):
            index += 1
            continue
        header = lines[index]
        assert re.fullmatch(r"\|( *:?-+:? *\|)+", lines[index + 1]), f"{name}: no delimiter row under {header!r}"
        tables += 1
        while index < len(lines) and lines[index].startswith("|"):
            assert _pipes(lines[index]) == _pipes(header), f"{name}: broken row {lines[index]!r}"
            index += 1
    return tables


def test_markdown_tables_keep_their_columns_and_show_every_string(here: Uni, cli: CliRunner) -> None:
    summary = _twice(cli, "check", here.file, "-f", "markdown", "--today", TODAY).out
    report = _twice(cli, "report", here.file, "-f", "markdown", "--full", "--today", TODAY).out
    diff = _twice(cli, "diff", here.before, here.file, "-f", "markdown", "--today", TODAY).out
    rolled = _twice(cli, "portfolio", here.file, here.before, "-f", "markdown", "--workers", "1", "--today", TODAY).out
    history = _twice(cli, "history", here.file, "-f", "markdown", "--today", TODAY).out
    outputs = {"summary": summary, "report": report, "diff": diff, "portfolio": rolled, "history": history}
    counts = {name: _assert_tables_hold(text, name) for name, text in outputs.items()}
    assert counts == {"summary": 2, "report": 12, "diff": 1, "portfolio": 2, "history": 1}
    expected = {
        "summary": [PROJECT_NAME, PACK_TITLE, MIXED, LONG_WORD, MEMBER_NAME, FLAGS + SKIN + SIGN],
        "report": [
            PROJECT_NAME,
            NOTE,
            PACK_TITLE,
            ACTIVITY_TITLE,
            MIXED,
            LONG_WORD,
            MEMBER_NAME,
            f"{RLO} {ARABIC}",
            HEBREW,
            REF,
            EVIDENCE_FOUND,
            EVIDENCE_MISSING,
            FLAGS + RLO,
        ],
        "diff": [here.before, here.file, PACK_TITLE, MIXED],
        "portfolio": [PROJECT_NAME, here.file, PACK_TITLE, LONG_WORD],
        "history": [SUBJECT, f"{CJK} {HEBREW}"],
    }
    for name, strings in expected.items():
        for text in strings:
            assert md(text) in outputs[name], f"{name} lacks {text!r}"


# --- terminal text -------------------------------------------------------------------------------------------


def _joins_previous(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me")
        or char == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
    )


def _assert_fits(text: str, width: int, name: str, flags_whole: bool) -> None:
    """No line wider than `width` cells, and no character cut in two: a combining mark, joiner, variation
    selector or skin tone never starts a line or a cell, a line never ends on a ZERO WIDTH JOINER, no lone
    surrogate; with `flags_whole`, no regional indicator parted from its pair."""
    for line in text.split("\n"):
        assert cell_len(line) <= width, f"{name} at {width}: {cell_len(line)} cells: {line!r}"
        assert not re.search("[\ud800-\udfff]", line), f"{name}: a lone surrogate in {line!r}"
        assert not line.endswith("\u200d"), f"{name}: a ZWJ sequence cut at the end of {line!r}"
        for index, char in enumerate(line):
            if _joins_previous(char):
                before = line[index - 1] if index else ""
                assert before not in ("", " ", "│", "─"), f"{name}: {char!r} parted from its letter in {line!r}"
        if flags_whole:
            for run in re.findall("[\U0001f1e6-\U0001f1ff]+", line):
                assert len(run) % 2 == 0, f"{name}: a flag cut in two in {line!r}"


@pytest.fixture
def terminal_of(monkeypatch: pytest.MonkeyPatch, cli: CliRunner) -> Callable[[int], None]:
    """The tool reads its width from the terminal: min(80, COLUMNS) when stdout is a terminal, else 80. (After
    `cli`, so that stdout is already the captured stream this patches.)"""

    def at(width: int) -> None:
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)

    return at


@pytest.mark.parametrize("width", [80, 41])
def test_terminal_text_fits_its_width_and_never_cuts_a_character(
    here: Uni, cli: CliRunner, terminal_of: Callable[[int], None], width: int
) -> None:
    terminal_of(width)
    runs = {
        "check": _twice(cli, "check", here.file, "--today", TODAY).out,
        "cost": _twice(cli, "cost", here.file).out,
        "portfolio": _twice(cli, "portfolio", here.file, here.before, "--workers", "1", "--today", TODAY).out,
        "history": _twice(cli, "history", here.file, "--today", TODAY).out,
        "checklists show": _twice(cli, "checklists", "show", "ownership").out,
        "checklists show item": _twice(cli, "checklists", "show", "ownership.raci-complete").out,
    }
    # `diff` prints at 80 whatever the terminal (the command passes no width): its view is asked directly.
    options = Options(today=date.fromisoformat(TODAY), strict=False, target=None, policy={})
    comparison = compare(read_side(here.before, options), read_side(here.file, options))
    runs["diff"] = diff_text(comparison, width)
    if width == 80:
        runs["diff command"] = _twice(cli, "diff", here.before, here.file, "--today", TODAY).out
        assert runs["diff command"] == runs["diff"]
    for name, text in runs.items():
        # rich folds long words by grapheme but takes a flag's two regional indicators for two characters, and
        # may part them; the portfolio lays out its own lines and keeps them whole.
        _assert_fits(text, width, name, flags_whole=name == "portfolio")
    # Each short string is shown whole, and the columns of the diff's table line up by cells.
    for probe in (FAMILY, CJK, STACKED, SKIN):
        assert probe in runs["check"] and probe in runs["portfolio"], probe
    assert SUBJECT.split()[0] in runs["history"] and CJK in runs["history"]
    lines = runs["diff"].split("\n")
    header = next(index for index, line in enumerate(lines) if line.startswith("Category"))
    assert cell_len(lines[header + 1]) == cell_len(lines[header]), runs["diff"]  # "Change" ends both


def test_cutting_by_grapheme_keeps_every_character_whole() -> None:
    assert graphemes(f"a{STACKED}{FAMILY}{FLAGS}{SKIN}{SIGN}") == [
        "a",
        STACKED,
        FAMILY,
        FLAGS[:2],
        FLAGS[2:],
        SKIN,
        SIGN,
    ]
    for width in range(1, 12):
        pieces = chop(LONG_WORD, width)
        assert "".join(pieces) == LONG_WORD
        _assert_fits("\n".join(pieces), max(width, 2), "chop", flags_whole=True)


# --- HTML in a real browser -------------------------------------------------------------------------------------

_INLINE = {"span", "strong", "em", "code", "a", "small", "b", "i", "sub", "sup", "abbr", "time", "mark", "tspan"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2066\u2067\u2068", "\u2069"


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str | None]
    parent: _Node | None
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = _Node("#document", {}, None)
        self.node = self.root
        self.texts: list[tuple[str, _Node]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        child = _Node(tag, dict(attrs), self.node)
        self.node.children.append(child)
        if tag not in _VOID:
            self.node = child

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.node.children.append(_Node(tag, dict(attrs), self.node))

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)
        self.texts.append((data, self.node))


def _in_isolate_marks(text: str, at: int) -> bool:
    depth = 0
    for char in text[:at]:
        depth += char in _ISOLATE_OPEN
        depth -= char == _ISOLATE_CLOSE and depth > 0
    return depth > 0


def _isolated(text: str, at: int, parent: _Node) -> bool:
    """Whether user text at `at` in a text node cannot reorder the page's words: it sits in a <bdi> or an element
    with `dir`, between isolate marks, or alone in its block (a bidi paragraph of its own)."""
    if _in_isolate_marks(text, at):
        return True
    node: _Node | None = parent
    while node is not None:
        if node.tag == "bdi" or "dir" in node.attrs:
            return True
        if node.tag not in _INLINE:
            return node.text().strip() == text.strip()
        node = node.parent
    return False


def _assert_shown_and_isolated(dom: str, strings: list[str], name: str) -> None:
    tree = _Tree()
    tree.feed(dom)
    tree.close()
    shown = tree.root.text()
    for text in strings:
        assert text in shown, f"{name}: {text[:40]!r}… is not shown as written"
    loose = []
    for data, parent in tree.texts:
        for probe in PROBES:
            for found in re.finditer(re.escape(probe), data):
                if not _isolated(data, found.start(), parent):
                    loose.append(f"<{parent.tag}>: {data[:80]!r}")
    assert loose == [], f"{name}: user text shares a bidi paragraph with the page's own words"


def test_html_report_shows_every_string_in_its_own_bidi_isolate_in_chromium(here: Uni, cli: CliRunner) -> None:
    page = here.outputs / "report.html"
    html = _file_twice(cli, page, "report", here.file, "--history", "--full", "--today", TODAY)
    assert "<bdi>" in html
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and title.group(1).startswith(f"\u2068{PROJECT_NAME}\u2069 — readiness report")
    dom, _, _ = _browse(page, here.outputs / "report-browser", "--dump-dom")
    strings = [PROJECT_NAME, NOTE, PACK_TITLE, ACTIVITY_TITLE, MIXED, LONG_WORD, MEMBER_NAME, f"{RLO} {ARABIC}"]
    strings += [HEBREW, REF, EVIDENCE_FOUND, EVIDENCE_MISSING, FLAGS + RLO, SUBJECT]  # the subject: --history
    _assert_shown_and_isolated(dom, strings, "report")


def test_html_portfolio_shows_every_string_in_its_own_bidi_isolate_in_chromium(here: Uni, cli: CliRunner) -> None:
    page = here.outputs / "portfolio.html"
    args = ("portfolio", here.file, here.before, "-f", "html", "--workers", "1", "--today", TODAY)
    _file_twice(cli, page, *args)
    dom, _, _ = _browse(page, here.outputs / "portfolio-browser", "--dump-dom")
    _assert_shown_and_isolated(dom, [PROJECT_NAME, here.file, PACK_TITLE, MIXED, LONG_WORD], "portfolio")
