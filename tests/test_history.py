"""Score history from git: one row per commit that changed the assessment, newest first, and the report's trend.

Each test builds a real repository in tmp_path. Commit dates are fixed, so every date below is known; the
expected scores come from `evaluate` on each version written to a plain folder outside git.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import parse_document
from readiness.render import html as html_report
from readiness.render import markdown as markdown_report
from readiness.render.formats import RenderOptions
from readiness.render.historyview import as_json, as_markdown, as_text
from readiness.render.reportview import context
from readiness.rollup import history as history_module
from readiness.rollup.history import INVALID, WORKING_TREE, Point, commits, history
from readiness.score.engine import evaluate
from readiness.score.scoring import Options, format_score
from tests.conftest import REPO, Run, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

OPTIONS = Options(today=date(2026, 11, 21), strict=False, target=None, policy={})
EXAMPLE = REPO / "examples" / "ops-agent"
V1 = (EXAMPLE / "readiness.yaml").read_text(encoding="utf-8")
V2 = V1.replace("status: todo", "status: partial", 1)
V3 = V1.replace("status: todo", "status: partial")
BROKEN = V2 + "broken: [\n"
HOSTILE_SUBJECT = "Close gaps <script>alert(1)</script> | **bold** [x](y)"


def _commit(folder: Path, message: str, day: str, **files: str) -> str:
    """Write `files` (name → text), commit them on `day`, and return the short hash."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message, day=day)
    return git(folder, "rev-parse", "--short=7", "HEAD")


