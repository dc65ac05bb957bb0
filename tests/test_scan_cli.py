"""`readiness scan DIR` as a user meets it: the profile with its reasons, every probe's result over the
repository, nothing written, and a clear message (exit 2) for what cannot be scanned."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.conftest import TODAY, Run
from tests.test_scan_profile import repo

ALERTS = """\
groups:
  - name: copilot
    rules:
      - alert: CopilotErrorRateHigh
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 0.05
        for: 10m
        labels: {severity: page}
"""


def listing(top: Path) -> list[str]:
    return sorted(str(path.relative_to(top)) for path in top.rglob("*"))


def test_an_llm_app_prints_its_profile_with_reasons_and_what_the_probes_found(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    top = repo(
        tmp_path / "copilot",
        {
            "requirements.txt": "fastapi\nopenai==1.51.0\n",
            "app/main.py": "import openai\n",
            "monitoring/alerts/errors.yaml": ALERTS,
        },
    )
    before = listing(top)
    run = cli("scan", top, "--today", TODAY)
    assert run.code == 0, run.err
    assert "  llm: true\n    app/main.py:1:1  imports openai\n    requirements.txt:2:1  depends on openai\n" in run.out
    assert (
        "Not shown, yours to answer: agentic, rag, self_hosted, trains_models, personal_data, multi_tenant, "
        "public_facing." in run.out
    )
    assert "  fails         observability.error-alerts (prometheus-alert, 1 file)\n" in run.out
    assert "monitoring/alerts/errors.yaml:4:16  alert 'CopilotErrorRateHigh' has no runbook_url" in run.out
    assert listing(top) == before  # a scan writes nothing


def test_a_plain_web_service_is_said_to_show_no_ai_system(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "shop", {"package.json": '{"dependencies": {"express": "^4"}}', "app.py": "import flask\n"})
    run = cli("scan", top)
    assert run.code == 0, run.err
    assert "Profile: nothing shows an AI system or personal data" in run.out
    assert "\nevery profile key is yours to answer." in run.out
    assert "Probes: 0 of " in run.out


def test_json_lists_every_probed_item_with_its_outcome(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "agent", {"requirements.txt": "# agents\nlanggraph==0.2.0\n"})
    run = cli("scan", top, "-f", "json", "--today", TODAY)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["profile"] == {"llm": True, "agentic": True}
    assert data["reasons"]["agentic"] == [
        {"file": "requirements.txt", "line": 2, "column": 1, "what": "depends on langgraph"}
    ]
    assert {p["outcome"] for p in data["probes"]} == {"nothing"}
    assert "observability.error-alerts" in {p["item"] for p in data["probes"]}


def test_problems_in_the_repository_are_findings_not_failures(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(
        tmp_path / "broken",
        {"package.json": "{not json", "bad.py": "import openai\nclass (:\n", "pyproject.toml": "[project\n"},
    )
    run = cli("scan", top)
    assert run.code == 0, run.err
    assert "Traceback" not in run.out + run.err
    assert "Not read, or read and not used:\n" in run.out
    assert "  bad.py:2:" in run.out
    assert "  package.json:1:2: not JSON: " in run.out
    assert "  pyproject.toml:1:" in run.out


def test_a_control_character_from_a_file_is_written_out_never_sent(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "evil", {"package.json": '{"dependencies": {"@langchain/\\u001b[2Jx": "1"}}'})
    run = cli("scan", top)
    assert run.code == 0, run.err
    assert "\x1b" not in run.out
    assert "depends on @langchain/\\u001b[2Jx" in run.out


def test_nothing_is_read_through_a_link_out_of_the_repository(cli: Callable[..., Run], tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "requirements.txt").write_text("anthropic  # SECRET-MARKER\n", encoding="utf-8")
    top = repo(tmp_path / "project", {"README.md": "hello\n"})
    os.symlink(outside / "requirements.txt", top / "requirements.txt")
    os.symlink(outside, top / "monitoring")
    run = cli("scan", top)
    assert run.code == 0, run.err
    assert "anthropic" not in run.out
    assert "SECRET-MARKER" not in run.out


def test_a_folder_that_is_not_there_is_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("scan", tmp_path / "nowhere")
    assert run.code == 2
    assert "is not a folder" in run.err
    assert "Traceback" not in run.err


def test_a_root_that_does_not_hold_the_folder_is_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    run = cli("scan", tmp_path / "a", "--root", tmp_path / "b")
    assert run.code == 2
    assert "does not hold" in run.err


def test_a_folder_that_links_out_of_the_root_is_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "project" / "linked")
    run = cli("scan", tmp_path / "project" / "linked", "--root", tmp_path / "project")
    assert run.code == 2
    assert "leads outside" in run.err
    assert "openai" not in run.out
