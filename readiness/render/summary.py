"""`check -f markdown`: a compact summary for a pull-request comment or a CI step summary.

Verdict, score and stage in one heading; the verdict's reasons; with a baseline, what changed since it; the
category scores; the open items folded away in a `<details>` table. Not the review report: that is
`readiness report -f markdown`. Every value a user may have written goes through `md`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from readiness import __version__
from readiness.core.model import ItemResult, Outcome, Result, Severity
from readiness.render.formats import RenderOptions
from readiness.render.headline import VERDICT_WORDS
from readiness.render.mdescape import md
from readiness.render.standing import summary_lines
from readiness.rollup.compare import Comparison, ItemChange, signed
from readiness.score.provenance import provenance, sentence
from readiness.score.scoring import format_limit, format_score, one_decimal

_MARK = {"ready": "✅", "ready-with-waivers": "⚠️", "not-ready": "❌"}
# What an item was on one side of a comparison, in words.
_OUTCOME = {
    "met": "met",
    "gap": "a gap",
    "na": "n/a",
    "waived": "waived",
    "next-stage": "next stage",
    "not-applicable": "not applicable",
    "disabled": "disabled",
    "absent": "not listed",
}
_LISTED = 10  # entries shown per list of changes; a comment stays short when a whole pack is switched on
_NUMBERED = re.compile(r"(\d{1,9})\.")


def render(result: Result, options: RenderOptions) -> str:
    baseline = options.baseline
    lines = [_heading(result, baseline), "", _policy_line(result), "", _capital(sentence(provenance(result))) + ".", ""]
    for line in summary_lines(result):
        lines += [md(line), ""]
    lines += _verdict_lines(result)
    if baseline is not None:
        lines += _change_lines(baseline)
        lines += _category_change_table(result, baseline)
    else:
        lines += _category_table(result)
    lines += _gap_lines(result)
    lines.append(f"<sub>readiness {__version__} · {md(result.today)}</sub>")
    return "\n".join(lines) + "\n"


def _heading(result: Result, baseline: Comparison | None) -> str:
    score = format_score(result.score)
    if baseline is not None:
        label = md(baseline.old.label)
        if baseline.delta is not None:
            score += f" ({signed(baseline.delta)} since {label})"
        else:
            score += f" ({label}: {_decimal(baseline.old.score)})"
    reached = result.stage_reached.value if result.stage_reached else "none"
    verdict = f"{_MARK[result.verdict]} {VERDICT_WORDS[result.verdict].capitalize()}"
    return f"### {verdict} for {result.target.value} · score {score} · stage reached: {reached}"


def _policy_line(result: Result) -> str:
    policy = result.policy
    return (
        f"**{md(result.project.name)}** · minimum score {format_limit(policy.min_score)}, "
        f"every category at least {format_limit(policy.min_category_score)}"
    )


def _verdict_lines(result: Result) -> list[str]:
    if result.reasons:
        return ["**Not ready because:**", "", *(f"- {_lead(reason)}" for reason in result.reasons), ""]
    if result.verdict == "ready-with-waivers":
        waived = [r.item.id for r in result.items if r.outcome is Outcome.WAIVED and r.severity is not Severity.MINOR]
        return [f"Every condition holds, with accepted risk under a waiver for: {md(', '.join(waived))}.", ""]
    return ["Every condition holds.", ""]


def _change_lines(baseline: Comparison) -> list[str]:
    label = md(baseline.old.label)
    lines = [f"#### Since {label}", ""]
    old, new = baseline.old, baseline.new
    moves = []
    if old.verdict != new.verdict:
        moves.append(f"verdict {old.verdict} → **{new.verdict}**")
    if old.stage_reached != new.stage_reached:
        moves.append(f"stage reached {old.stage_reached or 'none'} → **{new.stage_reached or 'none'}**")
    if moves:
        lines += [_capital(" · ".join(moves)), ""]
    regressions = {change.id for change in baseline.regressions}
    # Regressions first, in bold: something that was met has come undone.
    new_gaps = sorted(baseline.new_gaps, key=lambda change: change.id not in regressions)
    if new_gaps:
        count = f"{len(new_gaps)}, {len(regressions)} regression{'s' if len(regressions) != 1 else ''}"
        lines += [f"**New gaps ({count}):**" if regressions else f"New gaps ({len(new_gaps)}):", ""]
        for change in new_gaps[:_LISTED]:
            if change.id in regressions:
                lines.append(f"- **Regression: {_change(change)}** · met on {label}")
            else:
                lines.append(f"- {_change(change)} · {_OUTCOME[change.before]} on {label}")
        lines += [*_more(len(new_gaps)), ""]
    if baseline.fixed:
        lines += [f"Fixed ({len(baseline.fixed)}):", ""]
        lines += [f"- {_change(change)} · {_OUTCOME[change.after]} now" for change in baseline.fixed[:_LISTED]]
        lines += [*_more(len(baseline.fixed)), ""]
    if not new_gaps and not baseline.fixed:
        lines += [f"No item became a gap or stopped being one since {label}.", ""]
    return lines


def _more(count: int) -> list[str]:
    return [f"- and {count - _LISTED} more"] if count > _LISTED else []


def _change(change: ItemChange) -> str:
    return f"{_lead(change.title)} ({md(change.id)}) · {md(change.severity)}"


def _category_change_table(result: Result, baseline: Comparison) -> list[str]:
    minimum = result.policy.min_category_score
    lines = [
        f"| Category | {md(baseline.old.label)} | Now | Change |",
        "| --- | ---: | ---: | ---: |",
    ]
    for change in baseline.categories:
        after = _decimal(change.after)
        if change.after is not None and Fraction(change.after) < minimum:
            after = f"**{after}**"
        lines.append(f"| {md(change.title)} | {_decimal(change.before)} | {after} | {signed(change.delta)} |")
    old, new = baseline.old.score, baseline.new.score
    lines.append(f"| **Overall** | {_decimal(old)} | **{_decimal(new)}** | {signed(baseline.delta)} |")
    return [*lines, ""]


def _category_table(result: Result) -> list[str]:
    minimum = result.policy.min_category_score
    lines = ["| Category | Score | Met | Gaps |", "| --- | ---: | ---: | ---: |"]
    for category in result.categories:
        score = format_score(category.score)
        if category.score is not None and one_decimal(category.score) < minimum:
            score = f"**{score}**"
        lines.append(f"| {md(category.pack.title)} | {score} | {category.met} | {category.gaps} |")
    lines.append(f"| **Overall** | **{format_score(result.score)}** | | |")
    return [*lines, ""]


def _gap_lines(result: Result) -> list[str]:
    gaps = result.gaps
    if not gaps:
        return ["No open items.", ""]
    names = {member.id: member.name for member in result.team}
    lines = [
        f"<details><summary>{len(gaps)} open item{'s' if len(gaps) != 1 else ''}</summary>",
        "",
        "| # | Severity | Item | Status | Owner | Due |",
        "| ---: | --- | --- | --- | --- | --- |",
    ]
    for number, gap in enumerate(gaps, start=1):
        severity = f"**{gap.severity.value}**" if gap.severity is Severity.BLOCKER else gap.severity.value
        lines.append(
            f"| {number} | {severity} | {md(gap.item.title)} ({md(gap.item.id)}) | {_status(gap)} "
            f"| {md(names.get(gap.owner, gap.owner))} | {_due(gap, result.today)} |"
        )
    return [*lines, "", "</details>", ""]


def _status(gap: ItemResult) -> str:
    return "unverified" if gap.unverified else gap.status


def _due(gap: ItemResult, today: str) -> str:
    due = gap.answer.due if gap.answer else None
    if not due:
        return "—"
    # Both are ISO dates, so they compare as text.
    return f"{md(due)} (**overdue**)" if due < today else md(due)


def _decimal(value: Decimal | None) -> str:
    return "n/a" if value is None else str(value)


def _lead(text: str) -> str:
    """`md` text that starts a list item: a leading "-" or "1." would open a nested list, so it is escaped too."""
    escaped = md(text)
    if escaped.startswith("-"):
        return "\\" + escaped
    number = _NUMBERED.match(escaped)
    if number is not None:
        return f"{number.group(1)}\\{escaped[number.end(1) :]}"
    return escaped


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