@dataclass(frozen=True)
class Repo:
    folder: Path
    file: Path
    shas: dict[str, str]  # version name → short hash


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The ops-agent example in git: three versions that answer more each time, a broken one, and an unrelated
    commit that must not show."""
    folder = tmp_path / "repo"
    shutil.copytree(EXAMPLE, folder)
    git(folder, "init", "-q", "-b", "main")
    shas = {"v1": _commit(folder, "First assessment", "2026-11-01", **{"readiness.yaml": V1})}
    shas["v2"] = _commit(folder, "Partial kill switch", "2026-11-05", **{"readiness.yaml": V2})
    shas["other"] = _commit(folder, "Notes only", "2026-11-07", **{"NOTES.md": "unrelated\n"})
    shas["broken"] = _commit(folder, "Half an edit", "2026-11-09", **{"readiness.yaml": BROKEN})
    shas["v3"] = _commit(folder, HOSTILE_SUBJECT, "2026-11-12", **{"readiness.yaml": V3})
    return Repo(folder, folder / "readiness.yaml", shas)


def _expected(text: str, tmp_path: Path) -> tuple[str, str, str | None]:
    """(score, verdict, stage reached) of `text` evaluated as a plain file beside the same evidence."""
    plain = tmp_path / "plain"
    if not plain.exists():
        shutil.copytree(EXAMPLE, plain)
    (plain / "readiness.yaml").write_text(text, encoding="utf-8")
    result = evaluate(plain / "readiness.yaml", OPTIONS).result
    return format_score(result.score), result.verdict, result.stage_reached.value if result.stage_reached else None


def _row(point: Point) -> tuple[str, str | None, str, str | None, str]:
    return point.label, point.sha, point.date, point.score, point.verdict


def test_one_row_per_commit_that_changed_the_file_newest_first_with_its_score(repo: Repo, tmp_path: Path) -> None:
    points = history(repo.file, OPTIONS).points
    v1, v2, v3 = (_expected(text, tmp_path) for text in (V1, V2, V3))
    assert float(v1[0]) < float(v2[0]) < float(v3[0]), "each version answers more"
    shas = repo.shas
    assert [_row(p) for p in points] == [
        (shas["v3"], shas["v3"], "2026-11-12", v3[0], v3[1]),
        (shas["broken"], shas["broken"], "2026-11-09", None, INVALID),
        (shas["v2"], shas["v2"], "2026-11-05", v2[0], v2[1]),
        (shas["v1"], shas["v1"], "2026-11-01", v1[0], v1[1]),
    ]
    assert shas["other"] not in [p.label for p in points]
    assert [p.stage_reached for p in points] == [v3[2], None, v2[2], v1[2]]
    assert {p.author for p in points} == {"Ana Diaz"}
    assert [p.subject for p in points] == [HOSTILE_SUBJECT, "Half an edit", "Partial kill switch", "First assessment"]
    assert all(p.blockers is not None and p.blockers > 0 for p in points if p.verdict != INVALID)


def test_the_broken_commit_shows_its_first_error_and_the_others_are_still_scored(repo: Repo) -> None:
    points = history(repo.file, OPTIONS).points
    broken = points[1]
    label = f"{repo.shas['broken']}:readiness.yaml"
    with pytest.raises(InputError) as caught:
        parse_document(BROKEN, label)
    assert broken.error == caught.value.diagnostics[0].format()
    assert broken.error.startswith(label + ":") and "YAML syntax error" in broken.error
    assert (broken.score, broken.stage_reached, broken.blockers) == (None, None, None)
    assert all(p.error is None and p.score is not None for p in points if p is not broken)


def test_a_bug_met_on_one_version_lists_it_as_invalid_and_keeps_the_others(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = history_module.evaluate
    v2 = f"{repo.shas['v2']}:readiness.yaml"

    def flaky(path: Path, options: Options, **where: Any) -> Any:
        if where.get("display") == v2:
            raise RuntimeError("boom\n  on two lines")
        return real(path, options, **where)

    monkeypatch.setattr(history_module, "evaluate", flaky)
    points = {p.label: p for p in history(repo.file, OPTIONS).points}
    assert points[repo.shas["v2"]].verdict == INVALID
    assert points[repo.shas["v2"]].error == f"{v2}: internal error: RuntimeError: boom on two lines"
    assert points[repo.shas["v3"]].score is not None and points[repo.shas["v1"]].score is not None


def test_commits_lists_the_same_commits_and_limit_keeps_the_newest(repo: Repo) -> None:
    found = commits(repo.file)
    assert [c.short for c in found] == [repo.shas[v] for v in ("v3", "broken", "v2", "v1")]
    assert all(len(c.sha) == 40 and c.file == "readiness.yaml" and not c.deleted for c in found)
    assert [c.short for c in commits(repo.file, limit=2)] == [repo.shas["v3"], repo.shas["broken"]]
    assert [p.label for p in history(repo.file, OPTIONS, limit=1).points] == [repo.shas["v3"]]


def test_a_rename_is_followed(repo: Repo) -> None:
    git(repo.folder, "mv", "readiness.yaml", "readiness.yml")
    renamed = _commit(repo.folder, "Shorter name", "2026-11-14")
    points = history(repo.file.with_name("readiness.yml"), OPTIONS).points
    assert [p.label for p in points] == [renamed, *(repo.shas[v] for v in ("v3", "broken", "v2", "v1"))]
    assert [p.file for p in points] == ["readiness.yml"] + ["readiness.yaml"] * 4
    assert points[0].score == points[1].score and points[0].subject == "Shorter name"
    assert points[2].verdict == INVALID and points[2].error and points[2].error.startswith(f"{repo.shas['broken']}:")


def test_the_working_tree_row_appears_only_with_uncommitted_changes(repo: Repo, tmp_path: Path) -> None:
    assert WORKING_TREE not in [p.label for p in history(repo.file, OPTIONS).points]
    # Line endings alone change nothing that is scored.
    repo.file.write_bytes(V3.replace("\n", "\r\n").encode("utf-8"))
    assert WORKING_TREE not in [p.label for p in history(repo.file, OPTIONS).points]
    repo.file.write_text(V1, encoding="utf-8")
    points = history(repo.file, OPTIONS).points
    assert [p.label for p in points][:2] == [WORKING_TREE, repo.shas["v3"]]
    working = points[0]
    score, verdict, stage = _expected(V1, tmp_path)
    assert (working.sha, working.date, working.score, working.verdict, working.stage_reached) == (
        None,
        "2026-11-21",
        score,
        verdict,
        stage,
    )
    assert working.subject == "uncommitted changes"
    # An unreadable working copy is a row too, never an exception.
    repo.file.write_text("version: [\n", encoding="utf-8")
    broken = history(repo.file, OPTIONS).points[0]
    assert (broken.label, broken.verdict, broken.score) == (WORKING_TREE, INVALID, None)
    assert broken.error and broken.error.startswith(f"{repo.file}:2:1: error: $: YAML syntax error")


def test_a_deleted_and_restored_file_shows_the_deletion(repo: Repo, tmp_path: Path) -> None:
    git(repo.folder, "rm", "-q", "readiness.yaml")
    gone = _commit(repo.folder, "Drop it", "2026-11-15")
    back = _commit(repo.folder, "Bring it back", "2026-11-16", **{"readiness.yaml": V2})
    points = history(repo.file, OPTIONS).points
    assert [p.label for p in points] == [back, gone, *(repo.shas[v] for v in ("v3", "broken", "v2", "v1"))]
    score, verdict, _ = _expected(V2, tmp_path)
    assert (points[0].score, points[0].verdict) == (score, verdict)
    assert (points[1].score, points[1].verdict, points[1].error) == (None, "deleted", None)


def test_outside_a_repository_or_without_git_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: Repo
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "alone"
    shutil.copytree(EXAMPLE, plain)
    with pytest.raises(InputError) as caught:
        history(plain / "readiness.yaml", OPTIONS)
    [problem] = caught.value.diagnostics
    assert problem.file == str(plain / "readiness.yaml")
    assert "not in a git repository" in problem.message
    untracked = repo.folder / "new.yaml"
    untracked.write_text(V1, encoding="utf-8")
    with pytest.raises(InputError, match="no commit changed this file yet"):
        history(untracked, OPTIONS)
    assert commits(untracked) == []
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    with pytest.raises(InputError, match="git is not installed"):
        commits(repo.file)


def test_text_json_and_markdown_are_byte_identical_twice(repo: Repo) -> None:
    found = history(repo.file, OPTIONS)
    again = history(repo.file, OPTIONS)
    assert found == again
    for render in (lambda p: as_text(p, 100), as_json, as_markdown):
        assert render(found).encode() == render(again).encode()
    points = found.points
    text = as_text(found, 100)
    assert text.splitlines()[0].split() == ["Date", "Commit", "Score", "Change", "Verdict", "Stage", "Subject"]
    assert f"{repo.shas['broken']}: {repo.shas['broken']}:readiness.yaml:" in text  # the error, under the table
    whole = json.loads(as_json(found))
    assert (whole["limit"], whole["truncated"], whole["shallow"]) == (100, False, False)
    data = whole["history"]
    assert [row["label"] for row in data] == [p.label for p in points]
    assert data[0]["score"] == float(points[0].score or 0) and data[1]["score"] is None
    # The change is against the nearest older score: the broken commit in between is skipped.
    assert data[0]["change"] == round(float(points[0].score or 0) - float(points[2].score or 0), 1)
    assert data[1]["change"] is None and data[3]["change"] is None
    markdown = as_markdown(found)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown and r"\*\*bold\*\*" in markdown


def _report(points: Sequence[Point] | None, repo: Repo) -> tuple[str, str]:
    result = evaluate(repo.file, OPTIONS).result
    options = RenderOptions(history=None if points is None else tuple(points))
    return html_report.render(result, options), markdown_report.render(result, options)


def test_the_report_charts_the_trend_when_history_is_given(repo: Repo) -> None:
    points = history(repo.file, OPTIONS).points
    html, markdown = _report(points, repo)
    assert "<h3>Trend</h3>" in html
    figure = html[html.index("<h3>Trend</h3>") : html.index("</section>", html.index("<h3>Trend</h3>"))]
    assert re.search(r'<svg class="chart"[^>]* role="img"', figure)
    assert '<title id="trend-chart-title">' in figure
    desc = re.search(r'<desc id="trend-chart-desc">(.*?)</desc>', figure)
    assert desc is not None
    scored = [p for p in reversed(points) if p.score is not None]
    listed = re.findall(r"(\d{4}-\d\d-\d\d) \((\w+)\) (\d+\.\d)", desc.group(1))
    assert listed == [(p.date, p.label, p.score) for p in scored]
    assert "minimum score 70" in desc.group(1)
    assert figure.count('<circle class="expected"') == len(scored)
    assert 'class="threshold"' in figure  # the minimum score, dashed
    assert re.findall(r'text-anchor="end">(\d+)</text>', figure) == ["0", "25", "50", "75", "100"]  # y axis
    assert "<script>" not in figure and "&lt;script&gt;alert(1)&lt;/script&gt;" in figure
    assert points[1].error is not None and points[1].error.split(":")[0] in figure
    assert "### Trend" in markdown
    assert f"| 2026-11-09 | {repo.shas['broken']} | not scored |  | Invalid |  |" in markdown


def test_without_history_or_with_one_score_there_is_no_trend(repo: Repo) -> None:
    html, markdown = _report(None, repo)
    assert "Trend" not in html and "Trend" not in markdown
    points = history(repo.file, OPTIONS).points
    result = evaluate(repo.file, OPTIONS).result
    assert context(result)["trend"] is None
    assert context(result, points[:2])["trend"] is None  # one score and one invalid version
    assert context(result, points)["trend"] is not None
    one_html, _ = _report(points[:2], repo)
    assert one_html == html


def test_the_history_command_and_report_history_flag(
    repo: Repo, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo.folder)
    run = cli("history", "--today", "2026-11-21")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert [line.split()[1] for line in lines[2:] if re.match(r"\d{4}-", line)] == [
        repo.shas[v] for v in ("v3", "broken", "v2", "v1")
    ]
    data = json.loads(cli("history", "-f", "json", "--limit", "2", "--today", "2026-11-21").out)
    assert len(data["history"]) == 2
    plain = cli("report", "-o", "plain.html", "--today", "2026-11-21")
    charted = cli("report", "--history", "-o", "charted.html", "--today", "2026-11-21")
    assert plain.code == charted.code == 0
    assert "<h3>Trend</h3>" not in (repo.folder / "plain.html").read_text(encoding="utf-8")
    assert "<h3>Trend</h3>" in (repo.folder / "charted.html").read_text(encoding="utf-8")
    lone = repo.folder.parent / "lone" / "readiness.yaml"
    lone.parent.mkdir()
    lone.write_text(V1, encoding="utf-8")
    outside = cli("history", str(lone))
    assert outside.code == 2 and "not in a git repository" in outside.err


def test_versions_that_change_what_the_probes_judge_are_each_scored_as_check_would(tmp_path: Path) -> None:
    """History shares one walk and the probes' runs across versions: a version whose targets or evidence differ
    must still be scored exactly as that version alone."""
    strict = V1.replace("golden_min_rows: 25", "golden_min_rows: 1000")  # the golden set's probe now fails
    claimed = V1.replace(
        "  evaluation.agent-evaluation:\n    status: partial", "  evaluation.agent-evaluation:\n    status: done"
    )
    lenient = claimed.replace("eval_pass_rate: 0.8", "eval_pass_rate: 0.5")  # its probe now holds the claim up
    no_evidence = V1.replace("evidence: [evals/golden/incidents.jsonl, evals/logs/]", "evidence: [NOTES.md]")
    assert len({V1, strict, claimed, lenient, no_evidence}) == 5
    folder = tmp_path / "repo"
    shutil.copytree(EXAMPLE, folder)
    git(folder, "init", "-q", "-b", "main")
    versions = {
        "v1": V1, "strict": strict, "claimed": claimed, "lenient": lenient, "no-evidence": no_evidence, "again": V1
    }  # fmt: skip
    for day, (name, text) in enumerate(versions.items(), 1):
        _commit(folder, name, f"2026-11-{day:02d}", **{"readiness.yaml": text})
    points = history(folder / "readiness.yaml", OPTIONS).points
    expected = [_expected(text, tmp_path) for text in reversed(versions.values())]
    assert [(p.score, p.verdict, p.stage_reached) for p in points] == expected
    assert len({score for score, _, _ in expected}) >= 3  # the versions really score differently
