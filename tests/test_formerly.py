"""An item the packs renamed or merged keeps the answers saved under its old id: a team's file stays valid, its
answers still count, and a warning says which key to rename."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import TODAY, Run

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]

PACK = """\
id: acme
title: Acme
summary: Our own rules.
items:
  - id: drift
    formerly: [acme.skew-drift, acme.input-drift]
    title: Input and output drift alerts
    question: Does an alert fire when inputs or outputs drift?
    why: Drift unseen is quality lost.
    verify: The alert rule.
    severity: major
    stage: prototype
    effort: low
  - id: owner
    title: An owner
    question: Is there an owner?
    why: Someone decides.
    verify: The record.
    severity: blocker
    stage: prototype
    effort: low
"""


def assessment(answers: str, waivers: str = "") -> str:
    return (
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [], extra: [acme.yaml]}\n"
        "team: {ana: {name: Ana}}\n"
        f"answers:\n{answers}{waivers}"
    )


def check(cli: CliRunner, path: Path) -> tuple[int, dict[str, Any], str]:
    run = cli("check", path, "-f", "json", "--today", TODAY)
    return run.code, json.loads(run.out), run.err


def items(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in result["items"]}


def test_an_answer_under_a_former_id_counts_for_the_item_that_replaced_it(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", PACK)
    path = write("readiness.yaml", assessment("  acme.skew-drift: {status: done}\n  acme.owner: {status: done}\n"))
    code, result, err = check(cli, path)
    assert code == 0
    assert items(result)["acme.drift"]["outcome"] == "met"
    assert "readiness.yaml:6:3: warning: " in err and "'acme.skew-drift' is now 'acme.drift'" in err
    assert "rename the key to 'acme.drift'" in err
    run = cli("validate", path)
    assert run.code == 0 and "is now 'acme.drift'" in run.err


def test_the_items_own_answer_wins_and_the_old_one_is_called_ignored(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", PACK)
    answers = "  acme.input-drift: {status: done}\n  acme.drift: {status: todo}\n  acme.owner: {status: done}\n"
    code, result, err = check(cli, write("readiness.yaml", assessment(answers)))
    assert items(result)["acme.drift"]["outcome"] == "gap" and code == 1
    assert "ignored: 'acme.input-drift' is now 'acme.drift', which has its own answer; delete this one" in err


def test_of_two_former_ids_the_first_written_is_read(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", PACK)
    answers = "  acme.input-drift: {status: todo}\n  acme.skew-drift: {status: done}\n  acme.owner: {status: done}\n"
    _, result, err = check(cli, write("readiness.yaml", assessment(answers)))
    assert items(result)["acme.drift"]["status"] == "todo"
    assert err.count("is now 'acme.drift'") == 2


def test_a_waiver_under_a_former_id_excuses_the_new_item(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", PACK)
    waiver = "waivers:\n  - {item: acme.skew-drift, reason: Pilot only, approved_by: ana, expires: 2027-01-31}\n"
    path = write("readiness.yaml", assessment("  acme.owner: {status: done}\n", waiver))
    _, result, err = check(cli, path)
    assert items(result)["acme.drift"]["outcome"] == "waived"
    assert "write 'item: acme.drift'" in err


def test_a_pack_cannot_retire_an_id_still_in_use_or_give_one_id_two_homes(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", PACK.replace("[acme.skew-drift, acme.input-drift]", "[acme.owner]"))
    run = cli("validate", write("readiness.yaml", assessment("  acme.owner: {status: done}\n")))
    assert run.code == 2
    assert "acme.yaml:6:16: error: " in run.err and "'acme.owner' is an item in use" in run.err
    twice = PACK.replace("    title: An owner\n", "    formerly: [acme.skew-drift]\n    title: An owner\n")
    write("acme.yaml", twice)
    run = cli("validate", write("readiness.yaml", assessment("  acme.owner: {status: done}\n")))
    assert run.code == 2 and "'acme.skew-drift' is already replaced by 'acme.drift'" in run.err
