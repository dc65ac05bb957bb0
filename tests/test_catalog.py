"""Custom packs: `checklists.extra`, `extends` with overrides and extra items, and `checklists.use`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.core.catalog import BUILTIN_ORDER, load_catalog
from tests.conftest import TODAY, Run

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]

LAYER = """\
extends: observability
weight: 2
overrides:
  output-drift-alerts: {severity: blocker, weight: 5, evidence: optional, stage: pilot}
  genai-traces: {disabled: We call no language model here}
items:
  - id: pager-routing
    title: Alerts route to the owning team
    question: Do alerts route to the owning team's pager?
    why: An alert that pages the wrong team is an alert nobody acts on.
    verify: The routing rule.
    severity: major
    stage: pilot
    effort: low
"""

ASSESSMENT = """\
version: 1
project: {name: Layered, target: pilot, profile: {llm: true}}
checklists: {use: [observability], extra: [acme.yaml]}
answers:
  observability.output-drift-alerts: {status: partial}
  observability.pager-routing: {status: done}
  observability.golden-signals: {status: done, evidence: [dashboards/ai.json]}
  observability.error-alerts: {status: done}
  observability.content-capture-redacted: {status: done}
  observability.feedback-linked: {status: done}
  observability.token-usage: {status: done}
"""


def check_json(cli: CliRunner, path: Path) -> tuple[int, dict[str, Any], str]:
    run = cli("check", path, "-f", "json", "--today", TODAY)
    return run.code, json.loads(run.out) if run.out else {}, run.err


def test_extends_overrides_and_extra_items(cli: CliRunner, write: Writer) -> None:
    write("acme.yaml", LAYER)
    write("dashboards/ai.json", "{}")
    code, result, _ = check_json(cli, write("readiness.yaml", ASSESSMENT))
    items = {item["id"]: item for item in result["items"]}
    drift = items["observability.output-drift-alerts"]
    assert (drift["severity"], drift["stage"], drift["weight"]) == ("blocker", "pilot", 5)
    assert items["observability.genai-traces"]["outcome"] == "disabled"
    assert items["observability.genai-traces"]["disabled"] == "We call no language model here"
    assert items["observability.pager-routing"]["outcome"] == "met"
    # At pilot: golden-signals 3 x 1, error-alerts 2 x 1, content-capture-redacted 2 x 1, token-usage 2 x 1,
    # feedback-linked 1 x 1, pager-routing 2 x 1, drift 5 x 0.5 → 14.5 / 17
    assert result["categories"] == [
        {
            "id": "observability",
            "title": "Observability",
            "weight": 2,
            "score": 85.3,
            "verified_score": 0.0,  # every credit here rests on the team's answers
            "counted": 7,
            "met": 6,
            "gaps": 1,
            "excluded": 0,
        }
    ]
    assert result["gaps"][0]["id"] == "observability.output-drift-alerts"
    assert code == 1  # the escalated blocker is open


def test_catalog_records_the_layer(write: Writer) -> None:
    layer = write("acme.yaml", LAYER)
    catalog = load_catalog([(layer, "acme.yaml")], ["observability"])
    [pack] = catalog.packs
    assert pack.layers == ("acme.yaml",)
    assert pack.items[-1].id == "observability.pager-routing"
    assert "ownership.accountable-owner" in catalog.left_out


def test_new_custom_pack_is_scored_beside_the_built_in_ones(cli: CliRunner, write: Writer) -> None:
    write(
        "team.yaml",
        "id: acme\ntitle: Acme rules\nitems:\n"
        "  - {id: slo, title: SLO, question: SLO agreed?, why: w, verify: v, severity: minor,"
        " stage: prototype, effort: low}\n",
    )
    path = write(
        "readiness.yaml",
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {extra: [team.yaml]}\n"
        "answers:\n  acme.slo: {status: done}\n",
    )
    _, result, _ = check_json(cli, path)
    assert [c["id"] for c in result["categories"]] == [*BUILTIN_ORDER, "acme"]
    assert result["categories"][-1]["score"] == 100.0


def test_answer_for_a_left_out_pack_is_kept_and_warned_about(cli: CliRunner, write: Writer) -> None:
    path = write(
        "readiness.yaml",
        "version: 1\nproject: {name: P}\nchecklists: {use: [observability]}\n"
        "answers:\n  ownership.on-call: {status: done}\n",
    )
    code, result, err = check_json(cli, path)
    assert code == 1
    assert (
        f"{path}:5:3: warning: $.answers[\"ownership.on-call\"]: ignored: pack 'ownership' is not in checklists.use"
        in err
    )
    assert all(item["pack"] == "observability" for item in result["items"])


def test_when_list_means_any_of(cli: CliRunner, write: Writer) -> None:
    write(
        "p.yaml",
        "id: p\ntitle: P\nitems:\n"
        "  - {id: x, title: X, question: X?, why: w, verify: v, severity: minor, stage: prototype,"
        " effort: low, when: {risk: [medium, high]}}\n"
        "  - {id: y, title: Y, question: Y?, why: w, verify: v, severity: minor, stage: prototype, effort: low}\n",
    )
    outcomes = {}
    for risk in ("low", "medium", "high"):
        path = write(
            "readiness.yaml",
            f"version: 1\nproject: {{name: P, profile: {{risk: {risk}}}}}\nchecklists: {{use: [], extra: [p.yaml]}}\n",
        )
        _, result, _ = check_json(cli, path)
        outcomes[risk] = result["items"][0]["outcome"]
    assert outcomes == {"low": "not-applicable", "medium": "gap", "high": "gap"}
