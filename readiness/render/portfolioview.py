"""The portfolio roll-up as text (rich), JSON, GitHub-flavoured Markdown and one self-contained HTML page.

Every renderer takes a `Portfolio` and returns text; the same Portfolio always gives the same bytes. Project
names, paths, pack titles and error lines are user text: Markdown escapes it with `md`, HTML autoescapes it.
Paths are folder and file names, which may hold any character but '/' and NUL: each renderer shows them with
their control characters written out (`shown`), as the error lines already are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import StringIO
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from readiness import __version__
from readiness.load.textsafe import visible
from readiness.render import jsontext, terminal
from readiness.render.formats import strip_trailing
from readiness.render.headline import VERDICT_WORDS
from readiness.render.mdescape import md
from readiness.rollup.portfolio import TOP_GAPS, CommonGap, PackColumn, Portfolio, ProjectSummary

SCHEMA_VERSION = "1"
# Heat-map bands of a score, lowest first: (key, lower bound inclusive, words for the legend).
BANDS = (
    ("low", Decimal(0), "below 50"),
    ("fair", Decimal(50), "50 to 69.9"),
    ("good", Decimal(70), "70 to 84.9"),
    ("high", Decimal(85), "85 and above"),
)
NOT_USED = "—"  # a pack the project does not use
_VERDICT_STYLE = {"ready": "bold green", "ready-with-waivers": "bold yellow", "not-ready": "bold red"}
_BAND_STYLE = {"low": "red", "fair": "yellow", "good": "", "high": "green", "none": "dim"}
_PROJECT_MIN, _PROJECT_MAX = 20, 40  # width of the project column in text: longer names and paths wrap
# Widths of the text table's columns before the packs: project (at least), verdict ("ready with" / "waivers"),
# score, stage ("of production"), open blockers (its header).
_FIXED_WIDTHS = (_PROJECT_MIN, 10, 5, 13, 8)
_GUTTER = "   "
_SHORT_HEADER = 5  # characters of a pack id when the full ids do not fit the width: as wide as "100.0"


def band(score: str | None) -> str:
    """low | fair | good | high for a one-decimal score; none for "n/a" or a pack not used."""
    if score is None or score == "n/a":
        return "none"
    value = Decimal(score)
    return next(key for key, floor, _ in reversed(BANDS) if value >= floor)


def percent(share: Fraction) -> str:
    """A share as a whole percentage, rounded half up: 2 of 3 is 67%."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return f"{value.quantize(Decimal(1), ROUND_HALF_UP)}%"


def _counts(p: Portfolio) -> dict[str, int]:
    verdicts = [project.verdict for project in p.projects]
    return {
        "assessments": len(p.projects) + len(p.failed),
        "scored": len(p.projects),
        "invalid": len(p.failed),
        "ready": verdicts.count("ready"),
        "ready-with-waivers": verdicts.count("ready-with-waivers"),
        "not-ready": verdicts.count("not-ready"),
    }


def _summary_line(p: Portfolio) -> str:
    c = _counts(p)
    noun = "assessment" if c["assessments"] == 1 else "assessments"
    line = (
        f"{c['assessments']} {noun}: {c['scored']} scored ({c['ready']} ready, "
        f"{c['ready-with-waivers']} ready with waivers, {c['not-ready']} not ready)"
    )
    return line + (f", {c['invalid']} invalid" if c["invalid"] else "")


def _gaps_title(p: Portfolio) -> str:
    shown = min(TOP_GAPS, len(p.common_gaps))
    more = f" ({shown} of {len(p.common_gaps)} items)" if len(p.common_gaps) > shown else ""
    return "Most common gaps" + more


def shown(p: Portfolio) -> Portfolio:
    """The portfolio with every path's control characters written out: an escape sequence in a folder's name would
    drive the terminal, a line break would forge a line of the text or a row of the Markdown table."""
    paths = [project.path for project in p.projects] + [failed.path for failed in p.failed]
    if all(visible(path) == path for path in paths):
        return p  # the common case, and a portfolio of ten thousand need not be copied for it
    return replace(
        p,
        projects=tuple(replace(project, path=visible(project.path)) for project in p.projects),
        failed=tuple(replace(failed, path=visible(failed.path)) for failed in p.failed),
    )


