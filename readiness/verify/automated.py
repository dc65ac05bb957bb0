"""Whether a claim can be taken at its word: automated checks, evidence doubts and the evidence index.

Pure: the file system was looked at before (readiness/verify/evidence.py); this only judges what was found.
"""

from __future__ import annotations

from datetime import date

from readiness.core.model import (
    Answer,
    AutoResult,
    CostProjection,
    EvidenceEntry,
    Facts,
    Item,
    ItemResult,
    PathCheck,
    Policy,
    ProbeOutcome,
    ProbeRun,
    RaciReport,
    Severity,
)
from readiness.verify import cost as cost_model


def automated(item: Item, raci: RaciReport, projection: CostProjection | None) -> AutoResult | None:
    """The checks of the item that read the assessment itself (RACI, cost), passed only when all of them pass.

    Globs are not among them: a file's name proves nothing, so what they find is only a candidate (see
    `candidates`), and what a file says is the probe's to judge (verify/probes/).
    """
    check = item.auto
    if check is None or not (check.raci or check.cost):
        return None
    failures, passes = [], []
    if check.raci:
        broken = [finding.message for activity in check.raci for finding in raci.broken(activity)]
        if broken:
            failures.append("RACI: " + "; ".join(broken))
        else:
            passes.append("RACI well-formed for " + ", ".join(check.raci))
    if check.cost:
        if projection is None:
            failures.append("no cost model in readiness.yaml (add a 'cost' section)")
        elif projection.budget is None:
            failures.append("the cost model has no budget_monthly to check against")
        elif projection.expected.over_budget:
            failures.append(cost_model.budget_sentence(projection))
        else:
            passes.append(cost_model.budget_sentence(projection))
    return AutoResult(False, "; ".join(failures)) if failures else AutoResult(True, "; ".join(passes))


def candidates(item: Item, facts: Facts) -> tuple[str, ...]:
    """The files the item's globs found, offered as evidence; they earn nothing by their names."""
    return tuple(sorted({path for check in facts.auto_files.get(item.id, ()) for path in check.matches}))


def verified(auto: AutoResult | None, probe: ProbeRun | None) -> bool:
    """An automated check or a probe holds, and none contradicts it."""
    if (auto is not None and not auto.passed) or (probe is not None and probe.outcome is ProbeOutcome.FAILS):
        return False
    return (auto is not None and auto.passed) or (probe is not None and probe.outcome is ProbeOutcome.HOLDS)


def probe_doubt(probe: ProbeRun) -> str:
    """The finding that contradicts a claim, where it was read."""
    first = probe.failures[0] if probe.failures else probe.findings[0]
    more = len(probe.failures) - 1
    also = f" (and {more:,} more)" if more > 0 else ""
    return f"the {probe.kind} probe contradicts it: {first.file}:{first.line}: {first.message}{also}"


def doubts_about(
    item: Item,
    severity: Severity,
    answer: Answer,
    auto: AutoResult | None,
    probe: ProbeRun | None,
    facts: Facts,
    policy: Policy,
    today: date,
) -> tuple[str, ...]:
    """Why a claimed `done` cannot be taken at its word."""
    doubts = []
    proven = verified(auto, probe)
    if item.evidence_required and not answer.evidence and not proven:
        doubts.append("evidence is required and none is given")
    for check in facts.evidence.get(item.id, ()):
        if not check.found:
            doubts.append(f"evidence '{check.entry}' not found")
    if stale(answer.reviewed, policy, today):
        doubts.append(f"evidence last reviewed {answer.reviewed}, over {policy.max_evidence_age_days} days ago")
    if auto is not None and not auto.passed:
        doubts.append(f"automated check fails: {auto.detail}")
    if probe is not None and probe.outcome is ProbeOutcome.FAILS:
        doubts.append(probe_doubt(probe))
    wanted = policy.require_verified
    kind = item.auto.probe if item.auto else None
    required = wanted is not None and kind is not None and severity.rank <= wanted.rank
    if required and not proven and (probe is None or probe.outcome is ProbeOutcome.NOTHING):
        said = "found nothing to read" if probe is None or not probe.judged else "found nothing it could judge"
        doubts.append(f"policy require_verified: the {kind} probe must hold for a {severity.value} item; it {said}")
    return tuple(doubts)


def stale(reviewed: str | None, policy: Policy, today: date) -> bool:
    return reviewed is not None and (today - date.fromisoformat(reviewed)).days > policy.max_evidence_age_days


def evidence_index(
    items: tuple[ItemResult, ...], facts: Facts, policy: Policy, today: date
) -> tuple[EvidenceEntry, ...]:
    """Every evidence entry of every answer, in item order."""
    entries: list[EvidenceEntry] = []
    for result in items:
        answer = result.answer
        reviewed = answer.reviewed if answer else None
        for check in facts.evidence.get(result.item.id, ()):
            entries.append(EvidenceEntry(result.item.id, check, _status(check, reviewed, policy, today), reviewed))
    return tuple(entries)


def _status(check: PathCheck, reviewed: str | None, policy: Policy, today: date) -> str:
    if check.kind != "url" and not check.found:
        return "missing"
    if stale(reviewed, policy, today):
        return "stale"
    return "link" if check.kind == "url" else "found"
