"""Running a probe over the files a pack's globs found, in a real project folder: reading within the project's
rules, combining several files, and the bounds a hostile checkout cannot push past."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from readiness.load.containment import Root
from readiness.verify.probes import run as runner
from readiness.verify.probes.common import Outcome
from tests.probes.artifacts import ARTIFACTS

K6 = {"p95_ms": 500, "error_rate": 0.01, "peak_concurrency": 100}
ALERT = {"signal": "drift"}


def _project(tmp_path: Path, kind: str, names: dict[str, str]) -> tuple[Path, Root]:
    """A git-less project whose files are artifacts of `kind`, copied to the paths given (path → fixture)."""
    folder = tmp_path / "project"
    for path, name in names.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / kind / name, target)
    folder.mkdir(exist_ok=True)
    return folder, Root.of(folder / "readiness.yaml")


def test_a_load_test_that_fails_contradicts_one_that_passes(tmp_path: Path) -> None:
    files = {"load/before.json": "pass-export-with-thresholds.json", "load/after.json": "fail-error-rate-minified.json"}
    folder, root = _project(tmp_path, "k6-summary", files)
    done = runner.run("k6-summary", list(files), folder, root, K6)
    assert done.outcome is Outcome.FAILS
    assert done.judged == ("load/after.json", "load/before.json")
    assert done.findings[0].file == "load/after.json" and done.findings[0].holds is False


def test_one_rule_file_with_the_alert_is_enough(tmp_path: Path) -> None:
    files = {"alerts/drift.yaml": "pass-drift-alert.yaml", "alerts/other.yaml": "fail-drift-no-severity.yaml"}
    folder, root = _project(tmp_path, "prometheus-rules", files)
    done = runner.run("prometheus-alert", list(files), folder, root, ALERT)
    assert done.outcome is Outcome.HOLDS
    assert any(f.file == "alerts/other.yaml" and f.holds is False for f in done.findings)


def test_empty_files_named_like_evidence_earn_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "load").mkdir(parents=True)
    (folder / "load" / "summary.json").write_text("", encoding="utf-8")
    (folder / "load" / "results.json").write_text("{}\n", encoding="utf-8")
    done = runner.run("k6-summary", ["load/summary.json", "load/results.json"], folder, Root.of(folder), K6)
    assert done.outcome is Outcome.NOTHING
    assert not any(f.holds for f in done.findings)


def test_a_file_that_cannot_be_read_is_said_and_never_judged(tmp_path: Path) -> None:
    folder, root = _project(tmp_path, "k6-summary", {"load/ok.json": "pass-export-with-thresholds.json"})
    outside = tmp_path / "outside.json"
    shutil.copyfile(ARTIFACTS / "k6-summary" / "fail-error-rate-minified.json", outside)
    (folder / "load" / "link.json").symlink_to(outside)
    os.mkfifo(folder / "load" / "pipe.json")
    done = runner.run("k6-summary", ["load/ok.json", "load/link.json", "load/pipe.json"], folder, root, K6)
    # The failing summary outside the project is never read; what was read holds, but files left unread keep it
    # from verifying anything.
    assert done.outcome is Outcome.NOTHING
    assert done.judged == ("load/ok.json",)
    assert "2 of the files were not read: not verified" in [f.message for f in done.findings]
    said = {f.file: f.message for f in done.findings if f.holds is None}
    assert said["load/pipe.json"] == "not read: is not a regular file"
    assert said["load/link.json"].startswith("not read:")


def test_the_files_read_and_the_findings_shown_are_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "prompts").mkdir(parents=True)
    leaked = (ARTIFACTS / "credentials" / "fail-openai-key-in-prompt.txt").read_text(encoding="utf-8")
    key = next(word for word in leaked.split() if word.startswith("sk-proj-"))  # made up, in OpenAI's shape
    paths = []
    for number in range(runner.MAX_FILES + 10):
        path = f"prompts/p{number:03}.txt"
        (folder / path).write_text(f"You are helpful.\nkey: {key}\n" * 3, encoding="utf-8")
        paths.append(path)
    done = runner.run("credentials", paths, folder, Root.of(folder), {})
    assert len(done.judged) == runner.MAX_FILES and done.left == 10
    assert done.outcome is Outcome.FAILS
    assert len(done.findings) == runner.MAX_FINDINGS + 1
    assert done.findings[-1].message.startswith("and ") and done.findings[-1].holds is None
    assert not any(key in f.message for f in done.findings)


def test_past_the_time_budget_the_rest_is_left_and_counted(tmp_path: Path) -> None:
    files = {f"load/run{n}.json": "pass-export-with-thresholds.json" for n in range(3)}
    folder, root = _project(tmp_path, "k6-summary", files)
    done = runner.run("k6-summary", list(files), folder, root, K6, budget=0)
    assert done.judged == ("load/run0.json",) and done.left == 2


def test_only_the_kinds_in_the_table_can_be_run(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no probe of kind 'os'"):
        runner.run("os", [], tmp_path, Root.of(tmp_path), {})


@pytest.mark.parametrize("kind", sorted(runner.KINDS))
def test_every_kind_names_a_probe_module(kind: str) -> None:
    module = runner.probe_module(kind)
    assert kind == module.KIND
    assert module.EXPECT_SCHEMA["type"] == "object"
    assert getattr(module, "COMBINE", "all") in ("all", "any")
