"""What a user sees from `readiness check`, `schema`, `validate` and `checklists`: streams and exit codes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from rich.cells import cell_len

from readiness.core.catalog import BUILTIN_ORDER, load_catalog
from readiness.score import engine
from tests.conftest import EXAMPLE, REPO, TODAY, Run, in_terminal

CliRunner = Callable[..., Run]
Writer = Callable[..., Path]

PACK = """\
id: tiny
title: Tiny
items:
  - {id: owner, title: Owner, question: Owner?, why: w, verify: v, severity: blocker, stage: prototype, effort: low}
  - {id: alerts, title: Alerts, question: Alerts?, why: w, verify: v, severity: major, stage: pilot, effort: low}
"""


@pytest.fixture
def ready(write: Writer) -> Path:
    write("tiny.yaml", PACK)
    return write(
        "ready.yaml",
        "version: 1\nproject: {name: Tiny, target: pilot}\nchecklists: {use: [], extra: [tiny.yaml]}\n"
        "answers:\n  tiny.owner: {status: done}\n  tiny.alerts: {status: done}\n",
    )


@pytest.fixture
def broken(write: Writer) -> Path:
    return write("broken.yaml", "version: 1\nproject: {name: X, stagee: pilot}\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_exit_code_is_the_verdict_in_every_format(cli: CliRunner, ready: Path, broken: Path, fmt: str) -> None:
    assert cli("check", ready, "-f", fmt, "--today", TODAY).code == 0
    assert cli("check", EXAMPLE, "-f", fmt, "--today", TODAY).code == 1
    assert cli("check", EXAMPLE, "-f", fmt, "--today", TODAY, "--warn-only").code == 0
    bad = cli("check", broken, "-f", fmt, "--today", TODAY)
    assert bad.code == 2
    assert bad.err == f"{broken}:2:20: error: $.project.stagee: unknown key 'stagee' (did you mean 'stage'?)\n"
    assert bad.out == ""


def test_default_file_missing_says_what_to_do(cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("check")
    assert run.code == 2
    assert run.err == (
        "readiness.yaml: error: $: no such file in this folder; pass the assessment's path, "
        "or run 'readiness init' to write one\n"
    )


def test_usage_error_exits_2(cli: CliRunner) -> None:
    run = cli("check", EXAMPLE, "-f", "yaml")
    assert run.code == 2
    assert "unknown format 'yaml'; use one of text, json, markdown, sarif, junit, github" in run.err
    assert cli("check", EXAMPLE, "--today", "2026-13-01").code == 2


def test_text_report_shows_verdict_score_stage_categories_and_gaps(cli: CliRunner) -> None:
    run = cli("check", EXAMPLE, "--today", TODAY)
    lines = run.out.splitlines()
    assert lines[0] == "Support Copilot — target production · 2026-11-21"
    assert lines[1] == "NOT-READY   score 75.9 / 100 (min 70)   stage reached: prototype"
    assert lines[2] == "23 % of the score is verified by probes and checks; 68 items attested only"
    assert lines[3] == "3 blockers and 38 other items block production (the target)."
    assert lines[4] == "5 items block pilot, none of them a blocker (the next stage):"
    assert "  • 3 open blocker items: compliance.go-no-go, reliability.canary," in lines
    assert any(line.split()[:2] == ["Ownership", "81.3"] for line in lines)
    assert any(line.split()[:2] == ["Observability", "64.8"] for line in lines)
    partial = ["blocker", "observability.burn-rate-alerts", "partial", "priya", "2026-12-12"]
    assert any(line.split()[:5] == partial for line in lines)
    assert "  • cost.load-test: valid until 2027-02-15, approved by maya" in lines
    assert all(cell_len(line) <= 80 for line in lines), "the text output must fit 80 columns"
    assert "\x1b[" not in run.out  # not a terminal: no colour


def test_json_goes_to_stdout_and_the_verdict_to_stderr(cli: CliRunner) -> None:
    run = cli("check", EXAMPLE, "-f", "json", "--today", TODAY)
    result = json.loads(run.out)
    assert result["schema_version"] == "1"
    assert result["verdict"] == "not-ready"
    assert result["score"] == 75.9
    assert run.err == "readiness: not-ready · score 75.9 (min 70) · stage prototype of production\n"


def test_result_json_validates_against_its_own_schema(cli: CliRunner) -> None:
    result = json.loads(cli("check", EXAMPLE, "-f", "json", "--today", TODAY).out)
    schema = json.loads(cli("schema", "result").out)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    assert [error.message for error in validator.iter_errors(result)] == []


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_same_input_and_today_give_identical_bytes(cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    cli("check", EXAMPLE, "-f", fmt, "--today", TODAY, "-o", first)
    cli("check", EXAMPLE, "-f", fmt, "--today", TODAY, "-o", second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()


def test_source_date_epoch_fixes_today(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21T00:00:00Z
    assert json.loads(cli("check", EXAMPLE, "-f", "json").out)["today"] == "2026-11-21"


def test_output_file_and_summary_line(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run = cli("check", EXAMPLE, "-f", "json", "-o", out, "--today", TODAY)
    assert run.code == 1
    assert run.out == ""
    assert json.loads(out.read_text())["verdict"] == "not-ready"
    assert run.err.startswith("readiness: not-ready")
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left behind


def test_never_writes_over_its_input(cli: CliRunner, write: Writer) -> None:
    original = EXAMPLE.read_text()
    copy = write("readiness.yaml", original)
    write("OWNERS", "alice\n")
    run = cli("check", copy, "-f", "json", "-o", copy, "--today", TODAY)
    assert run.code == 2
    assert "refusing to write the output over its own input" in run.err
    assert copy.read_text() == original


def test_quiet_prints_nothing_when_ready_and_everything_when_not(cli: CliRunner, ready: Path) -> None:
    quiet = cli("check", ready, "-q", "--today", TODAY)
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    loud = cli("check", EXAMPLE, "-q", "--today", TODAY)
    assert loud.code == 1
    assert "NOT-READY" in loud.out


def test_internal_error_is_exit_3_with_an_apology(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "evaluate", explode)
    run = cli("check", EXAMPLE, "--today", TODAY)
    assert run.code == 3
    assert run.err.count("\n") == 1
    assert "sorry, this is a bug in readiness" in run.err and "RuntimeError: boom" in run.err
    assert "Traceback" not in run.err
    debug = cli("--debug", "check", EXAMPLE, "--today", TODAY)
    assert debug.code == 3
    assert "Traceback" in debug.err


def test_interrupt_is_exit_130(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "evaluate", interrupted)
    run = cli("check", EXAMPLE, "--today", TODAY)
    assert run.code == 130
    assert "Traceback" not in run.err


def test_colour_on_a_terminal_and_none_with_no_color() -> None:
    base = {"TERM": "xterm-256color"}
    without = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    _, coloured = in_terminal("check", str(EXAMPLE), "--today", TODAY, env={"COLUMNS": "120", **base, **without})
    assert "\x1b[" in coloured
    _, plain = in_terminal("check", str(EXAMPLE), "--today", TODAY, env={"COLUMNS": "120", **base, "NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert "NOT-READY" in plain
    assert max(cell_len(line) for line in plain.replace("\r", "").splitlines()) <= 80


@pytest.mark.parametrize("kind", ["assessment", "checklist", "result"])
def test_schema_prints_a_valid_draft_2020_12_schema(cli: CliRunner, kind: str) -> None:
    run = cli("schema", kind)
    assert run.code == 0
    schema = json.loads(run.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_example_validates_against_the_printed_schema(cli: CliRunner) -> None:
    import yaml

    schema = json.loads(cli("schema", "assessment").out)
    data = yaml.safe_load(EXAMPLE.read_text())
    # PyYAML turns dates into date objects; the tool keeps them as the ISO strings a schema expects.
    text = json.loads(json.dumps(data, default=str))
    assert list(Draft202012Validator(schema).iter_errors(text)) == []


def test_validate_reports_each_file(cli: CliRunner, broken: Path, write: Writer) -> None:
    pack = write("tiny.yaml", PACK)
    ok = cli("validate", EXAMPLE, pack)
    assert ok.code == 0
    assert ok.out == f"{EXAMPLE}: ok (assessment)\n{pack}: ok (checklist)\n"
    mixed = cli("validate", EXAMPLE, broken)
    assert mixed.code == 2
    assert f"{broken}:2:20: error:" in mixed.err
    other = write("other.yaml", "name: something else\n")
    assert "neither an assessment" in cli("validate", other).err


def test_checklists_list_and_show(cli: CliRunner) -> None:
    listing = cli("checklists", "list")
    assert listing.code == 0
    assert [line.split()[0] for line in listing.out.splitlines()[2:]] == list(BUILTIN_ORDER)
    assert "ownership       Ownership          15           14" in listing.out  # items and RACI activities
    pack = cli("checklists", "show", "observability")
    assert "output-drift-alerts" in pack.out and "major" in pack.out
    item = cli("checklists", "show", "observability.output-drift-alerts")
    assert "Question: Does an alert fire when the distribution of live inputs or model" in item.out
    assert "Refs: NIST AI RMF MEASURE 2.4" in item.out
    escalated = cli("checklists", "show", "evaluation.fairness-groups")
    assert "Severity major · stage production" in escalated.out
    assert "Becomes blocker when: risk=high" in escalated.out
    automated = cli("checklists", "show", "ownership.on-call").out
    assert (
        "Automated check: probe runbook (required: [detection, mitigation, escalation]);\nreads "
        "**/runbooks/**/*.md, **/runbook*.md; RACI for incident-response"
    ) in automated
    unknown = cli("checklists", "show", "observability.output-drift-alert")
    assert unknown.code == 2
    assert "did you mean 'observability.output-drift-alerts'?" in unknown.err


def test_checklists_show_refs_lists_the_items_covering_a_framework(cli: CliRunner) -> None:
    run = cli("checklists", "show", "--refs", "EU AI Act")
    assert run.code == 0
    lines = run.out.splitlines()
    cited = {ref for item in load_catalog().items for ref in item.refs if "EU AI Act" in ref}
    assert lines[0].startswith(f"{len(cited)} references matching 'EU AI Act', cited by ")
    firsts = [m.group(0) for line in lines[3:] if (m := re.match(r"EU AI Act Art\. \d+(\(\d+\))?", line))]
    # Natural order: Art. 9 before Art. 10; each with the date from which the Act applies it.
    assert firsts.index("EU AI Act Art. 9") < firsts.index("EU AI Act Art. 10") < firsts.index("EU AI Act Art. 11")
    below = lines[lines.index(next(line for line in lines if line.startswith("EU AI Act Art. 4 "))) + 1]
    assert below.startswith("applies from")
    one_pack = cli("checklists", "show", "security", "--refs", "owasp").out
    assert "OWASP LLM01:2026" in one_pack and "OWASP LLM01:2025" in one_pack and "compliance." not in one_pack
    nothing = cli("checklists", "show", "--refs", "COBIT")
    assert nothing.code == 2 and "no item cites a reference containing 'COBIT'" in nothing.err


def test_checklists_show_refs_finds_a_risk_by_name_in_both_owasp_editions(cli: CliRunner) -> None:
    out = cli("checklists", "show", "--refs", "excessive agency").out
    assert out.startswith("2 references matching 'excessive agency'")
    # The 2026 list renumbered the risks: LLM03:2026 is what 2025 called LLM06, and each says so.
    assert "OWASP LLM03:2026" in out and "OWASP LLM06:2025" in out
    assert "(LLM06:2025)" in out and "(LLM03:2026)" in out
    agentic = cli("checklists", "show", "--refs", "OWASP ASI").out
    assert agentic.startswith("10 references matching 'OWASP ASI'")
    assert "Memory and Context" in agentic


def test_a_built_in_pack_lints_clean(cli: CliRunner) -> None:
    for pack in BUILTIN_ORDER:
        run = cli("checklists", "lint", REPO / "checklists" / f"{pack}.yaml")
        assert (run.code, run.err) == (0, ""), pack


def test_checklists_lint(cli: CliRunner, write: Writer) -> None:
    pack = write("tiny.yaml", PACK)
    run = cli("checklists", "lint", pack)
    assert run.code == 0
    assert f"{pack}: ok, pack 'tiny' with 2 items" in run.out
    assert f"{pack}:4:5: warning: $.items[0]: item 'owner' cites no framework in 'refs'" in run.err
    clash = write("clash.yaml", PACK.replace("id: tiny", "id: ownership"))
    bad = cli("checklists", "lint", clash)
    assert bad.code == 2
    assert "pack id 'ownership' is already used by the built-in pack (checklists/ownership.yaml)" in bad.err


def test_checklists_lint_takes_several_packs_and_reports_them_all(cli: CliRunner, write: Writer) -> None:
    good = write("tiny.yaml", PACK)
    clash = write("clash.yaml", PACK.replace("id: tiny", "id: ownership"))
    broken = write("broken.yaml", PACK.replace("severity: blocker", "severity: blockr", 1))
    run = cli("checklists", "lint", clash, good, broken)
    assert run.code == 2
    assert f"{good}: ok, pack 'tiny' with 2 items" in run.out
    assert f"{clash}:" in run.err and "already used by the built-in pack (checklists/ownership.yaml)" in run.err
    assert f"{broken}:" in run.err and "did you mean 'blocker'" in run.err
