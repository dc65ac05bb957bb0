"""`readiness scan --write`: a first readiness.yaml from the repository, or additions to the team's own file that
never change what the team wrote; proposals that count for nothing until a person confirms them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import TODAY, Run
from tests.test_scan_profile import repo

RUNBOOK = """\
# Provider outage

## Detection
The CopilotErrorRateHigh alert pages the on-call engineer.

## Mitigation
Switch the model gateway to the fallback provider: `make failover`.

## Escalation
Page the platform lead after 30 minutes.
"""

LLM_APP = {
    "requirements.txt": "fastapi==0.115.0\nopenai==1.54.0\n",
    "app/main.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
    "runbooks/provider-outage.md": RUNBOOK,
}

TEAM_FILE = """\
# Our own assessment: keep this comment.
version: 1
project:
  name: Copilot
  stage: pilot
  profile:
    llm: false   # the team says so, whatever the scan reads
team:
  ana: {name: Ana Ruiz}
answers:
  ownership.on-call:
    status: todo   # the rota is not staffed yet
    note: two people only
"""


def test_write_creates_a_valid_assessment_with_the_profile_and_proposals(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    top = repo(tmp_path / "copilot", LLM_APP)
    before = sorted(path.relative_to(top).as_posix() for path in top.rglob("*"))
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    assert "Wrote readiness.yaml: 1 profile key, 1 proposed answer." in run.out
    assert sorted(path.relative_to(top).as_posix() for path in top.rglob("*")) == sorted([*before, "readiness.yaml"])
    text = (top / "readiness.yaml").read_text(encoding="utf-8")
    assert "  profile:\n    llm: true " in text
    assert (
        "  ownership.on-call:\n    status: proposed\n    proposal:\n      status: done\n      by: scan\n"
        '      reason: "the runbook probe holds on 1 file; first: runbooks/provider-outage.md:3:1 Detection section '
        "'Detection' holds text\"\n    evidence: [runbooks/provider-outage.md]\n"
    ) in text
    checked = cli("validate", top / "readiness.yaml")
    assert checked.code == 0, checked.out + checked.err
    warning = "1 answer is a scan's proposal: counted as no answer until someone confirms or changes it"
    assert f'readiness.yaml:59:13: warning: $.answers["ownership.on-call"].status: {warning}' in checked.err


def test_without_write_the_file_is_shown_and_nothing_is_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "copilot", LLM_APP)
    run = cli("scan", top, "--today", TODAY)
    assert run.code == 0, run.err
    assert "The readiness.yaml that `readiness scan --write` would write (1 profile key, 1 proposed answer):" in run.out
    assert "        status: proposed\n" in run.out
    assert not (top / "readiness.yaml").exists()
    written = cli("scan", top, "--write", "--today", TODAY)
    shown = run.out.split("would write (1 profile key, 1 proposed answer):\n\n", 1)[1].split("\n\n1 proposed")[0]
    assert "\n".join(line[4:] for line in shown.splitlines()) + "\n" == (top / "readiness.yaml").read_text(), written


def test_a_proposal_counts_for_nothing_until_confirmed(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The same file scored with the proposal, with no answer, and with the proposal confirmed by hand: a
    proposal is no answer; a confirmation is the team's claim."""
    top = repo(tmp_path / "copilot", {"requirements.txt": "openai==1.54.0\n"})
    base = "version: 1\nproject: {name: Copilot, profile: {llm: true}}\n"
    proposed = (
        "answers:\n  ownership.accountable-owner:\n    status: proposed\n"
        "    proposal: {status: done, by: scan, reason: CODEOWNERS names a lead}\n"
    )
    scores = []
    for answers in ("", proposed, "answers:\n  ownership.accountable-owner: {status: done}\n"):
        (top / "readiness.yaml").write_text(base + answers, encoding="utf-8")
        run = cli("check", top / "readiness.yaml", "-f", "json", "--today", TODAY)
        result = json.loads(run.out)
        item = next(i for i in result["items"] if i["id"] == "ownership.accountable-owner")
        scores.append((result["score"], item["status"], item["credit"]))
    assert scores[0][0] == scores[1][0] < scores[2][0]
    assert [s[1:] for s in scores[:2]] == [("unanswered", 0), ("proposed", 0)]
    assert scores[2][1] == "done" and scores[2][2] > 0