def _stage(project: ProjectSummary) -> str:
    return project.stage_reached or "none"


# --- text --------------------------------------------------------------------------------------------------


def as_text(p: Portfolio, width: int = 80, color: bool = False) -> str:
    """A table of projects (verdict, score, stage, open blockers, then a score per pack), the most common gaps,
    the invalid assessments with their errors. Pack columns are headed by the pack id, cut short (with a key)
    when the full ids do not fit the width; when even that does not fit, the pack scores get tables of their own.
    """
    p = shown(p)
    out = StringIO()
    console = terminal.console(out, width, color)
    console.print(Text(f"Readiness portfolio · {p.today}", style="bold"))
    console.print(Text(_summary_line(p)))
    if p.projects:
        console.print()
        _print_projects(console, p)
    if p.common_gaps:
        console.print()
        console.print(_gaps_title(p), style="bold")
        console.print(_gap_table(p.common_gaps[:TOP_GAPS], len(p.projects), width))
    if p.failed:
        console.print()
        console.print(f"Invalid assessments ({len(p.failed)})", style="bold")
        listing = Text()
        for failed in p.failed:
            _bullet(listing, failed.path, width, "  • ", "bold")
            for line in failed.diagnostics:
                _bullet(listing, line, width, "    ")
        console.print(listing, no_wrap=True, overflow="crop", end="")
    if p.warnings:
        console.print()
        console.print("Warnings", style="bold")
        listing = Text()
        for warning in p.warnings:
            _bullet(listing, warning, width, "  • ")
        console.print(listing, no_wrap=True, overflow="crop", end="")
    return strip_trailing(out.getvalue())


def _bullet(out: Text, text: str, width: int, first: str, style: str = "") -> None:
    """`text` wrapped after `first` (a bullet, or an indent). Laid out here: a thousand invalid assessments with
    a few errors each would take seconds in a rich grid."""
    indent = " " * len(first) + ("" if first.strip() else "  ")  # a wrapped error line hangs under its start
    for number, line in enumerate(_wrap(text, max(width - len(indent), 10))):
        out.append(first if number == 0 else indent)
        out.append(line + "\n", style)


def _print_projects(console: Console, p: Portfolio) -> None:
    ids = [pack.id for pack in p.packs]
    short = _short_headers(ids)
    for headers in ({i: i for i in ids}, short):
        if _table_width([*_FIXED_WIDTHS, *(_score_width(headers[i]) for i in ids)]) <= console.width:
            console.print(_project_table(p, ids, headers, console.width), no_wrap=True, overflow="crop")
            _print_key(console, headers)
            return
    # Too many packs for one table: the projects first, then the pack scores in as many tables as it takes.
    console.print(_project_table(p, [], {}, console.width), no_wrap=True, overflow="crop")
    groups: list[list[str]] = [[]]
    for pack_id in ids:
        widths = [_PROJECT_MIN, *(_score_width(short[i]) for i in [*groups[-1], pack_id])]
        if groups[-1] and _table_width(widths) > console.width:
            groups.append([])
        groups[-1].append(pack_id)
    console.print()
    console.print("Scores by pack", style="bold")
    for group in groups:
        console.print(_score_table(p, group, short, console.width), no_wrap=True, overflow="crop")
    _print_key(console, short)


def _table_width(columns: list[int]) -> int:
    """Columns side by side, three spaces apart."""
    return sum(columns) + len(_GUTTER) * (len(columns) - 1)


def _score_width(header: str) -> int:
    return max(len(header), len("100.0"))


def _print_key(console: Console, headers: dict[str, str]) -> None:
    cut = [f"{short} = {pack_id}" for pack_id, short in headers.items() if short != pack_id]
    if cut:
        console.print(Text("Columns: " + ", ".join(cut), style="dim"))


# The project tables are laid out here rather than by rich's Table, which takes about 2 ms a row: a thousand
# projects would spend seconds in layout. A cell is a list of lines, each a list of (text, style) runs.
Run = tuple[str, str]
Cell = list[list[Run]]


