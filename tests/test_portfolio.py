"""`readiness portfolio` as a library: discovery, the roll-up of many assessments, and its four renderers.

The portfolio is built from copies of the three examples in folders of their own, one broken assessment, one
inside node_modules (skipped) and one behind a symlinked folder (not followed). Every figure is checked
against what `evaluate` says of each project on its own.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest

from readiness.core.model import Result, Severity
from readiness.render.portfolioview import as_html, as_json, as_markdown, as_text, band
from readiness.rollup import portfolio as portfolio_module
from readiness.rollup.portfolio import Failed, Portfolio, ProjectSummary, collect, discover, summarize
from readiness.score.engine import Evaluation, evaluate
from readiness.score.scoring import Options, format_score
from tests.conftest import OPS_PACK, REPO, Run

OPTIONS = Options(today=date(2026, 11, 21), strict=False, target=None, policy={})
BROKEN = "version: 1\nproject: {name: X, target: launch}\n"
HOSTILE_NAMES = ("<script>alert(1)</script>", "{{ 7*7 }}")


@dataclass(frozen=True)
class Tree:
    root: Path  # the folder given to the roll-up
    good: tuple[Path, ...]  # the three examples, in discovery order
    broken: Path


def _copy_example(name: str, folder: Path, file_name: str = "readiness.yaml") -> Path:
    shutil.copytree(REPO / "examples" / name, folder)
    if file_name != "readiness.yaml":
        (folder / "readiness.yaml").rename(folder / file_name)
    return folder / file_name


def _put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    base = tmp_path_factory.mktemp("portfolio")
    root = base / "repos"
    good = (
        _copy_example("support-copilot", root / "team-a"),
        _copy_example("fraud-scoring", root / "team-b" / "service"),
        _copy_example("ops-agent", root / "team-c", "readiness.yml"),
    )
    broken = _put(root / "team-d" / "readiness.yaml", BROKEN)
    _put(root / "team-d" / "notes.yaml", "not an assessment: only readiness.yaml and readiness.yml are\n")
    _put(root / "team-a" / "node_modules" / "some-dep" / "readiness.yaml", BROKEN)
    _put(root / "team-b" / ".venv" / "readiness.yaml", BROKEN)
    _put(base / "elsewhere" / "readiness.yaml", BROKEN)
    (root / "linked").symlink_to(base / "elsewhere", target_is_directory=True)
    return Tree(root, good, broken)


@pytest.fixture(scope="module")
def rolled(tree: Tree) -> Portfolio:
    return collect([tree.root], OPTIONS)


@pytest.fixture(scope="module")
def results(tree: Tree) -> dict[str, Result]:
    """What `evaluate` says of each good project on its own, by the path shown."""
    return {str(path): evaluate(path, OPTIONS, display=str(path)).result for path in tree.good}


# --- discovery ---------------------------------------------------------------------------------------------


def test_discovery_finds_both_file_names_and_skips_node_modules_venv_and_symlinked_folders(tree: Tree) -> None:
    files, problems = discover([tree.root])
    assert files == [*tree.good[:2], tree.good[2], tree.broken]
    assert [f.relative_to(tree.root).as_posix() for f in files] == [
        "team-a/readiness.yaml",
        "team-b/service/readiness.yaml",
        "team-c/readiness.yml",
        "team-d/readiness.yaml",
    ]
    assert problems == []


def test_discovery_takes_files_as_is_dedupes_and_reports_what_is_missing(tree: Tree, tmp_path: Path) -> None:
    notes = tree.root / "team-d" / "notes.yaml"
    roundabout = tree.root / "team-a" / ".." / "team-a" / "readiness.yaml"
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "nope"
    files, problems = discover([missing, tree.root, roundabout, tree.good[0], notes, empty, tree.root])
    assert files == sorted([*tree.good, tree.broken, notes])  # each once, the shortest path kept, then sorted
    assert files == discover([notes, tree.root])[0]  # the order of the arguments does not matter
    assert [p.format() for p in problems] == sorted(
        [
            f"{missing}:1:1: error: $: no such file or folder",
            f"{empty}:1:1: warning: $: no readiness.yaml or readiness.yml found in this folder",
        ]
    )


def test_an_unreadable_folder_is_reported_and_the_rest_still_found(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked, sub = tmp_path / "locked", tree.root / "team-b"
    locked.mkdir()
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:  # as without read permission (the tests may run as root)
        if Path(path) in (locked, sub):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = discover([tree.root, locked])
    assert files == [tree.good[0], tree.good[2], tree.broken]
    assert [p.format() for p in problems] == [
        f"{sub}:1:1: warning: $: cannot read folder: Permission denied; skipped",
        f"{locked}:1:1: error: $: cannot read folder: Permission denied",
    ]
    rolled = collect([locked], OPTIONS)
    assert rolled.failed == (Failed(str(locked), (problems[1].format(),)),) and rolled.projects == ()


# --- the roll-up -------------------------------------------------------------------------------------------


def test_the_broken_assessment_is_listed_with_its_position_and_the_others_are_all_there(
    rolled: Portfolio, tree: Tree
) -> None:
    assert [p.path for p in rolled.projects] == [str(path) for path in tree.good]
    assert [p.name for p in rolled.projects] == ["Support Copilot", "Card Fraud Scoring", "Ops Agent"]
    assert len(rolled.failed) == 1
    failed = rolled.failed[0]
    assert failed.path == str(tree.broken)
    assert len(failed.diagnostics) == 1
    assert re.fullmatch(
        re.escape(str(tree.broken)) + r":2:\d+: error: \$\.project\.target: .*'launch'.*", failed.diagnostics[0]
    )
    assert rolled.today == "2026-11-21"
    assert rolled.warnings == ()


def test_each_project_shows_what_evaluate_gives_for_it(rolled: Portfolio, results: dict[str, Result]) -> None:
    for project in rolled.projects:
        result = results[project.path]
        assert project.name == result.project.name
        assert project.target == result.target.value
        assert project.verdict == result.verdict
        assert project.score == format_score(result.score)
        assert project.stage_reached == (result.stage_reached.value if result.stage_reached else None)
        assert project.blockers == len([g for g in result.gaps if g.severity is Severity.BLOCKER])
        assert project.scores == {c.pack.id: format_score(c.score) for c in result.categories}
        assert project.pack_titles == {c.pack.id: c.pack.title for c in result.categories}
        assert project.gaps == tuple((g.item.id, g.item.title) for g in result.gaps)
    by_name = {p.name: p for p in rolled.projects}  # the examples' own stories, as the README tells them
    assert (by_name["Support Copilot"].score, by_name["Support Copilot"].stage_reached) == ("75.9", "prototype")
    assert (by_name["Ops Agent"].target, by_name["Ops Agent"].blockers) == ("pilot", 20)


def test_the_most_common_gaps_are_counted_across_projects(rolled: Portfolio, results: dict[str, Result]) -> None:
    counts: Counter[str] = Counter()
    titles = {}
    for result in results.values():
        for gap in result.gaps:
            counts[gap.item.id] += 1
            titles[gap.item.id] = gap.item.title
    expected = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    assert [(g.item, g.count) for g in rolled.common_gaps] == expected
    assert all(g.title == titles[g.item] for g in rolled.common_gaps)
    assert all(g.share == Fraction(g.count, 3) for g in rolled.common_gaps)
    assert rolled.common_gaps[0].count >= 2  # the examples do share gaps


def test_packs_come_built_in_first_in_catalog_order_then_custom_ones(tree: Tree, tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    _put(custom / "ops.yaml", OPS_PACK.replace("title: Ops", "title: Ops & <b>on-call</b>"))
    _put(
        custom / "readiness.yaml",
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [security], extra: [ops.yaml]}\n",
    )
    rolled = collect([custom / "readiness.yaml", tree.good[2]], OPTIONS)
    assert [p.id for p in rolled.packs] == [
        "ownership",
        "data",
        "compliance",
        "cost",
        "observability",
        "reliability",
        "evaluation",
        "security",
        "ops",
    ]
    assert rolled.packs[-1].title == "Ops & <b>on-call</b>"
    project = next(p for p in rolled.projects if p.name == "P")
    assert project.scores == {"security": "n/a", "ops": "0.0"}  # nothing of security applies at prototype here
    assert "<b>on-call</b>" not in as_html(rolled) and "Ops &amp; &lt;b&gt;on-call&lt;/b&gt;" in as_html(rolled)
    assert "Ops &amp; &lt;b&gt;on-call&lt;/b&gt;" in as_markdown(rolled)


def test_workers_give_exactly_the_same_portfolio_and_report_progress(rolled: Portfolio, tree: Tree) -> None:
    seen: list[tuple[int, int]] = []
    parallel = collect([tree.root], OPTIONS, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert parallel == rolled
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    for render in (as_json, as_markdown, as_html):
        assert render(parallel) == render(rolled)


def test_workers_start_safely_while_another_thread_runs(rolled: Portfolio, tree: Tree) -> None:
    """A progress bar refreshing in a thread: workers must not be forked from this process then."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert collect([tree.root], OPTIONS, workers=2) == rolled
    finally:
        stop.set()
        thread.join()


