"""Text from outside the tool that is not an assessment: a baseline result JSON, the file names of diff sides and
portfolio folders, and globs that match whole trees. A pull request writes all of them.

A baseline is refused at its position when it breaks `readiness schema result` or holds a control character in
what the comparison shows; it is accepted in every spelling JSON allows. File names are shown with their control
characters written out, in every format. A glob matching 20,000 files is summarised wherever people read it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.load import schemas
from readiness.render.mdescape import md
from tests.conftest import REPO, TODAY, Run

CliRunner = Callable[..., Run]

# Every control character a terminal, a CI log or a browser could act on; tab and line feed are the outputs' own.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): error: (?P<path>\$\S*): (?P<message>.+)$")

PACK = """\
id: ops
title: Ops
items:
  - {id: runbook, title: Runbook, question: Is there a runbook?, why: Incidents need one., verify: A runbook.,
     severity: blocker, stage: prototype, effort: low}
  - {id: alerts, title: Alerts, question: Do alerts fire?, why: Users should not find out first., verify: Rules.,
     severity: major, stage: prototype, effort: low}
  - {id: logs, title: Logs, question: Are runs logged?, why: To look back., verify: Logs kept.,
     severity: minor, stage: prototype, effort: low}
"""
ASSESSMENT = """\
version: 1
project: {name: P, target: prototype}
checklists: {use: [], extra: [pack.yaml]}
answers:
  ops.runbook: {status: done}
  ops.alerts: {status: todo}
