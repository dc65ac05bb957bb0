"""Running an item's probe over the files its globs found: each read within the project's rules, each judged by
the probe of its kind, the reports combined into one outcome for the item.

The files are the candidates `auto.files` matched (verify/evidence.py found them; nothing here walks the disk).
A file that cannot be read (outside the root, not a regular file, over 5 MB) is said, never judged: the disk's
state is not a property of the artifact. Everything is bounded: at most MAX_FILES files, a time budget checked
between files, and at most MAX_FINDINGS findings shown, then a count of the rest.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import read_bytes
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report

# The kinds a pack may name in `auto.probe`, each with its module: a fixed table, so a pack can only choose among
# our modules (nothing registers itself, and no name from a file reaches the import system).
KINDS: dict[str, str] = {
    "ci-eval-gate": "ciconfig",
    "codeowners": "codeowners",
    "credentials": "credentials",
    "golden-set": "goldenset",
    "inspect-log": "inspect_log",
    "jmeter-statistics": "jmeter",
    "junit-xml": "junit",
    "k6-summary": "k6",
    "lineage": "lineage",
    "lm-eval-results": "lm_eval",
    "locust-stats": "locust",
    "model-card": "modelcard",
    "openslo": "openslo",
    "otel-collector": "otel",
    "prometheus-alert": "prometheus",
    "promptfoo-results": "promptfoo",
    "runbook": "runbook",
    "sloth": "sloth",
    "terraform-budget": "terraform",
}
MAX_FILES = 50
MAX_FINDINGS = 50
BUDGET_SECONDS = 2.0


@dataclass(frozen=True)
class ProbeRun:
    kind: str
    outcome: Outcome
    findings: tuple[Finding, ...]
    judged: tuple[str, ...]  # the files a probe read
    left: int  # files not read: over MAX_FILES, or past the time budget


def probe_module(kind: str) -> Any:
    if kind not in KINDS:
        raise ValueError(f"no probe of kind {kind!r}")
    return importlib.import_module(f"readiness.verify.probes.{KINDS[kind]}")


def run(
    kind: str,
    paths: Sequence[str],
    folder: Path,
    root: Root,
    expect: Mapping[str, Any],
    budget: float = BUDGET_SECONDS,
) -> ProbeRun:
    """The probe of `kind` over `paths` (relative to `folder`, '/'-separated), read within `root`."""
    module = probe_module(kind)
    ordered = sorted(set(paths))
    deadline = time.monotonic() + budget
    reports: list[Report] = []
    judged: list[str] = []
    said: list[Finding] = []
    for path in ordered[:MAX_FILES]:
        if judged and time.monotonic() > deadline:
            break
        try:
            raw = read_bytes(folder / path, path, root)
        except InputError as error:
            first = error.diagnostics[0]
            said.append(Finding(path, 1, 1, f"not read: {first.message}", None))
            continue
        # Bad bytes are kept as surrogates, so that a probe can say where the file stops being UTF-8.
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
        reports.append(module.probe(Artifact(path, text), expect))
        judged.append(path)
    left = len(ordered) - len(judged) - len(said)
    outcome = _combined([report.outcome for report in reports], getattr(module, "COMBINE", "all"))
    findings = [finding for report in reports for finding in report.findings] + said
    return ProbeRun(kind, outcome, _capped(findings), tuple(judged), left)


def _combined(outcomes: list[Outcome], mode: str) -> Outcome:
    """`all`: one failing file contradicts (results: a load test, an eval run). `any`: one file that holds is
    enough (coverage: the alert for a signal may sit in any of the rule files)."""
    if mode == "any" and Outcome.HOLDS in outcomes:
        return Outcome.HOLDS
    if Outcome.FAILS in outcomes:
        return Outcome.FAILS
    return Outcome.HOLDS if Outcome.HOLDS in outcomes else Outcome.NOTHING


def _capped(findings: list[Finding]) -> tuple[Finding, ...]:
    """Failures first, then what holds, then what is said; the first MAX_FINDINGS, then how many more."""
    rank = {False: 0, True: 1, None: 2}
    ordered = sorted(findings, key=lambda f: (rank[f.holds], f.file, f.line, f.column))
    if len(ordered) <= MAX_FINDINGS:
        return tuple(ordered)
    rest = len(ordered) - MAX_FINDINGS
    last = ordered[MAX_FINDINGS - 1]
    return (*ordered[:MAX_FINDINGS], Finding(last.file, last.line, last.column, f"and {rest:,} more findings", None))
