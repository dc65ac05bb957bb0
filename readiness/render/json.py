"""The result as JSON: the stable contract for scripts, described by `readiness schema result`."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from readiness import __version__
from readiness.core.model import (
    CostProjection,
    CostScenario,
    EvidenceEntry,
    ItemResult,
    ProbeRun,
    RaciReport,
    Result,
)
from readiness.render import jsontext
from readiness.render.formats import RenderOptions
from readiness.score.provenance import percent, provenance
from readiness.score.scoring import one_decimal, weight_of
from readiness.verify.cost import budget_sentence

SCHEMA_VERSION = "1"
MATCHES_LISTED = 1000  # paths of one evidence entry in the JSON; `match_count` counts them all


def _score(value: Fraction | None) -> float | None:
    return None if value is None else float(one_decimal(value))


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def _item(result: ItemResult) -> dict[str, Any]:
    item, answer = result.item, result.answer
    return {
        "id": item.id,
        "pack": item.pack,
        "title": item.title,
        "severity": result.severity.value,
        "stage": item.stage.value,
        "effort": item.effort.value,
        "weight": _number(weight_of(result)),
        "outcome": result.outcome.value,
        "status": result.status,
        "credit": None if result.credit is None else float(result.credit),
        "unverified": result.unverified,
        "unverified_reasons": list(result.unverified_reasons),
        "owner": result.owner,
        "due": answer.due if answer else None,
        "note": answer.note if answer else "",
        "reason": answer.reason if answer else "",
        "evidence": list(answer.evidence) if answer else [],
        "waived_by": result.waiver.approved_by if result.waiver else None,
        "disabled": item.disabled,
        "why": item.why,
        "verify": item.verify,
        "refs": list(item.refs),
        "line": answer.source.line if answer else None,
        "auto": None if result.auto is None else {"passed": result.auto.passed, "detail": result.auto.detail},
        "source": None if result.source is None else result.source.value,
        "probe": probe_dict(result.probe),
        "candidates": list(result.candidates[:MATCHES_LISTED]),
        "candidate_count": len(result.candidates),
    }


def probe_dict(run: ProbeRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "kind": run.kind,
        "outcome": run.outcome.value,
        "read": list(run.judged),
        "not_read": run.left,
        "findings": [
            {"file": f.file, "line": f.line, "column": f.column, "message": f.message, "holds": f.holds}
            for f in run.findings
        ],
    }


def evidence_dict(entry: EvidenceEntry) -> dict[str, Any]:
    """One entry of the evidence index; `matches` lists at most MATCHES_LISTED paths, `match_count` counts them all.

    A glob such as `logs/**` can match a whole tree: listed in full, 200,000 paths would make a result of some
    10 MB, too big to be read back as a baseline (the limit is 5 MB) and more than any reader of a CI artifact
    wants. The first paths, in order, and the count say what was found; the glob itself finds the rest.
    """
    check = entry.check
    return {
        "item": entry.item,
        "entry": check.entry,
        "kind": check.kind,
        "status": entry.status,
        "matches": list(check.matches[:MATCHES_LISTED]),
        "match_count": len(check.matches),
        "reviewed": entry.reviewed,
        "line": check.source.line,
        "column": check.source.column,
    }


def _cents(value: Fraction) -> float:
    return round(float(value), 2)


def _raci(report: RaciReport) -> dict[str, Any]:
    return {
        "members": list(report.members),
        "activities": [
            {
                "id": row.activity,
                "title": row.title,
                "required": row.required,
                "written": row.written,
                "cells": dict(zip(report.members, row.cells, strict=True)),
            }
            for row in report.rows
        ],
        "findings": [
            {
                "level": f.level,
                "message": f.message,
                "activity": f.activity,
                "member": f.member,
                "line": f.source.line,
                "column": f.source.column,
            }
            for f in report.findings
        ],
    }


def _scenario(scenario: CostScenario) -> dict[str, Any]:
    return {
        "unit_cost": round(float(scenario.unit_cost), 6),
        "months": [
            {
                "month": m.month,
                "requests": round(float(m.requests), 1),
                "token_cost": _cents(m.token_cost),
                "gpu_hours": round(float(m.gpu_hours), 1),
                "gpu_cost": _cents(m.gpu_cost),
                "fixed": _cents(m.fixed),
                "total": _cents(m.total),
            }
            for m in scenario.months
        ],
        "total": _cents(scenario.total),
        "over_budget": list(scenario.over_budget),
    }


def cost_dict(projection: CostProjection | None) -> dict[str, Any] | None:
    if projection is None:
        return None
    return {
        "horizon_months": projection.horizon,
        "currency": projection.currency,
        "budget_monthly": None if projection.budget is None else _cents(projection.budget),
        "volatility": _number(projection.volatility),
        "verdict": projection.verdict,
        "summary": budget_sentence(projection),
        "expected": _scenario(projection.expected),
        "worst": _scenario(projection.worst),
    }


def _verified(result: Result) -> dict[str, Any]:
    found = provenance(result)
    return {
        "score": _score(result.verified_score),
        "percent": None if found.share is None else percent(found.share),
        "items": {"verified": found.verified, "attested": found.attested, "unverified": found.unverified},
    }


def to_dict(result: Result) -> dict[str, Any]:
    items = [_item(r) for r in result.items]
    by_id = {entry["id"]: entry for entry in items}
    policy = result.policy
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "readiness", "version": __version__},
        "today": result.today,
        "project": {
            "name": result.project.name,
            "description": result.project.description,
            "stage": result.project.stage.value if result.project.stage else None,
            "target": result.target.value,
            "profile": dict(sorted(result.project.profile.items())),
        },
        "verdict": result.verdict,
        "reasons": list(result.reasons),
        "score": _score(result.score),
        "verified": _verified(result),
        "stage_reached": result.stage_reached.value if result.stage_reached else None,
        "next_stage": None
        if result.next_stage is None
        else {"stage": result.next_stage.value, "blocked_by": list(result.next_stage_blockers)},
        "policy": {
            "min_score": _number(policy.min_score),
            "min_category_score": _number(policy.min_category_score),
            "fail_on": policy.fail_on.value if policy.fail_on else "none",
            "max_evidence_age_days": policy.max_evidence_age_days,
            "max_waiver_days": policy.max_waiver_days,
            "require_verified": policy.require_verified.value if policy.require_verified else "none",
            "strict": result.strict,
        },
        "categories": [
            {
                "id": c.pack.id,
                "title": c.pack.title,
                "weight": _number(c.pack.weight),
                "score": _score(c.score),
                "verified_score": _score(c.verified),
                "counted": c.counted,
                "met": c.met,
                "gaps": c.gaps,
                "excluded": c.excluded,
            }
            for c in result.categories
        ],
        "gaps": [by_id[g.item.id] for g in result.gaps],
        "items": items,
        "waivers": [
            {
                "item": s.waiver.item,
                "reason": s.waiver.reason,
                "approved_by": s.waiver.approved_by,
                "expires": s.waiver.expires,
                "state": s.state,
                "days_left": s.days_left,
                "problem": s.problem,
            }
            for s in result.waivers
        ],
        "team": [{"id": m.id, "name": m.name, "role": m.role} for m in result.team],
        "raci": _raci(result.raci),
        "evidence": [evidence_dict(e) for e in result.evidence],
        "cost": cost_dict(result.cost),
        "warnings": list(result.warnings),
    }


def render(result: Result, options: RenderOptions) -> str:
    return jsontext.dumps(to_dict(result))
