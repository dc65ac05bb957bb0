"""The profile says what the system is, in two kinds of key: the team's own rating of harm (`risk`) and facts
that make items legal duties or technical concerns (`eu_ai_act`, `rag`, `multi_tenant`, `public_facing`,
`trains_models`). Items depend on the key that makes them a duty; a file written before the new keys stays
valid, and is told when a missing key switches legal duties off."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from readiness.core.catalog import load_catalog
from readiness.edit.starter import Starter
from readiness.interactive.initwalk import interview
from tests.conftest import TODAY, Run

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]

PACK = """\
id: acme
title: Acme
summary: Our own rules.
items:
  - id: risk-register
    title: A risk register
    question: Is there a risk register?
    why: Risks unwritten are risks unmanaged.
    verify: The register.
    severity: blocker
    stage: prototype
    effort: low
    when:
      any: [{risk: high}, {eu_ai_act: high}]
  - id: owner
    title: An owner
    question: Is there an owner?
    why: Someone decides.
    verify: The record.
    severity: blocker
    stage: prototype
    effort: low
"""


def outcomes(cli: CliRunner, write: Writer, profile: str) -> dict[str, str]:
    write("acme.yaml", PACK)
    body = (
        f"version: 1\nproject: {{name: P, target: prototype, profile: {profile}}}\n"
        "checklists: {use: [], extra: [acme.yaml]}\nanswers:\n  acme.owner: {status: done}\n"
    )
    run = cli("check", write("readiness.yaml", body), "-f", "json", "--today", TODAY)
    return {item["id"]: item["outcome"] for item in json.loads(run.out)["items"]}


@pytest.mark.parametrize(
    ("profile", "applies"),
    [
        ("{risk: high}", True),  # the team's own rating
        ("{risk: medium, eu_users: true, eu_ai_act: high}", True),  # the law, whatever the team thinks
        ("{risk: medium, eu_users: true, eu_ai_act: limited}", False),
        ("{}", False),
    ],
)
def test_an_item_may_apply_under_any_of_several_sets_of_conditions(
    cli: CliRunner, write: Writer, profile: str, applies: bool
) -> None:
    outcome = outcomes(cli, write, profile)["acme.risk-register"]
    assert (outcome != "not-applicable") is applies


def test_checklists_show_says_the_alternatives(cli: CliRunner) -> None:
    # Lifecycle risk management: the team's own high rating, or the AI Act's high-risk class, each call for it.
    run = cli("checklists", "show", "compliance.risk-management")
    assert run.code == 0
    assert "Applies when: any of (risk=high) or (eu_ai_act=high)" in run.out


def test_a_file_with_eu_users_and_no_ai_act_class_is_warned_once_and_stays_valid(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", "version: 1\nproject:\n  name: P\n  profile: {llm: true, eu_users: true}\n")
    run = cli("validate", path)
    assert run.code == 0
    assert run.err.count("warning:") == 1
    assert "readiness.yaml:4:3: warning: " in run.err
    assert "people in the EU use the system but 'eu_ai_act' is not set" in run.err
    assert "set eu_ai_act: prohibited, high, limited, minimal or gpai" in run.err
    # Recorded, or nobody in the EU: nothing to say.
    path.write_text("version: 1\nproject:\n  name: P\n  profile: {llm: true, eu_users: true, eu_ai_act: minimal}\n")
    assert cli("validate", path).err == ""
    path.write_text("version: 1\nproject:\n  name: P\n  profile: {llm: true, eu_users: false}\n")
    assert cli("validate", path).err == ""


def test_an_unknown_ai_act_class_is_refused_at_its_line(cli: CliRunner, write: Writer) -> None:
    path = write("readiness.yaml", "version: 1\nproject:\n  name: P\n  profile:\n    eu_ai_act: severe\n")
    run = cli("validate", path)
    assert run.code == 2
    assert "readiness.yaml:5:16: error: " in run.err and "'severe'" in run.err
    assert "prohibited" in run.err and "Traceback" not in run.err


class Scripted:
    """Answers the init interview from a list, and records what was asked."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def _answer(self, prompt: str, default: Any = None) -> Any:
        self.asked.append(prompt)
        return next((value for start, value in self.answers.items() if prompt.startswith(start)), default)

    def say(self, text: str, style: str = "") -> None:
        pass

    def line(self, prompt: str) -> str:
        return str(self._answer(prompt, ""))

    def valid(self, prompt: str, check: Callable[[str], Any], default: str = "") -> Any:
        return check(str(self._answer(prompt, default)))

    def choice(self, prompt: str, options: Sequence[str], default: str = "") -> str:
        answer = str(self._answer(prompt, default))
        assert answer in options
        return answer

    def yes_no(self, prompt: str) -> bool:
        return bool(self._answer(prompt, False))


def test_init_asks_the_ai_act_class_only_of_a_system_people_in_the_eu_use() -> None:
    catalog = load_catalog()
    given = Starter(name="Claims Bot")
    known = {"name", "description", "stage", "target", "team"}
    nobody = Scripted({"Does it call a large language model?": True})
    profile = interview(given, known, nobody, catalog).profile  # type: ignore[arg-type]
    assert "eu_ai_act" not in profile and profile["llm"] is True
    assert not any(prompt.startswith("Its class under the EU AI Act") for prompt in nobody.asked)
    europe = Scripted({"Do people in the EU use it": True, "Its class under the EU AI Act": "high"})
    profile = interview(given, known, europe, catalog).profile  # type: ignore[arg-type]
    assert profile["eu_ai_act"] == "high"
    # Every key of the profile is asked, in plain words.
    assert set(profile) == {
        "llm",
        "agentic",
        "rag",
        "personal_data",
        "eu_users",
        "eu_ai_act",
        "multi_tenant",
        "public_facing",
        "self_hosted",
        "trains_models",
        "risk",
    }
