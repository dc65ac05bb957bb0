"""The three bundled examples: valid, and each tells the story its README promises."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
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
    # The pilot has run for months, but it lacks what a pilot needs: four items the team knows are open, and the
    # prompts-versioned answer that the CODEOWNERS probe contradicts.
    assert result["stage_reached"] == "prototype"
    assert sorted(result["next_stage"]["blocked_by"]) == [
        "data.output-contract",
        "evaluation.prompts-versioned",
        "observability.content-capture-redacted",
        "observability.error-alerts",
        "security.output-disclosure-filters",
    ]
    assert 60 <= result["score"] < 80
    assert [w["state"] for w in result["waivers"]] == ["valid", "valid"]
    cost = result["cost"]
    assert cost["verdict"] == "over-worst-case"
    budget = cost["budget_monthly"]
    # Near its budget: the expected peak month uses more than 90 % of it.
    peak = max(m["total"] for m in cost["expected"]["months"])
    assert 0.9 * budget < peak <= budget
    # The gateway's hard spend cap stops drafting only above what the full roll-out is expected to cost.
    gateway = REPO / "examples" / "support-copilot" / "config" / "gateway-limits.yaml"
    limits = yaml.safe_load(gateway.read_text("utf-8"))
    assert limits["provider_caps"]["monthly_spend_cap_usd"] > peak
    # Every open item has an owner and a date; a `done` that a probe contradicts keeps the team's answer as written.
    assert all(gap["owner"] != "unassigned" and (gap["due"] or gap["status"] == "done") for gap in result["gaps"])
    contradicted = [gap["id"] for gap in result["gaps"] if gap["source"] == "unverified" and gap["probe"]]
    assert contradicted == ["evaluation.prompts-versioned"]
    assert [f for f in result["raci"]["findings"] if f["level"] == "error"] == []


def test_fraud_scoring_scores_high_but_has_stale_evidence_and_an_expired_waiver(cli: CliRunner) -> None:
    result = result_of(cli, "fraud-scoring")
    assert result["project"]["profile"].get("llm", False) is False
    assert result["score"] >= 85
    # ADR 0007 was the go for v5.3: the v6 release this assessment is for has no decision yet.
    assert any(gap["id"] == "compliance.go-no-go" and gap["status"] == "todo" for gap in result["gaps"])
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


def test_fraud_scoring_holdouts_come_after_the_training_window() -> None:
    # A holdout inside the training window would flatter the model: the v6 candidate's pipeline snapshots its
    # holdout from the day after its training data ends.
    lock = yaml.safe_load((REPO / "examples" / "fraud-scoring" / "dvc.lock").read_text("utf-8"))
    train_to = lock["stages"]["snapshot"]["cmd"].split("--to ")[1].split()[0]
    holdout_from = lock["stages"]["holdout"]["cmd"].split("--from ")[1].split()[0]
    assert date.fromisoformat(holdout_from) == date.fromisoformat(train_to) + timedelta(days=1)
