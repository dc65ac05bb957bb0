"""`readiness portfolio --cache FILE`: the same bytes with and without it, cold or warm, in every format; a project
taken from the cache only while everything it was scored from is as it was; and a cache file treated as what a pull
request could have written.

The roll-up is of a monorepo (one git work tree): copies of the three examples (probes read their artifacts), one
broken assessment and one project with a custom pack shared from another folder. Which projects were scored is seen
by wrapping `evaluate` (in one process: `--workers 1`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from readiness.load.containment import Root
from readiness.rollup import cachequick, cachestamp, resultcache
from readiness.rollup import portfolio as portfolio_module
from readiness.rollup.cachestamp import Checker
from readiness.score.engine import Evaluation
from tests.conftest import OPS_PACK, REPO, TODAY, Run

EXAMPLES = ("support-copilot", "fraud-scoring", "ops-agent")
BROKEN = "version: 1\nproject: {name: X, target: launch}\n"
CUSTOM = """\
version: 1
project: {name: Custom, target: prototype}
checklists: {use: [], extra: [../packs/ops.yaml]}
team: {ana: {name: Ana}}
raci:
  on-call: {R: [ana], A: ana}
  switch-off: {R: [ana], A: ana}
answers:
  ops.runbook: {status: done, evidence: [runbooks/on-call.md]}
