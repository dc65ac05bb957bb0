"""`readiness init` and `readiness assess` driven in a real pseudo-terminal (pexpect), the way a tech lead uses
them: the file is checked after every step, and the walk is killed mid-answer to show nothing saved is lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from readiness.score.engine import load
from tests.conftest import TODAY
from tests.walkpty import readiness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

PACK = """\
id: ops
title: Operations
activities:
  - {id: on-call, title: On-call rota}
  - {id: switch-off, title: Switching it off}
items:
  - {id: runbook, title: Runbook for the feature, question: Is there a runbook?, why: Nobody guesses at 3am.,
     verify: docs/runbook.md, severity: major, stage: prototype, effort: low, activity: on-call}
  - {id: kill-switch, title: Kill switch, question: Can it be switched off in a minute?, why: Bad outputs spread.,
     verify: A flag, severity: blocker, stage: prototype, effort: low, activity: switch-off, evidence: required}
  - {id: dashboards, title: Dashboards, question: Is there a dashboard?, why: To see trends., verify: A link,
     severity: minor, stage: prototype, effort: medium}
  - {id: data-map, title: Data map, question: Is personal data mapped?, why: The law asks., verify: A map,
     severity: major, stage: prototype, effort: medium, na: forbidden}
"""

# Comments everywhere a person would put them: each one must survive every save.
ASSESSMENT = """\
# Our assessment; reviewed every sprint.
version: 1
project:
  name: Claims Bot   # the public name
  target: prototype
checklists: {use: [], extra: [ops.yaml]}

# Who is who.
team:
  ana: {name: Ana Diaz, role: ML lead}
  bo: {name: Bo Chan}   # SRE
raci:
  on-call: {R: [bo], A: ana}
  switch-off: {R: [bo], A: bo}   # Bo owns the flag

