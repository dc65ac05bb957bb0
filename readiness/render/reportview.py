"""What the review report shows, as plain values: the HTML and Markdown templates only lay it out.

Everything a user wrote passes through here as text; the templates escape it (HTML autoescape, Markdown
escaping filter). Only evidence entries that are http(s) URLs are marked as links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from readiness import __version__
from readiness.core import frameworks
from readiness.core.model import (
    EXCLUDED,
    NOT_SCORED,
    CostProjection,
    Credit,
    EvidenceEntry,
    ItemResult,
    Outcome,
    ProbeOutcome,
    ProbeRun,
    Result,
    Stage,
)
from readiness.render import reportcharts
from readiness.render.headline import VERDICT_WORDS
from readiness.render.json import evidence_dict
from readiness.render.refs import natural_key
from readiness.render.standing import minor_open, minor_sentence, open_items, sentence, standing
from readiness.render.words import state
from readiness.score.provenance import provenance
from readiness.score.provenance import sentence as provenance_sentence
from readiness.score.scoring import format_limit, format_score, one_decimal
from readiness.verify.cost import budget_sentence, money, multiplier

if TYPE_CHECKING:
    from readiness.rollup.history import Point

NEXT_ACTIONS = 5
FINDINGS_SHOWN = 3  # per probe, in the report; the JSON result has them all
MATCHES_SHOWN = 20  # paths listed per evidence entry; the rest are counted
# The families the coverage section shows, in this order; the others (AWS lenses, ML Test Score, SRE) are in the
# appendix's refs. The 2025 OWASP ids are shown beside their 2026 twins rather than as a list of their own.
REPORTED_FAMILIES = (
    "NIST AI RMF 1.0",
    "EU AI Act (as amended in 2026)",
    "ISO/IEC 42001",
    "ISO/IEC 42005",
    "OWASP Top 10 for LLM Applications 2026",
    "OWASP Top 10 for LLM Applications 2025",
    "OWASP Top 10 for Agentic Applications 2026",
    "MITRE ATLAS",
    "NIST AI 600-1 (Generative AI profile)",
    "GDPR",
)
OWASP_2026, OWASP_2025 = "OWASP Top 10 for LLM Applications 2026", "OWASP Top 10 for LLM Applications 2025"
AI_ACT_CAVEAT = (
    "Dates are those of the Act as amended in 2026 (the digital omnibus), from secondary sources; check the current "
    "text before relying on one."
)
WORST_OVER = "met as expected; worst case over budget"
# Statuses of an open item (a gap), as _status_text words them.
OPEN_STATUSES = frozenset({"unverified", "unanswered", "proposed", "todo", "partial", "done"})
TOP_BLOCKING = 8  # items that block the target, in the brief's table; the full report's plan has them all
_VERDICT_LABEL = {verdict: words.capitalize() for verdict, words in VERDICT_WORDS.items()}
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def _status_text(result: ItemResult, worst_over: bool = False) -> str:
    """The item's state in words, the same everywhere in the report. A cost check met by the expected cost while
    the worst case passes the budget says so: "met" alone would hide the breach the cost section shows."""
    if result.outcome is Outcome.MET:
        if worst_over and _is_cost_check(result):
            return WORST_OVER
        return "met (verified)" if result.source is Credit.VERIFIED else "met"
    if result.outcome is Outcome.GAP:
        return "unverified" if result.unverified else result.status
    return {
        Outcome.NA: "n/a",
        Outcome.WAIVED: "waived",
        Outcome.NEXT_STAGE: "next stage",
        Outcome.NOT_APPLICABLE: "does not apply",
        Outcome.DISABLED: "disabled",
    }[result.outcome]


def _is_cost_check(result: ItemResult) -> bool:
    return result.item.auto is not None and not result.item.auto.raci and result.auto is not None


def _worst_over(result: Result) -> bool:
    return result.cost is not None and bool(result.cost.worst.over_budget) and not result.cost.expected.over_budget


def _still_open(result: ItemResult) -> str:
    """Why an open item is open although its check or probe found what it looks for: the answer, in words."""
    if result.unverified:
        return "the answer says done, but it is not verified (see why above)"
    return f"the answer is “{state(result)}”"


def _check_words(result: ItemResult) -> dict[str, str] | None:
    """What an item's automated check found, and, when it found no fault on an open item, why the item is open
    all the same: never "passed" beside an open gap."""
    if result.auto is None:
        return None
    found = result.auto.detail
    if result.auto.passed and result.outcome is Outcome.GAP:
        return {"found": found, "open": f"no fault; the item stays open because {_still_open(result)}."}
    return {"found": found, "open": ""}


def _probe_words(result: ItemResult) -> str:
    """The probe's outcome in a sentence, and for an open item whose probe holds, why it is open."""
    run = result.probe
    if run is None:
        return ""
    read = f"{len(run.judged):,} file{'' if len(run.judged) == 1 else 's'} read"
    if run.outcome is ProbeOutcome.FAILS:
        return f"Fails ({read}): the findings below are why it earns no verified credit."
    if run.outcome is ProbeOutcome.NOTHING:
        return "Found nothing to judge: no file it reads matches the item's globs."
    if result.outcome is Outcome.GAP:
        return f"Holds ({read}); the item stays open because {_still_open(result)}."
    return f"Holds ({read})."


