"""A newcomer's first run, as the README tells it: the starter `init` writes, `validate` and `cost` on it, `--help`,
the demo and its copy, the report at a terminal, and the Quick start run line by line in a fresh repository."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.cli.app import app
from readiness.edit.starter import PROFILE_QUESTIONS
from readiness.load.resources import data_dir
from tests.conftest import EXAMPLE, REPO, SARIF_SCHEMA, TODAY, Run, in_terminal

CliRunner = Callable[..., Run]
README = REPO / "README.md"
TODAY_EPOCH = "1795219200"  # 2026-11-21T00:00:00Z
# A commented key: `# cost:` at the top, `    # llm: true,` in the profile.
COMMENTED_KEY = re.compile(r"^(?P<indent>\s*)# (?P<key>[a-z_]+):")


def commented_units(text: str) -> list[tuple[str, list[int]]]:
    """Each commented key of a starter, with the indexes of its lines: the key's own line and the deeper commented
    lines that continue it (a section's body, a flow mapping's second line)."""
    lines = text.splitlines()
    units = []
    index = 0
    while index < len(lines):
        found = COMMENTED_KEY.match(lines[index])
        if found is None:
            index += 1
            continue
        indent = found["indent"]
        block = [index]
        index += 1
        while index < len(lines) and re.match(rf"{indent}#\s\s+\S", lines[index]):
            block.append(index)
            index += 1
        units.append((found["key"], block))
    return units


def uncommented(text: str, block: list[int]) -> str:
    """The text with the `# ` before each of these lines deleted, as a user does in an editor."""
    lines = text.splitlines()
    for index in block:
        lines[index] = re.sub(r"^(\s*)# ", r"\1", lines[index], count=1)
    return "\n".join(lines) + "\n"


def write_starter(cli: CliRunner, folder: Path, *flags: str) -> str:
    run = cli("init", folder / "readiness.yaml", *flags)
    assert run.code == 0, run.err
    return (folder / "readiness.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "flags",
    [(), ("--profile", "llm=yes", "--member", "ana:Ana Diaz:ML lead")],
    ids=["no-flags", "a-profile-key-and-a-member"],
)
def test_each_commented_key_of_the_starter_uncommented_alone_keeps_it_valid(
    cli: CliRunner, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    text = write_starter(cli, tmp_path, *flags)
    assert re.search(r"^  stage: prototype\b", text, re.MULTILINE)
    units = commented_units(text)
    keys = [key for key, _ in units]
    profile_keys = [q.key for q in PROFILE_QUESTIONS if f"{q.key}=" not in " ".join(flags)]
    assert keys[: len(profile_keys)] == profile_keys
    assert {"checklists", "cost", "targets", "policy"} <= set(keys)
    assert ("waivers" in keys) == ("--member" in flags) and ("team" in keys) != ("--member" in flags)
    path = tmp_path / "readiness.yaml"
    for key, block in units:
        path.write_text(uncommented(text, block), encoding="utf-8")
        run = cli("validate", path)
        assert run.code == 0, f"uncommenting {key} alone: {run.err}"
    # One after another, as a user fills the file in: still YAML at every step, and valid at the end.
    for _, block in units:
        text = uncommented(text, block)
        yaml.safe_load(text)
    path.write_text(text, encoding="utf-8")
    assert cli("validate", path).code == 0
    assert "cost" in yaml.safe_load(text) and "targets" in yaml.safe_load(text)


def test_cost_on_a_fresh_file_says_what_to_add_then_projects_it(cli: CliRunner, tmp_path: Path) -> None:
    text = write_starter(cli, tmp_path)
    path = tmp_path / "readiness.yaml"
    run = cli("cost", path)
    assert run.code == 2 and run.out == ""
    assert run.err == (
        f"{path}: error: $: no cost model yet: add a 'cost:' section with your requests a day, tokens and prices "
        "(the starter 'readiness init' writes has one to uncomment), or let 'readiness assess' ask for them\n"
    )
    cost = next(block for key, block in commented_units(text) if key == "cost")
    path.write_text(uncommented(text, cost), encoding="utf-8")
    run = cli("cost", path)
    assert run.code == 0, run.err
    assert "budget" in run.out.lower()


def test_validate_reports_a_broken_version_and_project_with_the_unknown_ids_in_one_run(
    cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "readiness.yaml"
    path.write_text(
        "version: 2\n"
        "project:\n"
        "  nme: X\n"
        "team:\n"
        "  alice: {name: Alice}\n"
        "answers:\n"
        "  data.nonexistent: {status: done}\n"
        "  ownership.accountable-owner: {status: todo, owner: bobb}\n"
        "waivers:\n"
        "  - {item: cost.load-test, reason: r, approved_by: carol, expires: 2027-01-31}\n",
        encoding="utf-8",
    )
    run = cli("validate", path)
    assert run.code == 2
    assert [line.split(": error: ")[1].split(":")[0] for line in run.err.splitlines()] == [
        "$.version",
        "$.project.nme",
        '$.answers["data.nonexistent"]',
        '$.answers["ownership.accountable-owner"].owner',
        "$.waivers[0].approved_by",
    ]
    assert f"{path}:8:54: error: " in run.err and "unknown team id 'bobb'" in run.err


def test_problems_of_the_whole_file_name_it_without_a_made_up_line(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("check")
    assert run.err.startswith("readiness.yaml: error: $: no such file in this folder")
    write_starter(cli, Path("."))
    run = cli("check", "--today", TODAY)
    assert run.code == 1
    assert "line 1:" not in run.out
    assert "no RACI matrix yet: 14 activities have no entry (model-quality, retraining," in " ".join(run.out.split())


# --- --help -----------------------------------------------------------------------------------------------------

NEWCOMERS_ORDER = [
    "demo",
    "scan",
    "init",
    "assess",
    "check",
    "report",
    "validate",
    "cost",
    "checklists",
    "diff",
    "history",
    "portfolio",
    "schema",
]


def command_paths() -> list[list[str]]:
    import typer

    group: Any = typer.main.get_command(app)
    ctx: Any = group.make_context("readiness", ["--help"], resilient_parsing=True)
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        subcommands = getattr(command, "commands", None)
        paths += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return paths


@pytest.fixture
def help_of(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    monkeypatch.setenv("COLUMNS", "80")

    def run(*words: str) -> str:
        done = cli(*words, "--help")
        assert done.code == 0, done.err
        return done.out

    return run


def test_help_lists_every_command_whole_in_a_newcomers_order(help_of: Callable[..., str]) -> None:
    listing = help_of().split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listing] == NEWCOMERS_ORDER
    assert not [line for line in listing if line.endswith("...") or not line.endswith(".")]


def test_help_names_every_value_one_way(help_of: Callable[..., str]) -> None:
    """An option's value is one upper-case word (FILE, STAGE, N), never <path>, <str> or [a|b]."""
    seen = set()
    for path in command_paths():
        for line in help_of(*path).split("Options:\n", 1)[1].splitlines():
            found = re.match(r"^  (?:-\w, )?--[\w-]+ (\S+)", line)
            if found:
                seen.add(found[1])
                assert re.fullmatch(r"[A-Z][A-Z0-9_:=.\[\]-]*", found[1]), f"{' '.join(path)}: {line}"
    assert {"FILE", "DIR", "STAGE", "FORMAT", "YYYY-MM-DD"} <= seen


