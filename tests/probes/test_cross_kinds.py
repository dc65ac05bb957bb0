"""Every probe on every artifact of every other kind: a real file of another format never earns credit, and no
file makes a probe raise. The credentials probe is left out of the first promise: any text without a key holds
for it, by design."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readiness.verify.probes import run as runner
from readiness.verify.probes.common import Artifact, Outcome
from tests.probes.artifacts import ARTIFACTS

# Parameters a pack could give each kind; loose thresholds, so that only the format can stop a pass.
EXPECT: dict[str, dict[str, Any]] = {
    "ci-eval-gate": {"command": ["pytest"]},
    "codeowners": {"paths": ["prompts/"]},
    "credentials": {},
    "golden-set": {"min_rows": 1},
    "inspect-log": {"pass_rate": 0.5},
    "jmeter-statistics": {"p95_ms": 500, "error_rate": 0.01},
    "junit-xml": {"pass_rate": 0.5},
    "k6-summary": {"p95_ms": 500, "error_rate": 0.01, "peak_concurrency": 100},
    "lineage": {},
    "lm-eval-results": {"pass_rate": 0.5},
    "locust-stats": {"p95_ms": 500, "error_rate": 0.01},
    "model-card": {},
    "openslo": {"availability": 0.99},
    "otel-collector": {"traces_exported": True},
    "prometheus-alert": {"signal": "drift"},
    "promptfoo-results": {"pass_rate": 0.5},
    "runbook": {},
    "sloth": {"availability": 0.99},
    "terraform-budget": {},
}
# The folder of tests/artifacts/ that holds each kind's own files.
FOLDER = {"ci-eval-gate": "ci-config", "prometheus-alert": "prometheus-rules"}
FILES = sorted(
    path for path in ARTIFACTS.rglob("*") if path.is_file() and path.name not in ("ABOUT.md", "expected.yaml")
)


def test_every_kind_has_parameters_here() -> None:
    assert set(EXPECT) == set(runner.KINDS)


@pytest.mark.parametrize("kind", sorted(runner.KINDS))
def test_no_file_of_another_kind_earns_credit_and_none_raises(kind: str) -> None:
    module = runner.probe_module(kind)
    own = ARTIFACTS / FOLDER.get(kind, kind)
    credited = []
    for path in FILES:
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
        report = module.probe(Artifact(path.name, text), EXPECT[kind])
        if report.outcome is Outcome.HOLDS and not path.is_relative_to(own) and kind != "credentials":
            credited.append(str(path.relative_to(ARTIFACTS)))
    assert credited == []


def test_the_files_cover_every_kind() -> None:
    folders = {path.name for path in ARTIFACTS.iterdir() if path.is_dir()}
    assert {FOLDER.get(kind, kind) for kind in runner.KINDS} <= folders
    assert len(FILES) > 250 and all(isinstance(path, Path) for path in FILES)