def _wrap(text: str, width: int) -> list[str]:
    """Words onto lines of at most `width` cells; a word longer than a line is cut (a path, mostly)."""
    if cell_len(text) <= width and "\n" not in text:
        return [text]  # as written, spaces and all
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if cell_len(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        pieces = _path_pieces(word, width)
        lines.extend(pieces[:-1])
        line = pieces[-1]
    return [*lines, line] if line or not lines else lines


def _path_pieces(word: str, width: int) -> list[str]:
    """A word too long for a line, cut after a '/' where it can be (a path reads best broken by folder),
    and only inside a name that is itself too long."""
    pieces: list[str] = []
    current = ""
    for part in re.split(r"(?<=/)", word):
        if cell_len(current + part) <= width:
            current += part
            continue
        if current:
            pieces.append(current)
        chopped = terminal.chop(part, width)
        pieces.extend(chopped[:-1])
        current = chopped[-1]
    return [*pieces, current] if current else pieces


def _lines(text: str, width: int, style: str = "") -> Cell:
    return [[(line, style)] for line in _wrap(text, width)]


def _project_cell(project: ProjectSummary, width: int, with_path: bool) -> Cell:
    cell = _lines(project.name, width, "bold")
    return cell + _lines(project.path, width, "dim") if with_path else cell


def _project_width(p: Portfolio, with_path: bool, others: list[int], total: int) -> int:
    """As wide as the longest name (and path), within _PROJECT_MAX and what the other columns leave."""
    natural = max(cell_len(project.name) for project in p.projects)
    if with_path:
        natural = max(natural, *(cell_len(project.path) for project in p.projects))
    room = total - _table_width([0, *others])
    return max(len("Project"), min(natural, _PROJECT_MAX, room))


def _pack_cells(project: ProjectSummary, ids: list[str]) -> list[Cell]:
    cells = []
    for pack_id in ids:
        score = project.scores.get(pack_id)
        cells.append([[(NOT_USED if score is None else score, _BAND_STYLE[band(score)])]])
    return cells


def _project_table(p: Portfolio, ids: list[str], headers: dict[str, str], total: int) -> Text:
    widths = [*_FIXED_WIDTHS[1:], *(_score_width(headers[i]) for i in ids)]
    project_width = _project_width(p, True, widths, total)
    verdict_width, stage_width = _FIXED_WIDTHS[1], _FIXED_WIDTHS[3]
    rows = []
    for project in p.projects:
        verdict = VERDICT_WORDS.get(project.verdict, project.verdict)
        stage = [[(line, "")] for line in _wrap(_stage(project), stage_width)]
        stage += _lines(f"of {project.target}", stage_width, "dim")
        rows.append(
            [
                _project_cell(project, project_width, with_path=True),
                _lines(verdict, verdict_width, _VERDICT_STYLE.get(project.verdict, "")),
                [[(project.score, _BAND_STYLE[band(project.score)])]],
                stage,
                [[(str(project.blockers), "")]],
                *_pack_cells(project, ids),
            ]
        )
    columns = [("Project", project_width, False), ("Verdict", verdict_width, False), ("Score", widths[1], True)]
    columns += [("Stage", stage_width, False), ("Blockers", widths[3], True)]
    columns += [(headers[i], _score_width(headers[i]), True) for i in ids]
    return _grid(columns, rows)


def _score_table(p: Portfolio, ids: list[str], headers: dict[str, str], total: int) -> Text:
    widths = [_score_width(headers[i]) for i in ids]
    project_width = _project_width(p, False, widths, total)
    rows = [
        [_project_cell(project, project_width, with_path=False), *_pack_cells(project, ids)] for project in p.projects
    ]
    columns = [("Project", project_width, False), *((headers[i], w, True) for i, w in zip(ids, widths, strict=True))]
    return _grid(columns, rows)


def _grid(columns: list[tuple[str, int, bool]], rows: list[list[Cell]]) -> Text:
    """Header, a rule, then the rows, cells padded to their column (numbers to the right)."""
    out = Text()
    header: list[list[Run]] = [[(title, "bold")] for title, _, _ in columns]
    _append_line(out, columns, header)
    out.append("─" * _table_width([width for _, width, _ in columns]) + "\n")
    for row in rows:
        for index in range(max(len(cell) for cell in row)):
            _append_line(out, columns, [cell[index] if index < len(cell) else [] for cell in row])
    out.rstrip()
    return out


def _append_line(out: Text, columns: list[tuple[str, int, bool]], runs: list[list[Run]]) -> None:
    plain = ""  # unstyled text waiting to be appended: one append for all the padding between styled runs
    for number, ((_, width, right), cell) in enumerate(zip(columns, runs, strict=True)):
        padding = " " * max(0, width - sum(cell_len(text) for text, _ in cell))
        plain += (_GUTTER if number else "") + (padding if right else "")
        for text, style in cell:
            if style:
                out.append(plain)
                out.append(text, style)
                plain = ""
            else:
                plain += text
        if not right and number < len(columns) - 1:
            plain += padding
    out.append(plain + "\n")


def _short_headers(ids: list[str]) -> dict[str, str]:
    """Each pack id cut to the shortest prefix of at least _SHORT_HEADER characters that no other id shares."""
    short = {}
    for pack_id in ids:
        size = _SHORT_HEADER
        while size < len(pack_id) and any(o != pack_id and o[:size] == pack_id[:size] for o in ids):
            size += 1
        short[pack_id] = pack_id[:size]
    return short


def _gap_table(gaps: tuple[CommonGap, ...], projects: int, width: int) -> Table:
    """Item id and title, wrapped here (by grapheme: a flag in a long title is never cut in two), then the count."""
    counts = [f"{gap.count} of {projects} ({percent(gap.share)})" for gap in gaps]
    item_width = max(10, width - 2 - max(cell_len(text) for text in [*counts, "Projects"]))  # two spaces between
    table = Table(box=None, pad_edge=False, show_header=True, header_style="dim")
    table.add_column("Item", overflow="fold")
    table.add_column("Projects", justify="right", no_wrap=True)
    for gap, count in zip(gaps, counts, strict=True):
        lines = [*_wrap(gap.item, item_width), *_wrap(gap.title, item_width)]
        table.add_row(Text("\n".join(lines)), count)
    return table


# --- JSON --------------------------------------------------------------------------------------------------


def _number(score: str | None) -> float | None:
    return None if score is None or score == "n/a" else float(score)


def to_dict(p: Portfolio) -> dict[str, Any]:
    """The JSON document: see as_json."""
    p = shown(p)
    counts = _counts(p)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "readiness", "version": __version__},
        "today": p.today,
        "summary": {
            "assessments": counts["assessments"],
            "scored": counts["scored"],
            "invalid": counts["invalid"],
            "verdicts": {v: counts[v] for v in ("ready", "ready-with-waivers", "not-ready")},
        },
        "packs": [{"id": pack.id, "title": pack.title} for pack in p.packs],
        "projects": [
            {
                "path": project.path,
                "name": project.name,
                "target": project.target,
                "verdict": project.verdict,
                "score": _number(project.score),
                "stage_reached": project.stage_reached,
                "open_blockers": project.blockers,
                "categories": {
                    pack.id: _number(project.scores[pack.id]) for pack in p.packs if pack.id in project.scores
                },
                "gaps": [item for item, _ in project.gaps],
            }
            for project in p.projects
        ],
        "common_gaps": [
            {"id": gap.item, "title": gap.title, "projects": gap.count, "share": round(float(gap.share), 4)}
            for gap in p.common_gaps
        ],
        "invalid": [{"path": failed.path, "errors": list(failed.diagnostics)} for failed in p.failed],
        "warnings": list(p.warnings),
    }