def test_check_help_lists_the_exit_codes_and_schema_help_its_kinds(help_of: Callable[..., str]) -> None:
    codes = help_of("check").split("Exit codes", 1)[1]
    assert re.findall(r"^ +(\d+) ", codes, re.MULTILINE) == ["0", "1", "2", "3", "130"]
    assert max(len(line) for line in codes.splitlines()) <= 80
    schema = help_of("schema")
    for kind in ("assessment", "checklist", "result"):
        assert re.search(rf"^  {kind}  +\S", schema, re.MULTILINE), kind


def test_readme_copy_of_the_help_is_the_real_one(help_of: Callable[..., str]) -> None:
    text = README.read_text(encoding="utf-8")
    marker = "<!-- readiness --help: tests/test_first_run.py checks this copy against the real output -->\n```text\n"
    copy = text.split(marker, 1)[1].split("```\n", 1)[0]
    assert copy == help_of()


# --- the demo, the report at a terminal, what a clone needs ------------------------------------------------------


def test_demo_copy_gives_an_example_to_edit_that_scores_as_the_bundled_one(cli: CliRunner, tmp_path: Path) -> None:
    run = cli("demo", "-o", tmp_path / "demo.html", "--today", TODAY)
    assert run.code == 0 and "site-packages" not in run.out and str(data_dir("examples")) not in run.out
    assert "readiness demo --copy" in run.out
    copy = tmp_path / "mine"
    run = cli("demo", "--copy", copy)
    assert run.code == 0 and f"cd {copy} && readiness check" in run.out
    bundled = sorted(p.relative_to(EXAMPLE.parent) for p in EXAMPLE.parent.rglob("*") if p.is_file())
    assert sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file()) == bundled
    scored = cli("check", copy / "readiness.yaml", "--today", TODAY, "-f", "json")
    original = cli("check", EXAMPLE, "--today", TODAY, "-f", "json")
    assert re.findall(r'"score": [0-9.]+', scored.out)[:1] == re.findall(r'"score": [0-9.]+', original.out)[:1]
    (copy / "readiness.yaml").write_text("mine\n", encoding="utf-8")
    again = cli("demo", "--copy", copy)
    assert again.code == 2 and "is not empty" in again.err
    assert (copy / "readiness.yaml").read_text(encoding="utf-8") == "mine\n"