"""


def _clean(*texts: str) -> None:
    for text in texts:
        found = CONTROL.search(text)
        assert found is None, f"control character U+{ord(found.group()):04X} in {text[max(0, found.start() - 60) :]!r}"
    assert "Traceback" not in "".join(texts)


def _position(text: str, marker: str, *, last: bool = False) -> tuple[int, int]:
    """1-based line and column of the first (or last) `marker` in `text`, lines ended by CR LF, CR or LF."""
    offset = text.rindex(marker) if last else text.index(marker)
    before = re.split(r"\r\n|\r|\n", text[:offset])
    return len(before), len(before[-1]) + 1


@dataclass(frozen=True)
class Small:
    folder: Path
    assessment: Path
    result: dict[str, Any]  # `check -f json` of the assessment


@pytest.fixture
def small(tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Small:
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    assessment = folder / "readiness.yaml"
    assessment.write_text(ASSESSMENT, encoding="utf-8")
    monkeypatch.chdir(folder)
    run = cli("check", "readiness.yaml", "-f", "json", "--today", TODAY)
    assert run.code == 1, run.err
    return Small(folder, assessment, json.loads(run.out))


# --- a hostile baseline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    text: str  # the baseline as written
    marker: str  # where the problem stands: the first occurrence of this text
    path: str  # the JSON path reported
    message: str  # a fragment of the message
    last: bool = False  # the problem is at the last occurrence of the marker
    into: int = 0  # the problem stands this many characters into the marker


def _written(data: dict[str, Any], **options: Any) -> str:
    return json.dumps(data, indent=2, **options) + "\n"


def _changed(result: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = json.loads(json.dumps(result))
    change(data)
    return data


def _set(*steps: Any) -> Callable[[dict[str, Any]], None]:
    *where, key, value = steps

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in where:
            target = target[step]
        target[key] = value

    return change


def _attacks(result: dict[str, Any]) -> dict[str, Attack]:
    def title(value: str, index: int = 1, **options: Any) -> str:
        return _written(_changed(result, _set("items", index, "title", value)), **options)

    nan = _written(_changed(result, _set("score", float("nan"))))
    infinite = _written(_changed(result, _set("categories", 0, "score", float("inf"))))
    twice = json.dumps(result, indent=2).replace(
        '"verdict": "not-ready",', '"verdict": "ready",\n  "verdict": "not-ready",'
    )
    same_id = _written(_changed(result, _set("items", 2, "id", result["items"][0]["id"])))
    deep = '{"schema_version": "1", "items": ' + "[" * 10_000 + "]" * 10_000 + "}\n"
    alone = title("Runbook \ud83d alone")  # json.dumps writes the lone half as an escape
    return {
        "escape sequence in a title": Attack(
            title("Alerts\x1b[2J\x1b[H"), '"Alerts\\u001b', "$.items[1].title", "control character U+001B"
        ),
        "one-byte CSI written as an escape": Attack(
            title("Alerts\x9b31m"), '"Alerts\\u009b', "$.items[1].title", "control character U+009B"
        ),
        "one-byte CSI written raw": Attack(
            title("Alerts\x9b31m", ensure_ascii=False), "\x9b", "$", "control character U+009B is not allowed"
        ),
        "line separator in a title": Attack(
            title("Alerts\u2028ops.runbook: met"), '"Alerts\\u2028', "$.items[1].title", "control character U+2028"
        ),
        "line separator written raw": Attack(
            title("Alerts\u2028x", ensure_ascii=False), "\u2028", "$", "line separator U+2028"
        ),
        "escape in a category title": Attack(
            _written(_changed(result, _set("categories", 0, "title", "Ops\x1b]0;owned\x07"))),
            '"Ops\\u001b',
            "$.categories[0].title",
            "control character U+001B",
        ),
        "line break at the end of a pack id": Attack(
            _written(_changed(result, _set("items", 1, "pack", "ops\n"))), '"ops\\n"', "$.items[1].pack", "U+000A"
        ),
        "NaN score": Attack(nan, "NaN", "$.score", "NaN is not a finite number"),
        "Infinity category score": Attack(infinite, "Infinity", "$.categories[0].score", "Infinity is not a finite"),
        "unknown verdict": Attack(
            _written(_changed(result, _set("verdict", "approved"))), '"approved"', "$.verdict", "is not one of"
        ),
        "score past 100": Attack(
            _written(_changed(result, _set("score", 1e300))), "1e+300", "$.score", "must be at most 100"
        ),
        "title of the wrong type": Attack(
            _written(_changed(result, _set("items", 0, "title", {"text": "x"}))),
            '{\n        "text"',
            "$.items[0].title",
            "expected a string, got a mapping",
        ),
        "categories of the wrong type": Attack(
            _written(_changed(result, _set("categories", "ops"))), '"ops"', "$.categories", "expected a list"
        ),
        "a key written twice": Attack(twice, '"verdict": "not-ready"', "$.verdict", "duplicate key 'verdict'"),
        "an item listed twice": Attack(same_id, '"ops.runbook"', "$.items[2].id", "is listed twice", last=True),
        "nesting 10,000 deep": Attack(
            # the 65th '[' from the outside is the first value deeper than the limit, whichever libyaml is installed
            deep,
            ' "items": ' + "[" * 64,
            "$.items" + "[0]" * 64,
            "nesting is deeper than 64 levels",
            into=len(' "items": ' + "[" * 64),
        ),
        "half a surrogate pair": Attack(alone, "\\ud83d", "$", "half of a surrogate pair"),
    }


ATTACKS = [
    "escape sequence in a title",
    "one-byte CSI written as an escape",
    "one-byte CSI written raw",
    "line separator in a title",
    "line separator written raw",
    "escape in a category title",
    "line break at the end of a pack id",
    "NaN score",
    "Infinity category score",
    "unknown verdict",
    "score past 100",
    "title of the wrong type",
    "categories of the wrong type",
    "a key written twice",
    "an item listed twice",
    "nesting 10,000 deep",
    "half a surrogate pair",
]


@pytest.mark.parametrize("command", ["diff", "check --baseline"])
@pytest.mark.parametrize("name", ATTACKS)
def test_a_hostile_baseline_is_refused_at_its_position(small: Small, cli: CliRunner, name: str, command: str) -> None:
    attack = _attacks(small.result)[name]
    (small.folder / "old.json").write_text(attack.text, encoding="utf-8", newline="")
    if command == "diff":
        run = cli("diff", "old.json", "readiness.yaml", "--today", TODAY)
    else:
        run = cli("check", "readiness.yaml", "--baseline", "old.json", "--today", TODAY)
    assert run.code == 2, run.out + run.err
    _clean(run.out, run.err)
    lines = run.err.splitlines()
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), run.err
    line, column = _position(attack.text, attack.marker, last=attack.last)
    wanted = [
        found
        for found in map(DIAGNOSTIC.match, lines)
        if found is not None
        and found["file"] == "old.json"
        and found["path"] == attack.path
        and attack.message in found["message"]
        and int(found["line"]) == line
        and int(found["column"]) == column + attack.into
    ]
    assert wanted, f"expected old.json:{line}:{column}: error: {attack.path}: …{attack.message}…, got:\n{run.err}"


def test_a_hostile_baseline_in_a_real_process(small: Small) -> None:
    title = "Alerts\x1b[2J\x1b[31mALL GREEN\x1b[0m"
    text = _written(_changed(small.result, _set("items", 1, "title", title)), ensure_ascii=False).replace(
        "\\u001b", "\x1b"
    )
    (small.folder / "old.json").write_text(text, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    for args in (["diff", "old.json", "readiness.yaml"], ["check", "--baseline", "old.json", "-f", "markdown"]):
        done = subprocess.run(
            [sys.executable, "-W", "error", "-m", "readiness", *args, "--today", TODAY],
            cwd=small.folder,
            env={**env, "PYTHONPATH": str(REPO)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=False,
        )
        out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert done.returncode == 2, err
        assert b"\x1b" not in done.stdout + done.stderr
        _clean(out, err)
        line, column = _position(text, "\x1b")
        assert err == f"old.json:{line}:{column}: error: $: control character U+001B is not allowed in YAML\n"


# --- every spelling JSON allows -------------------------------------------------------------------------

EXAMPLES = sorted(path.parent.name for path in (REPO / "examples").glob("*/readiness.yaml"))


def _spellings(result: dict[str, Any]) -> dict[str, str]:
    """The same result as other tools and settings write it."""
    data = _changed(result, _set("project", "description", "Ships 📦 to on-call/ops: «résumé» \U0001f9ea"))
    data["items"][0]["title"] += " 📘"
    data["policy"]["max_evidence_age_days"] = 10**30  # an integer JSON allows, however large
    plain = json.dumps(data, indent=2, ensure_ascii=False)
    score = json.dumps(data["score"])
    python = json.dumps(data, indent=2)  # Python's defaults: \u escapes, surrogate pairs beyond U+FFFF
    assert "\\ud83d\\udce6" in python
    return {
        "as readiness writes it": plain + "\n",
        "Python's defaults": python,
        "one line": json.dumps(data, separators=(",", ":")),
        "tabs": json.dumps(data, indent="\t"),
        "CRLF and a byte-order mark": "\ufeff" + plain.replace("\n", "\r\n"),
        "escaped slashes": python.replace("/", "\\/"),
        "an exponent": plain.replace(f'"score": {score}', f'"score": {float(data["score"]) / 10}e1'),
    }


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_result_is_a_baseline_in_every_spelling_json_allows(
    example: str, cli: CliRunner, tmp_path: Path
) -> None:
    assessment = REPO / "examples" / example / "readiness.yaml"
    run = cli("check", assessment, "-f", "json", "--today", TODAY)
    result = json.loads(run.out)
    assert run.code in (0, 1) and result["score"] is not None
    wanted = None
    for name, text in _spellings(result).items():
        old = tmp_path / "old.json"
        old.write_bytes(text.encode("utf-8"))
        compared = cli("diff", old, assessment, "-f", "json", "--today", TODAY)
        assert compared.code == 0, f"{name}: {compared.err}"
        data = json.loads(compared.out)
        assert data["score_change"] == 0 and data["regressions"] == data["new_gaps"] == [], name
        del data["old"]["label"], data["new"]["label"]
        wanted = wanted or data
        assert data == wanted, name  # the same comparison, whatever the spelling
        check = cli("check", assessment, "--baseline", old, "--today", TODAY)
        assert check.code == run.code and "score ±0.0" in check.out, f"{name}: {check.err}"


def test_a_surrogate_pair_moves_no_column_of_a_later_problem(small: Small, cli: CliRunner) -> None:
    data = _changed(small.result, _set("items", 0, "title", "😀😀 Runbook"))
    data["items"][0]["severity"] = "huge"
    text = json.dumps(data, separators=(",", ":"))  # one line: the pairs stand before the problem
    assert text.count("\\ud83d\\ude00") == 2
    (small.folder / "old.json").write_text(text, encoding="utf-8")
    run = cli("diff", "old.json", "readiness.yaml")
    line, column = _position(text, '"huge"')
    assert run.code == 2
    assert run.err.startswith(f"old.json:{line}:{column}: error: $.items[0].severity: the string 'huge' is not one of")


def test_a_result_written_before_match_count_is_still_a_baseline(small: Small, cli: CliRunner) -> None:
    (small.folder / "runbooks").mkdir()
    (small.folder / "runbooks" / "a.md").write_text("# A\n", encoding="utf-8")
    small.assessment.write_text(
        ASSESSMENT.replace("{status: done}", "{status: done, evidence: [runbooks/*.md]}"), encoding="utf-8"
    )
    result = json.loads(cli("check", "-f", "json", "--today", TODAY).out)
    assert result["evidence"][0]["match_count"] == 1
    for entry in result["evidence"]:
        del entry["match_count"]
    (small.folder / "old.json").write_text(json.dumps(result), encoding="utf-8")
    run = cli("diff", "old.json", "readiness.yaml", "--today", TODAY)
    assert run.code == 0 and "score 50.0 → 50.0 (±0.0)" in run.out, run.err


# --- a side of diff is what it holds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "style"),
    [("old.json", "json"), ("old.yaml", "flow"), ("old-flow.json", "flow"), ("OLD", "json")],
)
def test_an_assessment_written_as_json_or_in_flow_style_is_read_as_an_assessment(
    small: Small, cli: CliRunner, name: str, style: str
) -> None:
    data = yaml.safe_load(ASSESSMENT)
    data["answers"]["ops.logs"] = {"status": "done", "note": "Kept 30 days; see ops/logging.md"}
    written = json.dumps(data, indent=2) if style == "json" else yaml.safe_dump(data, default_flow_style=True)
    assert written.lstrip().startswith("{")
    (small.folder / name).write_text(written, encoding="utf-8")
    run = cli("diff", name, "readiness.yaml", "--today", TODAY)
    assert run.code == 0, run.err
    assert f"{name} → readiness.yaml" in run.out and "score 66.7 → 50.0 (-16.7)" in run.out
    assert "Regressions (met before, a gap now): 1" in run.out and "ops.logs (minor): met → gap" in run.out
    # Broken, it is told so in an assessment's terms, at its position.
    data["answers"]["ops.alerts"]["status"] = "dun"
    broken = json.dumps(data, indent=2) if style == "json" else yaml.safe_dump(data, default_flow_style=True)
    (small.folder / name).write_text(broken, encoding="utf-8")
    refused = cli("diff", name, "readiness.yaml", "--today", TODAY)
    line, column = _position(broken, "dun")
    assert refused.code == 2
    assert refused.err.startswith(f"{name}:{line}:{column - 1 if style == 'json' else column}: error: ")
    assert '$.answers["ops.alerts"].status' in refused.err and "did you mean 'done'" in refused.err


def test_a_file_that_is_neither_a_result_nor_an_assessment_is_told_so(small: Small, cli: CliRunner) -> None:
    (small.folder / "old.json").write_text('{"name": "x", "items": "\\u001b[2J"}\n', encoding="utf-8")
    run = cli("diff", "old.json", "readiness.yaml")
    assert run.code == 2
    _clean(run.err)
    assert "old.json:1:1: error: $: not a result of `readiness check -f json`" in run.err


# --- file names of diff sides ---------------------------------------------------------------------------

HOSTILE_FILE = "old\x1b[31m\nbreak\x9b2J\u2028.yaml"
SHOWN_FILE = "old\\u001b[31m\\nbreak\\u009b2J\\u2028.yaml"


def test_the_label_of_a_diff_side_is_shown_without_control_characters_in_every_format(
    small: Small, cli: CliRunner
) -> None:
    done = ASSESSMENT.replace("{status: todo}", "{status: done}")
    (small.folder / HOSTILE_FILE).write_text(done, encoding="utf-8")  # ops.alerts met there: a regression now
    for fmt in ("text", "json", "markdown"):
        run = cli("diff", HOSTILE_FILE, "readiness.yaml", "-f", fmt, "--today", TODAY)
        assert run.code == 0, run.err
        _clean(run.out, run.err)
        if fmt == "json":
            assert json.loads(run.out)["old"]["label"] == SHOWN_FILE
        else:
            assert (md(SHOWN_FILE) if fmt == "markdown" else SHOWN_FILE) in run.out
    for fmt in ("text", "markdown", "github", "json"):
        run = cli("check", "--baseline", HOSTILE_FILE, "--fail-on-regression", "-f", fmt, "--today", TODAY)
        assert run.code == 1
        _clean(run.out, run.err)
        assert f"readiness: regressions since {SHOWN_FILE}: ops.alerts" in run.err


# --- portfolio folder names -----------------------------------------------------------------------------

FOLDERS = {"esc\x1b[31mred": "esc\\u001b[31mred", "line\nbreak": "line\\nbreak", "csi\x9b2Jx": "csi\\u009b2Jx"}
BROKEN_FOLDER = ("bad\x1b]0;owned\x07", "bad\\u001b]0;owned\\u0007")
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "track", "embed", "param"}


class _Html(HTMLParser):
    """Checks that every element is closed in order and collects the text of each table row's header cell."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.headers: list[str] = []
        self._header: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)
        if tag == "th" and ("scope", "row") in attrs:
            self._header = []

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()
        if tag == "th" and self._header is not None:
            self.headers.append("".join(self._header))
            self._header = None

    def handle_data(self, data: str) -> None:
        if self._header is not None:
            self._header.append(data)


