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
from datetime import date
from pathlib import Path
from typing import Any

from readiness.core.model import Assessment, Catalog, ProbeRun
from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import read_bytes
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report
from readiness.verify.reuse import Reuse

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
MAX_FILES = 200
MAX_FINDINGS = 50
BUDGET_SECONDS = 2.0  # for one item's probe
TOTAL_SECONDS = 6.0  # for every probe of one assessment
# The values of the assessment a pack's threshold may name instead of a number.
NAMED_VALUES = (
    "targets.latency_p95_ms",
    "targets.error_rate",
    "targets.peak_concurrency",
    "targets.eval_pass_rate",
    "targets.availability",
    "targets.max_eval_age_days",
    "targets.golden_min_rows",
    "cost.budget_monthly",
)


def run_all(
    catalog: Catalog,
    candidates: Mapping[str, Sequence[str]],
    assessment: Assessment,
    folder: Path,
    root: Root,
    today: date,
    reuse: Reuse | None = None,
) -> dict[str, ProbeRun]:
    """The probe of every item that declares one, over the files its globs found (`candidates`, by item id).

    An item whose globs found nothing gets a run that read nothing: "nothing found" says so and leaves the item to
    the team's answer. The runs share one time budget; an item reached after it is spent is said to be unread,
    never judged. With `reuse`, a probe already run in this run on the same files with the same parameters is
    not run again.
    """
    runs: dict[str, ProbeRun] = {}
    deadline = time.monotonic() + TOTAL_SECONDS
    for item in catalog.items:
        check = item.auto
        if check is None or check.probe is None or item.disabled is not None:
            continue
        paths = candidates.get(item.id, ())
        if not paths:
            runs[item.id] = ProbeRun(check.probe, Outcome.NOTHING, ())
            continue
        expect, unset = resolved(check.expect, assessment, today, check.probe)
        said = [Finding(paths[0], 1, 1, f"{value} is not set in the assessment: not judged", None) for value in unset]
        if unset and not _judgeable(check.probe, check.expect, expect):
            runs[item.id] = ProbeRun(check.probe, Outcome.NOTHING, tuple(said), (), len(paths))
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            message = f"not read: the probes' time budget of {TOTAL_SECONDS:g} s was spent"
            runs[item.id] = ProbeRun(
                check.probe, Outcome.NOTHING, (Finding(paths[0], 1, 1, message, None),), (), len(paths)
            )
            continue
        budget = min(BUDGET_SECONDS, remaining)
        key = None if reuse is None else reuse.run_key(check.probe, paths, str(folder), str(root.path), expect)
        found = None if reuse is None or key is None else reuse.runs.get(key)
        if found is None:
            found = run(check.probe, paths, folder, root, expect, budget)
            if reuse is not None and key is not None:
                reuse.runs[key] = found
        findings = _capped([*found.findings, *said], found.outcome) if said else found.findings
        runs[item.id] = ProbeRun(found.kind, found.outcome, findings, found.judged, found.left)
    return runs


def resolved(
    expect: Mapping[str, Any], assessment: Assessment, today: date, kind: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The pack's parameters with each named value read from the assessment (those it lacks are left out and
    listed), and today's date for the probes that judge an artifact's age."""
    values: dict[str, Any] = {}
    unset: list[str] = []
    for key, value in expect.items():
        if isinstance(value, str) and value in NAMED_VALUES:
            section, name = value.split(".", 1)
            source = assessment.targets if section == "targets" else (assessment.cost or {})
            if source.get(name) is None:
                unset.append(value)
                continue
            value = source[name]
        values[key] = value
    if "today" in probe_module(kind).EXPECT_SCHEMA["properties"]:
        values["today"] = today.isoformat()
    return values, tuple(unset)


def _judgeable(kind: str, written: Mapping[str, Any], expect: Mapping[str, Any]) -> bool:
    """Whether the parameters left after unset values were dropped still ask the probe something: none that the
    kind requires is missing, and one of those the pack wrote is left."""
    schema = probe_module(kind).EXPECT_SCHEMA
    if any(key not in expect for key in schema.get("required", ())):
        return False
    return any(key in expect for key in written)


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
    # A kind whose tools read one file of several (a forge reads the first CODEOWNERS it finds) picks it.
    select = getattr(module, "select", None)
    passed_over: list[str] = []
    if select is not None:
        chosen = select(ordered, expect)
        passed_over, ordered = [path for path in ordered if path not in chosen], chosen
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
        try:
            reports.append(module.probe(Artifact(path, text), expect))
        except Exception as error:
            # A probe's own bug must not let a pull request's file fail the run with exit 3: said, not judged.
            message = f"not judged: the {kind} probe failed on this file ({type(error).__name__}); please report it"
            said.append(Finding(path, 1, 1, message, None))
            continue
        judged.append(path)
    left = len(ordered) - len(judged) - len(said)
    unread = left + len(said)  # not judged: over the limit, past the time budget, not readable, or failed
    message = "not read: the tool that uses such a file reads another one, or none at this place"
    said += [Finding(path, 1, 1, message, None) for path in passed_over]
    mode = getattr(module, "COMBINE", "all")
    outcome = _combined([report.outcome for report in reports], mode)
    if outcome is Outcome.HOLDS and mode == "all" and unread:
        # Where every file must hold, a file not read (over the limit, past the time budget, not readable)
        # may be the one that fails: what was read holds, but the item is not verified.
        outcome = Outcome.NOTHING
        said.append(Finding((judged or ordered)[0], 1, 1, f"{unread:,} of the files were not read: not verified", None))
    findings = [finding for report in reports for finding in report.findings] + said
    return ProbeRun(kind, outcome, _capped(findings, outcome), tuple(judged), left)


def _combined(outcomes: list[Outcome], mode: str) -> Outcome:
    """`all`: one failing file contradicts (results: a load test, an eval run). `any`: one file that holds is
    enough (coverage: the alert for a signal may sit in any of the rule files)."""
    if mode == "any" and Outcome.HOLDS in outcomes:
        return Outcome.HOLDS
    if Outcome.FAILS in outcomes:
        return Outcome.FAILS
    return Outcome.HOLDS if Outcome.HOLDS in outcomes else Outcome.NOTHING


def _capped(findings: list[Finding], outcome: Outcome = Outcome.FAILS) -> tuple[Finding, ...]:
    """What decided the outcome first: the failures (or, where one file that holds is enough and one does, what
    holds), then the rest, then what is only said; the first MAX_FINDINGS, then how many more."""
    rank = {True: 0, False: 1, None: 2} if outcome is Outcome.HOLDS else {False: 0, True: 1, None: 2}
    ordered = sorted(findings, key=lambda f: (rank[f.holds], f.file, f.line, f.column))
    if len(ordered) <= MAX_FINDINGS:
        return tuple(ordered)
    rest = len(ordered) - MAX_FINDINGS
    last = ordered[MAX_FINDINGS - 1]
    return (*ordered[:MAX_FINDINGS], Finding(last.file, last.line, last.column, f"and {rest:,} more findings", None))