def as_json(p: Portfolio) -> str:
    """A stable shape, `schema_version` "1":

    - `today`, `tool` {name, version};
    - `summary`: {assessments, scored, invalid, verdicts: {ready, ready-with-waivers, not-ready}};
    - `packs`: [{id, title}] in column order (built-in packs first);
    - `projects`: [{path, name, target, verdict, score (number, null when nothing was scored), stage_reached
      (null when none), open_blockers, categories {pack id: score or null; packs the project does not use are
      absent}, gaps [item ids, remediation order]}], in path order;
    - `common_gaps`: every item some project misses: [{id, title, projects, share (0…1)}], most projects first;
    - `invalid`: [{path, errors [FILE:LINE:COL: error: … lines]}];
    - `warnings`: [lines].

    Paths are as every format shows them, control characters written out (`\\u001b` for ESC), as in the lines
    of `errors` and `warnings`.
    """
    return jsontext.dumps(to_dict(p))


# --- Markdown ----------------------------------------------------------------------------------------------


def as_markdown(p: Portfolio) -> str:
    p = shown(p)
    lines = [f"# Readiness portfolio · {md(p.today)}", "", _summary_line(p) + ".", ""]  # numbers and words only
    lines += ["## Projects", ""]
    if p.projects:
        head = ["Project", "File", "Verdict", "Score", "Stage reached", "Target", "Open blockers"]
        head += [md(pack.title) for pack in p.packs]
        align = ["---", "---", "---", "---:", "---", "---", "---:"] + ["---:"] * len(p.packs)
        lines += [_row(head), _row(align)]
        for project in p.projects:
            cells = [
                md(project.name),
                md(project.path),
                VERDICT_WORDS.get(project.verdict, md(project.verdict)),
                project.score,
                md(_stage(project)),
                md(project.target),
                str(project.blockers),
            ]
            cells += [md(project.scores.get(pack.id, NOT_USED)) for pack in p.packs]
            lines.append(_row(cells))
        lines += ["", f"{NOT_USED} marks a pack the project does not use; n/a, a pack with nothing scored."]
    else:
        lines.append("No assessment could be scored.")
    lines += ["", f"## {_gaps_title(p)}", ""]
    if p.common_gaps:
        lines += [_row(["Item", "Title", "Projects", "Share"]), _row(["---", "---", "---:", "---:"])]
        for gap in p.common_gaps[:TOP_GAPS]:
            lines.append(_row([md(gap.item), md(gap.title), f"{gap.count} of {len(p.projects)}", percent(gap.share)]))
    else:
        lines.append("No gaps: no scored project misses any item.")
    if p.failed:
        lines += ["", f"## Invalid assessments ({len(p.failed)})", ""]
        for failed in p.failed:
            lines.append(f"- **{md(failed.path)}**")
            lines += [f"  - {md(line)}" for line in failed.diagnostics]
    if p.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {md(line)}" for line in p.warnings]
    lines += ["", f"<sub>readiness {__version__} · {md(p.today)}</sub>"]
    return "\n".join(lines) + "\n"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# --- HTML --------------------------------------------------------------------------------------------------


