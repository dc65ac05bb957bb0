"""Pure scoring: (assessment, catalog, options) → Result. No I/O, no clock, no printing.

Scores are exact fractions until they are shown; a score is compared with the policy at the one decimal
the user sees, so "70.0" never fails "min_score 70".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from math import lcm
from typing import Any

from readiness.core.model import (
    DEFAULT_WEIGHT,
    EXCLUDED,
    Assessment,
    Catalog,
    CategoryScore,
    Conditions,
    CostProjection,
    Credit,
    Facts,
    Item,
    ItemResult,
    Outcome,
    Policy,
    Profile,
    RaciReport,
    Result,
    Severity,
    Stage,
    Status,
    Waiver,
    WaiverStatus,
)
from readiness.verify import cost as cost_model
from readiness.verify import raci as raci_rules
from readiness.verify.automated import automated, candidates, doubts_about, evidence_index, verified

ZERO, HALF, ONE = Fraction(0), Fraction(1, 2), Fraction(1)


@dataclass(frozen=True)
class Options:
    """What the command line adds to an assessment for one run: the date, strictness, target and policy."""

    today: date
    strict: bool = False
    target: Stage | None = None  # overrides project.target
    policy: Mapping[str, Any] = field(default_factory=dict)  # command-line flags; win over the file


def resolve_policy(written: Mapping[str, Any], flags: Mapping[str, Any]) -> Policy:
    """Flag > readiness.yaml `policy` > built-in default, key by key."""
    merged = {**written, **{key: value for key, value in flags.items() if value is not None}}
    default = Policy()
    fail_on = merged.get("fail_on", default.fail_on.value if default.fail_on else "none")
    return Policy(
        min_score=Fraction(str(merged.get("min_score", default.min_score))),
        min_category_score=Fraction(str(merged.get("min_category_score", default.min_category_score))),
        fail_on=None if fail_on == "none" else Severity(fail_on),
        max_evidence_age_days=int(merged.get("max_evidence_age_days", default.max_evidence_age_days)),
        max_waiver_days=int(merged.get("max_waiver_days", default.max_waiver_days)),
        require_verified=None
        if merged.get("require_verified", "none") == "none"
        else Severity(merged["require_verified"]),
    )


def one_decimal(value: Fraction) -> Decimal:
    """Round half up to one decimal, exactly."""
    with localcontext() as context:
        context.prec = 60
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def format_score(value: Fraction | None) -> str:
    return "n/a" if value is None else str(one_decimal(value))


def matches(conditions: Conditions, profile: Profile) -> bool:
    """All conditions hold; of the sets under `any`, at least one. A profile key that is absent counts as false,
    and matches no other value."""
    for key, wanted in conditions.items():
        if key == "any":
            if not any(matches(alternative, profile) for alternative in wanted):
                return False
            continue
        options = wanted if isinstance(wanted, list) else [wanted]
        have = profile.get(key, False if isinstance(options[0], bool) else None)
        if have not in options:
            return False
    return True


def effective_severity(item: Item, profile: Profile) -> Severity:
    if item.escalate_to is not None and item.escalate_when is not None and matches(item.escalate_when, profile):
        return min(item.severity, item.escalate_to, key=lambda severity: severity.rank)
    return item.severity


def weight_of(result: ItemResult) -> Fraction:
    return result.item.weight if result.item.weight is not None else DEFAULT_WEIGHT[result.severity]


def waiver_states(
    waivers: Iterable[Waiver],
    today: date,
    policy: Policy,
    catalog: Catalog | None = None,
    raci: RaciReport | None = None,
    applies: Mapping[str, bool] | None = None,
) -> tuple[WaiverStatus, ...]:
    """Whether each waiver still excuses its item, and if not, why, in words."""
    states = []
    for waiver in waivers:
        days_left = (date.fromisoformat(waiver.expires) - today).days
        item = catalog.item(waiver.item) if catalog else None
        accountable = raci_rules.accountable(raci, item.activity) if raci and item and item.activity else None
        if days_left < 0:
            state, problem = "expired", f"the waiver for {waiver.item} expired on {waiver.expires}"
        elif days_left > policy.max_waiver_days:
            state = "too-long"
            problem = f"the waiver for {waiver.item} runs {days_left} days, over the limit of {policy.max_waiver_days}"
        elif accountable is not None and waiver.approved_by != accountable and item is not None:
            state = "wrong-approver"
            problem = (
                f"the waiver for {waiver.item} is approved by {waiver.approved_by}, but {accountable} is "
                f"accountable for '{item.activity}' and must approve it"
            )
        elif applies is not None and not applies.get(waiver.item, True):
            state, problem = "unused", f"the waiver for {waiver.item} has no effect: the item does not apply"
        else:
            state, problem = "valid", ""
        states.append(WaiverStatus(waiver, state, days_left, problem))
    return tuple(states)


@dataclass(frozen=True)
class _Context:
    """What every item is judged against."""

    assessment: Assessment
    target: Stage
    policy: Policy
    options: Options
    facts: Facts
    raci: RaciReport
    cost: CostProjection | None
    waivers: Mapping[str, Waiver]
    owners: Mapping[str, str]


def score(assessment: Assessment, catalog: Catalog, options: Options, facts: Facts | None = None) -> Result:
    facts = facts if facts is not None else Facts()
    policy = resolve_policy(assessment.policy, options.policy)
    target = options.target or assessment.project.target
    raci = raci_rules.check(assessment, catalog)
    projection = cost_model.project(assessment.cost) if assessment.cost is not None else None
    profile = assessment.project.profile
    applies = {
        item.id: item.disabled is None and item.stage.rank <= target.rank and matches(item.when, profile)
        for item in catalog.items
    }
    waivers = waiver_states(assessment.waivers, options.today, policy, catalog, raci, applies)
    valid_waivers = {state.waiver.item: state.waiver for state in waivers if state.excuses}
    owners = {
        row.activity: owner for row in raci.rows if (owner := raci_rules.accountable(raci, row.activity)) is not None
    }
    context = _Context(assessment, target, policy, options, facts, raci, projection, valid_waivers, owners)
    items = tuple(_assess_item(item, context) for item in catalog.items)
    categories = tuple(_category(pack, [r for r in items if r.item.pack == pack.id]) for pack in catalog.packs)
    overall = _weighted_mean((c.pack.weight, c.score) for c in categories)
    # The same mean over the same categories, counting only what verified items earn: the part of the score that
    # does not rest on anyone's word.
    points = _weighted_mean((c.pack.weight, c.verified) for c in categories if c.score is not None)
    reached = _stage_reached(items, target)
    next_stage, next_blockers = _next_stage(items, reached, target)
    gaps = tuple(sorted((r for r in items if r.outcome is Outcome.GAP), key=_gap_order))
    reasons = _failed_conditions(policy, target, reached, overall, categories, gaps, waivers)
    evidence = evidence_index(items, facts, policy, options.today)
    waived_serious = any(r.outcome is Outcome.WAIVED and r.severity is not Severity.MINOR for r in items)
    verdict = "not-ready" if reasons else ("ready-with-waivers" if waived_serious else "ready")
    return Result(
        project=assessment.project,
        target=target,
        today=options.today.isoformat(),
        policy=policy,
        strict=options.strict,
        verdict=verdict,
        reasons=reasons,
        score=overall,
        stage_reached=reached,
        next_stage=next_stage,
        next_stage_blockers=next_blockers,
        categories=categories,
        items=items,
        gaps=gaps,
        waivers=waivers,
        team=assessment.team,
        raci=raci,
        evidence=evidence,
        cost=projection,
        warnings=_warnings(raci, projection, waivers) + _unconfirmed(items),
        verified_score=points,
        answers_source=assessment.answers_source,
    )


def _assess_item(item: Item, context: _Context) -> ItemResult:
    profile = context.assessment.project.profile
    severity = effective_severity(item, profile)
    answer = context.assessment.answer(item.id)
    status = answer.status.value if answer else "unanswered"
    owner = (answer.owner if answer else None) or context.owners.get(item.activity or "", "unassigned")
    auto = automated(item, context.raci, context.cost)
    probe = context.facts.probes.get(item.id)
    found = candidates(item, context.facts)
    proven = verified(auto, probe)

    def result(outcome: Outcome, credit: Fraction | None, **extra: Any) -> ItemResult:
        return ItemResult(
            item, severity, outcome, status, credit, answer=answer, owner=owner, auto=auto, probe=probe,
            candidates=found, **extra
        )  # fmt: skip

    if item.disabled is not None:
        return result(Outcome.DISABLED, None)
    if not matches(item.when, profile):  # before the stage: an item that never concerns this system is no next step
        return result(Outcome.NOT_APPLICABLE, None)
    if item.stage.rank > context.target.rank:
        return result(Outcome.NEXT_STAGE, None)
    if item.id in context.waivers:
        return result(Outcome.WAIVED, None, waiver=context.waivers[item.id])
    if answer is None or not answer.claimed:
        # A probe or check that holds proves the item without anyone claiming it; a scan's proposal is nobody's
        # claim, so it weighs exactly as much as no answer until a person confirms it.
        return result(Outcome.MET, ONE, source=Credit.VERIFIED) if proven else result(Outcome.GAP, ZERO)
    if answer.status is Status.TODO:
        return result(Outcome.GAP, ZERO)
    if answer.status is Status.NA:
        return result(Outcome.NA, None)
    if answer.status is Status.PARTIAL:
        # The team knows more than a probe reads: their "partial" stands, on their word.
        return result(Outcome.GAP, HALF, source=Credit.ATTESTED)
    doubts = doubts_about(item, severity, answer, auto, probe, context.facts, context.policy, context.options.today)
    if doubts:
        credit = ZERO if context.options.strict else HALF
        return result(Outcome.GAP, credit, unverified=True, unverified_reasons=doubts, source=Credit.UNVERIFIED)
    return result(Outcome.MET, ONE, source=Credit.VERIFIED if proven else Credit.ATTESTED)


def _unconfirmed(items: Sequence[ItemResult]) -> tuple[str, ...]:
    """One line for the scan's proposals still in the file: the team should know they weigh nothing yet."""
    count = sum(1 for r in items if r.answer is not None and not r.answer.claimed and r.outcome not in EXCLUDED)
    if not count:
        return ()
    said = (
        f"{count} answers proposed by a scan are not confirmed and count"
        if count != 1
        else ("1 answer proposed by a scan is not confirmed and counts")
    )
    return (f"{said} as no answer: confirm or change them with `readiness assess`",)