# Nothing answered yet.
"""
COMMENTS = [line.split("#", 1)[1] for line in ASSESSMENT.splitlines() if "#" in line]


def _project(tmp_path: Path, text: str = ASSESSMENT) -> Path:
    folder = tmp_path / "claims"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "runbook.md").write_text("# Runbook\n", encoding="utf-8")
    (folder / "ops.yaml").write_text(PACK, encoding="utf-8")
    file = folder / "readiness.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def _spawn(folder: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100"}
    env.pop("SOURCE_DATE_EPOCH", None)
    # Where the walk keeps its place: beside the project, never in the home of whoever runs the tests.
    env["XDG_STATE_HOME"] = str(folder.parent / "state")
    return readiness(*args, cwd=folder, env=env)


def _assess(file: Path, *extra: str) -> pexpect.spawn:
    return _spawn(file.parent, "assess", file.name, "--today", TODAY, *extra)


def _answers(file: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    return data.get("answers") or {}


def _intact(file: Path) -> None:
    """Every comment of the original file is still there, and the file still loads without errors."""
    text = file.read_text(encoding="utf-8")
    for comment in COMMENTS:
        assert comment in text, f"lost comment: {comment!r}"
    load(file)


def _ended(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0))


def test_a_walk_answers_skips_goes_back_and_quits_saving_after_each_answer(tmp_path: Path) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    child.expect_exact("4 items to walk")
    child.expect_exact("item 1 of 4 · Operations 1 of 4")
    child.expect_exact("Runbook for the feature")
    child.expect_exact("[d]one")
    child.send("d")
    child.expect_exact("evidence:")
    child.sendline("docs/runbook.md")
    child.expect_exact("✓ found")
    child.expect_exact("evidence:")
    child.sendline("docs/missing.md")
    child.expect_exact("is not there yet")
    child.expect_exact("evidence:")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("Walked through it with Bo")
    child.expect_exact("saved:")
    answer = _answers(file)["ops.runbook"]
    assert answer["status"] == "done"
    assert answer["evidence"] == ["docs/runbook.md", "docs/missing.md"]
    assert answer["note"] == "Walked through it with Bo"
    assert str(answer["reviewed"]) == TODAY
    _intact(file)

    # skip, then back: the skipped item is shown again, and nothing was written for it
    child.expect_exact("item 2 of 4")
    child.expect_exact("[d]one")
    child.send("s")
    child.expect_exact("item 3 of 4")
    child.expect_exact("[d]one")
    assert "ops.kill-switch" not in _answers(file)
    child.send("b")
    child.expect_exact("item 2 of 4")
    child.expect_exact("Kill switch")
    child.expect_exact("[d]one")

    # n/a needs a reason; an empty one is refused
    child.send("n")
    child.expect_exact("Why does it not apply?")
    child.sendline("")
    child.expect_exact("this cannot be empty")
    child.sendline("Read-only: it never writes anywhere")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved:")
    assert _answers(file)["ops.kill-switch"] == {"status": "na", "reason": "Read-only: it never writes anywhere"}
    _intact(file)

    # todo with an owner and a due date; a bad date is asked again
    child.expect_exact("item 3 of 4")
    child.expect_exact("[d]one")
    child.send("t")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("Owner (ana, bo")
    child.sendline("bo")
    child.expect_exact("Due date")
    child.sendline("2027-13-01")
    child.expect_exact("is not a date")
    child.sendline("2027-01-15")
    child.expect_exact("saved:")
    answer = _answers(file)["ops.dashboards"]
    assert answer["status"] == "todo" and answer["owner"] == "bo" and str(answer["due"]) == "2027-01-15"

    # n/a is refused where the pack forbids it; then quit
    child.expect_exact("item 4 of 4")
    child.expect_exact("[d]one")
    child.send("n")
    child.expect_exact("n/a is not allowed for this item")
    child.expect_exact("[d]one")
    child.send("q")
    child.expect_exact("Before: not ready")
    child.expect_exact("ops.runbook: unanswered → done (unverified)")
    child.expect_exact("ops.kill-switch: unanswered → na")
    child.expect_exact(f"Next: readiness report {file.name}")
    assert _ended(child) == 0
    assert "ops.data-map" not in _answers(file)
    _intact(file)


def test_rerun_resumes_at_the_first_open_item_and_all_revisits_everything(tmp_path: Path) -> None:
    file = _project(tmp_path)
    with file.open("a", encoding="utf-8") as handle:
        handle.write("answers:\n  ops.runbook: {status: done, evidence: [docs/runbook.md]}\n")
    child = _assess(file)
    child.expect_exact("3 items to walk")
    child.expect_exact("item 1 of 3 · Operations 1 of 3")
    child.expect_exact("Kill switch")
    child.send("q")
    assert _ended(child) == 0
    child = _assess(file, "--all")
    child.expect_exact("4 items to walk")
    child.expect_exact("Walk the RACI matrix now?")  # --all offers the settled RACI entries again
    child.sendline("n")
    child.expect_exact("Kill switch")  # open items first, then the settled ones
    child.send("q")
    assert _ended(child) == 0


@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_killing_the_walk_mid_answer_loses_only_that_answer(tmp_path: Path, how: str) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    child.expect_exact("[d]one")
    child.send("d")
    child.expect_exact("evidence:")
    child.sendline("docs/runbook.md")
    child.expect_exact("evidence:")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("Reviewed with Bo")
    child.expect_exact("saved:")
    child.expect_exact("Kill switch")
    child.expect_exact("[d]one")
    child.send("d")
    child.expect_exact("evidence:")
    child.send("flags/kill-switch.ya")  # typing, not finished
    child.expect_exact("kill-switch.ya")  # and seen on the screen, as a person would before pressing Ctrl-C
    if how == "sigint":
        child.sendintr()
        child.expect_exact("Stopped. Every answer given before this one is saved")
        assert _ended(child) == 130
    else:
        child.kill(signal.SIGKILL)
        child.expect(pexpect.EOF)
        child.close()
        assert child.signalstatus == signal.SIGKILL
    answers = _answers(file)
    assert answers["ops.runbook"]["note"] == "Reviewed with Bo" and answers["ops.runbook"]["status"] == "done"
    assert "ops.kill-switch" not in answers
    _intact(file)
    assert sorted(p.name for p in file.parent.iterdir()) == ["docs", "ops.yaml", "readiness.yaml"]
    # the next run starts at the first open item: the one being answered when the walk stopped
    child = _assess(file)
    child.expect_exact("item 1 of 3")
    child.expect_exact("Kill switch")
    child.send("q")
    assert _ended(child) == 0


def test_a_file_changed_on_disk_is_never_overwritten(tmp_path: Path) -> None:
    file = _project(tmp_path)
    child = _assess(file)
    child.expect_exact("[d]one")
    child.send("p")
    child.expect_exact("evidence:")
    child.sendline("")
    # someone else saves the file while the question is open
    edited = file.read_text(encoding="utf-8").replace("# Nothing answered yet.\n", "# Edited in the IDE.\n")
    file.write_text(edited, encoding="utf-8")
    child.expect_exact("Note")
    child.sendline("Half done")
    child.expect_exact("Owner")
    child.sendline("")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("changed on disk since it was read, so nothing was written")
    assert file.read_text(encoding="utf-8") == edited
    child.expect_exact("Runbook for the feature")  # asked again, on the file as it is now
    child.expect_exact("[d]one")
    child.send("t")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("Owner")
    child.sendline("")
    child.expect_exact("Due date")
    child.sendline("")
    child.expect_exact("saved:")
    child.send("q")
    assert _ended(child) == 0
    text = file.read_text(encoding="utf-8")
    assert "# Edited in the IDE." in text and _answers(file)["ops.runbook"]["status"] == "todo"


def test_raci_walk_picks_the_accountable_and_responsible_and_can_add_a_member(tmp_path: Path) -> None:
    file = _project(tmp_path, ASSESSMENT.replace("  switch-off: {R: [bo], A: bo}   # Bo owns the flag\n", ""))
    child = _assess(file)
    child.expect_exact("1 activity needs an accountable person")
    child.expect_exact("Walk the RACI matrix now?")
    child.sendline("y")
    child.expect_exact("Switching it off")
    child.expect_exact("Accountable")
    child.sendline("cy")
    child.expect_exact("'cy' is not on the team. Add them?")
    child.sendline("y")
    child.expect_exact("Name")
    child.sendline("Cy Okafor")
    child.expect_exact("Role")
    child.sendline("Product manager")
    child.expect_exact("Responsible")
    child.sendline("bo, cy")
    child.expect_exact("saved")
    child.expect_exact("[d]one")
    child.send("q")
    child.expect_exact("RACI switch-off: A cy, R bo, cy")
    assert _ended(child) == 0
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["raci"]["switch-off"] == {"R": ["bo", "cy"], "A": "cy"}
    assert data["team"]["cy"] == {"name": "Cy Okafor", "role": "Product manager"}
    assert "# Who is who." in file.read_text(encoding="utf-8")


def test_cost_walk_checks_each_number_and_shows_the_projection(tmp_path: Path) -> None:
    text = "version: 1  # cost only\nproject: {name: Claims Bot}\nchecklists: {use: [cost]}\nteam: {ana: {name: Ana}}\n"
    file = _project(tmp_path, text)
    child = _assess(file, "--category", "cost")
    child.expect_exact("there is no cost model yet")
    child.sendline("y")
    child.expect_exact("Requests per day today")
    child.sendline("-5")
    child.expect_exact("it must be at least 0")
    child.sendline("lots")
    child.expect_exact("'lots' is not a number")
    child.sendline("inf")  # a float to Python, and once crashed the walk
    child.expect_exact("'inf' is not a finite number")
    child.sendline("1e13")  # the schema's ceiling: the walk never saves what the next check refuses
    child.expect_exact("it must be at most 1,000,000,000,000")
    child.sendline("4000")
    answers = ["0.25", "1800", "350", "3", "15", "0.2", "1200", "6000", "3"]
    for answer in answers:
        child.expect_exact(": ")
        child.sendline(answer)
    child.expect_exact("cost projection over 3 months")
    child.expect_exact("Save this cost model?")
    child.sendline("")
    child.expect_exact("saved")
    child.expect_exact("[d]one")
    child.send("q")
    assert _ended(child) == 0
    cost = yaml.safe_load(file.read_text(encoding="utf-8"))["cost"]
    assert cost["requests_per_day"] == 4000 and cost["tokens"] == {"input": 1800, "output": 350}
    assert cost["price_per_million"] == {"input": 3, "output": 15} and cost["budget_monthly"] == 6000
    assert "# cost only" in file.read_text(encoding="utf-8")
    load(file)


def test_assess_without_a_terminal_says_so_and_exits_2_at_once(tmp_path: Path) -> None:
    file = _project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "assess", str(file)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert file.read_text(encoding="utf-8") == ASSESSMENT


def test_init_at_a_terminal_asks_and_writes_a_valid_commented_file(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "init")
    child.expect_exact("Project name")
    child.sendline("Claims Bot")
    child.expect_exact("description")
    child.sendline("Drafts claim decisions for adjusters")
    child.expect_exact("Where is it now?")
    child.sendline("pilot")
    child.expect_exact("Which stage should this gate?")
    child.sendline("")
    child.expect_exact("Does it call a large language model? (y/n)")
    child.sendline("y")
    for _ in range(3):  # agents, retrieval, personal data
        child.expect_exact("(y/n)")
        child.sendline("n")
    child.expect_exact("Do people in the EU use it, or are they affected by it? (y/n)")
    child.sendline("y")
    # Asked because people in the EU use it; Enter keeps what most systems that talk to people are.
    child.expect_exact("Its class under the EU AI Act?")
    child.expect_exact("[limited]")
    child.sendline("")
    for _ in range(4):  # tenants, public use, own GPUs, own training
        child.expect_exact("(y/n)")
        child.sendline("n")
    child.expect_exact("How much harm can a wrong output do (your own rating)?")
    child.sendline("high")
    child.expect_exact("Team member id")
    child.sendline("ana")
    child.expect_exact("Name")
    child.sendline("Ana Diaz")
    child.expect_exact("Role")
    child.sendline("ML lead")
    child.expect_exact("Team member id")
    child.sendline("")
    child.expect_exact("Wrote readiness.yaml")
    assert _ended(child) == 0
    file = tmp_path / "readiness.yaml"
    loaded = load(file)
    project = loaded.assessment.project
    assert (project.name, project.description) == ("Claims Bot", "Drafts claim decisions for adjusters")
    assert project.stage is not None and project.stage.value == "pilot" and project.target.value == "production"
    assert project.profile == {
        "llm": True,
        "agentic": False,
        "rag": False,
        "personal_data": False,
        "eu_users": True,
        "eu_ai_act": "limited",
        "multi_tenant": False,
        "public_facing": False,
        "self_hosted": False,
        "trains_models": False,
        "risk": "high",
    }
    assert [m.id for m in loaded.assessment.team] == ["ana"]
    assert "# it calls a large language model" in file.read_text(encoding="utf-8")


def test_init_in_a_script_takes_flags_never_prompts_and_never_overwrites(tmp_path: Path) -> None:
    def init(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "readiness", "init", *args],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    done = init("--name", "Claims Bot", "--profile", "llm=yes,risk=medium", "--member", "ana:Ana Diaz:ML lead")
    assert done.returncode == 0, done.stderr
    file = tmp_path / "readiness.yaml"
    first = file.read_text(encoding="utf-8")
    loaded = load(file)
    assert loaded.assessment.project.profile == {"llm": True, "risk": "medium"}
    assert "    # agentic: true" in first  # a commented example, to uncomment if it holds
    again = init("--name", "Other")
    assert again.returncode == 2 and "already exists; pass --force" in again.stderr
    assert file.read_text(encoding="utf-8") == first
    bad = init("--force", "--profile", "llm=maybe")
    assert bad.returncode == 2 and "llm must be yes or no, not 'maybe'" in bad.stderr
    bad = init("--force", "--profile", "eu_users=yes,eu_ai_act=severe")
    assert "eu_ai_act must be one of prohibited, high, limited, minimal, gpai, not 'severe'" in bad.stderr
    assert bad.returncode == 2
    assert file.read_text(encoding="utf-8") == first
    assert init("--force", "--name", "Other").returncode == 0
    assert "name: Other" in file.read_text(encoding="utf-8")


def test_starter_for_every_profile_answer_validates(tmp_path: Path) -> None:
    from readiness.edit.starter import Member, Starter, starter_text

    tricky = Starter(
        name="Yes",  # a YAML 1.1 boolean if written plain
        description='Says "no": 100% sure #not-a-comment',
        stage="prototype",
        target="scale",
        profile={"llm": False, "risk": "low"},
        team=[Member("a.b-c", "O'Brien: the lead", "on: call")],
    )
    file = tmp_path / "readiness.yaml"
    file.write_text(starter_text(tricky), encoding="utf-8")
    assessment = load(file).assessment
    assert assessment.project.name == "Yes"
    assert assessment.project.description == 'Says "no": 100% sure #not-a-comment'
    assert [(m.id, m.name, m.role) for m in assessment.team] == [("a.b-c", "O'Brien: the lead", "on: call")]


PROBED_PACK = """\
id: ops
title: Operations
items:
  - id: runbook
    title: Runbook for the feature
    question: Is there a runbook with detection, mitigation and escalation?
    why: Nobody guesses at 3am.
    verify: runbooks/*.md
    severity: major
    stage: prototype
    effort: low
    auto:
      probe: runbook
      files: ["runbooks/*.md"]
      expect: {required: [detection, mitigation, escalation]}
"""
THIN_RUNBOOK = """\
# Claims Bot runbook

## Detection

The claims-error-rate alert pages the on-call engineer when more than 2 % of drafts fail for 10 minutes.

## Mitigation

TODO
"""


def test_the_walk_shows_what_the_probe_read_and_offers_the_files_it_found(tmp_path: Path) -> None:
    file = _project(
        tmp_path,
        ASSESSMENT.replace(
            "raci:\n  on-call: {R: [bo], A: ana}\n  switch-off: {R: [bo], A: bo}   # Bo owns the flag\n", ""
        ),
    )
    (file.parent / "ops.yaml").write_text(PROBED_PACK, encoding="utf-8")
    (file.parent / "runbooks").mkdir()
    (file.parent / "runbooks" / "claims.md").write_text(THIN_RUNBOOK, encoding="utf-8")
    child = _assess(file)
    child.expect_exact("Runbook for the feature")
    child.expect_exact("Probe runbook: contradicts a done")
    child.expect_exact("✗ runbooks/claims.md:")  # the finding, at the runbook's line
    child.expect_exact("[d]one")
    child.send("d")
    child.expect_exact("Found by name, not proof: runbooks/claims.md; '+' adds them.")
    child.expect_exact("evidence:")
    child.sendline("+")
    child.expect_exact("added runbooks/claims.md")
    child.expect_exact("evidence:")
    child.sendline("")
    child.expect_exact("Note")
    child.sendline("")
    child.expect_exact("saved: done (unverified)")
    assert _answers(file)["ops.runbook"]["evidence"] == ["runbooks/claims.md"]
    child.expect_exact("Open items left: 1")  # the probe's finding stands against the claim
    assert _ended(child) == 0
