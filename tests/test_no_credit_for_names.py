"""A file's name never earns credit (DESIGN §3.4): a repository of empty or skeleton files named like every glob of
the built-in packs earns nothing, and neither do a user's ordinary files that happen to sit where a glob looks.

The globs are read from the built-in packs when the tests run, so a glob a pack gains later is covered too.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from readiness.core.catalog import load_catalog
from readiness.core.globs import glob_pattern
from readiness.core.model import Item
from readiness.verify.probes.run import KINDS
from tests.conftest import Run, git
from tests.probes.test_cross_kinds import EXPECT

CATALOG = load_catalog()
WITH_GLOBS = tuple(item for item in CATALOG.items if item.auto is not None and item.auto.files)
PROBED = {item.id for item in WITH_GLOBS if item.auto is not None and item.auto.probe is not None}
# Items whose check reads readiness.yaml itself (its raci and cost sections), not the files.
READS_THE_ASSESSMENT = {
    item.id for item in CATALOG.items if item.auto is not None and (item.auto.raci or item.auto.cost)
}
ORDINARY = Path(__file__).parent / "ordinary"
TODAY = "2026-11-21"
WORD = "summary"


# --- Paths a glob matches -------------------------------------------------------------------------------------


def example_path(pattern: str, folder: str) -> str:
    """A path `pattern` matches: `**` becomes `folder` (or nothing), `*` a word, `?` a letter, a class one of its
    members, `{a,b}` its first choice (unless the glob dialect reads braces literally: then so does the path).
    A `**` that ends the pattern stands for a file, so it becomes one."""
    chosen = _path(pattern, folder, braces=True)
    return chosen if glob_pattern(pattern).match(chosen) else _path(pattern, folder, braces=False)


def _path(pattern: str, folder: str, braces: bool) -> str:
    parts = pattern.split("/")
    names: list[str] = []
    for index, part in enumerate(parts):
        if part == "**":
            if index == len(parts) - 1:
                names.append(WORD + ".txt")
            elif folder:
                names.append(folder)
        else:
            names.append(_name(part, braces))
    return "/".join(names)


def _name(part: str, braces: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(part):
        char = part[i]
        if char == "*":
            before, after = part[i - 1 : i], part[i + 1 : i + 2]
            # Inside a word (`.y*ml`) a star stands for a letter; elsewhere for a whole word.
            out.append("a" if before.isalpha() and after.isalpha() else WORD)
        elif char == "?":
            out.append("x")
        elif char == "[" and "]" in part[i + 2 :]:
            end = part.index("]", i + 2)
            out.append(_member(part[i + 1 : end]))
            i = end
        elif char == "{" and braces and "}" in part[i:]:
            end = part.index("}", i)
            out.append(part[i + 1 : end].split(",")[0])
            i = end
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _member(members: str) -> str:
    if members.startswith("!"):
        return next(letter for letter in "xyzqkw" if letter not in members[1:])
    return members[0]


def test_a_generated_path_matches_its_glob() -> None:
    cases = {
        "**/alerts/**/*.y*ml": "alerts/summary.yaml",
        "**/logs/**/[0-9][0-9][0-9][0-9]-[0-9][0-9]T*.json": "logs/0000-00Tsummary.json",
        "**/red-team/**": "red-team/summary.txt",
        "docs/[!ab]?.md": "docs/xx.md",
    }
    assert {pattern: example_path(pattern, "") for pattern in cases} == cases
    assert example_path("**/alerts/**/*.y*ml", "svc") == "svc/alerts/svc/summary.yaml"
    for item in WITH_GLOBS:
        for pattern in item.auto.files if item.auto else ():
            for folder in ("", "svc"):
                assert glob_pattern(pattern).match(example_path(pattern, folder)), (pattern, folder)


# --- The contents: empty, or the format's own skeleton ----------------------------------------------------------

# A header, an empty document or a comment, in each format's own sense: what a file created to be found holds.
SKELETON_BY_SUFFIX = {
    ".csv": "input,expected_output\n",
    ".jsonl": "\n",
    ".json": "{}\n",
    ".yaml": "groups: []\n",
    ".yml": "groups: []\n",
    ".md": "# Summary\n",
    ".xml": '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites/>\n',
    ".tf": 'resource "aws_budgets_budget" "summary" {\n}\n',
    ".prompty": "---\nname:\ndescription:\n---\n",
    ".j2": "{# summary #}\n",
    ".pbtxt": "# schema\n",
}
SKELETON_BY_NAME = {
    "CODEOWNERS": "# Owners of the code, added later.\n",
    "OWNERS": "# Owners of the code, added later.\n",
    "dvc.lock": "schema: '2.0'\nstages: {}\n",
    "MLmodel": "flavors: {}\n",
}


def skeleton(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name in SKELETON_BY_NAME:
        return SKELETON_BY_NAME[name]
    if ".jinja" in name:
        return SKELETON_BY_SUFFIX[".j2"]
    for suffix, text in SKELETON_BY_SUFFIX.items():
        if name.endswith(suffix):
            return text
    return "\n"  # plain text has no header: a blank line


def named_like_every_glob(folder: str) -> dict[str, list[str]]:
    """Every generated path, with the items whose globs it was made for."""
    paths: dict[str, list[str]] = {}
    for item in WITH_GLOBS:
        for pattern in item.auto.files if item.auto else ():
            paths.setdefault(example_path(pattern, folder), []).append(item.id)
    return paths


def every_item_applies() -> dict[str, Any]:
    """A profile under which every `when` of the built-in packs holds: each flag true, each choice the one most
    items ask for."""
    wanted: dict[str, list[Any]] = {}
    for item in CATALOG.items:
        # Alternatives under `any` are read as conditions of their own: each of them then holds too.
        for conditions in (item.when, *item.when.get("any", ())):
            for key, value in conditions.items():
                if key != "any":
                    wanted.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return {key: max(values, key=values.count) for key, values in wanted.items()}


def assessment(answers: str = "") -> str:
    """Scale target, every item applying, every target set (so that no probe is left unjudged for want of one),
    and a cost model over its budget: the budget probe gets a number to compare, and the cost item fails."""
    profile = json.dumps(every_item_applies())
    return (
        "version: 1\n"
        "project: {name: Names only, target: scale, profile: " + profile + "}\n"
        "targets: {latency_p95_ms: 2500, error_rate: 0.01, peak_concurrency: 200, eval_pass_rate: 0.9,\n"
        "          availability: 0.995, max_eval_age_days: 30, golden_min_rows: 20}\n"
        "cost:\n"
        "  horizon_months: 3\n"
        "  requests_per_day: 100000\n"
        "  monthly_growth: 0.1\n"
        "  tokens: {input: 2000, output: 500}\n"
        "  price_per_million: {input: 3.0, output: 15.0}\n"
        "  fixed_monthly: 1000\n"
        "  budget_monthly: 50\n" + answers
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Callable[[dict[str, str], str], Path]:
    """A git work tree holding `files` (path → text) and `readiness.yaml`; returns the assessment's path."""

    def make(files: dict[str, str], readiness: str) -> Path:
        folder = tmp_path / "repo"
        folder.mkdir()
        git(folder, "init", "-q")
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (folder / "readiness.yaml").write_text(readiness, encoding="utf-8")
        return folder / "readiness.yaml"

    return make