def _warnings(
    raci: RaciReport, projection: CostProjection | None, waivers: tuple[WaiverStatus, ...]
) -> tuple[str, ...]:
    found = [finding.message for finding in raci.findings if finding.level == "warning"]
    if projection is not None and projection.verdict == "over-worst-case":
        found.append(cost_model.budget_sentence(projection))
    found.extend(state.problem for state in waivers if state.state == "unused")
    return tuple(found)


def _category(pack: Any, results: list[ItemResult]) -> CategoryScore:
    counted = [r for r in results if r.counted]
    by_probe = ((weight_of(r), r.credit if r.source is Credit.VERIFIED and r.credit else ZERO) for r in counted)
    return CategoryScore(
        pack=pack,
        score=_percent(_weighted_mean((weight_of(r), r.credit or ZERO) for r in counted)),
        verified=_percent(_weighted_mean(by_probe)),
        counted=len(counted),
        met=sum(r.outcome is Outcome.MET for r in results),
        gaps=sum(r.outcome is Outcome.GAP for r in results),
        excluded=sum(r.outcome in EXCLUDED for r in results),
    )


def _percent(share: Fraction | None) -> Fraction | None:
    return None if share is None else 100 * share


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    # Summed as integers over a common denominator, and made a Fraction once: Fraction arithmetic is slow,
    # and a portfolio scores thousands of items. The denominators are small (weights like 1.5, credits of
    # one half), so the common one stays small.
    top, low, denominator, present = 0, 0, 1, False
    for weight, value in pairs:
        if value is None:
            continue
        present = True
        term_denominator = weight.denominator * value.denominator
        if denominator % term_denominator:
            common = lcm(denominator, term_denominator)
            top, low, denominator = top * (common // denominator), low * (common // denominator), common
        top += weight.numerator * value.numerator * (denominator // term_denominator)
        low += weight.numerator * value.denominator * (denominator // term_denominator)
    if not present or low == 0:
        return None
    return Fraction(top, low)


def _holds_stage(result: ItemResult) -> bool:
    """Whether this item stands in the way of the stage reached."""
    return result.severity is not Severity.MINOR and result.outcome is Outcome.GAP


def _stage_reached(items: tuple[ItemResult, ...], target: Stage) -> Stage | None:
    reached = None
    for stage in Stage:
        if stage.rank > target.rank:
            break
        if any(_holds_stage(r) and r.item.stage.rank <= stage.rank for r in items):
            break
        reached = stage
    return reached


def _next_stage(
    items: tuple[ItemResult, ...], reached: Stage | None, target: Stage
) -> tuple[Stage | None, tuple[str, ...]]:
    stages = list(Stage)
    position = 0 if reached is None else reached.rank + 1
    if position >= len(stages):
        return None, ()
    upcoming = stages[position]
    if upcoming.rank <= target.rank:
        blocking = [r for r in items if _holds_stage(r) and r.item.stage.rank <= upcoming.rank]
    else:
        # Beyond the target nothing is scored: name what the next stage will ask that is not done yet.
        blocking = [
            r
            for r in items
            if r.outcome is Outcome.NEXT_STAGE
            and r.item.stage is upcoming
            and r.severity is not Severity.MINOR
            and r.status != Status.DONE.value
        ]
    return upcoming, tuple(r.item.id for r in sorted(blocking, key=_gap_order))


def _gap_order(result: ItemResult) -> tuple[int, int, Fraction, str]:
    gained = _gain(weight_of(result), result.credit or ZERO, result.item.effort.cost)
    return (result.severity.rank, result.item.stage.rank, -gained, result.item.id)


@lru_cache(maxsize=256)
def _gain(weight: Fraction, credit: Fraction, cost: int) -> Fraction:
    """Score gained per unit of effort by closing a gap; the same few values recur across every item."""
    return weight * (1 - credit) / cost


def _failed_conditions(
    policy: Policy,
    target: Stage,
    reached: Stage | None,
    overall: Fraction | None,
    categories: tuple[CategoryScore, ...],
    gaps: tuple[ItemResult, ...],
    waivers: tuple[WaiverStatus, ...],
) -> tuple[str, ...]:
    reasons = []
    if reached is None or reached.rank < target.rank:
        reasons.append(f"stage reached is {reached.value if reached else 'none'}, below the target {target.value}")
    if overall is None:
        reasons.append("nothing was scored: every applicable item is n/a or waived")
    elif one_decimal(overall) < policy.min_score:
        reasons.append(f"overall score {format_score(overall)} is below the minimum {format_limit(policy.min_score)}")
    for category in categories:
        if category.score is not None and one_decimal(category.score) < policy.min_category_score:
            reasons.append(
                f"{category.pack.title} scores {format_score(category.score)}, "
                f"below the category minimum {format_limit(policy.min_category_score)}"
            )
    if policy.fail_on is not None:
        fail_on = policy.fail_on
        open_items = [g.item.id for g in gaps if g.severity.rank <= fail_on.rank]
        if open_items:
            shown = ", ".join(open_items[:5]) + (f" and {len(open_items) - 5} more" if len(open_items) > 5 else "")
            scope = "blocker" if fail_on is Severity.BLOCKER else f"{fail_on.value} or worse"
            noun = "item" if len(open_items) == 1 else "items"
            reasons.append(f"{len(open_items)} open {scope} {noun}: {shown}")
    reasons.extend(state.problem for state in waivers if state.state in ("expired", "too-long", "wrong-approver"))
    return tuple(reasons)


def format_limit(value: Fraction) -> str:
    """A policy number as the user wrote it: 70, or 72.5."""
    return str(value.numerator) if value.denominator == 1 else str(one_decimal(value))