def _gap(result: ItemResult, today: str, next_stage_blockers: set[str], status: str) -> dict[str, Any]:
    answer = result.answer
    due = (answer.due if answer else None) or ""
    return {
        "id": result.item.id,
        "title": result.item.title,
        "severity": result.severity.value,
        "stage": result.item.stage.value,
        "status": status,
        "owner": result.owner,
        "due": due,
        "overdue": bool(due) and due < today,  # ISO dates compare as text
        "blocks_next_stage": result.item.id in next_stage_blockers,
        "effort": result.item.effort.value,
        "why": result.item.why,
        "verify": result.item.verify,
        "refs": list(result.item.refs),
        "note": answer.note if answer else "",
        "reasons": list(result.unverified_reasons),
        "check": _check_words(result),
        "probe": _probe(result.probe),
        "probe_words": _probe_words(result),
    }


def _probe(run: ProbeRun | None) -> dict[str, Any] | None:
    """What an item's probe read, in a few lines: the failures first (they are why it is not credited), then
    what holds, then what was only said; each at FILE:LINE:COLUMN of the artifact."""
    if run is None:
        return None
    shown = run.findings[:FINDINGS_SHOWN]
    more = len(run.findings) - len(shown)
    return {
        "kind": run.kind,
        "outcome": run.outcome.value,
        "findings": [{"where": f"{f.file}:{f.line}:{f.column}", "message": f.message, "holds": f.holds} for f in shown],
        "more": f"and {more:,} more findings" if more > 0 else "",
        "read": len(run.judged),
    }


def _verified_evidence(result: Result) -> dict[str, Any]:
    """The "Verified evidence" section: the share of the score that rests on what was read rather than said, and
    every counted item that a probe or a check looked at."""
    rows = []
    over = _worst_over(result)
    for item in result.items:
        if not item.counted or (item.probe is None and item.auto is None):
            continue
        check = (
            item.probe.kind
            if item.probe
            else ("RACI check" if item.item.auto and item.item.auto.raci else "cost check")
        )
        outcome = item.probe.outcome.value if item.probe else ("holds" if item.auto and item.auto.passed else "fails")
        if over and item.probe is None and _is_cost_check(item):
            outcome = "worst case over budget"  # held by the expected cost only: the breach is said, not hidden
        rows.append(
            {
                "id": item.item.id,
                "title": item.item.title,
                "check": check,
                "outcome": outcome,
                "credit": item.source.value if item.source else "none",
                "status": _status_text(item, over),
                "probe": _probe(item.probe),
                "detail": item.auto.detail if item.probe is None and item.auto else "",
            }
        )
    found = provenance(result)
    return {
        # What a probe or check contradicts: the brief shows these; the full report every row.
        "failing": [_first_failure(row, result) for row in rows if row["outcome"] == "fails"],
        "sentence": provenance_sentence(found),
        "verified": found.verified,
        "attested": found.attested,
        "unverified": found.unverified,
        "rows": rows,
    }