"""
FORMATS = ("text", "json", "markdown", "html")
ESC = "\x1b"


@pytest.fixture
def repos(tmp_path: Path) -> Path:
    root = tmp_path / "repos"
    (root / ".git").mkdir(parents=True)
    for name in EXAMPLES:
        shutil.copytree(REPO / "examples" / name, root / name)
    (root / "broken").mkdir()
    (root / "broken" / "readiness.yaml").write_text(BROKEN, encoding="utf-8")
    (root / "packs").mkdir()
    (root / "packs" / "ops.yaml").write_text(OPS_PACK, encoding="utf-8")
    custom = root / "custom"
    (custom / "runbooks").mkdir(parents=True)
    (custom / "readiness.yaml").write_text(CUSTOM, encoding="utf-8")
    (custom / "runbooks" / "on-call.md").write_text("# On call\n", encoding="utf-8")
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    (tmp_path / "state").mkdir()
    return tmp_path / "state" / "portfolio-cache.json"


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The assessments scored in this process, in order."""
    seen: list[str] = []
    real = portfolio_module.evaluate

    def counting(path: Path, *args: Any, **kwargs: Any) -> Evaluation:
        seen.append(path.parent.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(portfolio_module, "evaluate", counting)
    return seen


@pytest.fixture
def roll(cli: Callable[..., Run], repos: Path, cache: Path) -> Callable[..., Run]:
    def run(*extra: str | Path, fmt: str = "json", cached: bool = True) -> Run:
        options = ["--cache", cache] if cached else []
        return cli("portfolio", repos, "--today", TODAY, "-f", fmt, "--workers", "1", *options, *extra)

    return run


@pytest.fixture(params=["full look", "quick look"])
def looks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which look vouches for an unchanged project. Files a test writes are seconds old at most, so which one the
    cache would use depends on how fast the test runs (cachequick.RACY_NS): each test says which it wants."""
    monkeypatch.setattr(cachequick, "RACY_NS", 0 if request.param == "quick look" else 10**18)
    return str(request.param)


def _entries(cache: Path) -> dict[str, Any]:
    projects: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8"))["projects"]
    return projects


def _project(cache: Path, name: str) -> str:
    return next(key for key in _entries(cache) if Path(key).parent.name == name)


# --- the same output, and no scoring on a second run ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_output_is_the_same_bytes_without_the_cache_cold_and_warm(
    roll: Callable[..., Run], cache: Path, scored: list[str], fmt: str
) -> None:
    plain = roll(fmt=fmt, cached=False)
    cold = roll(fmt=fmt)
    assert cache.is_file()
    scored.clear()
    warm = roll(fmt=fmt)
    assert scored == []  # every project, the broken one included, came from the cache
    assert plain.code == cold.code == warm.code == 2  # the broken assessment
    assert plain.out == cold.out == warm.out
    assert "broken/readiness.yaml" in warm.out


def test_workers_read_the_same_cache(cli: Callable[..., Run], repos: Path, cache: Path) -> None:
    plain = cli("portfolio", repos, "--today", TODAY, "-f", "json", "--workers", "1")
    cold = cli("portfolio", repos, "--today", TODAY, "-f", "json", "--workers", "2", "--cache", cache)
    warm = cli("portfolio", repos, "--today", TODAY, "-f", "json", "--workers", "2", "--cache", cache)
    assert plain.out == cold.out == warm.out
    assert sorted(Path(key).parent.name for key in _entries(cache)) == sorted([*EXAMPLES, "broken", "custom"])


def test_an_unchanged_cache_is_not_rewritten_and_a_project_gone_is_dropped(
    roll: Callable[..., Run], repos: Path, cache: Path, looks: str
) -> None:
    roll()
    before = cache.stat()
    roll()
    after = cache.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    shutil.rmtree(repos / "fraud-scoring")
    roll()
    assert "fraud-scoring" not in {Path(key).parent.name for key in _entries(cache)}
    assert cache.stat().st_ino != before.st_ino  # replaced whole, atomically


def test_gap_titles_are_written_once_for_all_projects(roll: Callable[..., Run], repos: Path, cache: Path) -> None:
    for n in range(5):
        shutil.copytree(repos / "support-copilot", repos / f"copy-{n}")
    roll()
    text = cache.read_text(encoding="utf-8")
    rolled = json.loads(roll(cached=False).out)
    titles = [gap["title"] for gap in rolled["common_gaps"]]
    assert titles and all(text.count(json.dumps(title)) == 1 for title in titles)


# --- what makes a project scored again -------------------------------------------------------------------------------


def _append(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")


def _edit_same_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    index = next(i for i, char in enumerate(text) if char.isalpha() and char.lower() != "x")
    path.write_text(text[:index] + "x" + text[index + 1 :], encoding="utf-8")


CHANGES: dict[str, tuple[str, Callable[[Path], object]]] = {
    "assessment edited (a comment)": ("fraud-scoring", lambda root: _append(root / "fraud-scoring" / "readiness.yaml")),
    "custom pack edited": ("custom", lambda root: _append(root / "packs" / "ops.yaml")),
    "evidence file added under a listed folder": (
        "support-copilot",
        lambda root: (root / "support-copilot" / "docs" / "new-note.md").write_text("# New\n", encoding="utf-8"),
    ),
    "evidence file removed": (
        "support-copilot",
        lambda root: (root / "support-copilot" / "runbooks" / "rollback.md").unlink(),
    ),
    "evidence file renamed": (
        "support-copilot",
        lambda root: (root / "support-copilot" / "docs" / "rollout-plan.md").rename(
            root / "support-copilot" / "docs" / "rollout-plan-v1.md"
        ),
    ),
    "artifact rewritten to the same size": (
        "support-copilot",
        lambda root: _edit_same_size(root / "support-copilot" / "monitoring" / "alerts" / "drift.yaml"),
    ),
    "a file of a listed folder linked elsewhere": ("custom", lambda root: _relink(root / "custom")),
    "custom pack removed": ("custom", lambda root: (root / "packs" / "ops.yaml").unlink()),
}


def _relink(folder: Path) -> None:
    (folder / "runbooks" / "a.md").write_text("# A\n", encoding="utf-8")
    (folder / "runbooks" / "b.md").write_text("# B\n", encoding="utf-8")
    link = folder / "runbooks" / "current.md"
    if link.is_symlink():
        link.unlink()
    link.symlink_to("b.md")


@pytest.mark.parametrize("change", CHANGES)
def test_each_kind_of_change_scores_that_project_again(
    roll: Callable[..., Run], repos: Path, cache: Path, scored: list[str], change: str, looks: str
) -> None:
    project, make = CHANGES[change]
    if change == "a file of a listed folder linked elsewhere":
        _relink(repos / "custom")
        (repos / "custom" / "runbooks" / "current.md").unlink()
        (repos / "custom" / "runbooks" / "current.md").symlink_to("a.md")
    roll()
    quick = {Path(key).parent.name: entry["stamp"]["quick"] for key, entry in _entries(cache).items()}
    assert (quick["support-copilot"] is not None) == (looks == "quick look")
    if change == "a file of a listed folder linked elsewhere":
        assert quick["custom"] is None  # a symlink in the tree: only the full look vouches
    scored.clear()
    make(repos)
    changed = roll()
    assert scored == [project]
    assert changed.out == roll(cached=False).out  # and what it says is what scoring says now
    scored.clear()
    roll()
    assert scored == []  # kept again


def test_the_quick_look_reads_nothing_and_a_fresh_checkout_is_taken_by_its_contents(
    roll: Callable[..., Run], repos: Path, cache: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachequick, "RACY_NS", 0)
    honest = roll()

    def never(*args: object, **kwargs: object) -> str:
        raise AssertionError("a file was read")

    monkeypatch.setattr(cachestamp, "content_state", never)
    scored.clear()
    assert roll().out == honest.out
    assert scored == []
    monkeypatch.undo()
    monkeypatch.setattr(cachequick, "RACY_NS", 0)
    # As CI checks out the repository afresh: the same bytes, with new inodes and times everywhere.
    for path in sorted(repos.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    before = json.loads(cache.read_text(encoding="utf-8"))
    assert roll().out == honest.out
    assert scored == []  # the contents were the same: nothing scored again
    after = json.loads(cache.read_text(encoding="utf-8"))
    assert [entry["stamp"]["digest"] for entry in after["projects"].values()] == [
        entry["stamp"]["digest"] for entry in before["projects"].values()
    ]
    assert after != before  # the quick look made again, for the next run on this copy


def test_a_project_scored_with_a_missing_pack_is_scored_again_when_the_pack_appears(
    roll: Callable[..., Run], repos: Path, scored: list[str]
) -> None:
    (repos / "packs" / "ops.yaml").rename(repos / "packs" / "later.yaml")
    assert "does not exist" in roll().out
    (repos / "packs" / "later.yaml").rename(repos / "packs" / "ops.yaml")
    scored.clear()
    assert "does not exist" not in roll().out
    assert scored == ["custom"]


@pytest.mark.parametrize(
    "options",
    [("--today", "2026-11-22"), ("--today", TODAY, "--target", "scale")],
    ids=["another today", "another target"],
)
def test_other_options_score_every_project_again(
    cli: Callable[..., Run], repos: Path, cache: Path, scored: list[str], options: tuple[str, ...]
) -> None:
    common = ("portfolio", repos, "--workers", "1", "-f", "json", "--cache", cache)
    cli(*common, "--today", TODAY)
    scored.clear()
    cli(*common, *options)
    assert len(scored) == 5


def test_another_project_root_scores_every_project_again(
    roll: Callable[..., Run], repos: Path, scored: list[str]
) -> None:
    roll()
    scored.clear()
    (repos / ".git").rmdir()  # no work tree: each project's root is now its own folder
    roll()
    assert len(scored) == 5


def test_another_version_or_other_built_in_packs_score_every_project_again(
    roll: Callable[..., Run], scored: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    roll()
    scored.clear()
    monkeypatch.setattr(resultcache, "__version__", "99.0")
    roll()
    assert len(scored) == 5
    roll()
    scored.clear()
    roll()
    assert scored == []
    # A built-in pack edited in place (an editable install keeps its version): another digest of the packs.
    packs = tmp_path / "checklists"
    shutil.copytree(REPO / "checklists", packs)
    files = tuple(sorted(packs.glob("*.yaml")))
    monkeypatch.setattr(resultcache, "builtin_files", lambda: files)
    resultcache._build.cache_clear()
    before = resultcache._build()
    files[0].write_text(files[0].read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    resultcache._build.cache_clear()
    assert resultcache._build() != before
    resultcache._build.cache_clear()


def test_a_file_changed_while_it_was_scored_is_not_kept(
    roll: Callable[..., Run], repos: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = portfolio_module.evaluate
    artifact = repos / "support-copilot" / "monitoring" / "alerts" / "drift.yaml"

    def edits_meanwhile(path: Path, *args: Any, **kwargs: Any) -> Evaluation:
        done = real(path, *args, **kwargs)
        if path.parent.name == "support-copilot":
            artifact.write_text(artifact.read_text(encoding="utf-8") + "# later\n", encoding="utf-8")
        return done

    monkeypatch.setattr(portfolio_module, "evaluate", edits_meanwhile)
    roll()
    assert "support-copilot" not in {Path(key).parent.name for key in _entries(cache)}
    assert len(_entries(cache)) == 4


def test_an_internal_error_or_a_probe_out_of_time_is_not_kept(
    roll: Callable[..., Run], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = portfolio_module.evaluate

    def fails_once(path: Path, *args: Any, **kwargs: Any) -> Evaluation:
        if path.parent.name == "ops-agent":
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(portfolio_module, "evaluate", fails_once)
    monkeypatch.setattr("readiness.verify.probes.run.TOTAL_SECONDS", 0.0)  # every probe past its time budget
    assert "internal error" in roll().out
    assert sorted(Path(key).parent.name for key in _entries(cache)) == ["broken", "custom"]  # no probe there


# --- the cache file is untrusted input -------------------------------------------------------------------------------


def _forge(cache: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(cache.read_text(encoding="utf-8"))
    change(data)
    cache.write_text(json.dumps(data), encoding="utf-8")


def test_a_forged_entry_for_other_bytes_is_not_used(roll: Callable[..., Run], cache: Path, scored: list[str]) -> None:
    honest = roll()
    key = _project(cache, "fraud-scoring")

    def claim_ready(data: dict[str, Any]) -> None:
        entry = data["projects"][key]
        entry["summary"].update(verdict="ready", score="100.0")
        entry["stamp"]["digest"] = "0" * 64  # what the files would hash to if they said so

    _forge(cache, claim_ready)
    scored.clear()
    assert roll().out == honest.out
    assert scored == ["fraud-scoring"]


HOSTILE: dict[str, tuple[Callable[[dict[str, Any], str], None], str]] = {
    "project name": (
        lambda data, key: data["projects"][key]["summary"].update(name=f"{ESC}[31mPwned{ESC}]8;;https://x.test{ESC}\\"),
        ".summary.name: holds the character U+001B",
    ),
    "gap title": (lambda data, key: data["items"][0].__setitem__(1, f"Title{ESC}[2J"), "$.items[0][1]: holds"),
    "pack title": (lambda data, key: data["packs"][0].__setitem__(1, "Cost\x9b31m"), "$.packs[0][1]: holds"),
    "error line": (
        lambda data, key: next(e for e in data["projects"].values() if "failed" in e)["failed"]["diagnostics"].append(
            f"x:1:1: error: $: {ESC}[2J"
        ),
        ".failed.diagnostics[1]: holds the control character U+001B",
    ),
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("where", HOSTILE)
def test_an_escape_sequence_in_a_cached_string_never_reaches_the_output(
    roll: Callable[..., Run], cache: Path, fmt: str, where: str
) -> None:
    honest = roll(fmt=fmt)
    plant, reason = HOSTILE[where]
    _forge(cache, lambda data: plant(data, _project(cache, "fraud-scoring")))
    forged = roll(fmt=fmt)
    assert ESC not in forged.out + forged.err and "\x9b" not in forged.out + forged.err
    assert forged.out == honest.out
    assert f"{cache}: cache ignored: " in forged.err and reason in forged.err
    assert ESC not in cache.read_text(encoding="utf-8") and "\\u001b" not in cache.read_text(encoding="utf-8")


def test_an_escape_sequence_in_a_cached_project_path_is_written_out_in_the_warning(
    roll: Callable[..., Run], cache: Path
) -> None:
    roll()
    _forge(cache, lambda data: data["projects"].update({f"x{ESC}[31m/readiness.yaml": 7}))
    said = roll().err
    assert ESC not in said
    assert '$.projects["x\\u001b[31m/readiness.yaml"]: expected an object' in said


def _stamp(data: dict[str, Any]) -> dict[str, Any]:
    stamp: dict[str, Any] = next(e for e in data["projects"].values() if "summary" in e)["stamp"]
    return stamp


def _twice(data: dict[str, Any]) -> None:
    summary = _summary(data)
    data["lists"].append(data["lists"][summary["packs"]] * 2)
    summary.update(packs=len(data["lists"]) - 1, scores=summary["scores"] * 2)


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    entry = next(e for e in data["projects"].values() if "summary" in e)
    summary: dict[str, Any] = entry["summary"]
    return summary


BAD: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "wrong type": (lambda d: _summary(d).update(score=42), "summary.score: expected a string"),
    "score out of range": (lambda d: _summary(d).update(score="1e9"), "summary.score: expected a score"),
    "huge number": (lambda d: _summary(d).update(blockers=1e400), "summary.blockers: expected a count"),
    "negative count": (lambda d: _summary(d).update(blockers=-1), "summary.blockers: expected a count"),
    "index out of its table": (lambda d: _summary(d).update(gaps=10**6), "summary.gaps: expected a position"),
    "a boolean for an index": (lambda d: _summary(d).update(packs=True), "summary.packs: expected a position"),
    "a list pointing out of its table": (
        lambda d: d["lists"].append([10**6]) or _summary(d).update(gaps=len(d["lists"]) - 1),
        "expected a position in the items",
    ),
    "unknown verdict": (lambda d: _summary(d).update(verdict="shipped"), "summary.verdict: expected one of"),
    "unknown key": (lambda d: _summary(d).update(extra=1), 'unknown key "extra"'),
    "missing key": (lambda d: _summary(d).pop("gaps"), "'gaps' is missing"),
    "a score with a leading zero": (lambda d: _summary(d).update(score="05.5"), "summary.score: expected a score"),
    "a score over 100": (lambda d: _summary(d).update(score="100.5"), "summary.score: expected a score"),
    "a score among the scores": (lambda d: _summary(d)["scores"].__setitem__(0, "7"), "summary.scores[0]: expected"),
    "a boolean for a count": (lambda d: _summary(d).update(blockers=True), "summary.blockers: expected a count"),
    "a number for a stage": (lambda d: _summary(d).update(stage=7), "summary.stage: expected a string"),
    "a line separator in a name": (lambda d: _summary(d).update(name="a\u2028b"), "holds the character U+2028"),
    "a NUL in an input": (lambda d: _summary(d)["inputs"].append("a\0b"), "holds a NUL character"),
    "a digest in capitals": (lambda d: _stamp(d).update(digest="A" * 64), "stamp.digest: expected a SHA-256"),
    "a quick digest too short": (lambda d: _stamp(d).update(quick="ab"), "stamp.quick: expected a SHA-256"),
    "a boolean among the places": (lambda d: _stamp(d).update(places=False), "stamp.places: expected a position"),
    "a score for a pack twice": (_twice, "one score for each pack, each pack once"),
    "unknown format version": (lambda d: d.update(version=2), "$.version: format 2 is not one this readiness reads"),
    "not a cache": (lambda d: d.update(format="something else"), "$.format: not a readiness portfolio cache"),
    "a list at the top": (lambda d: d.clear(), "$: expected an object"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_cache_of_the_wrong_shape_is_ignored_with_one_warning_and_rebuilt(
    roll: Callable[..., Run], cache: Path, scored: list[str], case: str
) -> None:
    honest = roll()
    change, reason = BAD[case]
    if case == "a list at the top":
        cache.write_text("[]", encoding="utf-8")
    else:
        _forge(cache, change)
    scored.clear()
    again = roll()
    assert again.out == honest.out
    assert again.code == honest.code
    warnings = [line for line in again.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"readiness: warning: {cache}: cache ignored: ")
    assert reason in warnings[0]
    assert len(scored) == 5
    scored.clear()
    roll()
    assert scored == []  # rebuilt, and good again


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "readiness portfolio cache", "version": 1, "projects": {"a', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"version": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"", "not valid JSON"),
    ],
    ids=["truncated", "not UTF-8", "nested deeply", "a 5000-digit number", "empty"],
)
def test_a_cache_that_is_not_json_is_ignored_and_rebuilt(
    roll: Callable[..., Run], cache: Path, content: bytes, reason: str
) -> None:
    honest = roll(cached=False)
    cache.write_bytes(content)
    again = roll()
    assert again.out == honest.out
    assert f"{cache}: cache ignored: {reason}" in again.err
    assert "Traceback" not in again.err
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == "readiness portfolio cache"


def test_a_cache_over_its_size_limit_is_not_read(
    roll: Callable[..., Run], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roll()
    size = cache.stat().st_size
    monkeypatch.setattr(resultcache, "MAX_BYTES", size - 1)
    said = roll().err
    assert f"{cache}: cache ignored: it is {size:,} bytes, over the limit of" in said


def test_a_cache_named_through_a_symlink_is_neither_read_nor_written(
    roll: Callable[..., Run], cache: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    roll()
    shutil.move(cache, elsewhere)
    kept = elsewhere.read_bytes()
    cache.symlink_to(elsewhere)
    said = roll().err
    assert f"{cache}: cache ignored: it is a symlink" in said
    assert elsewhere.read_bytes() == kept and cache.is_symlink()


def test_a_fifo_or_a_device_named_as_the_cache_is_never_opened(roll: Callable[..., Run], cache: Path) -> None:
    os.mkfifo(cache)
    said = roll().err  # would block forever if the FIFO were opened for reading
    assert f"{cache}: cache ignored: it is a FIFO, not a file" in said
    assert cache.is_fifo()
    said = roll("--cache", "/dev/null").err
    assert "/dev/null: cache ignored: it is a device, not a file" in said


def test_a_cache_inside_the_folder_rolled_up_is_refused(
    cli: Callable[..., Run], repos: Path, scored: list[str]
) -> None:
    planted = repos / ".readiness-cache.json"  # as a pull request could commit it
    first = cli("portfolio", repos, "--today", TODAY, "--workers", "1", "-f", "json", "--cache", planted)
    assert f"{planted}: cache ignored: it lies inside {repos}" in first.err
    assert not planted.exists()  # and not written there either
    scored.clear()
    cli("portfolio", repos / "custom", "--today", TODAY, "--workers", "1", "--cache", repos / "custom" / "c.json")
    assert scored == ["custom"] and not (repos / "custom" / "c.json").exists()


def test_the_output_may_not_be_written_over_the_cache(roll: Callable[..., Run], cache: Path) -> None:
    roll()
    kept = cache.read_bytes()
    done = roll("-o", cache)
    assert done.code == 2
    assert "refusing to write the output over its own input" in done.err
    assert cache.read_bytes() == kept


def test_without_the_option_no_cache_is_read_or_written(
    cli: Callable[..., Run], repos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scored: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    cli("portfolio", repos, "--today", TODAY, "--workers", "1")
    cli("portfolio", repos, "--today", TODAY, "--workers", "1")
    assert len(scored) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- the roots of many projects, found once per folder ----------------------------------------------------------------


def test_roots_found_for_many_projects_are_those_each_evaluation_finds(tmp_path: Path) -> None:
    (tmp_path / "mono" / ".git").mkdir(parents=True)
    (tmp_path / "mono" / "svc" / "a").mkdir(parents=True)
    (tmp_path / "mono" / "vendored" / ".git").mkdir(parents=True)  # a work tree inside a work tree
    (tmp_path / "other" / ".git").mkdir(parents=True)
    (tmp_path / "other" / "deep").mkdir()
    (tmp_path / "mono" / "link").symlink_to(tmp_path / "other", target_is_directory=True)
    (tmp_path / "plain" / "x").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(tmp_path / "mono", target_is_directory=True)
    files = [
        "mono/readiness.yaml",
        "mono/svc/a/readiness.yaml",
        "mono/vendored/readiness.yaml",
        "mono/link/deep/readiness.yaml",  # a work tree reached through a link inside another: not the root
        "other/deep/readiness.yaml",
        "plain/x/readiness.yaml",
        "alias/svc/a/readiness.yaml",
        "mono/link/readiness.yaml",
        "alias/link/deep/readiness.yaml",
    ]
    checker = Checker()
    for name in [*files, *reversed(files)]:  # each answer the same whatever was asked before
        path = tmp_path / name
        assert checker.root_of(str(path)) == Root.of(path), name
