"""`scan --write` on each bundled example, its readiness.yaml moved aside, against the team's own file: what the
scan proposes is what the team answered for every item a probe verifies when `check` runs on the team's file,
the file it writes is valid, and it holds the profile the team wrote."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.verify.scan.model import PROFILE_KEYS
from tests.conftest import TODAY, Run

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(path.parent.name for path in (REPO / "examples").glob("*/readiness.yaml"))


def teams_file(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "examples" / name / "readiness.yaml").read_text(encoding="utf-8"))
    return loaded


def verified_by_check(cli: Callable[..., Run], name: str) -> set[str]:
    """The items `check` credits to a probe on the team's own file (a probe holds and the team's word, if any,
    is done): the items a probe verifies."""
    run = cli("check", REPO / "examples" / name / "readiness.yaml", "-f", "json", "--today", TODAY)
    items = json.loads(run.out)["items"]
    return {i["id"] for i in items if i["source"] == "verified" and (i["probe"] or {}).get("outcome") == "holds"}


def scanned(cli: Callable[..., Run], name: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    copy = tmp_path / name
    shutil.copytree(REPO / "examples" / name, copy, ignore=shutil.ignore_patterns("readiness.yaml"))
    run = cli("scan", copy, "--write", "-f", "json", "--today", TODAY)
    assert run.code == 0, run.err
    return copy, json.loads(run.out)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_scan_proposes_what_the_team_answered_for_every_item_a_probe_verifies(
    cli: Callable[..., Run], name: str, tmp_path: Path
) -> None:
    _, scan = scanned(cli, name, tmp_path)
    proposed = {p["item"]: p["status"] for p in scan["proposals"]}
    answers = teams_file(name).get("answers", {})
    # A probe that compares with a value the repository does not state (the budget, the golden set's size) can
    # judge only with the team's file: the scan says it could not, and proposes nothing for it.
    needs_the_team = {p["item"] for p in scan["probes"] if p["outcome"] == "nothing"}
    for item in sorted(verified_by_check(cli, name) - needs_the_team):
        assert proposed.get(item) == "done", f"{name}: {item} is verified by its probe and not proposed"
        assert answers.get(item, {"status": "done"})["status"] == "done"
    # Beyond those, a proposal is never an item the team says is to do or does not apply: at most the team
    # knows more than the probe reads and says partly done (a model card updated by hand, a redaction untested).
    for item in proposed:
        assert answers.get(item, {"status": "done"})["status"] in ("done", "partial"), f"{name}: {item}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_written_file_is_valid_and_holds_the_teams_profile(
    cli: Callable[..., Run], name: str, tmp_path: Path
) -> None:
    copy, scan = scanned(cli, name, tmp_path)
    assert scan["assessment"]["written"] is True
    written = yaml.safe_load((copy / "readiness.yaml").read_text(encoding="utf-8"))
    team_profile = teams_file(name)["project"]["profile"]
    shown = {key: team_profile.get(key) for key in PROFILE_KEYS if team_profile.get(key) is True}
    assert written["project"]["profile"] == shown
    checked = cli("validate", copy / "readiness.yaml")
    assert checked.code == 0, checked.err
    statuses = {answer["status"] for answer in (written.get("answers") or {}).values()}
    assert statuses <= {"proposed"}