def _first_failure(row: dict[str, Any], result: Result) -> dict[str, Any]:
    """A failing row of the brief: its first failing finding, and how many more the full report lists."""
    item = next(r for r in result.items if r.item.id == row["id"])
    failures = item.probe.failures if item.probe else ()
    first = failures[0] if failures else None
    return {
        **row,
        "first": None
        if first is None
        else {"where": f"{first.file}:{first.line}:{first.column}", "message": first.message},
        "more": f"and {len(failures) - 1:,} more" if len(failures) > 1 else "",
    }


def _ladder(result: Result) -> list[dict[str, Any]]:
    """Each stage: reached or not, and for the next stage and the target, what blocks it in the same words as
    everywhere else."""
    reached = result.stage_reached.rank if result.stage_reached else -1
    return [
        {
            "stage": stage.value,
            "reached": stage.rank <= reached,
            "target": stage is result.target,
            "current": stage is result.project.stage,
            "next": stage is result.next_stage,
            "blocked": sentence(standing(result, stage))
            if stage.rank > reached and (stage is result.next_stage or stage is result.target)
            else "",
        }
        for stage in Stage
    ]


def _blocking(result: Result, gaps: list[dict[str, Any]]) -> dict[str, Any]:
    """What stands between the project and its target: one sentence, its counts, and the first items with their
    owners and dates (blockers first, as in the remediation plan)."""
    target = standing(result, result.target)
    ids = {r.item.id for r in target.items}
    rows = [g for g in gaps if g["id"] in ids]
    upcoming = result.next_stage
    ahead = standing(result, upcoming) if upcoming is not None and upcoming is not result.target else None
    return {
        "sentence": sentence(target),
        "open_items": open_items(result),
        "blockers": len(target.blockers),
        "others": len(target.others),
        "minor": minor_open(result),
        "minor_sentence": minor_sentence(minor_open(result)) if minor_open(result) else "",
        "top": rows[:TOP_BLOCKING],
        "more": max(0, len(rows) - TOP_BLOCKING),
        "next": None if ahead is None else {"sentence": sentence(ahead), "ids": [r.item.id for r in ahead.items]},
    }


