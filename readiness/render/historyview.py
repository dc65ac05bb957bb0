"""`readiness history` output: the score at each commit that changed the assessment, as text, JSON or Markdown.

Rows are newest first, as `git log` shows them. A row's change is against the nearest older row that has a
score, so a broken commit in between does not hide what the fix did. Every format says when versions are
missing: older commits left out by the limit, or a shallow clone. Subjects and author names arrive made
visible (history.py), so no control character from a commit reaches any format.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import StringIO
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from readiness.render import terminal
from readiness.render.formats import strip_trailing
from readiness.render.jsontext import dumps
from readiness.rollup.compare import signed
from readiness.rollup.history import History, Point

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


_COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("Date", "left"),
    ("Commit", "left"),
    ("Score", "right"),
    ("Change", "right"),
    ("Verdict", "left"),
    ("Stage", "left"),
)
_SUBJECT_MIN = 20  # cells the subject column needs; with less, each version takes two lines instead


def notes(found: History) -> list[str]:
    """What the rows do not show: older versions left out by the limit, or missing from a shallow clone."""
    said = []
    if found.cut:
        shown = (
            "commit that changed the file is"
            if found.limit == 1
            else f"{found.limit} commits that changed the file are"
        )
        said.append(f"Only the newest {shown} shown; older ones changed it too (--limit N shows more).")
    if found.shallow:
        said.append(
            "This clone is shallow: the commits older than its depth are missing, so are the versions they made "
            "(git fetch --unshallow brings them)."
        )
    return said


def as_text(found: History, width: int, color: bool = False) -> str:
    points = found.points
    out = StringIO()
    console = terminal.console(out, width, color)
    changes = score_changes(points)
    rows = [
        (point.date, point.label, point.score or _NOT_SCORED, change_text(change), point.verdict, stage_text(point))
        for point, change in zip(points, changes, strict=True)
    ]
    # Two cells between columns (the box's divider and the padding), and no blocker count (JSON and Markdown
    # have it): the subject keeps room at 80.
    natural = [max(cell_len(values[i]) for values in [tuple(name for name, _ in _COLUMNS), *rows]) for i in range(6)]
    if width - sum(natural) - 2 * len(natural) >= _SUBJECT_MIN:
        console.print(_table(points, rows))
    else:
        _print_stacked(console, points, rows)
    errors = [point for point in points if point.error]
    if errors:
        console.print()
        for point in errors:
            console.print(Text(f"{point.label}: {point.error}"))
    for note in notes(found):
        console.print()
        console.print(Text(note))
    return strip_trailing(out.getvalue())


def _table(points: Sequence[Point], rows: Sequence[tuple[str, ...]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    for name, justify in _COLUMNS:
        table.add_column(name, justify=justify, no_wrap=True)
    # Only the subject wraps; a word too long for its column folds (by grapheme) rather than losing its end.
    table.add_column("Subject", overflow="fold")
    for point, values in zip(points, rows, strict=True):
        date, label, score, change, verdict, stage = values
        verdict_text = Text(verdict, style=_VERDICT_STYLE.get(verdict, ""))
        table.add_row(date, label, score, change, verdict_text, stage, point.subject)
    return table


def _print_stacked(console: Console, points: Sequence[Point], rows: Sequence[tuple[str, ...]]) -> None:
    """For a terminal too narrow for the table: each version's figures on one line, its subject indented under
    them, so that nothing is cut short."""
    for point, (date, label, score, change, verdict, stage) in zip(points, rows, strict=True):
        line = Text(f"{date}  {label}  score {score}" + (f" ({change})" if change else "") + "  ")
        line.append(verdict, style=_VERDICT_STYLE.get(verdict, ""))
        if stage:
            line.append(f"  stage {stage}")
        console.print(line)
        grid = Table.grid()
        grid.add_column(width=2)
        grid.add_column(overflow="fold")
        grid.add_row("", Text(point.subject))
        console.print(grid)


def _number(value: str | Decimal | None) -> float | None:
    return None if value is None else float(value)


def as_json(found: History) -> str:
    points = found.points
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
    # Added after "history", so that readers of the first version are not disturbed.
    whole = {"history": rows, "limit": found.limit, "truncated": found.cut, "shallow": found.shallow}
    return dumps(whole)


def as_markdown(found: History) -> str:
    from readiness.render.mdescape import md

    points = found.points
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
    for note in notes(found):  # our own words: nothing to escape
        lines += ["", note]
    return "\n".join(lines) + "\n"
