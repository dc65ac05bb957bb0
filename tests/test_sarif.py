"""SARIF output for code scanning: valid SARIF 2.1.0, one rule per item, one alert per gap, located in the YAML."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for
from ruamel.yaml import YAML

from readiness import __version__
from readiness.core.model import Result
from readiness.render.formats import Format, RenderOptions, renderer
from readiness.render.sarif import FINGERPRINT, PROBE_FINGERPRINT
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import TODAY, Project, Run

REPO = Path(__file__).resolve().parent.parent
# What the ops-agent example's probes contradict, on purpose: a key in a prompt, an eval score under its target.
LEAK = "prompts/examples/crashloop-after-deploy.md"
LOW_SCORE = "evals/logs/2026-11-14T16-20-05-00-00_golden-replay_Vb3kQ9TzRw7YhL2mXc8NpA.json"
EXAMPLES = ("support-copilot", "fraud-scoring", "ops-agent")
OPTIONS = Options(today=date(2026, 11, 21), strict=False, target=None, policy={})
LEVELS = {"blocker": "error", "major": "warning", "minor": "note"}


def _evaluate(path: Path) -> Result:
    return evaluate(path, OPTIONS).result


def _render(result: Result) -> str:
    return renderer(Format.SARIF)(result, RenderOptions())


def _sarif(path: Path) -> tuple[Result, dict[str, Any]]:
    result = _evaluate(path)
    return result, json.loads(_render(result))


def _run(log: dict[str, Any]) -> dict[str, Any]:
    runs = log["runs"]
    assert len(runs) == 1
    run: dict[str, Any] = runs[0]
    return run


def _gaps(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The alerts for gaps, located at the answers; probe findings are alerts at their artifacts."""
    return [alert for alert in _run(log)["results"] if FINGERPRINT in alert["partialFingerprints"]]


def _region(alert: dict[str, Any]) -> dict[str, Any]:
    region: dict[str, Any] = alert["locations"][0]["physicalLocation"]["region"]
    return region


def _uri(alert: dict[str, Any]) -> str:
    uri: str = alert["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    return uri


def _copy(example: str, tmp_path: Path) -> Path:
    folder = tmp_path / example
    shutil.copytree(REPO / "examples" / example, folder)
    return folder / "readiness.yaml"


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_validates_against_the_sarif_schema(example: str, sarif_schema: dict[str, Any]) -> None:
    validator = validator_for(sarif_schema)  # the draft the schema itself names in $schema
    validator.check_schema(sarif_schema)
    _, log = _sarif(REPO / "examples" / example / "readiness.yaml")
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(sarif_schema, format_checker=validator.FORMAT_CHECKER).iter_errors(log)
    ]
    assert errors == []
    assert log["version"] == "2.1.0"
    assert _run(log)["results"], "an example with gaps must produce alerts, or the validation proves little"


@pytest.mark.parametrize("example", EXAMPLES)
def test_one_rule_per_item_and_one_result_per_gap(example: str) -> None:
    result, log = _sarif(REPO / "examples" / example / "readiness.yaml")
    run = _run(log)
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("readiness", __version__, __version__)
    assert "informationUri" not in driver
    assert run["columnKind"] == "unicodeCodePoints"

    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [r.item.id for r in result.items]
    assert len({rule["id"] for rule in rules}) == len(rules)
    by_id = {r.item.id: r.item for r in result.items}
    for rule in rules:
        item = by_id[rule["id"]]
        assert rule["shortDescription"]["text"] == item.title
        assert rule["fullDescription"]["text"] == item.question
        assert rule["help"]["text"] == f"Why: {item.why}\nHow to verify: {item.verify}"
        assert "**How to verify:**" in rule["help"]["markdown"]
        assert rule["properties"]["tags"][:2] == [item.pack, item.severity.value]
        assert rule["properties"]["refs"] == list(item.refs)

    alerts = _gaps(log)
    assert [alert["ruleId"] for alert in alerts] == [gap.item.id for gap in result.gaps]
    # Every other alert is a probe's failing finding, at its artifact; each example contradicts a claim on purpose.
    found = [alert for alert in run["results"] if alert not in alerts]
    assert found and all(PROBE_FINGERPRINT in alert["partialFingerprints"] for alert in found)
    assert not any(_uri(alert).endswith("readiness.yaml") for alert in found)
    for alert in run["results"]:
        assert rules[alert["ruleIndex"]]["id"] == alert["ruleId"]


