"""`scan` on each bundled example, its readiness.yaml moved aside: the profile the team wrote is the one the
repository shows, key by key, and every reason points at the line of code or dependency file that shows it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from readiness.verify.scan.model import PROFILE_KEYS, Clue
from readiness.verify.scan.profile import detect

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(path.parent.name for path in (REPO / "examples").glob("*/readiness.yaml"))
# The keys a repository can show; the others (risk, eu_users, eu_ai_act) are the team's to say.
SHOWN = PROFILE_KEYS
# Where a clue may stand: the team's code, dependency files and schemas, never its documents or evidence; and
# every key is shown by code or dependencies at least, not by a schema alone.
CODE = re.compile(r"(^|/)(pyproject\.toml|requirements[^/]*\.txt|package\.json|go\.mod)$|\.(py|ts|js|go)$")
SCHEMA = re.compile(r"(^|/)schemas/[^/]+\.json$")
_NAMED = re.compile(r"^(imports|depends on|declares the field) (\S+)$|^class \w+ has a field '(\w+)'$")


def scanned(name: str, tmp_path: Path) -> tuple[Path, dict[str, tuple[Clue, ...]]]:
    copy = tmp_path / name
    shutil.copytree(REPO / "examples" / name, copy, ignore=shutil.ignore_patterns("readiness.yaml"))
    assert not (copy / "readiness.yaml").exists()
    return copy, detect(copy).clues


def written(name: str) -> dict[str, bool]:
    """The example's own answer for each key a scan can show: absent counts as false."""
    document = yaml.safe_load((REPO / "examples" / name / "readiness.yaml").read_text(encoding="utf-8"))
    profile = document["project"]["profile"]
    return {key: profile.get(key) is True for key in SHOWN}


def test_every_example_is_scanned() -> None:
    assert EXAMPLES == ["fraud-scoring", "ops-agent", "support-copilot"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_scan_recovers_the_profile_the_team_wrote(name: str, tmp_path: Path) -> None:
    _, clues = scanned(name, tmp_path)
    assert {key: key in clues for key in SHOWN} == written(name)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_reason_points_at_the_code_that_shows_it(name: str, tmp_path: Path) -> None:
    copy, clues = scanned(name, tmp_path)
    assert clues
    for key, found in clues.items():
        assert any(CODE.search(clue.file) for clue in found), f"{key} is shown by no code or dependency file"
    for clue in (clue for found in clues.values() for clue in found):
        assert CODE.search(clue.file) or SCHEMA.search(clue.file), f"{clue.file}: {clue.what} (not code)"
        lines = (copy / clue.file).read_text(encoding="utf-8").splitlines()
        assert 1 <= clue.line <= len(lines)
        rest = lines[clue.line - 1][clue.column - 1 :]
        assert points_at(clue.what, rest), f"{clue.file}:{clue.line}:{clue.column}: {clue.what!r} is not at {rest!r}"


def points_at(what: str, rest: str) -> bool:
    """Whether the text from a clue's place on is what the clue says: the import statement, the requirement, the
    field's name, or the call."""
    named = _NAMED.match(what)
    if named is None:
        return "(" in rest  # a call: handing tools to a model, embedding
    if named.group(1) == "imports":
        return rest.startswith(("import ", "from ")) and named.group(2).split(".")[0] in rest
    if named.group(1) == "depends on":
        return rest.lower().startswith(named.group(2).lower())
    return rest.startswith(named.group(2) or named.group(3))