def checked(cli: Callable[..., Run], file: Path) -> dict[str, Any]:
    run = cli("check", file, "-f", "json", "--today", TODAY)
    assert run.code in (0, 1), run.err
    result: dict[str, Any] = json.loads(run.out)
    return result


def items_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in result["items"]}


def earned(item: dict[str, Any]) -> str:
    probe = item["probe"] or {}
    told = [f"{f['file']}:{f['line']}: {f['message']}" for f in probe.get("findings", ())]
    return f"{item['id']}: {item['outcome']}, source {item['source']}, probe {probe.get('outcome')} {told}"


CONTENTS = {"empty": lambda path: "", "skeleton": skeleton}


@pytest.mark.parametrize("folder", ["", "svc"], ids=["top", "nested"])
@pytest.mark.parametrize("contents", sorted(CONTENTS))
def test_files_named_like_every_glob_earn_nothing(
    cli: Callable[..., Run], checkout: Callable[[dict[str, str], str], Path], contents: str, folder: str
) -> None:
    paths = named_like_every_glob(folder)
    file = checkout({path: CONTENTS[contents](path) for path in paths}, assessment())
    result = checked(cli, file)
    items = items_of(result)

    assert {item["outcome"] for item in items.values()} <= {"gap", "met"}, "every item applies"
    for path, owners in paths.items():
        for owner in owners:
            assert path in items[owner]["candidates"], f"{path} was made to match a glob of {owner}"
    assert [earned(i) for i in items.values() if i["outcome"] == "met" or i["source"] or i["credit"]] == []
    assert result["verified"]["score"] in (0, None) and result["verified"]["percent"] in (0, None)
    assert result["verified"]["items"] == {"verified": 0, "attested": 0, "unverified": 0}
    probed = [items[item_id] for item_id in sorted(PROBED)]
    assert [earned(i) for i in probed if i["probe"] is None or i["probe"]["outcome"] != "nothing"] == []
    assert not any(f["holds"] for i in probed for f in i["probe"]["findings"])