def test_a_gap_with_an_answer_points_at_its_answer_in_the_yaml() -> None:
    path = REPO / "examples" / "support-copilot" / "readiness.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    result, log = _sarif(path)
    answered = {gap.item.id for gap in result.gaps if gap.answer is not None}
    alerts = [alert for alert in _gaps(log) if alert["ruleId"] in answered]
    assert alerts
    for alert in alerts:
        region = _region(alert)
        line = lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 :].startswith(alert["ruleId"] + ":"), line


def test_a_gap_without_an_answer_points_at_the_answers_key() -> None:
    path = REPO / "examples" / "ops-agent" / "readiness.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    result, log = _sarif(path)
    unanswered = {gap.item.id for gap in result.gaps if gap.answer is None}
    alerts = [alert for alert in _gaps(log) if alert["ruleId"] in unanswered]
    assert alerts
    for alert in alerts:
        region = _region(alert)
        assert lines[region["startLine"] - 1].startswith("answers:")
        assert region["startColumn"] == 1


def test_without_an_answers_key_a_gap_points_at_the_first_line(project: Callable[..., Project]) -> None:
    made = project("team:\n  ana: {name: Ana}\n")
    _, log = _sarif(made.file)
    alerts = _gaps(log)
    assert alerts
    assert {(_region(alert)["startLine"], _region(alert)["startColumn"]) for alert in alerts} == {(1, 1)}


@pytest.mark.parametrize("example", EXAMPLES)
def test_fingerprints_are_item_ids_and_survive_moved_lines(example: str, tmp_path: Path) -> None:
    _, before = _sarif(REPO / "examples" / example / "readiness.yaml")
    moved = _copy(example, tmp_path)
    moved.write_text("# moved down by a comment\n\n\n" + moved.read_text(encoding="utf-8"), encoding="utf-8")
    _, after = _sarif(moved)
    old, new = _gaps(before), _gaps(after)
    for alert in old:
        assert alert["partialFingerprints"] == {"readinessItem/v1": alert["ruleId"]}
    assert [(a["ruleId"], a["partialFingerprints"]) for a in new] == [
        (a["ruleId"], a["partialFingerprints"]) for a in old
    ]
    assert [_region(a)["startLine"] for a in new] == [_region(a)["startLine"] + 3 for a in old]


def test_a_fixed_gap_disappears_from_the_results(tmp_path: Path) -> None:
    path = _copy("support-copilot", tmp_path)
    result, before = _sarif(path)
    fixed = next(
        gap for gap in result.gaps if gap.answer is not None and gap.status == "todo" and gap.item.auto is None
    )
    (path.parent / "docs" / "fixed.md").write_text("# Done\n", encoding="utf-8")
    yaml = YAML()
    document = yaml.load(path.read_text(encoding="utf-8"))
    document["answers"][fixed.item.id] = {"status": "done", "evidence": ["docs/fixed.md"]}
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)

    _, after = _sarif(path)
    old_ids = [alert["ruleId"] for alert in _gaps(before)]
    new_ids = [alert["ruleId"] for alert in _gaps(after)]
    assert fixed.item.id in old_ids
    assert new_ids == [rule_id for rule_id in old_ids if rule_id != fixed.item.id]
    assert fixed.item.id in [rule["id"] for rule in _run(after)["tool"]["driver"]["rules"]]  # the rule stays


@pytest.mark.parametrize("example", EXAMPLES)
def test_levels_follow_severity(example: str) -> None:
    result, log = _sarif(REPO / "examples" / example / "readiness.yaml")
    run = _run(log)
    for gap, alert in zip(result.gaps, _gaps(log), strict=True):
        assert alert["level"] == LEVELS[gap.severity.value]
    for item_result, rule in zip(result.items, run["tool"]["driver"]["rules"], strict=True):
        assert rule["defaultConfiguration"]["level"] == LEVELS[item_result.item.severity.value]


