"""The CODEOWNERS probe on real GitHub and GitLab CODEOWNERS files (tests/artifacts/codeowners/), the patterns each
forge documents, and the odd and hostile files a pull request could put in their place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readiness.verify.probes import codeowners
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import ARTIFACTS, at, expected, placed_within, read

TARGETS, FILES = expected("codeowners")
EXPECT = {"paths": TARGETS["paths"]}
DIRECTORIES = {"paths": list(TARGETS["paths"])}  # the pack's short form: directories only
ONE_FILE = sorted(name for name, entry in FILES.items() if "context" not in entry)
TREE = ARTIFACTS / "codeowners" / "odd-three-locations"


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return codeowners.probe(Artifact(".github/CODEOWNERS", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", ONE_FILE)
def test_the_probe_says_what_the_file_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = codeowners.probe(read("codeowners", name), EXPECT)
    where: dict[str, list[int]] = entry.get("where", {})
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(where["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings), report
        return
    failing = set(entry.get("fails", []))
    for fact, (line, column) in where.items():
        found = at(report, line, column)
        if fact in TARGETS["paths"]:
            assert any(f.holds is (fact not in failing) and f.message.startswith(fact) for f in found), (fact, found)
        elif fact == "invalid_owner":
            assert any(f.holds is False and "invalid owner" in f.message for f in found), found
        else:  # an unparsable GitLab section heading: said, and neither a pass nor a failure by itself
            assert any(f.holds is None for f in found), found


@pytest.mark.parametrize("name", ONE_FILE)
def test_directories_alone_give_the_same_outcome(name: str) -> None:
    # With no sample files, each directory stands for a new file in it, plus a file each owner-less rule names.
    entry: dict[str, Any] = FILES[name]
    report = codeowners.probe(read("codeowners", name), DIRECTORIES)
    assert report.outcome.value == ("fails" if entry["outcome"] == "broken" else entry["outcome"]), report


def test_an_owner_less_rule_deep_inside_a_directory_is_found_without_samples() -> None:
    report = codeowners.probe(read("codeowners", "fail-last-match-unowns-evals.CODEOWNERS"), DIRECTORIES)
    assert report.outcome is Outcome.FAILS
    assert at(report, 7, 1)[0].message.startswith("evals/ has no owner for evals/x/x.jsonl")


def test_the_caller_picks_the_file_each_forge_reads_and_the_probe_judges_it() -> None:
    tree = sorted(str(path.relative_to(TREE)) for path in TREE.rglob("*") if path.is_file())
    entries = {name.removeprefix("odd-three-locations/"): entry for name, entry in FILES.items() if "context" in entry}
    assert codeowners.read_by(tree, "github") == ".github/CODEOWNERS"
    assert codeowners.read_by(tree, "gitlab") == "CODEOWNERS"
    assert [name for name, entry in entries.items() if entry["facts"]["used_by_github"]] == [".github/CODEOWNERS"]
    github = codeowners.probe(read("codeowners", "odd-three-locations/.github/CODEOWNERS"), EXPECT)
    assert github.outcome.value == entries[".github/CODEOWNERS"]["outcome"] == "holds"
    # Shadowed on GitHub (so not probed there), the stale root file is the one GitLab reads: evals/ and models/
    # have no owner in it, as its facts say.
    gitlab = codeowners.probe(read("codeowners", "odd-three-locations/CODEOWNERS"), {**EXPECT, "platform": "gitlab"})
    assert gitlab.outcome is Outcome.FAILS
    assert [f.message.split()[0] for f in gitlab.findings if f.holds is False] == ["evals/", "models/"]
    assert codeowners.read_by(["docs/CODEOWNERS"], "github") == "docs/CODEOWNERS"
    assert codeowners.read_by(["README.md"], "gitlab") is None


@pytest.mark.parametrize(
    ("rules", "path", "owned"),
    [
        ("*.js @js-owner", "web/app/main.js", True),
        ("*.js @js-owner", "web/app/main.ts", False),
        ("/build/logs/ @doctocat", "build/logs/2026/run.log", True),
        ("/build/logs/ @doctocat", "src/build/logs/run.log", False),
        ("docs/* docs@example.com", "docs/getting-started.md", True),
        ("docs/* docs@example.com", "docs/build-app/troubleshooting.md", False),
        ("apps/ @octocat", "services/apps/api/main.go", True),
        ("**/logs @octocat", "deep/down/logs/today.txt", True),
        ("/apps/ @octocat\n/apps/github", "apps/github/index.js", False),
        ("/apps/ @octocat\n/apps/github", "apps/other/index.js", True),
        ("/apps/ @octocat\n/apps/github @doctocat", "apps/github/index.js", True),
        ("* @all\n!/secret/", "secret/key.txt", True),  # GitHub does not support '!': the line is skipped
        ("[ab].txt @x", "a.txt", False),  # nor ranges: the brackets are read as written
    ],
)
def test_github_matches_as_its_documentation_says(rules: str, path: str, owned: bool) -> None:
    report = run(rules + "\n", {"paths": {"sample/": [path]}, "platform": "github"})
    assert report.findings[0].holds is owned, report


@pytest.mark.parametrize(
    ("rules", "path", "owned"),
    [
        ("[Docs] @docs\nREADME.md", "internal/README.md", True),
        ("[Docs] @docs\n/README.md", "internal/README.md", False),
        ("[Docs] @docs\ninternal/README.md", "docs/api/internal/README.md", True),
        ("[Docs] @docs\n/docs/", "docs/a/b/c.md", True),
        ("[Docs] @docs\n/docs", "docs/a.md", False),  # fnmatch: no slash at the end, no directory
        ("[Docs] @docs\n/docs/*.md", "docs/api/index.md", False),
        ("[Docs] @docs\n/docs/**/index.md", "docs/index.md", True),
        ("[Ruby] @ruby\n*.[rR][bB]", "app/models/user.RB", True),
        ("[Ruby]\n* @default\n!*.rb\n/special/*.rb @ruby", "special/x.rb", False),  # excluded stays excluded
        ("* @general\n[Docs]\n/docs/", "docs/x.md", True),  # the unnamed section still applies
        ("[Docs] @docs\n[DOCS]\n/docs/ @writers", "docs/x.md", True),
        ("[Docs][2] @docs\n/docs/\n^[Other] @o\n/docs/", "docs/x.md", True),
        ("[Docs]\n/docs/ not-an-owner\n[Code] @c\n/src/", "docs/x.md", False),  # malformed owners are ignored
        ("[Docs]\n/docs/ @@maintainers", "docs/x.md", True),
    ],
)
def test_gitlab_matches_as_its_documentation_says(rules: str, path: str, owned: bool) -> None:
    report = run(rules + "\n", {"paths": {"sample/": [path]}})
    judged = [f for f in report.findings if f.message.startswith("sample/")]
    assert judged[0].holds is owned, report


def test_an_owner_only_in_an_optional_section_is_named_as_such() -> None:
    report = codeowners.probe(read("codeowners", "odd-gitlab-optional-and-duplicate-sections.CODEOWNERS"), EXPECT)
    assert "optional section" in at(report, 5, 1)[0].message


def test_an_invalid_owner_on_a_line_that_decides_nothing_asked_is_only_said() -> None:
    report = run("* @acme/all\n/docs/ @acme/\n")
    assert report.outcome is Outcome.HOLDS
    assert [(f.line, f.column, f.holds) for f in report.findings[3:]] == [(2, 8, None)]
    decided = run("* @acme/all\n/models/ @acme/\n")
    assert decided.outcome is Outcome.FAILS  # GitHub skips it, so models/ falls back to @acme/all, not the new team
    assert at(decided, 2, 10)[0].holds is False


def test_files_of_other_kinds_earn_nothing() -> None:
    for kind, name in [
        ("runbook", "pass-good-runbook.md"),
        ("golden-set", "pass-golden.csv"),
        ("model-card", "pass-cyclonedx-1.6.json"),
        ("prometheus-rules", sorted(p.name for p in (ARTIFACTS / "prometheus-rules").glob("pass*"))[0]),
    ]:
        assert codeowners.probe(read(kind, name), EXPECT).outcome is Outcome.NOTHING, name


def test_a_file_over_three_megabytes_is_ignored_by_github() -> None:
    text = "* @acme/all\n" + "# padding\n" * 320_000
    report = run(text)
    assert report.outcome is Outcome.FAILS
    assert "3 MB" in report.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        ("*a" * 400 + "b @x\n") * 2_000,
        ("/" + "**/" * 300 + "x @x\n") * 2_000,
        "".join(f"[S{i}] @x\n/evals/\n" for i in range(30_000)),
        "".join(f"/p{i}/ @x\n" for i in range(25_000)),
        "* " + "@x " * 900_000 + "\n",
        "* @acme/all\x1b[31m\n/models/ @bad\x00owner \x9b\n/evals/" + "\\" * 10_000 + "\n",
        "/prompts/ " + "\\ " * 200_000 + "@x\n",
        "[" * 300_000 + "\n* @x\n",
        "\u202e* @x\n\ufeff/models/ @y\u2028\n",
    ],
    ids=[
        "many-stars",
        "many-globstars",
        "many-sections",
        "many-rules",
        "many-owners",
        "control-characters",
        "escaped-spaces",
        "brackets",
        "invisible-characters",
    ],
)
def test_a_hostile_file_gives_a_finding_or_nothing(text: str) -> None:
    report = run(text, DIRECTORIES)
    assert report.findings
    placed_within(report, text)


@pytest.mark.parametrize("text", [("*a" * 400 + "b @x\n") * 2_000, ("/" + "**/" * 300 + "x @x\n") * 2_000])
def test_patterns_past_the_step_budget_are_left_unjudged(text: str) -> None:
    """Matching is charged to a budget of steps (codeowners.BUDGET_STEPS), not to the clock: wildcards that would
    take longer end the matching the same way on any machine, and nothing is credited."""
    report = run(text, DIRECTORIES)
    assert report.outcome is Outcome.NOTHING
    assert [(f.line, f.column, f.holds) for f in report.findings] == [(1, 1, None)]
    assert "too many or too intricate patterns to judge" in report.findings[0].message


def test_the_fixture_tree_is_where_the_caller_would_find_it() -> None:
    assert {str(p.relative_to(TREE)) for p in TREE.rglob("CODEOWNERS")} == set(codeowners.LOCATIONS["github"])
    assert Path(TREE, ".github", "CODEOWNERS").is_file()
