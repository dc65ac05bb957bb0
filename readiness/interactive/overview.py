"""The overview of `readiness assess` (key `l`): every applicable item on one line, with its state.

Plain values here; walk.py shows them and reads what the user types under them: a number or an id to go to an
item, a state to keep only the items in it, `/text` to search titles, ids and questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readiness.core.model import NOT_SCORED, Credit, ItemResult, Outcome, Result
from readiness.interactive.interview import is_proposed

STATES = ("proposed", "met", "verified", "partial", "todo", "unanswered", "n/a", "waived", "unverified")
LEFT = ("proposed", "partial", "todo", "unanswered", "unverified")  # what still needs work
# A state as the counts above the list and a pack's recap word it, where one word says too little.
COUNTED = {"proposed": "proposed (not confirmed)"}


def state_of(r: ItemResult) -> str:
    """One word for where an item stands, as the overview lists and filters it. A scan's proposal is left to do
    whatever else holds (a probe that verifies the item, a waiver): a person has still to confirm it."""
    if is_proposed(r):
        return "proposed"
    if r.outcome is Outcome.WAIVED:
        return "waived"
    if r.outcome is Outcome.NA:
        return "n/a"
    if r.unverified:
        return "unverified"
    if r.outcome is Outcome.MET:
        return "verified" if r.source is Credit.VERIFIED else "met"
    if r.answer is None:
        return "unanswered"
    return r.answer.status.value  # partial or todo


def applicable(result: Result, category: str | None = None) -> list[ItemResult]:
    """Every item that counts (or is left out on purpose), pack by pack in the assessment's order."""
    packs = [c.pack.id for c in result.categories if category is None or c.pack.id == category]
    order = {pack: index for index, pack in enumerate(packs)}
    rows = [r for r in result.items if r.item.pack in order and r.outcome not in NOT_SCORED]
    return sorted(rows, key=lambda r: order[r.item.pack])  # sorted() is stable: the pack's own order stays


@dataclass(frozen=True)
class Row:
    number: int  # 1-based over the whole overview, kept when a filter hides rows, so that `12` always goes to 12
    result: ItemResult

    @property
    def state(self) -> str:
        return state_of(self.result)


def counts(states: Sequence[str]) -> str:
    """'2 proposed (not confirmed) · 1 met · 3 unanswered': how many items are in each state, in STATES' order."""
    from collections import Counter

    counted = Counter(states)
    return " · ".join(f"{counted[state]} {COUNTED.get(state, state)}" for state in STATES if counted[state])


def rows(results: Sequence[ItemResult]) -> list[Row]:
    return [Row(number, r) for number, r in enumerate(results, 1)]


def matching(all_rows: Sequence[Row], query: str) -> list[Row]:
    """The rows a filter keeps: a state word, or `/text` found (any case) in the id, title or question."""
    query = query.strip()
    if query.startswith("/"):
        needle = query[1:].strip().casefold()
        return [
            row
            for row in all_rows
            if needle in f"{row.result.item.id} {row.result.item.title} {row.result.item.question}".casefold()
        ]
    state = "n/a" if query in ("na", "n/a") else query
    return [row for row in all_rows if row.state == state]


def line(row: Row, width: int, current: bool = False) -> str:
    """'▸ 12 partial    blocker production  observability.output-drift-alerts  Alerts on output drift'."""
    r = row.result
    head = f"{'▸' if current else ' '}{row.number:>3} {row.state:<10} {r.severity.value:<7} {r.item.stage.value:<10} "
    text = f"{head}{r.item.id}  {r.item.title}"
    return text if len(text) <= width else text[: max(width - 1, len(head))] + "…"


def find(all_rows: Sequence[Row], typed: str) -> Row | None:
    """The row a number, a full id or the unique start of an id (or of the part after the pack) names."""
    typed = typed.strip()
    if typed.isdigit():
        number = int(typed)
        return next((row for row in all_rows if row.number == number), None)
    exact = [row for row in all_rows if row.result.item.id == typed]
    if exact:
        return exact[0]
    starts = [
        row
        for row in all_rows
        if row.result.item.id.startswith(typed) or row.result.item.id.partition(".")[2].startswith(typed)
    ]
    return starts[0] if len(starts) == 1 else None