def _valid_html(page: str) -> _Html:
    parsed = _Html()
    parsed.feed(page)
    parsed.close()
    assert page.startswith("<!DOCTYPE html>") and parsed.errors == [] and parsed.open == [], parsed.errors
    return parsed


def test_portfolio_folder_names_are_shown_without_control_characters_in_every_format(
    tmp_path: Path, cli: CliRunner
) -> None:
    root = tmp_path / "repos"
    for folder in FOLDERS:
        shutil.copytree(REPO / "examples" / "ops-agent", root / folder)
    (root / BROKEN_FOLDER[0]).mkdir()
    (root / BROKEN_FOLDER[0] / "readiness.yaml").write_text("version: 1\nproject: {name: x, target: nowhere}\n")
    for fmt in ("text", "json", "markdown", "html"):
        out = tmp_path / f"portfolio.{fmt}"
        for args in (["-o", out], []):
            run = cli("portfolio", root, "-f", fmt, "--today", TODAY, *args)
            assert run.code == 2, run.err  # the broken one is invalid
            written = out.read_text(encoding="utf-8") if args else run.out
            _clean(run.out, run.err, written)
            for shown in [*FOLDERS.values(), BROKEN_FOLDER[1]]:
                if fmt == "json":
                    paths = [
                        entry["path"] for entry in [*json.loads(written)["projects"], *json.loads(written)["invalid"]]
                    ]
                    assert any(path.startswith(f"{root}/{shown}/") for path in paths), paths
                else:
                    assert (md(shown) if fmt == "markdown" else shown) in written
            if fmt == "html":
                headers = _valid_html(written).headers
                for shown in FOLDERS.values():  # one row per project, its path under its name
                    assert sum(f"{root}/{shown}/readiness.yaml" in header for header in headers) == 1