def context(p: Portfolio) -> dict[str, Any]:
    """What the HTML page shows, as plain values: the template only lays it out."""
    p = shown(p)
    return {
        "tool": f"readiness {__version__}",
        "today": p.today,
        "summary": _summary_line(p),
        "counts": _counts(p),
        # The id under the title only where it says something the title does not.
        "packs": [{"id": pack.id, "title": pack.title, "show_id": pack.id != pack.title.lower()} for pack in p.packs],
        "rows": [_html_row(project, p.packs) for project in p.projects],
        "bands": [{"key": key, "label": label} for key, _, label in BANDS],
        "gaps_title": _gaps_title(p),
        "gaps": [
            {"item": g.item, "title": g.title, "count": g.count, "percent": percent(g.share)}
            for g in p.common_gaps[:TOP_GAPS]
        ],
        "projects": len(p.projects),
        "failed": [{"path": f.path, "lines": list(f.diagnostics)} for f in p.failed],
        "warnings": list(p.warnings),
    }


def _html_row(project: ProjectSummary, packs: tuple[PackColumn, ...]) -> dict[str, Any]:
    return {
        "name": project.name,
        "path": project.path,
        "verdict": project.verdict,
        "verdict_label": VERDICT_WORDS.get(project.verdict, project.verdict),
        "score": project.score,
        "band": band(project.score),
        "stage_reached": _stage(project),
        "target": project.target,
        "blockers": project.blockers,
        "cells": [
            {"pack": pack.title, "score": project.scores.get(pack.id), "band": band(project.scores.get(pack.id))}
            for pack in packs
        ],
    }


def as_html(p: Portfolio) -> str:
    from readiness.render.templating import environment  # jinja2 only when HTML is asked for

    return environment(html=True).get_template("portfolio.html.j2").render(context(p))