def test_summaries_are_small_and_picklable(tree: Tree) -> None:
    import pickle

    summary = summarize(tree.good[0], OPTIONS)
    assert isinstance(summary, ProjectSummary)
    assert pickle.loads(pickle.dumps(summary)) == summary
    assert len(pickle.dumps(summary)) < 10_000  # not the Result: a thousand of these fit in a few MB
    assert isinstance(summarize(tree.broken, OPTIONS), Failed)


def test_an_internal_error_on_one_project_does_not_stop_the_roll_up(
    tree: Tree, rolled: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = portfolio_module.evaluate

    def flaky(path: Path, options: Options, display: str | None = None) -> Evaluation:
        if path == tree.good[1]:
            raise RuntimeError("boom\n  on two lines")
        return real(path, options, display=display)

    monkeypatch.setattr(portfolio_module, "evaluate", flaky)
    result = collect([tree.root], OPTIONS)
    assert [p.name for p in result.projects] == ["Support Copilot", "Ops Agent"]
    assert result.failed == (
        Failed(str(tree.good[1]), (f"{tree.good[1]}: internal error: RuntimeError: boom on two lines",)),
        rolled.failed[0],
    )


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patch reaches workers only by fork")
def test_a_worker_that_dies_does_not_stop_the_roll_up(
    tree: Tree, rolled: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, parent = portfolio_module.evaluate, os.getpid()

    def dies_in_a_worker(path: Path, options: Options, display: str | None = None) -> Evaluation:
        if path == tree.good[1] and os.getpid() != parent:
            os._exit(1)  # as if killed for memory
        return real(path, options, display=display)

    monkeypatch.setattr(portfolio_module, "evaluate", dies_in_a_worker)
    assert collect([tree.root], OPTIONS, workers=2) == rolled  # what was left is finished in this process


# --- renderers ---------------------------------------------------------------------------------------------


def test_every_renderer_gives_the_same_bytes_twice(rolled: Portfolio, tree: Tree) -> None:
    again = collect([tree.root], OPTIONS)
    for render in (as_json, as_markdown, as_html, lambda p: as_text(p, 100)):
        assert render(rolled) == render(again) == render(rolled)


@pytest.mark.parametrize("width", [80, 120, 200])
def test_text_shows_projects_scores_gaps_and_errors(rolled: Portfolio, tree: Tree, width: int) -> None:
    text = as_text(rolled, width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "…" not in text  # nothing is cut: narrow widths split the pack scores into tables of their own
    flat = " ".join(text.split())
    assert "4 assessments: 3 scored (0 ready, 0 ready with waivers, 3 not ready), 1 invalid" in flat
    for project in rolled.projects:
        assert project.name in text
        row = next(line for line in text.splitlines() if line.startswith(project.name))
        assert project.score in row
        assert all(score in text for score in project.scores.values())
    assert "Most common gaps" in text and rolled.common_gaps[0].item in text
    assert str(tree.broken) in "".join(text.split()) and "$.project.target" in text


def test_text_in_colour_marks_bands(rolled: Portfolio) -> None:
    text = as_text(rolled, 200, color=True)
    assert "\x1b[" in text
    assert "\x1b[" not in as_text(rolled, 200)


def test_json_has_a_stable_documented_shape(rolled: Portfolio, results: dict[str, Result], tree: Tree) -> None:
    data = json.loads(as_json(rolled))
    assert list(data) == [
        "schema_version",
        "tool",
        "today",
        "summary",
        "packs",
        "projects",
        "common_gaps",
        "invalid",
        "warnings",
    ]
    assert data["schema_version"] == "1"
    assert data["summary"] == {
        "assessments": 4,
        "scored": 3,
        "invalid": 1,
        "verdicts": {"ready": 0, "ready-with-waivers": 0, "not-ready": 3},
    }
    assert [p["id"] for p in data["packs"]] == [p.id for p in rolled.packs]
    for entry in data["projects"]:
        result = results[entry["path"]]
        assert entry["name"] == result.project.name
        assert entry["verdict"] == result.verdict
        assert entry["score"] == float(format_score(result.score))
        assert entry["stage_reached"] == (result.stage_reached.value if result.stage_reached else None)
        assert entry["open_blockers"] == len([g for g in result.gaps if g.severity is Severity.BLOCKER])
        assert entry["categories"] == {c.pack.id: float(format_score(c.score)) for c in result.categories}
        assert entry["gaps"] == [g.item.id for g in result.gaps]
    assert len(data["common_gaps"]) == len(rolled.common_gaps)  # all of them, not only the top ten
    first = data["common_gaps"][0]
    assert set(first) == {"id", "title", "projects", "share"} and 0 < first["share"] <= 1
    assert data["invalid"] == [{"path": str(tree.broken), "errors": list(rolled.failed[0].diagnostics)}]


def test_markdown_has_the_tables_a_reader_needs(rolled: Portfolio, tree: Tree) -> None:
    markdown = as_markdown(rolled)
    lines = markdown.splitlines()
    header = next(line for line in lines if line.startswith("| Project |"))
    assert header.count("|") == 7 + len(rolled.packs) + 1
    for project in rolled.projects:
        row = next(line for line in lines if line.startswith(f"| {project.name} |"))
        assert f"| {project.score} |" in row
        assert row.count("|") == header.count("|")
    assert "## Most common gaps (10 of" in markdown
    gap_rows = [line for line in lines if line.startswith("| ") and " of 3 |" in line]
    assert len(gap_rows) == 10
    assert "## Invalid assessments (1)" in markdown
    assert "$.project.target" in markdown and "\\$" not in markdown.split("## Invalid")[0]


class _Page(HTMLParser):
    """Tags with their attributes, all text, and the cells of each table row (tag, class, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rows: list[list[tuple[str, str, str]]] = []
        self._cell: list[str] | None = None
        self._cell_tag = ("", "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._cell_tag = [], (tag, dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((*self._cell_tag, "".join(self._cell).strip()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _assert_self_contained(html: str, page: _Page) -> None:
    csp = [
        a.get("content") or "" for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(csp) == 1 and "script-src 'none'" in csp[0] and "default-src 'none'" in csp[0]
    assert "<script" not in html.lower()
    assert [t for t, _ in page.tags if t in ("script", "iframe", "object", "embed", "link", "img")] == []
    assert not [a for _, a in page.tags if any(name.startswith("on") for name in a)]
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "url(" not in html and "@import" not in html


def test_html_is_one_self_contained_page_with_a_heat_map(rolled: Portfolio, tree: Tree) -> None:
    html = as_html(rolled)
    page = _parse(html)
    _assert_self_contained(html, page)
    assert "@media print" in html
    headers = next(row for row in page.rows if row and row[0] == ("th", "", "Project"))
    assert [text for _, _, text in headers[5:]] == [p.title for p in rolled.packs]
    for project in rolled.projects:
        row = next(r for r in page.rows if r and r[0][2].startswith(project.name))
        assert row[0][0] == "th"  # the row header names the project
        assert project.path in row[0][2]
        overall, *packs = [row[2], *row[5:]]
        assert overall[2] == project.score and f"band-{band(project.score)}" in overall[1]
        for (_, css, text), pack in zip(packs, rolled.packs, strict=True):
            assert text == project.scores[pack.id]  # the number is printed in its cell
            assert f"heat band-{band(text)}" in css  # and the cell is shaded by its band
    assert band("49.9") == "low" and band("50.0") == "fair" and band("84.9") == "good" and band("85.0") == "high"
    legend = " ".join("".join(page.text).split())
    assert all(words in legend for words in ("below 50", "50 to 69.9", "70 to 84.9", "85 and above"))
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    assert rolled.common_gaps[0].title in legend
    assert rolled.failed[0].diagnostics[0] in legend  # the broken file's error, as written


def test_hostile_project_names_stay_text_everywhere(tmp_path: Path) -> None:
    for index, name in enumerate(HOSTILE_NAMES):
        file = _copy_example("ops-agent", tmp_path / f"p{index}")
        text = file.read_text(encoding="utf-8")
        assert "  name: Ops Agent\n" in text
        file.write_text(text.replace("  name: Ops Agent\n", f"  name: {json.dumps(name)}\n"), encoding="utf-8")
    rolled = collect([tmp_path], OPTIONS)
    assert [p.name for p in rolled.projects] == list(HOSTILE_NAMES)

    html = as_html(rolled)
    page = _parse(html)
    _assert_self_contained(html, page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = "".join(page.text)
    assert all(name in shown for name in HOSTILE_NAMES)  # literal text: neither run nor evaluated

    markdown = as_markdown(rolled)
    assert "<script>" not in markdown and "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in markdown
    assert "\\{\\{ 7\\*7 \\}\\}" in markdown

    assert all(name in as_text(rolled, 200) for name in HOSTILE_NAMES)  # rich markup is off: printed as is
    assert [p["name"] for p in json.loads(as_json(rolled))["projects"]] == list(HOSTILE_NAMES)


def test_an_empty_roll_up_still_renders(tmp_path: Path) -> None:
    rolled = collect([tmp_path / "nope"], OPTIONS)
    assert rolled.projects == () and rolled.common_gaps == () and rolled.packs == ()
    assert rolled.failed == (
        Failed(str(tmp_path / "nope"), (f"{tmp_path / 'nope'}:1:1: error: $: no such file or folder",)),
    )
    renders: list[Callable[[Portfolio], str]] = [as_json, as_markdown, as_html, lambda p: as_text(p, 80)]
    for render in renders:
        out = render(rolled)
        assert "no such file or folder" in out
    assert "No assessment could be scored." in as_markdown(rolled)


def test_the_portfolio_command_lists_everything_and_exits_2_when_one_is_invalid(
    tree: Tree, cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "portfolio.json"
    run = cli("portfolio", tree.root, "-f", "json", "-o", out, "--workers", "2", "--today", "2026-11-21")
    assert run.code == 2  # the roll-up is written, and the broken assessment still fails the run
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["projects"]) == 3 and [entry["path"] for entry in data["invalid"]] == [str(tree.broken)]
    assert "3 assessments scored, 1 invalid" in run.err
    good = cli("portfolio", *tree.good, "--today", "2026-11-21")
    assert good.code == 0 and "Support Copilot" in good.out and "Most common gaps" in good.out
    # Long paths wrap at a folder boundary, never inside the file name. Shown on a path of known length: where
    # tmp_path wraps depends on the machine and on the test worker (each adds a folder of its own).
    monkeypatch.chdir(tmp_path)
    _copy_example("support-copilot", tmp_path / "customer-support" / "copilot-in-the-helpdesk")
    long = cli("portfolio", "customer-support/copilot-in-the-helpdesk/readiness.yaml", "--today", "2026-11-21")
    assert long.code == 0
    cells = [line.split("  ")[0] for line in long.out.splitlines()]
    start = cells.index("Support Copilot") + 1
    assert cells[start : start + 4] == ["customer-support/", "copilot-in-the-helpdesk/", "readiness.yaml", ""]
    assert not re.search(r"readiness\.ya$", good.out, re.M)
    page = tmp_path / "portfolio.html"
    assert cli("portfolio", *tree.good, "-f", "html", "-o", page, "--today", "2026-11-21").code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli("portfolio", tmp_path / "nowhere").code == 2
