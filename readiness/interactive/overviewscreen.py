"""The overview screen of `readiness assess`: the list of items, a filter or a search, and a jump.

A screenful at a time (the terminal's height), the item being walked marked with ▸. What the user types under
the list: a number or an id (or `g ID`) goes to that item; a state keeps only the items in it; `/text` searches;
`+` and `-` page; Enter alone goes back to the item.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from readiness.interactive import overview
from readiness.interactive.itemview import plural

if TYPE_CHECKING:
    from readiness.interactive.walk import Walk

PROMPT = "Number or id: go there · a state or /text: filter · + -: page · Enter: back"


def choose(walk: Walk, category: str | None, current: str | None, query: str = "") -> str | None:
    """Show the overview and return the id of the item to go to, or None to go back where the walk was."""
    all_rows = overview.rows(overview.applicable(walk.result, category))
    shown = overview.matching(all_rows, query) if query else all_rows
    title = f"/{query[1:].strip()}" if query.startswith("/") else query
    start = 0
    while True:
        page = max(5, walk.ask.console.height - 6)  # the rule, the counts, what is left, a line of 'more', the prompt
        start = max(0, min(start, len(shown) - 1))
        _draw(walk, all_rows, shown, title, start, page, current)
        typed = walk.ask.line(PROMPT)
        if not typed:
            return None
        if typed in ("+", "-"):
            start += page if typed == "+" else -page
            continue
        if typed.startswith("/") or typed in (*overview.STATES, "na", "all"):
            found = all_rows if typed == "all" else overview.matching(all_rows, typed)
            if found:
                shown, title, start = found, ("" if typed == "all" else typed), 0
            else:
                walk.ask.say(f"  no item matches '{typed}'", style="yellow")
            continue
        wanted = typed[2:] if typed.startswith("g ") else typed
        row = overview.find(all_rows, wanted)
        if row is not None:
            return row.result.item.id
        walk.ask.say(f"  no item is '{wanted}': type its number, its id or the start of it", style="yellow")


def _draw(
    walk: Walk,
    all_rows: list[overview.Row],
    shown: list[overview.Row],
    title: str,
    start: int,
    page: int,
    current: str | None,
) -> None:
    walk.screen.page()
    heading = f"overview · {plural(len(all_rows), 'item')}" + (f" · {title}: {len(shown):,}" if title else "")
    walk.ask.rule(heading)
    walk.ask.say(overview.counts([row.state for row in all_rows]))
    efforts = Counter(row.result.item.effort.value for row in all_rows if row.state in overview.LEFT)
    if efforts:
        by_effort = " · ".join(f"{efforts[e]} {e}" for e in ("low", "medium", "high") if efforts[e])
        walk.ask.say(f"Left to do: {plural(sum(efforts.values()), 'item')}, by effort {by_effort}")
    width = walk.ask.console.width
    for row in shown[start : start + page]:
        walk.ask.say(overview.line(row, width, row.result.item.id == current))
    left = len(shown) - (start + page)
    if left > 0:
        walk.ask.say(f"  … {plural(left, 'more item')}: + for the next page, or a state or /text to narrow")