def test_a_proposal_without_its_reason_or_left_beside_an_answer_is_said(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    top = repo(tmp_path / "copilot", {"x.txt": ""})
    (top / "readiness.yaml").write_text(
        "version: 1\nproject: {name: Copilot}\nanswers:\n"
        "  ownership.accountable-owner: {status: proposed}\n"
        "  data.lineage:\n    status: done\n    proposal: {status: done, by: scan, reason: dvc.lock}\n",
        encoding="utf-8",
    )
    run = cli("validate", top / "readiness.yaml")
    assert run.code == 2
    assert (
        "readiness.yaml:4:41: error: $.answers[\"ownership.accountable-owner\"].status: 'proposed' needs a "
        "'proposal' (status, by, reason)"
    ) in run.err
    assert 'readiness.yaml:7:5: warning: $.answers["data.lineage"].proposal: the answer is the team\'s' in run.err


def test_the_teams_file_keeps_every_answer_value_and_comment(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(tmp_path / "copilot", {**LLM_APP, "readiness.yaml": TEAM_FILE})
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    # llm is the team's (false) and on-call is answered: nothing the scan found is new to this file.
    assert "readiness.yaml already holds everything this scan found: nothing to add." in run.out
    assert "Kept as the file has them: project.profile.llm, answers.ownership.on-call." in run.out
    assert (top / "readiness.yaml").read_text(encoding="utf-8") == TEAM_FILE


def test_additions_go_beside_what_the_team_wrote(cli: Callable[..., Run], tmp_path: Path) -> None:
    team_file = TEAM_FILE.replace("    llm: false   # the team says so, whatever the scan reads\n", "    risk: low\n")
    team_file = team_file.replace("ownership.on-call", "data.lineage")
    top = repo(tmp_path / "copilot", {**LLM_APP, "readiness.yaml": team_file})
    shown = cli("scan", top, "--today", TODAY)
    assert "What `readiness scan --write` would add to readiness.yaml (1 profile key, 1 proposed answer):" in shown.out
    assert "    +    llm: true\n" in shown.out
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    assert "Added to readiness.yaml: 1 profile key, 1 proposed answer." in run.out
    text = (top / "readiness.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Our own assessment: keep this comment.\n")
    assert "  profile:\n    risk: low\n    llm: true\n" in text
    assert "  data.lineage:\n    status: todo   # the rota is not staffed yet\n    note: two people only\n" in text
    assert "  ownership.on-call:\n    status: proposed\n" in text
    again = cli("scan", top, "--write", "--today", TODAY)
    assert "nothing to add" in again.out
    assert (top / "readiness.yaml").read_text(encoding="utf-8") == text
    assert not list(top.glob(".*.lock"))  # the lock of the save is gone


def test_a_waived_item_or_one_answered_under_its_former_id_gets_no_proposal(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # The shape of k6's handleSummary data (each metric's statistics under `values`).
    summary = json.dumps(
        {
            "root_group": {
                "name": "",
                "path": "",
                "id": "d41d8cd98f00b204e9800998ecf8427e",
                "groups": [],
                "checks": [],
            },
            "metrics": {
                "http_reqs": {"type": "counter", "contains": "default", "values": {"count": 91000, "rate": 151.6}},
                "http_req_duration": {"type": "trend", "contains": "time", "values": {"p(95)": 420.0}},
                "http_req_failed": {
                    "type": "rate",
                    "contains": "default",
                    "values": {"rate": 0.001, "passes": 91, "fails": 90909},
                },
                "vus": {"type": "gauge", "contains": "default", "values": {"value": 0, "min": 0, "max": 200}},
            },
        }
    )
    team_file = (
        "version: 1\nproject: {name: Copilot, profile: {llm: true}}\n"
        "team:\n  ana: {name: Ana Ruiz}\n"
        "targets: {latency_p95_ms: 500, error_rate: 0.01, peak_concurrency: 200}\n"
        "answers:\n  reliability.quota-headroom: {status: partial}\n"
        "waivers:\n  - {item: ownership.on-call, reason: pilot only, approved_by: ana, expires: 2027-01-31}\n"
    )
    files = {**LLM_APP, "load-tests/summary.json": summary, "readiness.yaml": team_file}
    top = repo(tmp_path / "copilot", files)
    run = cli("scan", top, "-f", "json", "--today", TODAY)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    outcomes = {p["item"]: p["outcome"] for p in data["probes"]}
    assert outcomes["cost.load-test"] == outcomes["ownership.on-call"] == "holds"
    assert {p["item"] for p in data["proposals"]} == {"cost.load-test", "ownership.on-call"}
    assert data["assessment"]["added"] == []
    assert data["assessment"]["kept"] == ["project.profile.llm", "answers.ownership.on-call", "answers.cost.load-test"]


def test_nothing_is_written_for_a_repository_that_shows_no_ai_system(cli: Callable[..., Run], tmp_path: Path) -> None:
    top = repo(
        tmp_path / "shop",
        {"requirements.txt": "flask==3.0.3\n", "app.py": "import flask\n", "runbooks/outage.md": RUNBOOK},
    )
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    assert "Nothing here shows an AI system, so no readiness.yaml is proposed and none was written." in run.out
    assert not (top / "readiness.yaml").exists()


def test_a_broken_team_file_is_exit_2_and_stays_as_it_was(cli: Callable[..., Run], tmp_path: Path) -> None:
    broken = "version: 1\nproject:\n  name: Copilot\n  stage: shipping\n"
    top = repo(tmp_path / "copilot", {**LLM_APP, "readiness.yaml": broken})
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 2
    assert "readiness.yaml:4:10: error:" in run.err
    assert "Traceback" not in run.err
    assert (top / "readiness.yaml").read_text(encoding="utf-8") == broken


def test_a_finding_that_quotes_an_escape_sequence_is_written_out_not_written(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A pull request puts an escape sequence in a runbook heading: the reason quoting it reaches neither the
    terminal nor readiness.yaml as a control character."""
    hostile = RUNBOOK.replace("## Detection", "## Detection \x1b]0;pwned\x07\x1b[2J")
    top = repo(tmp_path / "copilot", {**LLM_APP, "runbooks/provider-outage.md": hostile})
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    text = (top / "readiness.yaml").read_text(encoding="utf-8")
    for shown in (run.out, text):
        assert "\x1b" not in shown and "\x07" not in shown
    assert "\\\\u001b]0;pwned" in text or "\\u001b]0;pwned" in text
    assert cli("validate", top / "readiness.yaml").code == 0


CODEOWNERS = """\
# Reviews of the copilot
*                 @ana-diaz @acme/ml-platform
/prompts/         ana.diaz@example.com @li-wei
"""

K6_SCRIPT = """\
import http from 'k6/http';

export const options = {
  stages: [
    { duration: '5m', target: 50 },
    { duration: '20m', target: 200 },
    { duration: '5m', target: 0 },
  ],
  thresholds: {
    http_req_duration: ['p(95)<2500'],
    http_req_failed: ['rate<0.01'],
  },
};

export default function () {
  http.post('https://copilot.internal.example/draft', JSON.stringify({ ticket: 42 }));
}
"""


def test_a_new_file_takes_the_people_codeowners_names_and_the_stated_targets(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    files = {**LLM_APP, ".github/CODEOWNERS": CODEOWNERS, "load-tests/draft.k6.js": K6_SCRIPT}
    top = repo(tmp_path / "copilot", files)
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 0, run.err
    assert "  ana-diaz: @ana-diaz    .github/CODEOWNERS:2:19\n" in run.out
    assert "  latency_p95_ms: 2500    load-tests/draft.k6.js:" in run.out
    assert "Wrote readiness.yaml: 1 profile key, 3 members, 3 targets, 2 proposed answers." in run.out
    text = (top / "readiness.yaml").read_text(encoding="utf-8")
    assert 'team:\n  ana-diaz: {name: "@ana-diaz"}\n' in text
    assert '  ana.diaz: {name: "ana.diaz@example.com", email: ana.diaz@example.com}\n' in text
    team = text.split("\nteam:\n", 1)[1].split("\n\n", 1)[0]
    assert "ml-platform" not in team and len(team.splitlines()) == 3  # a team on the forge is not a person
    assert "\ntargets: {latency_p95_ms: 2500, error_rate: 0.01, peak_concurrency: 200}\n" in text
    assert cli("validate", top / "readiness.yaml").code == 0


def test_a_file_with_its_own_team_gets_no_one_from_codeowners(cli: Callable[..., Run], tmp_path: Path) -> None:
    files = {**LLM_APP, ".github/CODEOWNERS": CODEOWNERS, "readiness.yaml": TEAM_FILE}
    top = repo(tmp_path / "copilot", files)
    run = cli("scan", top, "-f", "json", "--today", TODAY)
    data = json.loads(run.out)
    assert [p["id"] for p in data["team"]] == ["ana-diaz", "ana.diaz", "li-wei"]
    assert not any(key.startswith("team.") for key in data["assessment"]["added"])


def test_a_proposal_of_na_for_an_item_that_applies_to_every_project_is_an_error(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    top = repo(tmp_path / "copilot", {"x.txt": ""})
    (top / "readiness.yaml").write_text(
        "version: 1\nproject: {name: Copilot}\nanswers:\n  ownership.accountable-owner:\n    status: proposed\n"
        "    proposal: {status: na, by: scan, reason: nobody owns it}\n",
        encoding="utf-8",
    )
    run = cli("validate", top / "readiness.yaml")
    assert run.code == 2
    assert "readiness.yaml:6:24: error:" in run.err
    assert "item 'ownership.accountable-owner' cannot be marked na" in run.err


def test_a_readiness_yaml_that_links_out_of_the_project_is_refused_and_left_alone(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A pull request replaces readiness.yaml with a link to a file of the CI machine: nothing is read from it or
    written through it."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("version: 1\nproject: {name: Secret}\n", encoding="utf-8")
    top = repo(tmp_path / "copilot", LLM_APP)
    (top / "readiness.yaml").symlink_to(outside)
    run = cli("scan", top, "--write", "--today", TODAY)
    assert run.code == 2
    assert "readiness.yaml:1:1: error:" in run.err and "Traceback" not in run.err
    assert outside.read_text(encoding="utf-8") == "version: 1\nproject: {name: Secret}\n"
    assert (top / "readiness.yaml").is_symlink()