# --- JSON writes what a terminal would act on as escapes ------------------------------------------------


def test_json_outputs_write_line_separators_as_escapes_and_keep_the_text(small: Small, cli: CliRunner) -> None:
    # The YAML reader refuses U+2028 written raw, but lets it through written as an escape in double quotes.
    name, title = "P\u2028Q\u2029", "Runbook\u2028x"
    small.assessment.write_text(ASSESSMENT.replace("name: P", 'name: "P\\u2028Q\\u2029"'), encoding="utf-8")
    pack = small.folder / "pack.yaml"
    pack.write_text(PACK.replace("title: Runbook", 'title: "Runbook\\u2028x"'), encoding="utf-8")
    check = cli("check", "-f", "json", "--today", TODAY)
    sarif = cli("check", "-f", "sarif", "--today", TODAY)
    portfolio = cli("portfolio", ".", "-f", "json", "--today", TODAY)
    for run in (check, sarif, portfolio):
        assert run.code in (0, 1), run.err
        assert "\u2028" not in run.out and "\u2029" not in run.out
    # Written as escapes, which JSON readers decode: nothing is lost.
    result = json.loads(check.out)
    assert result["project"]["name"] == name and result["items"][0]["title"] == title
    assert json.loads(sarif.out)["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == title
    assert json.loads(portfolio.out)["projects"][0]["name"] == name


# --- a glob that matches a whole tree -------------------------------------------------------------------

FILES = 20_000


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    (folder / ".git").mkdir()  # the project root
    (folder / "logs").mkdir()
    for index in range(FILES):
        (folder / "logs" / f"run-{index:05d}.jsonl").touch()
    (folder / "pack.yaml").write_text(
        PACK.replace(
            "severity: major, stage: prototype, effort: low}",
            "severity: major, stage: prototype, effort: low, auto: {files: ['logs/**/*.jsonl']}}",
        ),
        encoding="utf-8",
    )
    (folder / "readiness.yaml").write_text(
        ASSESSMENT.replace("{status: done}", "{status: done, evidence: ['logs/*.jsonl']}"), encoding="utf-8"
    )
    return folder


def _listed(text: str) -> int:
    return len(set(re.findall(r"run-\d{5}\.jsonl", text)))


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "junit", "github"])
def test_a_glob_matching_20000_files_is_summarised_by_check(
    tree: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tree)
    run = cli("check", "-f", fmt, "--today", TODAY)
    assert run.code == 1, run.err
    if fmt != "json":
        assert _listed(run.out) <= 3  # at most a few names, as an automated check's "found a, b, c and … more"
        return
    data = json.loads(run.out)
    assert list(schemas.validator("result").iter_errors(data)) == []
    (entry,) = [entry for entry in data["evidence"] if entry["entry"] == "logs/*.jsonl"]
    assert entry["match_count"] == FILES and len(entry["matches"]) == 1000
    assert entry["matches"][:2] == ["logs/run-00000.jsonl", "logs/run-00001.jsonl"]
    (item,) = [item for item in data["items"] if item["candidates"]]  # the pack's glob: candidates, not evidence
    assert item["candidate_count"] == FILES and len(item["candidates"]) == 1000
    assert item["candidates"][:2] == ["logs/run-00000.jsonl", "logs/run-00001.jsonl"]
    assert len(run.out.encode()) < 200_000  # listed in full, some 1.3 MB
    (tree / "old.json").write_text(run.out, encoding="utf-8")
    try:  # and it reads back as a baseline
        assert cli("diff", "old.json", "readiness.yaml", "--today", TODAY).code == 0
    finally:
        (tree / "old.json").unlink()


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_glob_matching_20000_files_is_summarised_in_the_report(
    tree: Path, cli: CliRunner, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    run = cli("report", tree / "readiness.yaml", "-f", fmt, "-o", out, "--full", "--today", TODAY)
    assert run.code == 0, run.err
    page = out.read_text(encoding="utf-8")
    assert _listed(page) == 20  # the first 20 of the answer's glob; the pack's glob only finds candidates
    assert page.count(f"and {FILES - 20:,} more") == 1
    assert "run-00019.jsonl" in page and "run-00020.jsonl" not in page
    assert len(page.encode()) < 120_000  # listed in full, 1.5 MB of HTML
    if fmt == "html":
        _valid_html(page)
