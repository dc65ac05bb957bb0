"""The three bundled examples: valid, and each tells the story its README promises."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from readiness.core.catalog import load_catalog
from readiness.load.schemas import schema_text
from tests.conftest import REPO, TODAY, Run

EXAMPLES = sorted((REPO / "examples").glob("*/readiness.yaml"))
CliRunner = Callable[..., Run]


def result_of(cli: CliRunner, name: str) -> dict[str, Any]:
    run = cli("check", REPO / "examples" / name / "readiness.yaml", "-f", "json", "--today", TODAY)
    assert run.code == 1, run.err
    return dict(json.loads(run.out))


def test_there_are_three_examples_with_a_readme() -> None:
    assert [path.parent.name for path in EXAMPLES] == ["fraud-scoring", "ops-agent", "support-copilot"]
    assert all((path.parent / "README.md").is_file() for path in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_example_validates_cleanly_and_its_result_matches_the_schema(cli: CliRunner, path: Path) -> None:
    run = cli("validate", path)
    assert (run.code, run.err) == (0, "")
    result = json.loads(cli("check", path, "-f", "json", "--today", TODAY).out)
    validator = Draft202012Validator(json.loads(schema_text("result")), format_checker=FormatChecker())
    assert [error.message for error in validator.iter_errors(result)] == []
    # Every evidence path an answer names is really there; staleness is the only evidence problem allowed.
    assert [e["entry"] for e in result["evidence"] if e["kind"] != "auto" and e["status"] == "missing"] == []


def test_support_copilot_is_partly_ready_with_two_waivers_and_a_tight_budget(cli: CliRunner) -> None:
    result = result_of(cli, "support-copilot")
    assert (result["project"]["stage"], result["project"]["target"]) == ("pilot", "production")
    assert result["stage_reached"] == "pilot"
    assert 60 <= result["score"] < 80
    assert [w["state"] for w in result["waivers"]] == ["valid", "valid"]
    cost = result["cost"]
    assert cost["verdict"] == "over-worst-case"
    budget = cost["budget_monthly"]
    # Near its budget: the expected peak month uses more than 90 % of it.
    assert 0.9 * budget < max(m["total"] for m in cost["expected"]["months"]) <= budget
    # Every open item has an owner and a date; a `done` that a probe contradicts keeps the team's answer as written.
    assert all(gap["owner"] != "unassigned" and (gap["due"] or gap["status"] == "done") for gap in result["gaps"])
    contradicted = [gap["id"] for gap in result["gaps"] if gap["source"] == "unverified" and gap["probe"]]
    assert contradicted == ["evaluation.prompts-versioned"]
    assert [f for f in result["raci"]["findings"] if f["level"] == "error"] == []


def test_fraud_scoring_scores_high_but_has_stale_evidence_and_an_expired_waiver(cli: CliRunner) -> None:
    result = result_of(cli, "fraud-scoring")
    assert result["project"]["profile"].get("llm", False) is False
    assert result["score"] >= 85
    stale = [e["item"] for e in result["evidence"] if e["status"] == "stale"]
    assert len(stale) >= 2
    assert [w["state"] for w in result["waivers"]] == ["expired"]
    assert any("expired" in reason for reason in result["reasons"])
    llm_only = [i["id"] for i in result["items"] if i["outcome"] == "not-applicable"]
    assert "evaluation.red-team" in llm_only and "security.injection-guardrails" in llm_only


def test_ops_agent_is_a_prototype_held_back_by_agent_blockers(cli: CliRunner) -> None:
    result = result_of(cli, "ops-agent")
    assert (result["project"]["stage"], result["project"]["target"]) == ("prototype", "pilot")
    # The team says the prototype holds no secrets; the credentials probe found a key in a prompt, so not even the
    # prototype stage is reached until it is removed and revoked.
    assert result["stage_reached"] is None and result["next_stage"]["blocked_by"] == ["security.no-secrets-in-prompts"]
    blockers = [gap["id"] for gap in result["gaps"] if gap["severity"] == "blocker"]
    assert len(blockers) >= 10
    # Specific to an LLM agent: the item only applies to agentic or LLM systems, or it answers a risk of the
    # OWASP Top 10 for LLM applications.
    catalog = load_catalog()
    specific = {
        item.id
        for item in catalog.items
        if item.when.get("agentic") or item.when.get("llm") or any(ref.startswith("OWASP LLM") for ref in item.refs)
    }
    assert len([b for b in blockers if b in specific]) * 2 > len(blockers)
    assert {"security.agent-action-approval", "cost.agent-stop-conditions", "security.agent-credentials"} <= set(
        blockers
    )
    assert any(f["level"] == "error" for f in result["raci"]["findings"])
