"""Reading only inside the project (DESIGN §3.4, §5a), attacked as a pull request would attack it.

In CI, the checkout is written by the pull request's author, symlinks included. Each test builds a real git
checkout in tmp_path, plants what an attacker would commit, and runs `readiness` as CI does, in its own
process. A file outside the checkout holds a secret: it must never reach stdout or stderr, and the refusal
must read the same whether the file outside exists or not (else the run would tell which files exist).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.load.containment import Refused, Root, open_regular
from tests.conftest import TODAY, Run, git

SECRET = "SECRET-4242 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ"
ASSESSMENT = "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [ownership]}\n"
DIAGNOSTIC = re.compile(r"^.+?:\d+:\d+: (error|warning): \$\S*: .+$")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def readiness(folder: Path, *args: str | Path) -> Run:
    """`readiness ARGS…` in its own process, in `folder`, as a CI step runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "readiness", *(str(a) for a in args)],
        cwd=folder,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def checkout(tmp_path: Path, name: str = "checkout") -> Path:
    """A git work tree, as CI checks a pull request out."""
    folder = tmp_path / name
    folder.mkdir()
    git(folder, "init", "-q")
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder elsewhere on the machine, with a secret file in it."""
    folder = tmp_path / "elsewhere"
    (folder / "sub").mkdir(parents=True)
    (folder / "secret.yaml").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def refused_alike(present: Run, missing: Run) -> str:
    """The refusal of a link whose target exists, checked against the one whose target does not; returns it."""
    assert present.code == missing.code == 2, present.err + missing.err
    assert SECRET not in present.out + present.err
    assert present.err == missing.err, "the refusal tells whether the file outside exists"
    assert all(DIAGNOSTIC.match(line) for line in present.err.splitlines()), present.err
    return present.err


# --- the assessment named on the command line ---------------------------------------------------------------

COMMANDS = {
    "check": ["check", "readiness.yaml", "--today", TODAY],
    "check-json": ["check", "readiness.yaml", "-f", "json", "--today", TODAY],
    "report": ["report", "readiness.yaml", "--today", TODAY],
    "validate": ["validate", "readiness.yaml"],
    "cost": ["cost", "readiness.yaml"],
    "diff": ["diff", "readiness.yaml", "readiness.yaml"],
}


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_an_assessment_linked_out_of_the_checkout_is_refused_unread(
    command: str, tmp_path: Path, outside: Path
) -> None:
    folder = checkout(tmp_path)
    link = folder / "readiness.yaml"
    link.symlink_to(outside / "secret.yaml")
    present = readiness(folder, *COMMANDS[command])
    link.unlink()
    link.symlink_to(outside / "no-such-file.yaml")
    missing = readiness(folder, *COMMANDS[command])
    err = refused_alike(present, missing)
    assert (
        f"readiness.yaml:1:1: error: $: 'readiness.yaml' is a symlink that leads outside the project root {folder};"
        in (err)
    )


def test_the_default_file_linked_out_is_refused_in_the_same_words_whether_its_target_exists(
    tmp_path: Path, outside: Path
) -> None:
    folder = checkout(tmp_path)
    (folder / "readiness.yaml").symlink_to(outside / "secret.yaml")
    present = readiness(folder, "check")
    (folder / "readiness.yaml").unlink()
    (folder / "readiness.yaml").symlink_to(outside / "gone.yaml")
    assert "symlink that leads outside the project root" in refused_alike(present, readiness(folder, "check"))


def test_a_checkout_folder_that_links_to_another_repository_does_not_become_the_root(tmp_path: Path) -> None:
    """`readiness check service/readiness.yaml`, where the pull request made `service` a link to another git
    repository on the runner: that repository is not the project, whatever its own .git says."""
    other = checkout(tmp_path, "other-repository")
    (other / "readiness.yaml").write_text(ASSESSMENT + SECRET + ": 1\n", encoding="utf-8")
    folder = checkout(tmp_path)
    (folder / "service").symlink_to(other, target_is_directory=True)
    run = readiness(folder, "check", "service/readiness.yaml", "--today", TODAY)
    assert run.code == 2 and SECRET not in run.out + run.err
    assert run.err == (
        f"service/readiness.yaml:1:1: error: $: 'service/readiness.yaml' goes through the symlink 'service', which "
        f"leads outside the project root {folder}; readiness reads nothing outside it\n"
    )


def test_root_widens_what_may_be_read_for_a_team_that_links_its_assessment_on_purpose(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "readiness.yaml").symlink_to("../shared/readiness.yaml")
    refused = readiness(folder, "check", "--today", TODAY)
    assert refused.code == 2 and "leads outside the project root" in refused.err
    widened = readiness(folder, "check", "--root", "..", "--today", TODAY)
    assert widened.code == 1 and "NOT-READY" in widened.out, widened.err


# --- custom packs ----------------------------------------------------------------------------------------------


def test_a_pack_through_a_link_and_dot_dot_is_refused_unread(tmp_path: Path, outside: Path) -> None:
    """`link/../secret.yaml` is inside the project when read as text; the OS goes up from where `link` leads."""
    folder = checkout(tmp_path)
    (folder / "link").symlink_to(outside / "sub", target_is_directory=True)
    (folder / "readiness.yaml").write_text(
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [ownership], extra: [PACK]}\n",
        encoding="utf-8",
    )

    def run_with(pack: str) -> Run:
        text = (folder / "readiness.yaml").read_text(encoding="utf-8")
        (folder / "readiness.yaml").write_text(re.sub(r"extra: \[.*\]", f"extra: [{pack}]", text), encoding="utf-8")
        return readiness(folder, "check", "--today", TODAY)

    present = run_with("link/../secret.yaml")
    missing = run_with("link/../gone.yaml")
    assert present.code == missing.code == 2
    assert SECRET not in present.out + present.err
    assert present.err == (
        "readiness.yaml:3:40: error: $.checklists.extra[0]: custom pack: 'link/../secret.yaml' goes through the "
        f"symlink 'link', which leads outside the project root {folder}; readiness reads nothing outside it\n"
    )
    assert missing.err.replace("gone", "secret") == present.err


def test_a_pack_linked_out_is_refused_by_validate_too(tmp_path: Path, outside: Path) -> None:
    folder = checkout(tmp_path)
    (folder / "team.yaml").symlink_to(outside / "secret.yaml")
    (folder / "readiness.yaml").write_text(
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [ownership], extra: [team.yaml]}\n",
        encoding="utf-8",
    )
    used = readiness(folder, "validate", "readiness.yaml")
    assert used.code == 2 and SECRET not in used.out + used.err
    # Named in the assessment, a pack is held to the evidence rules first, which name where the link leads.
    assert f"custom pack: 'team.yaml' is a symlink to {outside}/secret.yaml, outside the project root" in used.err
    for args in (["checklists", "lint", "team.yaml"], ["validate", "team.yaml"]):
        run = readiness(folder, *args)
        assert run.code == 2 and SECRET not in run.out + run.err, run.err
        assert run.err == (
            f"team.yaml:1:1: error: $: 'team.yaml' is a symlink that leads outside the project root {folder}; "
            "readiness reads nothing outside it\n"
        )


# --- the baseline --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["check", "readiness.yaml", "--baseline", "old.json"], ["diff", "old.json", "readiness.yaml"]]
)
def test_a_baseline_linked_out_of_the_checkout_is_refused_unread(
    args: list[str], tmp_path: Path, outside: Path
) -> None:
    folder = checkout(tmp_path)
    (folder / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (outside / "base.json").write_text(json.dumps({"schema_version": SECRET}), encoding="utf-8")
    (folder / "old.json").symlink_to(outside / "base.json")
    present = readiness(folder, *args, "--today", TODAY)
    (folder / "old.json").unlink()
    (folder / "old.json").symlink_to(outside / "gone.json")
    err = refused_alike(present, readiness(folder, *args, "--today", TODAY))
    assert err == (
        f"old.json:1:1: error: $: 'old.json' is a symlink that leads outside the project root {folder}; "
        "readiness reads nothing outside it\n"
    )


def test_a_baseline_an_earlier_step_left_outside_the_checkout_is_read(tmp_path: Path) -> None:
    """The command line is CI's own: a baseline it names outside the checkout (e.g. in $RUNNER_TEMP) is read
    inside its own root, so only links committed in the checkout are refused."""
    folder = checkout(tmp_path)
    (folder / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    made = readiness(folder, "check", "-f", "json", "-o", runner_temp / "main.json", "--today", TODAY)
    assert made.code == 1, made.err
    compared = readiness(folder, "check", "--baseline", runner_temp / "main.json", "--today", TODAY)
    assert compared.code == 1 and "error" not in compared.err, compared.err


# --- a portfolio -----------------------------------------------------------------------------------------------


def test_a_portfolio_refuses_assessments_linked_out_alike_and_scores_the_rest(tmp_path: Path, outside: Path) -> None:
    folder = checkout(tmp_path)
    for team in ("good", "present", "missing"):
        (folder / team).mkdir()
    (folder / "good" / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (folder / "present" / "readiness.yaml").symlink_to(outside / "secret.yaml")
    (folder / "missing" / "readiness.yaml").symlink_to(outside / "gone.yaml")
    run = readiness(folder, "portfolio", ".", "-f", "json", "--today", TODAY)
    assert run.code == 2 and SECRET not in run.out + run.err
    data = json.loads(run.out)
    assert [p["path"] for p in data["projects"]] == ["good/readiness.yaml"]
    failed = {f["path"]: f["errors"] for f in data["invalid"]}
    assert failed == {
        f"{team}/readiness.yaml": [
            f"{team}/readiness.yaml:1:1: error: $: '{team}/readiness.yaml' is a symlink that leads outside the "
            f"project root {folder}; readiness reads nothing outside it"
        ]
        for team in ("missing", "present")
    }


# --- a race: a folder swapped for a link between the check and the open ------------------------------------------


def test_a_file_swapped_for_one_outside_after_it_was_checked_is_not_read(tmp_path: Path, outside: Path) -> None:
    """No pull request can race CI, but a local user sharing the machine could: the descriptor opened is checked
    against the file that was checked, so a folder renamed and replaced by a link in between is caught."""
    folder = checkout(tmp_path)
    (folder / "docs").mkdir()
    (folder / "docs" / "secret.yaml").write_text(ASSESSMENT, encoding="utf-8")
    root = Root.of(folder / "readiness.yaml")
    real = root.locate(folder / "docs" / "secret.yaml", "docs/secret.yaml")
    checked = os.stat(real)
    (folder / "docs").rename(folder / "docs-before")
    (folder / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(Refused, match="changed while it was being opened; it was not read"):
        open_regular(real, checked, root, "docs/secret.yaml")
    with pytest.raises(Refused, match="goes through the symlink"):
        root.locate(folder / "docs" / "secret.yaml", "docs/secret.yaml")


# --- file names with control characters met by evidence globs --------------------------------------------------

PACK_WITH_CANDIDATES = """\
id: notes
title: Notes
items:
  - {id: runbook, title: Runbook, question: Is there a runbook?, why: w, verify: v, severity: minor,
     stage: prototype, effort: low, auto: {files: ["**/*.md"]}}
