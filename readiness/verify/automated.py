"""Whether a claim can be taken at its word: automated checks, evidence doubts and the evidence index.

Pure: the file system was looked at before (readiness/verify/evidence.py); this only judges what was found.
"""

from __future__ import annotations

from datetime import date

from readiness.core.model import (
    NOT_SCORED,
    Answer,
    AutoResult,
    CostProjection,
    EvidenceEntry,
    Facts,
    Item,
    ItemResult,
    PathCheck,
    Policy,
    RaciReport,
)
from readiness.verify import cost as cost_model


def automated(item: Item, facts: Facts, raci: RaciReport, projection: CostProjection | None) -> AutoResult | None:
    """Every automated check of the item, passed only when all of them pass."""
    check = item.auto
    if check is None:
        return None
    failures, passes = [], []
    if check.files:
        found = sorted({path for c in facts.auto_files.get(item.id, ()) for path in c.matches})
        if found:
            more = f" and {len(found) - 3:,} more" if len(found) > 3 else ""
            passes.append("found " + ", ".join(found[:3]) + more)
        else:
            failures.append("no file matches " + ", ".join(check.files))
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


def doubts_about(
    item: Item, answer: Answer, auto: AutoResult | None, facts: Facts, policy: Policy, today: date
) -> tuple[str, ...]:
    """Why a claimed `done` cannot be taken at its word."""
    doubts = []
    proven = auto is not None and auto.passed
    if item.evidence_required and not answer.evidence and not proven:
        doubts.append("evidence is required and none is given")
    for check in facts.evidence.get(item.id, ()):
        if not check.found:
            doubts.append(f"evidence '{check.entry}' not found")
    if stale(answer.reviewed, policy, today):
        doubts.append(f"evidence last reviewed {answer.reviewed}, over {policy.max_evidence_age_days} days ago")
    if auto is not None and not auto.passed:
        doubts.append(f"automated check fails: {auto.detail}")
    return tuple(doubts)


def stale(reviewed: str | None, policy: Policy, today: date) -> bool:
    return reviewed is not None and (today - date.fromisoformat(reviewed)).days > policy.max_evidence_age_days


def evidence_index(
    items: tuple[ItemResult, ...], facts: Facts, policy: Policy, today: date
) -> tuple[EvidenceEntry, ...]:
    """Every evidence entry of every answer, then what the automated globs found, in item order."""
    entries: list[EvidenceEntry] = []
    for result in items:
        answer = result.answer
        reviewed = answer.reviewed if answer else None
        for check in facts.evidence.get(result.item.id, ()):
            entries.append(EvidenceEntry(result.item.id, check, _status(check, reviewed, policy, today), reviewed))
        for check in facts.auto_files.get(result.item.id, ()):
            if result.outcome not in NOT_SCORED:
                entries.append(EvidenceEntry(result.item.id, check, "found" if check.found else "missing"))
    return tuple(entries)


def _status(check: PathCheck, reviewed: str | None, policy: Policy, today: date) -> str:
    if check.kind != "url" and not check.found:
        return "missing"
    if stale(reviewed, policy, today):
        return "stale"
    return "link" if check.kind == "url" else "found"
