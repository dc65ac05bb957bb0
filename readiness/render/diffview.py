"""`readiness diff` output: what got better or worse, as text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import StringIO
from typing import Any

from readiness.render import jsontext
from readiness.render.formats import strip_trailing
from readiness.rollup.compare import Comparison, ItemChange, signed


def _score(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _lists(comparison: Comparison) -> list[tuple[str, Sequence[ItemChange]]]:
    return [
        ("Regressions (met before, a gap now)", comparison.regressions),
        ("New gaps", [c for c in comparison.new_gaps if c not in comparison.regressions]),
        ("Fixed gaps", comparison.fixed),
        ("Newly met", [c for c in comparison.newly_met if c not in comparison.fixed]),
    ]


def as_text(comparison: Comparison, width: int = 80) -> str:
    """Within `width` terminal cells: long labels and pack titles wrap (by grapheme, never inside a character
    made of several code points), and columns line up by cells, so CJK and emoji titles keep the table straight."""
    # rich only here: the JSON and Markdown forms stay as quick to import as the other machine formats.
    from rich.table import Table
    from rich.text import Text

    from readiness.render import terminal

    out = StringIO()
    console = terminal.console(out, width, color=False)
    old, new = comparison.old, comparison.new
    console.print(Text(f"{old.label} → {new.label}"))
    console.print(
        Text(
            f"score {_score(old.score)} → {_score(new.score)} ({signed(comparison.delta)}) · "
            f"{old.verdict} → {new.verdict} · stage {old.stage_reached or 'none'} → {new.stage_reached or 'none'}"
        )
    )
    console.print()
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0), header_style="")
    table.add_column("Category", overflow="fold", min_width=8)
    for name in ("Before", "After", "Change"):
        table.add_column(name, justify="right", no_wrap=True, min_width=6)
    for c in comparison.categories:
        table.add_row(Text(c.title), _score(c.before), _score(c.after), signed(c.delta))
    console.print(table)
    for heading, changes in _lists(comparison):
        console.print()
        console.print(Text(f"{heading}: {len(changes) or 'none'}"))
        for change in changes:
            console.print(Text(f"  {change.id} ({change.severity}): {change.before} → {change.after}"))
    return strip_trailing(out.getvalue())


def as_json(comparison: Comparison) -> str:
    def items(changes: Sequence[ItemChange]) -> list[dict[str, Any]]:
        return [
            {"id": c.id, "title": c.title, "severity": c.severity, "before": c.before, "after": c.after}
            for c in changes
        ]

    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    data = {
        "old": {
            "label": comparison.old.label,
            "verdict": comparison.old.verdict,
            "score": number(comparison.old.score),
        },
        "new": {
            "label": comparison.new.label,
            "verdict": comparison.new.verdict,
            "score": number(comparison.new.score),
        },
        "score_change": number(comparison.delta),
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "before": number(c.before),
                "after": number(c.after),
                "change": number(c.delta),
            }
            for c in comparison.categories
        ],
        "regressions": items(comparison.regressions),
        "new_gaps": items(comparison.new_gaps),
        "fixed": items(comparison.fixed),
        "newly_met": items(comparison.newly_met),
    }
    return jsontext.dumps(data)


def as_markdown(comparison: Comparison) -> str:
    from readiness.render.mdescape import md

    old, new = comparison.old, comparison.new
    lines = [
        f"### readiness: {md(old.label)} → {md(new.label)}",
        "",
        f"Score **{_score(new.score)}** ({signed(comparison.delta)}), {new.verdict} (was {old.verdict}).",
        "",
        "| Category | Before | After | Change |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {md(c.title)} | {_score(c.before)} | {_score(c.after)} | {signed(c.delta)} |" for c in comparison.categories
    ]
    for heading, changes in _lists(comparison):
        if changes:
            lines += ["", f"**{heading}**", ""]
            lines += [f"- `{c.id}` {md(c.title)} ({c.severity}): {c.before} → {c.after}" for c in changes]
    return "\n".join(lines) + "\n"
