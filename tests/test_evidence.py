"""Evidence (DESIGN §3.2, §3.4): paths, globs and links checked on disk, never outside the project root."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from readiness.core.globs import GlobError, glob_pattern
from readiness.core.model import Credit, ItemResult, Result
from readiness.load.diagnostics import InputError
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import Project, Run

TODAY = date(2026, 11, 21)
TEAM = "team: {ann: {name: Ann}}\n"


def result_of(made: Project, **options: object) -> Result:
    return evaluate(made.file, Options(today=TODAY, **options)).result  # type: ignore[arg-type]


def one(result: Result, item_id: str) -> ItemResult:
    return next(r for r in result.items if r.item.id == item_id)


def errors_of(made: Project, root: Path | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        evaluate(made.file, Options(today=TODAY), root=root)
    return [d.format().replace(str(made.folder) + os.sep, "") for d in caught.value.diagnostics]


def answer(evidence: str, item: str = "ops.kill-switch", extra: str = "") -> str:
    return TEAM + f"answers:\n  {item}:\n    status: done\n    evidence: {evidence}\n{extra}"


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("**/runbooks/*.md", "runbooks/a.md", True),
        ("**/runbooks/*.md", "svc/x/runbooks/a.md", True),
        ("**/runbooks/*.md", "runbooks/old/a.md", False),
        ("**/runbooks/**/*.md", "runbooks/old/a.md", True),
        ("docs/**", "docs/a/b.txt", True),
        ("docs/**", "docs", False),
        ("*.md", "sub/a.md", False),
        ("model-card?.md", "model-card2.md", True),
        ("[ab].md", "b.md", True),
        ("[!ab].md", "b.md", False),
        ("**/CODEOWNERS", ".github/CODEOWNERS", True),
        ("**/*.y*ml", "alerts/drift.yaml", True),
        ("a+b.md", "aab.md", False),
        ("a[!b]c", "a/c", False),  # a class, negated or not, stays within one name
        ("a[+-0]c", "a/c", False),
        ("[!]].md", "x.md", True),  # a ']' first in a class is a member, as in shells
        ("[]].md", "].md", True),
        ("[!].md", "[!].md", True),  # a class that never closes is literal text
        ("[[]draft].md", "[draft].md", True),
        ("[^a].md", "^.md", True),  # '^' is a member; '!' negates
        ("a/**/**/b", "a/b", True),
        ("**/x/**/y", "a/x/b/c/y", True),
        ("**/x/**/y", "a/x/b/c/x", False),
        ("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a" * 80, False),  # no catastrophic backtracking
        ("**/a*/**/a*/**/a*/**/a*/**/a*/**/a*/**/b", "/".join(["a"] * 60) + "/c", False),
    ],
)
def test_glob_semantics(pattern: str, path: str, matched: bool) -> None:
    assert bool(glob_pattern(pattern).match(path)) is matched


def test_a_backwards_range_is_a_glob_error() -> None:
    with pytest.raises(GlobError, match="the range 'z-a' in '\\[z-a\\]' runs backwards"):
        glob_pattern("docs/[z-a].md")


def test_found_paths_and_globs_give_full_credit(project: Callable[..., Project]) -> None:
    made = project(answer('[docs/kill.md, "docs/*.md", docs]'), files={"docs/kill.md": "# Kill switch\n"})
    result = result_of(made)
    assert (one(result, "ops.kill-switch").credit, one(result, "ops.kill-switch").unverified) == (1, False)
    index = [
        (e.check.entry, e.check.kind, e.status, e.check.matches) for e in result.evidence if e.check.kind != "auto"
    ]
    assert index == [
        ("docs/kill.md", "path", "found", ("docs/kill.md",)),
        ("docs/*.md", "glob", "found", ("docs/kill.md",)),
        ("docs", "path", "found", ("docs",)),
    ]


def test_a_missing_path_or_empty_glob_makes_done_unverified(project: Callable[..., Project]) -> None:
    made = project(answer('[docs/kill.md, "runbooks/*.md"]'))
    result = result_of(made)
    gap = one(result, "ops.kill-switch")
    assert (gap.outcome.value, gap.credit, gap.unverified) == ("gap", 0.5, True)
    assert gap.unverified_reasons == ("evidence 'docs/kill.md' not found", "evidence 'runbooks/*.md' not found")
    assert [e.status for e in result.evidence if e.item == "ops.kill-switch"] == ["missing", "missing"]
    assert one(result_of(made, strict=True), "ops.kill-switch").credit == 0


def test_required_evidence_that_is_absent(project: Callable[..., Project]) -> None:
    made = project(TEAM + "answers:\n  ops.kill-switch: {status: done}\n")
    gap = one(result_of(made), "ops.kill-switch")
    assert gap.unverified_reasons == ("evidence is required and none is given",)


def test_links_are_accepted_and_never_fetched(project: Callable[..., Project]) -> None:
    made = project(answer('["https://grafana.example.com/d/abc", "http://wiki.example.com/kill"]'))
    result = result_of(made)
    assert one(result, "ops.kill-switch").credit == 1
    assert [e.status for e in result.evidence if e.item == "ops.kill-switch"] == ["link", "link"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("ftp://files.example.com/x", "'ftp:' links are not accepted as evidence; use an http(s) URL or a path"),
        ("javascript:alert(1)", "'javascript:' links are not accepted as evidence; use an http(s) URL or a path"),
        ("file:///etc/passwd", "'file:' links are not accepted as evidence; use an http(s) URL or a path"),
        ("https://", "'https://' is not a complete URL; it needs a host, as in https://host/path"),
        ("/etc/passwd", "'/etc/passwd' is an absolute path; write it relative to the folder of the assessment"),
        ("C:/x.md", "'C:/x.md' is an absolute path; write it relative to the folder of the assessment"),
        ("../secret.md", "'../secret.md' points outside the project root {root}"),
        ("docs/../../x.md", "'docs/../../x.md' points outside the project root {root}"),
        ("../*.md", "'../*.md' points outside the project root {root}"),
        ("docs/*/../x", "'docs/*/../x' uses '..' after a wildcard; put the folders before the wildcard"),
    ],
)
def test_entries_that_are_refused_are_input_errors_at_their_line(
    project: Callable[..., Project], entry: str, message: str
) -> None:
    made = project(answer(json.dumps([entry])))
    expected = message.format(root=made.folder)
    assert errors_of(made) == [f'readiness.yaml:8:16: error: $.answers["ops.kill-switch"].evidence[0]: {expected}']


def test_dot_dot_inside_the_git_work_tree_is_fine(project: Callable[..., Project]) -> None:
    made = project(answer("[../shared/kill.md]"))
    (made.folder.parent / ".git").mkdir()
    (made.folder.parent / "shared").mkdir()
    (made.folder.parent / "shared" / "kill.md").write_text("ok\n")
    assert one(result_of(made), "ops.kill-switch").credit == 1


def test_root_option_widens_or_narrows_the_project(project: Callable[..., Project], cli: Callable[..., Run]) -> None:
    made = project(answer("[../shared/kill.md]"))
    (made.folder.parent / "shared").mkdir()
    (made.folder.parent / "shared" / "kill.md").write_text("ok\n")
    assert cli("check", made.file, "--today", "2026-11-21", "--root", made.folder.parent, "-q").code in (0, 1)
    refused = cli("check", made.file, "--today", "2026-11-21")
    assert refused.code == 2 and "points outside the project root" in refused.err
    elsewhere = cli("check", made.file, "--root", made.folder / "nope")
    assert elsewhere.code == 2 and "is not a folder" in elsewhere.err


def test_symlinks_out_of_the_root_and_loops_are_refused(project: Callable[..., Project], tmp_path: Path) -> None:
    made = project(answer("[out.md, loop, inside.md]"), files={"real.md": "x\n"})
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n")
    (made.folder / "out.md").symlink_to(outside)
    (made.folder / "loop").symlink_to(made.folder / "loop")
    (made.folder / "inside.md").symlink_to(made.folder / "real.md")
    errors = errors_of(made)
    assert errors == [
        f"readiness.yaml:8:16: error: $.answers[\"ops.kill-switch\"].evidence[0]: 'out.md' is a symlink to "
        f"{outside}, outside the project root {made.folder}",
        "readiness.yaml:8:24: error: $.answers[\"ops.kill-switch\"].evidence[1]: 'loop' is a symlink loop",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_a_fifo_is_refused_without_being_opened(project: Callable[..., Project]) -> None:
    made = project(answer("[pipe]"))
    os.mkfifo(made.folder / "pipe")
    # Opening a FIFO for reading would block this test forever; an error proves it was only looked at.
    assert errors_of(made) == [
        "readiness.yaml:8:16: error: $.answers[\"ops.kill-switch\"].evidence[0]: 'pipe' is a FIFO, "
        "not a file or folder; it was not opened"
    ]


def test_globs_do_not_follow_symlinks_out_of_the_root(project: Callable[..., Project], tmp_path: Path) -> None:
    made = project(answer('["docs/*.md"]'))
    (made.folder / "docs").mkdir()
    (tmp_path / "leak.md").write_text("secret\n")
    (made.folder / "docs" / "leak.md").symlink_to(tmp_path / "leak.md")
    gap = one(result_of(made), "ops.kill-switch")
    assert gap.unverified_reasons == ("evidence 'docs/*.md' not found",)


def test_stale_evidence_is_unverified_and_marked_in_the_index(project: Callable[..., Project]) -> None:
    made = project(
        answer("[docs/kill.md]", extra="    reviewed: 2025-11-20\n"),
        files={"docs/kill.md": "x\n"},
    )
    result = result_of(made)
    gap = one(result, "ops.kill-switch")
    # 2025-11-20 is 366 days before 2026-11-21; the default limit is 365.
    assert gap.unverified_reasons == ("evidence last reviewed 2025-11-20, over 365 days ago",)
    assert [e.status for e in result.evidence if e.item == "ops.kill-switch"] == ["stale"]
    fresh = project(answer("[docs/kill.md]", extra="    reviewed: 2025-11-21\n"), files={"docs/kill.md": "x\n"})
    assert one(result_of(fresh), "ops.kill-switch").credit == 1


def test_a_file_named_like_evidence_is_a_candidate_that_earns_nothing_and_contradicts_nothing(
    project: Callable[..., Project],
) -> None:
    named = project(TEAM, files={"runbooks/paging.md": "# Paging\n"})
    result = result_of(named)
    gap = one(result, "ops.runbook")
    assert (gap.outcome.value, gap.status, gap.credit, gap.source) == ("gap", "unanswered", 0, None)
    assert gap.candidates == ("runbooks/paging.md",) and gap.auto is None
    assert [e for e in result.evidence if e.item == "ops.runbook"] == []  # offered, not listed as evidence
    claimed = project(TEAM + "answers:\n  ops.runbook: {status: done}\n", files={"runbooks/paging.md": ""})
    (claimed.folder / "runbooks" / "paging.md").unlink()
    met = one(result_of(claimed), "ops.runbook")
    assert (met.credit, met.unverified_reasons, met.source) == (1, (), Credit.ATTESTED)


def test_the_evidence_index_is_in_the_json_and_the_text(
    project: Callable[..., Project], cli: Callable[..., Run]
) -> None:
    made = project(answer("[docs/kill.md]"))
    data = json.loads(cli("check", made.file, "-f", "json", "--today", "2026-11-21").out)
    assert next(e for e in data["evidence"] if e["item"] == "ops.kill-switch") == {
        "item": "ops.kill-switch",
        "entry": "docs/kill.md",
        "kind": "path",
        "status": "missing",
        "matches": [],
        "match_count": 0,
        "reviewed": None,
        "line": 8,
        "column": 16,
    }
    text = cli("check", made.file, "--today", "2026-11-21").out
    assert "Evidence\n  • line 8: ops.kill-switch: 'docs/kill.md' not found\n" in text