def test_report_at_a_terminal_writes_a_file_instead_of_a_page_of_html(tmp_path: Path) -> None:
    code, screen = in_terminal("report", str(EXAMPLE), env={"SOURCE_DATE_EPOCH": TODAY_EPOCH}, cwd=tmp_path)
    assert code == 0
    assert "<html" not in screen.lower() and len(screen) < 200
    written = tmp_path / "readiness-report.html"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_into_a_pipe_still_goes_to_standard_output(cli: CliRunner, tmp_path: Path) -> None:
    run = cli("report", EXAMPLE, "--today", TODAY)
    assert run.code == 0 and run.out.startswith("<!DOCTYPE html>")


def test_the_sarif_schema_is_in_the_repository_unmodified() -> None:
    notice = (SARIF_SCHEMA.parent / "NOTICE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(SARIF_SCHEMA.read_bytes()).hexdigest()
    assert f"SHA-256 `{digest}`" in notice and "Copyright © OASIS Open" in notice


def test_git_ignores_virtual_environments_and_the_demos_output() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"venv/", ".venv/", "/readiness-demo.html", "/readiness-report.html"} <= set(ignored)


# --- the Quick start, line by line -------------------------------------------------------------------------------

QUICK_START = "<!-- quick-start: tests/test_first_run.py runs every line below in a fresh git repository -->\n"


def quick_start_lines() -> list[tuple[str, set[int]]]:
    """Each command line of the README's Quick start, with the exit codes its comment allows (0 unless it names
    others, as in 'exit code 0 ready, 1 not ready')."""
    block = README.read_text(encoding="utf-8").split(QUICK_START, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    found = []
    for line in block.splitlines():
        command, _, comment = line.partition("  # ")
        after = comment.partition("exit")[2] if "exit" in comment else ""
        found.append((command.strip(), {int(code) for code in re.findall(r"\b\d+\b", after)} or {0}))
    return found


def test_the_quick_start_runs_line_by_line_in_a_fresh_repository(tmp_path: Path) -> None:
    scripts = Path(sys.executable).parent
    assert (scripts / "readiness").exists(), "the readiness command is installed beside this Python"
    folder = tmp_path / "your-repo"
    folder.mkdir()
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
        "SOURCE_DATE_EPOCH": TODAY_EPOCH,
        "GIT_AUTHOR_NAME": "Ana Diaz",
        "GIT_AUTHOR_EMAIL": "ana@example.com",
        "GIT_COMMITTER_NAME": "Ana Diaz",
        "GIT_COMMITTER_EMAIL": "ana@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "COLUMNS": "80",
    }
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, env=env, check=True, timeout=30)
    # The repository of a team with an LLM feature, which is who the Quick start is for.
    (folder / "requirements.txt").write_text("fastapi==0.115.0\nopenai==1.54.0\n", encoding="utf-8")
    lines = quick_start_lines()
    assert lines[0] == ("cd your-repo", {0}) and len(lines) > 15
    for command, codes in lines[1:]:  # the fresh repository stands for your-repo
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode in codes, f"{command}: exit {done.returncode}\n{done.stderr}"
        assert "Traceback" not in done.stderr + done.stdout, command
    for made in ("readiness-demo.html", "readiness.yaml", "readiness.html", "READINESS.md", "readiness.schema.json"):
        assert (folder / made).stat().st_size > 0, made
    assert (folder / "example" / "readiness.yaml").is_file()