def _coverage(frameworks_shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Framework coverage in one table: per family, the references some item addresses, the items that address
    them, and how many of those are met."""
    rows = []
    for family in frameworks_shown:
        items: dict[str, str] = {}
        for ref in family["refs"]:
            for entry in ref["entries"]:
                items[entry["id"]] = entry["status"]
        met = sum(1 for status in items.values() if status.startswith("met"))
        rows.append(
            {
                "name": family["name"],
                "refs": len(family["refs"]),
                "item_count": len(items),
                "met": met,
                "open": sum(1 for status in items.values() if status in OPEN_STATUSES),
            }
        )
    return rows


def _cost(projection: CostProjection | None) -> dict[str, Any] | None:
    if projection is None:
        return None
    expected, worst = projection.expected, projection.worst
    months = [
        {
            "month": e.month,
            "requests": f"{round(e.requests):,}",
            "gpu_hours": f"{round(e.gpu_hours):,}" if e.gpu_hours else "",
            "expected": money(e.total),
            "worst": money(w.total),
            "over": projection.budget is not None and e.total > projection.budget,
            "worst_over": projection.budget is not None and w.total > projection.budget,
        }
        for e, w in zip(expected.months, worst.months, strict=True)
    ]
    return {
        "horizon": projection.horizon,
        "currency": projection.currency,
        "budget": None if projection.budget is None else money(projection.budget),
        "volatility": multiplier(projection.volatility),
        "budget_total": None if projection.budget is None else money(projection.budget * projection.horizon),
        "unit_free": expected.unit_cost == 0,
        "verdict": projection.verdict,
        "summary": budget_sentence(projection),
        "unit_expected": f"{float(expected.unit_cost):.6f}",
        "unit_worst": f"{float(worst.unit_cost):.6f}",
        "gpu": any(m.gpu_hours for m in expected.months),
        "months": months,
        "total_expected": money(expected.total),
        "total_worst": money(worst.total),
        "chart": reportcharts.cost_chart(projection),
    }


def _frameworks(result: Result) -> list[dict[str, Any]]:
    counted = [r for r in result.items if r.outcome not in (Outcome.NOT_APPLICABLE, Outcome.DISABLED)]
    cited: dict[str, dict[str, list[dict[str, str]]]] = {name: {} for name in REPORTED_FAMILIES}
    over = _worst_over(result)
    for r in counted:
        for ref in r.item.refs:
            found = frameworks.shelf(ref)
            if found is not None and found.name in cited:
                entry = {"id": r.item.id, "title": r.item.title, "status": _status_text(r, over)}
                cited[found.name].setdefault(ref, []).append(entry)
    # A 2025 OWASP id is shown beside its 2026 twin; only one cited alone (a custom pack's) keeps a row of its own.
    alone = {ref: e for ref, e in cited[OWASP_2025].items() if frameworks.owasp_twin(ref) not in cited[OWASP_2026]}
    cited[OWASP_2025] = alone
    shown = []
    for name, refs in cited.items():
        if name == OWASP_2025 and not refs:
            continue
        rows = []
        for ref in sorted(refs, key=natural_key):
            note = frameworks.meaning(ref) or frameworks.ai_act_applies(ref, result.today)
            rows.append({"ref": ref, "note": note, "entries": refs[ref]})
        caveat = AI_ACT_CAVEAT if name.startswith("EU AI Act") else ""
        shown.append({"name": name, "caveat": caveat, "refs": rows})
    return shown


def context(result: Result, history: Sequence[Point] | None = None, full: bool = False) -> dict[str, Any]:
    """Every value the report templates use. `history` (newest first, from readiness.rollup.history) adds the trend;
    `full` adds the remediation plan, the evidence index and the appendix to the brief."""
    blocking = set(result.next_stage_blockers)
    over = _worst_over(result)
    gaps = [_gap(g, result.today, blocking, _status_text(g, over)) for g in result.gaps]
    items = result.items
    waivers = [
        {
            "item": s.waiver.item,
            "reason": s.waiver.reason,
            "approved_by": s.waiver.approved_by,
            "expires": s.waiver.expires,
            "state": s.state,
            "problem": s.problem,
            "days_left": s.days_left,
        }
        for s in result.waivers
    ]
    project = result.project
    shown_frameworks = _frameworks(result)
    return {
        "full": full,
        "blocking": _blocking(result, gaps),
        "coverage": _coverage(shown_frameworks),
        "tool": f"readiness {__version__}",
        "today": result.today,
        "project": {
            "name": project.name,
            "description": project.description,
            "stage": project.stage.value if project.stage else "",
            "profile": [f"{key}: {_yes(value)}" for key, value in sorted(project.profile.items())],
        },
        "target": result.target.value,
        "verdict": result.verdict,
        "verdict_label": _VERDICT_LABEL[result.verdict],
        "score": format_score(result.score),
        "min_score": format_limit(result.policy.min_score),
        "below_min_score": result.score is not None and one_decimal(result.score) < result.policy.min_score,
        "min_category_score": format_limit(result.policy.min_category_score),
        "stage_reached": result.stage_reached.value if result.stage_reached else "none",
        "ladder": _ladder(result),
        "next_stage": None if result.next_stage is None else result.next_stage.value,
        "next_stage_blockers": list(result.next_stage_blockers),
        "reasons": list(result.reasons),
        "counts": {
            "blockers": sum(1 for g in result.gaps if g.severity.value == "blocker"),
            "gaps": len(result.gaps),
            "waived": sum(1 for r in items if r.outcome is Outcome.WAIVED),
            "waivers_invalid": sum(1 for s in result.waivers if not s.excuses),
            # A scan's proposal is no answer until a person confirms it.
            "unanswered": sum(
                1 for r in items if r.outcome not in NOT_SCORED and r.status in ("unanswered", "proposed")
            ),
            "na": sum(1 for r in items if r.outcome is Outcome.NA),
            "met": sum(1 for r in items if r.outcome is Outcome.MET),
            "excluded": sum(1 for r in items if r.outcome in EXCLUDED),
        },
        "next_actions": gaps[:NEXT_ACTIONS],
        "categories": [
            {
                "title": c.pack.title,
                "id": c.pack.id,
                "score": format_score(c.score),
                "weight": str(c.pack.weight),
                "counted": c.counted,
                "met": c.met,
                "gaps": c.gaps,
                "excluded": c.excluded,
                "below_min": c.score is not None and one_decimal(c.score) < result.policy.min_category_score,
            }
            for c in result.categories
        ],
        "category_chart": reportcharts.category_chart(result),
        "trend": None if history is None else reportcharts.trend(history, result),
        "gaps": gaps,
        "team": [{"id": m.id, "name": m.name, "role": m.role} for m in result.team],
        "raci": {
            "members": list(result.raci.members),
            "rows": [
                {"activity": row.activity, "title": row.title, "cells": list(row.cells), "written": row.written}
                for row in result.raci.rows
            ],
            "findings": [{"level": f.level, "message": f.message, "line": f.source.line} for f in result.raci.findings],
        },
        "cost": _cost(result.cost),
        "waivers": waivers,
        "na": [
            {"id": r.item.id, "title": r.item.title, "reason": r.answer.reason if r.answer else ""}
            for r in items
            if r.outcome is Outcome.NA
        ],
        # A pattern that matched nothing is no evidence of anything: one line names the cited ones, no row each.
        "evidence": [_evidence(e) for e in result.evidence if not _empty_pattern(e)],
        "unmatched": [{"item": e.item, "entry": e.check.entry} for e in result.evidence if _empty_pattern(e)],
        "probed": _probed(result),
        "verified_evidence": _verified_evidence(result),
        "frameworks": shown_frameworks,
        "appendix": [
            {
                "id": c.pack.id,
                "title": c.pack.title,
                "entries": [_appendix_item(r, over) for r in items if r.item.pack == c.pack.id],
            }
            for c in result.categories
        ],
        "warnings": list(result.warnings),
    }


def _evidence(entry: EvidenceEntry) -> dict[str, Any]:
    """A row of the evidence index: a glob that matches thousands of files shows its first MATCHES_SHOWN, then
    how many more (a reviewer reads a sample; a page of 20,000 paths would bury the rest of the report)."""
    matches = entry.check.matches
    hidden = len(matches) - MATCHES_SHOWN
    return {
        **evidence_dict(entry),
        "matches": list(matches[:MATCHES_SHOWN]),
        "more": f"and {hidden:,} more" if hidden > 0 else "",
        "reviewed": entry.reviewed or "",
        "href": entry.check.entry if entry.check.kind == "url" and _URL.match(entry.check.entry) else None,
    }


def _empty_pattern(entry: EvidenceEntry) -> bool:
    return entry.check.kind in ("glob", "auto") and not entry.check.matches


def _probed(result: Result) -> list[dict[str, Any]]:
    """The files a probe read, per item: evidence the tool looked at itself, beside what the team cited."""
    return [
        {"item": r.item.id, "kind": r.probe.kind, "outcome": r.probe.outcome.value, "files": list(r.probe.judged)}
        for r in result.items
        if r.counted and r.probe is not None and r.probe.judged
    ]


def _appendix_item(result: ItemResult, over: bool) -> dict[str, Any]:
    answer = result.answer
    return {
        "id": result.item.id,
        "title": result.item.title,
        "question": result.item.question,
        "severity": result.severity.value,
        "stage": result.item.stage.value,
        "status": _status_text(result, over),
        "note": answer.note if answer else "",
        "reason": answer.reason if answer else "",
        "owner": result.owner if result.outcome is Outcome.GAP else (answer.owner or "" if answer else ""),
        "due": (answer.due or "") if answer else "",
        "evidence": list(answer.evidence) if answer else [],
    }


def _yes(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
