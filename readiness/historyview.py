"""`readiness history` output: the score at each commit that changed the assessment, as text, JSON or Markdown.

Rows are newest first, as `git log` shows them. A row's change is against the nearest older row that has a
score, so a broken commit in between does not hide what the fix did.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from io import StringIO
from typing import Any

from rich import box
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from readiness.compare import signed
from readiness.history import Point
from readiness.render import strip_trailing, terminal

_VERDICT_STYLE = {"ready": "green", "ready-with-waivers": "yellow", "not-ready": "red", "invalid": "bold red"}
_NOT_SCORED = "—"


def score_changes(points: Sequence[Point]) -> list[Decimal | None]:
    """Each point's score minus that of the nearest older point with a score; None where either is missing."""
    changes: list[Decimal | None] = []
    for index, point in enumerate(points):
        older = next((p.score for p in points[index + 1 :] if p.score is not None), None)
        changes.append(None if point.score is None or older is None else Decimal(point.score) - Decimal(older))
    return changes


def change_text(change: Decimal | None) -> str:
    """+2.5, -1.0, ±0.0, or empty when there is nothing to compare with."""
    return "" if change is None else signed(change)


def _blockers(point: Point) -> str:
    return "" if point.blockers is None else str(point.blockers)


def stage_text(point: Point) -> str:
    """The stage reached; "none" for a scored version that reached none, empty for one not scored."""
    return point.stage_reached or ("none" if point.blockers is not None else "")


def as_text(points: Sequence[Point], width: int, color: bool = False) -> str:
    out = StringIO()
    console = terminal.console(out, width, color)
    # Two spaces between columns, and no blocker count (JSON and Markdown have it): the subject keeps room at 80.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Date", "left"),
        ("Commit", "left"),
        ("Score", "right"),
        ("Change", "right"),
        ("Verdict", "left"),
        ("Stage", "left"),
        ("Subject", "left"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=name != "Subject")  # only the subject wraps
    for point, change in zip(points, score_changes(points), strict=True):
        table.add_row(
            point.date,
            point.label,
            point.score or _NOT_SCORED,
            change_text(change),
            Text(point.verdict, style=_VERDICT_STYLE.get(point.verdict, "")),
            stage_text(point),
            point.subject,
        )
    console.print(table)
    errors = [point for point in points if point.error]
    if errors:
        console.print()
        for point in errors:
            console.print(Text(f"{point.label}: {point.error}"))
    return strip_trailing(out.getvalue())


def _number(value: str | Decimal | None) -> float | None:
    return None if value is None else float(value)


def as_json(points: Sequence[Point]) -> str:
    rows: list[dict[str, Any]] = [
        {
            "label": point.label,
            "sha": point.sha,
            "date": point.date,
            "author": point.author,
            "subject": point.subject,
            "file": point.file,
            "score": _number(point.score),
            "change": _number(change),
            "verdict": point.verdict,
            "stage_reached": point.stage_reached,
            "blockers": point.blockers,
            "error": point.error,
        }
        for point, change in zip(points, score_changes(points), strict=True)
    ]
    return json.dumps({"history": rows}, indent=2, ensure_ascii=False) + "\n"


def as_markdown(points: Sequence[Point]) -> str:
    from readiness.render.mdescape import md

    lines = [
        "| Date | Commit | Score | Change | Verdict | Blockers | Stage | Subject |",
        "| --- | --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for point, change in zip(points, score_changes(points), strict=True):
        cells = [point.date, point.label, point.score or _NOT_SCORED, change_text(change), point.verdict]
        cells += [_blockers(point), stage_text(point), md(point.subject)]
        lines.append("| " + " | ".join(cells) + " |")
    errors = [point for point in points if point.error]
    if errors:
        lines.append("")
        lines += [f"- {point.label}: {md(point.error)}" for point in errors]
    return "\n".join(lines) + "\n"