def test_levels_cover_blockers_minors_and_escalation() -> None:
    seen: set[str] = set()
    for example in EXAMPLES:
        _, log = _sarif(REPO / "examples" / example / "readiness.yaml")
        seen.update(alert["level"] for alert in _gaps(log))
    assert {"error", "note"} <= seen

    # ops-agent's profile escalates ownership.human-reviewers from major to blocker: the alert is an error,
    # while the rule keeps the pack's own level.
    _, log = _sarif(REPO / "examples" / "ops-agent" / "readiness.yaml")
    run = _run(log)
    alert = next(a for a in _gaps(log) if a["ruleId"] == "ownership.human-reviewers")
    assert alert["level"] == "error"
    assert run["tool"]["driver"]["rules"][alert["ruleIndex"]]["defaultConfiguration"]["level"] == "warning"


def test_the_message_says_status_owner_due_and_why_unverified() -> None:
    _, log = _sarif(REPO / "examples" / "fraud-scoring" / "readiness.yaml")
    alerts = {alert["ruleId"]: alert for alert in _gaps(log)}
    drill = alerts["reliability.rollback-drill"]
    text = drill["message"]["text"]
    assert "done but unverified" in text
    assert "(owner raj, due 2026-12-10)" in text
    assert "evidence last reviewed 2026-03-12, over 180 days ago" in text
    assert drill["properties"] == {"owner": "raj", "status": "unverified", "stage": "production"}

    _, log = _sarif(REPO / "examples" / "ops-agent" / "readiness.yaml")
    alerts = {alert["ruleId"]: alert for alert in _gaps(log)}
    assert "not answered (owner unassigned, no due date)" in alerts["ownership.rollback-authority"]["message"]["text"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_output_is_byte_identical_on_two_runs(example: str) -> None:
    path = REPO / "examples" / example / "readiness.yaml"
    first, second = _render(_evaluate(path)), _render(_evaluate(path))
    assert first == second
    assert first.endswith("}\n")


def test_check_writes_sarif_with_the_path_as_typed(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    run = cli("check", "examples/ops-agent/readiness.yaml", "-f", "sarif", "--today", TODAY)
    assert run.code == 1  # not ready, whatever the format
    log = json.loads(run.out)
    sarif_run = _run(log)
    assert {_uri(alert) for alert in sarif_run["results"]} == {
        "examples/ops-agent/readiness.yaml",
        f"examples/ops-agent/{LEAK}",
        f"examples/ops-agent/{LOW_SCORE}",
    }
    as_json = json.loads(cli("check", "examples/ops-agent/readiness.yaml", "-f", "json", "--today", TODAY).out)
    assert sarif_run["properties"] == {
        "verdict": as_json["verdict"],
        "score": f"{as_json['score']:.1f}",
        "target": as_json["project"]["target"],
    }
    assert "not-ready" in run.err  # the verdict line goes to stderr, stdout stays pure SARIF


def test_a_path_with_a_space_becomes_a_valid_uri(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(REPO / "examples" / "ops-agent", tmp_path / "my project")
    monkeypatch.chdir(tmp_path)
    run = cli("check", "my project/readiness.yaml", "-f", "sarif", "--today", TODAY)
    uris = {_uri(alert) for alert in _run(json.loads(run.out))["results"]}
    assert uris == {
        "my%20project/readiness.yaml",
        "my%20project/prompts/examples/crashloop-after-deploy.md",
        "my%20project/evals/logs/2026-11-14T16-20-05-00-00_golden-replay_Vb3kQ9TzRw7YhL2mXc8NpA.json",
    }


def test_an_absolute_path_becomes_a_file_uri(tmp_path: Path) -> None:
    path = _copy("ops-agent", tmp_path)
    _, log = _sarif(path)
    artifacts = {
        (path.parent / artifact).as_uri()
        for artifact in (
            "prompts/examples/crashloop-after-deploy.md",
            "evals/logs/2026-11-14T16-20-05-00-00_golden-replay_Vb3kQ9TzRw7YhL2mXc8NpA.json",
        )
    }
    assert {_uri(alert) for alert in _run(log)["results"]} == {path.as_uri(), *artifacts}