"""


def test_evidence_globs_never_list_a_file_named_with_control_characters(tmp_path: Path) -> None:
    """Names a pull request can commit: ESC sequences that clear and recolour the terminal, a line break that
    would forge a diagnostic line, a bell in a folder's name. None is evidence, a candidate, or printed raw."""
    folder = checkout(tmp_path)
    (folder / "docs" / "notes\a").mkdir(parents=True)
    planted = ["docs/\x1b[2J\x1b[31mowner.md", "docs/x\nreadiness.yaml:1:1: error: $: forged.md", "docs/notes\a/a.md"]
    for name in [*planted, "docs/owner.md"]:
        (folder / name).write_text("Owner: Ann\n", encoding="utf-8")
    (folder / "notes.yaml").write_text(PACK_WITH_CANDIDATES, encoding="utf-8")
    (folder / "readiness.yaml").write_text(
        "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [ownership], extra: [notes.yaml]}\n"
        "answers:\n  ownership.accountable-owner:\n    status: done\n    evidence: ['docs/**/*.md']\n",
        encoding="utf-8",
    )
    runs = {fmt: readiness(folder, "check", "-f", fmt, "--today", TODAY) for fmt in ("text", "json", "markdown")}
    for fmt, run in runs.items():
        assert not CONTROL.search(run.out + run.err), f"{fmt}: a control character reached the output"
        assert all(DIAGNOSTIC.match(line) or line.startswith("readiness: ") for line in run.err.splitlines()), run.err
        assert "forged" not in run.out
    result = json.loads(runs["json"].out)
    matches = {entry["entry"]: entry["matches"] for entry in result["evidence"]}
    assert matches["docs/**/*.md"] == ["docs/owner.md"]
    candidates = {item["id"]: item["candidates"] for item in result["items"]}
    assert candidates["notes.runbook"] == ["docs/owner.md"]  # the pack's candidates
    assert runs["text"].err.splitlines()[0] == (
        "readiness.yaml:7:16: warning: $.answers[\"ownership.accountable-owner\"].evidence[0]: 'docs/**/*.md' "
        "leaves out 3 files whose names hold a control character, such as 'docs/\\u001b[2J\\u001b[31mowner.md': "
        "such a name is never evidence, and it is not listed in any output"
    )
