"""`check` in CI: every format on every example (golden files), several formats in one run, exit codes that
never depend on the format, baselines and regressions, and the GitHub Action and pre-commit hook as shipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, TODAY, Project, Run

CliRunner = Callable[..., Run]
EXAMPLES = ["support-copilot", "fraud-scoring", "ops-agent"]
GOLDEN = Path(__file__).parent / "golden" / "ci"
SUFFIX = {"markdown": "md", "sarif": "sarif", "junit": "xml", "github": "txt"}
ALL_FORMATS = ["text", "json", "markdown", "sarif", "junit", "github"]

READY = """\
team: {ana: {name: Ana}, bo: {name: Bo}}
raci:
  on-call: {R: [bo], A: ana}
  switch-off: {R: [bo], A: ana}
answers:
  ops.kill-switch: {status: done, evidence: [flags/kill.yaml]}
  ops.runbook: {status: done, evidence: [runbooks/app.md]}
cost:
  requests_per_day: 100
  tokens: {input: 100, output: 10}
  price_per_million: {input: 1, output: 1}
  budget_monthly: 100
"""
FILES = {"runbooks/app.md": "# Runbook\n", "flags/kill.yaml": "kill: false\n"}


def _example(name: str) -> Path:
    return REPO / "examples" / name / "readiness.yaml"


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_format_on_every_example_matches_its_golden_file(
    cli: CliRunner, tmp_path: Path, request: pytest.FixtureRequest, name: str, fmt: str
) -> None:
    # Run from the repository so the paths in the output are the ones a CI job at the top of a repo shows.
    source = _example(name).relative_to(REPO)
    out = tmp_path / f"out.{SUFFIX[fmt]}"
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        run = cli("check", str(source), "-f", f"{fmt}:{out}", "--today", TODAY)
        again = cli("check", str(source), "-f", f"{fmt}:{out}.again", "--today", TODAY)
    finally:
        os.chdir(cwd)
    assert run.code == again.code == 1, run.err  # no example is ready
    assert run.out == ""
    assert run.err.startswith("readiness: not-ready")
    text = out.read_text(encoding="utf-8")
    assert Path(f"{out}.again").read_bytes() == out.read_bytes(), "the same input and --today must give the same bytes"
    golden = GOLDEN / f"{name}.{SUFFIX[fmt]}"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run pytest --update-golden and review the diff"
    assert text == golden.read_text(encoding="utf-8"), f"{fmt} output changed: review it, then pytest --update-golden"


def _exit_codes(cli: CliRunner, file: Path, *extra: str) -> dict[str, int]:
    return {fmt: cli("check", file, "-f", fmt, "--today", TODAY, *extra).code for fmt in ALL_FORMATS}


def test_exit_codes_never_depend_on_the_format(
    cli: CliRunner, project: Callable[..., Project], write: Callable[..., Path], tmp_path: Path
) -> None:
    ready = project(READY, FILES)
    assert _exit_codes(cli, ready.file) == dict.fromkeys(ALL_FORMATS, 0)
    assert _exit_codes(cli, _example("ops-agent")) == dict.fromkeys(ALL_FORMATS, 1)
    assert _exit_codes(cli, _example("ops-agent"), "--warn-only") == dict.fromkeys(ALL_FORMATS, 0)
    broken = write("broken/readiness.yaml", "version: 1\nproject: {name: X, target: launch}\n")
    assert _exit_codes(cli, broken) == dict.fromkeys(ALL_FORMATS, 2)
    # a regression: met in the baseline (a result JSON), a gap now; only --fail-on-regression turns it into 1
    base = tmp_path / "base.json"
    assert cli("check", ready.file, "-f", f"json:{base}", "--today", TODAY).code == 0
    (ready.folder / "flags" / "kill.yaml").unlink()
    gradual = ("--baseline", str(base), "--warn-only")
    assert _exit_codes(cli, ready.file, *gradual) == dict.fromkeys(ALL_FORMATS, 0)
    assert _exit_codes(cli, ready.file, *gradual, "--fail-on-regression") == dict.fromkeys(ALL_FORMATS, 1)
    run = cli("check", ready.file, *gradual, "--fail-on-regression", "-f", "json")
    assert "regressions since" in run.err and "ops.kill-switch" in run.err


def test_several_formats_in_one_run_each_to_its_own_file(cli: CliRunner, tmp_path: Path) -> None:
    sarif, junit, summary = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.md"
    run = cli(
        "check", _example("support-copilot"), "--today", TODAY,
        "-f", f"sarif:{sarif}", "-f", f"junit:{junit}", "-f", f"markdown:{summary}", "-f", "text",
    )  # fmt: skip
    assert run.code == 1
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    compact = summary.read_text(encoding="utf-8")
    assert compact.startswith("### ❌ Not ready for production") and "open items</summary>" in compact
    assert "Appendix" not in compact  # the PR comment, not the review report
    assert "NOT-READY" in run.out  # the text summary on stdout carries the verdict itself
    both = cli("check", _example("support-copilot"), "-f", "sarif", "-f", "junit")
    assert both.code == 2 and "would all go to standard output" in both.err
    same = cli("check", _example("support-copilot"), "-f", f"sarif:{sarif}", "-f", f"junit:{sarif}")
    assert same.code == 2 and "same file" in same.err
    unknown = cli("check", _example("support-copilot"), "-f", "sarf")
    assert unknown.code == 2 and "did you mean 'sarif'" in unknown.err


def test_github_format_appends_the_summary_to_the_step_summary(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "summary.md"
    page.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(page))
    run = cli("check", _example("ops-agent"), "-f", "github", "--today", TODAY)
    assert run.code == 1
    assert run.out.startswith("::")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n#") and "Not ready" in text


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_and_baseline_read_the_old_assessment_from_git(
    cli: CliRunner, project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = project(READY, FILES)
    _git(ready.folder, "init", "-q", "-b", "main")
    _git(ready.folder, "add", "-A")
    _git(ready.folder, "commit", "-qm", "ready")
    text = ready.file.read_text(encoding="utf-8").replace("kill-switch: {status: done", "kill-switch: {status: todo")
    ready.file.write_text(text, encoding="utf-8")
    monkeypatch.chdir(ready.folder)
    run = cli("diff", "main:readiness.yaml", "readiness.yaml", "--today", TODAY)
    assert run.code == 0, run.err
    assert "Regressions (met before, a gap now): 1" in run.out and "ops.kill-switch (major): met → gap" in run.out
    assert cli("diff", "main:readiness.yaml", "--fail-on-regression", "--today", TODAY).code == 1
    data = json.loads(cli("diff", "main:readiness.yaml", "-f", "json", "--today", TODAY).out)
    assert [c["id"] for c in data["regressions"]] == ["ops.kill-switch"] and data["score_change"] < 0
    assert "**Regressions (met before, a gap now)**" in cli("diff", "main:readiness.yaml", "-f", "markdown").out
    check = cli("check", "--baseline", "main:readiness.yaml", "--warn-only", "--fail-on-regression", "--today", TODAY)
    assert check.code == 1
    assert "Since main:readiness.yaml" in check.out and "regression: ops.kill-switch was met, now a gap" in check.out
    missing = cli("diff", "nosuchref:readiness.yaml", "--today", TODAY)
    unknown = "nosuchref:readiness.yaml:1:1: error: $: git knows no branch, tag or commit named 'nosuchref' here"
    assert missing.code == 2 and missing.err.startswith(unknown)
    assert cli("check", "--fail-on-regression").code == 2  # nothing to compare with


def test_a_result_json_that_is_not_one_is_refused_with_its_position(cli: CliRunner, write: Callable[..., Path]) -> None:
    bad = write("old.json", '{"schema_version": "1", "verdict": "ready"')
    run = cli("diff", bad, _example("ops-agent"), "--today", TODAY)
    assert run.code == 2 and re.search(r"old\.json:1:\d+: error: \$: not valid JSON", run.err)
    other = write("other.json", '{"name": "x"}')
    assert "not a result of `readiness check -f json`" in cli("diff", other, _example("ops-agent")).err


def _action_step(name: str) -> dict[str, object]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    return next(step for step in action["runs"]["steps"] if step.get("name") == name)


@pytest.mark.skipif(sys.platform == "win32", reason="the action's scripts are bash")
def test_the_action_check_step_writes_outputs_sarif_and_the_step_summary(tmp_path: Path) -> None:
    step = _action_step("Check readiness")
    script = str(step["run"])
    folder = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "ops-agent", folder)
    outputs, summary, runner_temp = tmp_path / "out.txt", tmp_path / "summary.md", tmp_path / "runner"
    runner_temp.mkdir()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "FILE": "readiness.yaml",
        "BASELINE": "",
        "ARGS": f"--today {TODAY} --min-score 60",
        "SARIF": "readiness.sarif",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(runner_temp),
    }
    done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr  # the step never fails itself, so the SARIF upload runs
    assert "::error file=readiness.yaml" in done.stdout
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert written == {"exit-code": "1", "verdict": "not-ready", "score": "43.4"}
    assert json.loads((folder / "readiness.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "Not ready" in summary.read_text(encoding="utf-8")
    verdict = _action_step("Verdict")
    final = subprocess.run(["bash", "-c", str(verdict["run"])], env={**env, "CODE": written["exit-code"]}, check=False)
    assert final.returncode == 1


def test_the_pre_commit_hook_validates_readiness_files(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "readiness-validate")
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ["readiness.yaml", "services/bot/readiness.yml"])
    assert not any(pattern.search(p) for p in ["my-readiness.yaml", "readiness.yaml.bak", "docs/readiness.md"])
    command = [*hook["entry"].split(), str(_example("fraud-scoring"))]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    assert subprocess.run(command, env=env, capture_output=True, check=False).returncode == 0
    broken = tmp_path / "readiness.yaml"
    broken.write_text("version: 1\nproject: {name: X, target: launch}\n", encoding="utf-8")
    done = subprocess.run([*hook["entry"].split(), str(broken)], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and f"{broken}:2:" in done.stderr
