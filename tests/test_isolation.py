"""An error in one file never hides the others: every broken assessment, every broken pack, every invalid project
of a portfolio and every invalid version in the history is reported, and the good ones are still scored.

What tests/test_bad_input.py, test_portfolio.py and test_history.py already prove is not repeated here: one
broken pack beside its assessment, one schema-invalid assessment in a roll-up (JSON only), an internal error
raised on purpose, and one commit with a YAML syntax error. Here: several files broken in different ways at
once, a roll-up with a YAML error, a broken custom pack and an input the engine itself trips on, written in all
four formats, and versions that are invalid for their schema or their references.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from readiness.render.mdescape import md
from readiness.rollup import portfolio as portfolio_module
from readiness.score.engine import Evaluation
from readiness.score.scoring import Options
from tests.conftest import OPS_PACK, TODAY, Run, git

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<path>\$\S*): .+$")

GOOD = """\
version: 1
project: {{name: {name}, target: prototype}}
checklists: {{use: [], extra: [ops.yaml]}}
team: {{ana: {{name: Ana}}}}
raci:
  on-call: {{R: [ana], A: ana}}
  switch-off: {{R: [ana], A: ana}}
answers:
  ops.kill-switch: {{status: partial, owner: ana}}
"""


def _errors(run: Run) -> list[str]:
    """A refused run: exit 2, no traceback, nothing on stdout but "ok" lines, and every stderr line a diagnostic."""
    assert run.code == 2, f"exit {run.code}\n{run.err}"
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines), run.err
    return [line for line in lines if ": error: " in line]


def _where(lines: list[str]) -> list[tuple[str, str]]:
    """(file, json path) of each error line: what a user looks for."""
    found = [DIAGNOSTIC.match(line) for line in lines]
    return [(match["file"], match["path"]) for match in found if match]


# --- validate, check and report over several broken files -----------------------------------------------------


def test_validate_reports_every_broken_file_and_still_passes_the_good_ones(cli: CliRunner, write: Writer) -> None:
    syntax = write("syntax.yaml", "version: 1\nproject: {name: A, target: pilot\nanswers: {}\n")
    schema = write(
        "schema.yaml",
        "version: 1\nproject: {name: B, target: launch}\nanswers:\n"
        "  ownership.nope: {status: done}\n  ownership.accountable-owner: {status: na}\n",
    )
    good = write("good.yaml", "version: 1\nproject: {name: C, target: prototype}\nchecklists: {use: [ownership]}\n")
    pack = write("pack.yaml", "id: Bad Id\ntitle: T\nitems: []\n")
    good_pack = write("ops.yaml", OPS_PACK)
    run = cli("validate", syntax, good, schema, pack, good_pack)
    errors = _errors(run)
    assert _where(errors) == [
        (str(syntax), "$"),
        (str(schema), "$.project.target"),
        (str(schema), '$.answers["ownership.nope"]'),
        (str(schema), '$.answers["ownership.accountable-owner"].status'),
        (str(schema), '$.answers["ownership.accountable-owner"].status'),
        (str(pack), "$.id"),
        (str(pack), "$.items"),
    ]
    assert "YAML syntax error" in errors[0] and "'launch'" in errors[1] and "needs a reason" in errors[3]
    assert run.out == f"{good}: ok (assessment)\n{good_pack}: ok (checklist)\n"  # the good ones, in between


def test_two_broken_packs_and_the_assessments_own_errors_come_in_one_run(cli: CliRunner, write: Writer) -> None:
    syntax = write("syntax.yaml", "id: syntax\ntitle: S\nitems: [\n  - {id: a}\n")
    clashing = write(
        "clashing.yaml",
        "id: clashing\ntitle: C\nitems:\n"
        "  - {id: b, title: B, question: Q?, why: W, verify: V, severity: minor, stage: prototype, effort: low}\n"
        "  - {id: b, title: B, question: Q?, why: W, verify: V, severity: minor, stage: prototype, effort: low,\n"
        "     activity: nope}\n",
    )
    assessment = write(
        "readiness.yaml",
        "version: 1\n"
        "project: {name: E, target: prototype, colour: red}\n"
        "checklists: {use: [ownership], extra: [syntax.yaml, clashing.yaml]}\n"
        "team: {ana: {name: Ana}}\n"
        "answers:\n"
        "  ownership.accountable-owner: {status: na}\n"
        "waivers:\n"
        "  - {item: ownership.raci-complete, reason: r, approved_by: bob, expires: 2026-12-01}\n",
    )
    expected = [  # by file, then by line
        (str(clashing), "$.items[1].id"),
        (str(clashing), "$.items[1].activity"),
        (str(assessment), "$.project.colour"),
        (str(assessment), '$.answers["ownership.accountable-owner"].status'),
        (str(assessment), '$.answers["ownership.accountable-owner"].status'),
        (str(assessment), "$.waivers[0].approved_by"),
        (str(syntax), "$"),
    ]
    runs = {
        "validate": cli("validate", assessment),
        "check": cli("check", assessment, "--today", TODAY),
        "check json": cli("check", assessment, "-f", "json", "--today", TODAY),
        "report": cli("report", assessment, "--today", TODAY),
        "cost": cli("cost", assessment),
        "portfolio": cli("portfolio", assessment, "-f", "json", "--workers", "1", "--today", TODAY),
    }
    for name, run in runs.items():
        if name == "portfolio":  # the roll-up is written and lists the errors in it; stderr has the count
            assert run.code == 2
            [invalid] = json.loads(run.out)["invalid"]
            assert _where(invalid["errors"]) == expected
            continue
        errors = _errors(run)
        assert _where(errors) == expected, name
        assert run.out == "", f"{name} wrote output for a refused input"
    assert "item id 'b' is used twice, at lines 4 and 5" in runs["check"].err
    assert "unknown activity 'nope'" in runs["check"].err and "unknown team id 'bob'" in runs["check"].err


# --- portfolio: good, broken and failing projects side by side ----------------------------------------------


@dataclass(frozen=True)
class Fleet:
    root: Path
    good: dict[str, Path]  # project name -> its assessment
    syntax: Path  # a YAML syntax error
    pack_broken: Path  # valid itself, its custom pack is not
    broken_pack: Path  # that pack
    buggy: Path  # a valid project whose scoring meets a bug (patched in)


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    root = tmp_path / "repos"

    def put(relative: str, text: str) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    good = {}
    for name in ("Alpha", "Omega"):
        put(f"{name.lower()}/ops.yaml", OPS_PACK)
        good[name] = put(f"{name.lower()}/readiness.yaml", GOOD.format(name=name))
    syntax = put("b-syntax/readiness.yaml", GOOD.format(name="Syntax").replace("target: prototype}", "target: ["))
    broken_pack = put("c-pack/ops.yaml", OPS_PACK.replace("severity: major", "severity: fatal", 1))
    pack_broken = put("c-pack/readiness.yaml", GOOD.format(name="Pack"))
    put("d-bug/ops.yaml", OPS_PACK)
    buggy = put("d-bug/readiness.yaml", GOOD.format(name="Buggy"))
    return Fleet(root, good, syntax, pack_broken, broken_pack, buggy)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_portfolio_scores_the_good_lists_the_bad_and_writes_every_format(
    fleet: Fleet, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = portfolio_module.evaluate

    def buggy(path: Path, options: Options, display: str | None = None) -> Evaluation:
        if path == fleet.buggy:
            raise RuntimeError("a bug met\non this one")
        return real(path, options, display=display)

    monkeypatch.setattr(portfolio_module, "evaluate", buggy)  # in this process: the run uses one worker
    written: dict[str, str] = {}
    for fmt in ("text", "json", "markdown", "html"):
        out = tmp_path / f"portfolio.{fmt}"
        run = cli("portfolio", fleet.root, "-f", fmt, "-o", out, "--workers", "1", "--today", TODAY)
        assert run.code == 2, f"{fmt}: exit {run.code}\n{run.err}"  # written, and the run still fails
        assert "Traceback" not in run.err and "2 assessments scored, 3 invalid" in run.err
        written[fmt] = out.read_text(encoding="utf-8")

    data = json.loads(written["json"])
    assert [(p["name"], p["path"]) for p in data["projects"]] == [(n, str(p)) for n, p in fleet.good.items()]
    assert all(p["score"] is not None and p["verdict"] == "not-ready" for p in data["projects"])
    invalid = {entry["path"]: entry["errors"] for entry in data["invalid"]}
    assert list(invalid) == [str(fleet.syntax), str(fleet.pack_broken), str(fleet.buggy)]
    # Each bad one with its own errors, where they are: the YAML error in the assessment, the pack's in the pack.
    [syntax_error] = invalid[str(fleet.syntax)]
    assert re.match(re.escape(str(fleet.syntax)) + r":\d+:\d+: error: \$: YAML syntax error", syntax_error)
    [pack_error] = invalid[str(fleet.pack_broken)]
    assert re.match(re.escape(str(fleet.broken_pack)) + r":\d+:\d+: error: \$\.items\[\d\]\.severity: ", pack_error)
    assert invalid[str(fleet.buggy)] == [f"{fleet.buggy}: internal error: RuntimeError: a bug met on this one"]
    errors = [line for lines in invalid.values() for line in lines]

    page = _Text()
    page.feed(written["html"])
    shown = {
        "text": _flat(written["text"]),
        "markdown": written["markdown"],
        "html": _flat("".join(page.parts)),
    }
    for fmt, text in shown.items():
        for name in fleet.good:
            assert name in text, f"{fmt}: {name} is not listed"
        for line in errors:
            expected = md(line) if fmt == "markdown" else _flat(line)
            if fmt == "text":  # wrapped at 80 columns: compare without the breaks
                assert "".join(expected.split()) in "".join(text.split()), f"{fmt}: {line}"
            else:
                assert expected in text, f"{fmt}: {line}"
    assert re.search(r"^Alpha\b.*not ready", written["text"], re.M) and re.search(r"^Omega\b", written["text"], re.M)


# --- history: invalid versions among valid ones -----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_history_lists_schema_and_reference_invalid_versions_and_keeps_the_rest(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "ops.yaml").write_text(OPS_PACK, encoding="utf-8")
    file = folder / "readiness.yaml"
    good = GOOD.format(name="Alpha")
    versions = [
        ("first", good),
        ("schema", good.replace("target: prototype", "target: launch")),
        ("reference", good.replace("owner: ana}", "owner: bob}")),
        ("last", good.replace("status: partial", "status: todo")),
    ]
    git(folder, "init", "-q", "-b", "main")
    shas = {}
    for subject, text in versions:
        file.write_text(text, encoding="utf-8")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", subject)
        shas[subject] = git(folder, "rev-parse", "--short=7", "HEAD")
    monkeypatch.chdir(folder)

    rows = json.loads(cli("history", "-f", "json", "--today", TODAY).out)["history"]
    assert [(row["subject"], row["verdict"]) for row in rows] == [
        ("last", "not-ready"),
        ("reference", "invalid"),
        ("schema", "invalid"),
        ("first", "not-ready"),
    ]
    assert rows[0]["score"] is not None and rows[3]["score"] is not None and rows[0]["change"] is not None
    label = f"{shas['reference']}:readiness.yaml"
    assert re.match(re.escape(label) + r":9:\d+: error: \$\.answers\[\"ops\.kill-switch\"\]\.owner: ", rows[1]["error"])
    label = f"{shas['schema']}:readiness.yaml"
    assert re.match(re.escape(label) + r":2:\d+: error: \$\.project\.target: ", rows[2]["error"])

    table = cli("history", "--today", TODAY)
    markdown = cli("history", "-f", "markdown", "--today", TODAY)
    assert table.code == markdown.code == 0
    for row in rows[1:3]:
        assert f"{row['label']}: {row['error']}" in _flat(table.out)
        assert f"- {row['label']}: {md(row['error'])}" in markdown.out
    assert [line.split(" | ")[4] for line in markdown.out.splitlines()[2:6]] == [
        "not-ready",
        "invalid",
        "invalid",
        "not-ready",
    ]