@pytest.mark.parametrize("contents", sorted(CONTENTS))
def test_a_done_on_those_files_stays_attested(
    cli: Callable[..., Run], checkout: Callable[[dict[str, str], str], Path], contents: str
) -> None:
    paths = named_like_every_glob("")
    answers = "answers:\n" + "".join(
        f"  {item.id}:\n    status: done\n    evidence: {json.dumps(sorted(_made_for(item, paths)))}\n"
        for item in WITH_GLOBS
    )
    file = checkout({path: CONTENTS[contents](path) for path in paths}, assessment(answers))
    result = checked(cli, file)
    items = items_of(result)

    wrong = [earned(items[i.id]) for i in WITH_GLOBS if i.id not in READS_THE_ASSESSMENT and _not_attested(items[i.id])]
    assert wrong == []
    assert result["verified"]["items"]["verified"] == 0
    # Where the item also asks readiness.yaml (a RACI entry this assessment lacks), that is the only doubt.
    for item_id in READS_THE_ASSESSMENT & {item.id for item in WITH_GLOBS}:
        reasons = items[item_id]["unverified_reasons"]
        assert items[item_id]["source"] == "unverified", earned(items[item_id])
        assert len(reasons) == 1 and reasons[0].startswith("automated check fails: RACI"), reasons


def _made_for(item: Item, paths: dict[str, list[str]]) -> Iterator[str]:
    return (path for path, owners in paths.items() if item.id in owners)


def _not_attested(item: dict[str, Any]) -> bool:
    return item["outcome"] != "met" or item["source"] != "attested" or item["unverified"]


# --- A user's ordinary files --------------------------------------------------------------------------------------

ORDINARY_FILES = sorted(
    str(path.relative_to(ORDINARY)) for path in ORDINARY.rglob("*") if path.is_file() and path.name != "ABOUT.md"
)


def _copy_ordinary(folder: Path) -> None:
    for name in ORDINARY_FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ORDINARY / name, target)


def test_a_users_ordinary_files_earn_nothing_from_the_built_in_packs(
    cli: Callable[..., Run], checkout: Callable[[dict[str, str], str], Path]
) -> None:
    file = checkout({}, assessment())
    _copy_ordinary(file.parent)
    items = items_of(checked(cli, file))

    assert [earned(i) for i in items.values() if i["outcome"] == "met" or i["source"] is not None] == []
    assert [earned(i) for i in items.values() if i["probe"] and i["probe"]["outcome"] == "holds"] == []
    # Some of them do sit where the packs look, so the probes had something to refuse.
    found = {path for item in items.values() for path in item["candidates"]}
    assert {
        ".github/workflows/lint.yml",
        "config/settings.schema.json",
        "deploy/docker-compose.collector.yml",
        "docs/adr/0007-launch-behind-a-feature-flag.md",
    } <= found
    assert items["evaluation.quality-gate"]["probe"]["read"] == [".github/workflows/lint.yml"]


def every_probe_pack() -> str:
    """A pack with one item per probe kind, each looking at every ordinary file. The credentials probe is left
    out: any text without a key holds for it, by design."""
    globs = json.dumps(ORDINARY_FILES)
    items = "".join(
        f"  - {{id: {kind}, title: {kind}, question: {kind}?, why: w, verify: v, severity: major, stage: prototype,\n"
        f"     effort: low, auto: {{probe: {kind}, files: {globs}, expect: {json.dumps(EXPECT[kind])}}}}}\n"
        for kind in sorted(KINDS)
        if kind != "credentials"
    )
    return "id: every-probe\ntitle: Every probe\nitems:\n" + items


def test_no_probe_holds_on_a_users_ordinary_files(
    cli: Callable[..., Run], checkout: Callable[[dict[str, str], str], Path]
) -> None:
    pack = every_probe_pack()
    readiness = assessment().replace("version: 1\n", "version: 1\nchecklists: {use: [], extra: [every-probe.yaml]}\n")
    file = checkout({"every-probe.yaml": pack}, readiness)
    _copy_ordinary(file.parent)
    items = items_of(checked(cli, file))

    assert len(items) == len(KINDS) - 1
    assert [earned(i) for i in items.values() if i["outcome"] == "met" or i["probe"]["outcome"] == "holds"] == []
    assert [earned(i) for i in items.values() if any(f["holds"] for f in i["probe"]["findings"])] == []
    # Each probe read every file (none left for the time budget), so none was spared the question.
    unread = {i["id"]: i["probe"]["not_read"] for i in items.values() if i["probe"]["not_read"]}
    assert unread == {}
    # ...except CODEOWNERS, which a forge reads only where it looks for it: none of these files stands there.
    read = {i["probe"]["kind"]: sorted(i["probe"]["read"]) for i in items.values()}
    assert read.pop("codeowners") == []
    assert all(files == ORDINARY_FILES for files in read.values())


def test_the_ordinary_files_are_the_ones_the_issue_names() -> None:
    assert {
        ".github/workflows/lint.yml",
        ".pre-commit-config.yaml",
        "README.md",
        "config/settings.schema.json",
        "deploy/docker-compose.collector.yml",
        "docs/adr/0007-launch-behind-a-feature-flag.md",
        "monitoring/prometheus.yml",
        "package.json",
        "tests/__snapshots__/test_reply.ambr",
        "web/src/__snapshots__/Reply.test.js.snap",
    } == set(ORDINARY_FILES)
