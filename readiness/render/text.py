"""The terminal summary: verdict, score, stage, categories and the top gaps, within 80 columns."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.table import Table
from rich.text import Text

from readiness.core.model import ItemResult, ProbeOutcome, Result
from readiness.render import terminal
from readiness.render.formats import RenderOptions, strip_trailing
from readiness.render.standing import summary_lines
from readiness.score.provenance import provenance, sentence
from readiness.score.scoring import format_limit, format_score
from readiness.verify.cost import budget_sentence, money

TOP_GAPS = 10
_VERDICT_STYLE = {"ready": "bold green", "ready-with-waivers": "bold yellow", "not-ready": "bold red"}
_SEVERITY_STYLE = {"blocker": "red", "major": "yellow", "minor": "dim"}


def _status(gap: ItemResult) -> str:
    return "unverified" if gap.unverified else gap.status


def render(result: Result, options: RenderOptions) -> str:
    out = StringIO()
    console = terminal.console(out, options.width, options.color)
    project = result.project
    console.print(Text(f"{project.name} — target {result.target.value} · {result.today}", style="bold"))
    reached = result.stage_reached.value if result.stage_reached else "none"
    line = Text()
    line.append(result.verdict.upper(), style=_VERDICT_STYLE[result.verdict])
    line.append(f"   score {format_score(result.score)} / 100 (min {format_limit(result.policy.min_score)})")
    line.append(f"   stage reached: {reached}")
    console.print(line)
    console.print(Text(sentence(provenance(result))))
    for blocking in summary_lines(result):
        console.print(Text(blocking))
    if result.reasons:
        console.print()
        console.print("Not ready because:", style="bold")
        console.print(_bullets(list(result.reasons)))

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Category")
    for name in ("Score", "Met", "Gaps", "N/A or waived"):
        table.add_column(name, justify="right")
    for category in result.categories:
        table.add_row(
            category.pack.title,
            format_score(category.score),
            str(category.met),
            str(category.gaps),
            str(category.excluded),
        )
    table.add_section()
    table.add_row("Overall", format_score(result.score), "", "", "", style="bold")
    console.print()
    console.print(table)

    if result.gaps:
        shown_gaps = result.gaps[:TOP_GAPS]
        title = (
            f"First {len(shown_gaps)} of the {len(result.gaps)} open items"
            if len(result.gaps) > TOP_GAPS
            else "Open items"
        )
        console.print()
        console.print(title, style="bold")
        gaps = Table(box=None, pad_edge=False, show_header=True, header_style="dim")
        for name in ("Severity", "Item", "Status", "Owner", "Due"):
            gaps.add_column(name, overflow="fold")
        for gap in shown_gaps:
            answer = gap.answer
            gaps.add_row(
                Text(gap.severity.value, style=_SEVERITY_STYLE[gap.severity.value]),
                Text(f"{gap.item.id}\n{gap.item.title}"),
                _status(gap),
                gap.owner,
                (answer.due if answer else None) or "-",
            )
        console.print(gaps)
    for title, lines in [*_baseline(options), *_sections(result)]:
        if lines:
            console.print()
            console.print(title, style="bold")
            console.print(_bullets(lines))
    return strip_trailing(out.getvalue())


def probe_failures(result: Result, limit: int = TOP_GAPS) -> list[str]:
    """Each failing finding of a probe on a counted item, where it was read, the first `limit` of them."""
    lines = [
        f"{r.item.id}: {f.file}:{f.line}:{f.column}: {f.message}"
        for r in result.items
        if r.counted and r.probe is not None and r.probe.outcome is ProbeOutcome.FAILS
        for f in r.probe.failures
    ]
    more = len(lines) - limit
    return lines[:limit] + ([f"and {more:,} more (-f json lists every finding)"] if more > 0 else [])


def _bullets(lines: list[str]) -> Table:
    """A list whose wrapped lines stay indented under their bullet."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=3, justify="right")
    grid.add_column(overflow="fold")
    for content in lines:
        grid.add_row("•", Text(content))
    return grid


def _baseline(options: RenderOptions) -> list[tuple[str, list[str]]]:
    """With --baseline: the score change and the items that moved, regressions first."""
    comparison = options.baseline
    if comparison is None:
        return []
    from readiness.rollup.compare import signed

    lines = [f"score {signed(comparison.delta)}; was {comparison.old.verdict}"]
    lines += [f"regression: {c.id} was met, now a gap" for c in comparison.regressions]
    lines += [f"new gap: {c.id}" for c in comparison.new_gaps if c not in comparison.regressions]
    lines += [f"fixed: {c.id} ({c.before} → {c.after})" for c in comparison.fixed]
    return [(f"Since {comparison.old.label}", lines)]


def _raci_lines(result: Result) -> list[str]:
    """RACI findings at their lines; with no entry written at all, the missing ones have no line to point at,
    so they are said once instead of one made-up line each."""
    findings = list(result.raci.findings)
    lines = []
    if not any(row.written for row in result.raci.rows):
        missing = [row.activity for row in result.raci.rows if row.required]
        findings = [f for f in findings if f.activity not in missing or f.level != "error"]
        if missing:
            lines.append(
                f"no RACI matrix yet: {len(missing)} activities have no entry ({', '.join(missing)}); "
                "readiness assess asks for each"
            )
    return lines + [f"line {f.source.line}: {'' if f.level == 'error' else 'warning: '}{f.message}" for f in findings]


def _sections(result: Result) -> list[tuple[str, list[str]]]:
    """Ownership, evidence, waivers and cost: each shown only when there is something to say."""
    ownership = _raci_lines(result)
    evidence = []
    for entry in result.evidence:
        if entry.check.kind == "auto":
            continue
        where = f"line {entry.check.source.line}: {entry.item}:"
        if entry.status == "missing":
            evidence.append(f"{where} '{entry.check.entry}' not found")
        elif entry.status == "stale":
            evidence.append(f"{where} '{entry.check.entry}' last reviewed {entry.reviewed}, too long ago")
    waivers = []
    for state in result.waivers:
        if state.excuses:
            waiver = state.waiver
            waivers.append(f"{waiver.item}: valid until {waiver.expires}, approved by {waiver.approved_by}")
        else:
            waivers.append(f"line {state.waiver.source.line}: {state.waiver.item}: {state.state}: {state.problem}")
    cost = []
    projection = result.cost
    if projection is not None:
        expected, worst = projection.expected, projection.worst
        peak = max(expected.months, key=lambda m: m.total)
        cost.append(
            f"{projection.horizon}-month total {money(expected.total)} {projection.currency} expected, "
            f"{money(worst.total)} worst case; peak month {peak.month} at {money(peak.total)}"
        )
        cost.append(budget_sentence(projection))
    return [
        ("Ownership", ownership),
        ("Probes", probe_failures(result)),
        ("Evidence", evidence),
        ("Waivers", waivers),
        ("Cost", cost),
    ]
