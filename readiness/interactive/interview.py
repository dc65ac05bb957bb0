"""What the interactive walk asks and in which order, and what changed: plain values, no terminal here.

`readiness assess` (readiness/interactive/walk.py) shows these stops one by one and saves after each answer; this module
only decides the route and reads answers back as words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readiness.core.model import NOT_SCORED, ItemResult, Outcome, ProbeOutcome, Result, Status

# Keys of the walk: one letter each, shown in the prompt line and in the help.
KEYS = {
    "c": "confirm: take a scan's proposal as the team's answer (on a proposed item)",
    "d": "done: met, with the evidence that shows it",
    "p": "partial: started, not finished",
    "t": "todo: not started",
    "n": "n/a: does not apply to this system (a reason is required)",
    "s": "skip: leave it open and go on",
    "b": "back: the previous item",
    "e": "edit one field of the answer: status, evidence, note, owner, due or reviewed",
    "u": "undo: put the file back as it was before this sitting's last save",
    "l": "list: every item with its state; filter, search, go to one",
    "g": "go to an item by its id (or the start of it) or its number in the list",
    "/": "find: the items whose id, title or question holds a text",
    "q": "quit: stop here (every answer so far is saved)",
    "?": "help: this list",
}
STATUS_OF_KEY = {"d": "done", "p": "partial", "t": "todo", "n": "na"}
# How the walk names a proposed answer wherever it shows a status: a proposal is nobody's claim.
PROPOSED_WORDS = "proposed (not confirmed)"


@dataclass(frozen=True)
class Stop:
    """One item on the route, with where it stands: item 12 of 47, observability 3 of 10."""

    item_id: str
    position: int  # 1-based, over the whole route
    total: int
    pack_title: str
    pack_position: int  # 1-based, within its pack on this route
    pack_total: int

    @property
    def progress(self) -> str:
        return f"item {self.position} of {self.total} · {self.pack_title} {self.pack_position} of {self.pack_total}"


def is_proposed(result: ItemResult) -> bool:
    """Whether the item's answer is a scan's proposal that no person has confirmed yet."""
    return result.answer is not None and result.answer.status is Status.PROPOSED


def is_open(result: ItemResult) -> bool:
    """Unanswered, todo, partial or unverified: what a walk visits first. Waived and n/a items are settled."""
    return result.outcome is Outcome.GAP


def route(result: Result, category: str | None = None, revisit: bool = False) -> list[Stop]:
    """The items to walk: first every scan's proposal awaiting a person, then, pack by pack in the assessment's
    order, the open ones, or with `revisit` every applicable item, open ones first within each pack. A proposal
    is walked even when a probe verifies its item, since nobody has confirmed it. Items that are not scored
    (next stage, not applicable, disabled) are never asked about.
    """
    proposed: list[str] = []
    chosen: list[str] = []
    for category_score in result.categories:
        pack = category_score.pack
        if category is not None and pack.id != category:
            continue
        applicable = [r for r in result.items if r.item.pack == pack.id and r.outcome not in NOT_SCORED]
        proposed += [r.item.id for r in applicable if is_proposed(r)]
        rest = [r for r in applicable if not is_proposed(r)]
        open_items = [r for r in rest if is_open(r)]
        settled = [r for r in rest if not is_open(r)] if revisit else []
        chosen += [r.item.id for r in open_items + settled]
    return stops_of(result, proposed + chosen)


def proposals_on(result: Result, stops: Sequence[Stop]) -> int:
    """How many stops of the route are proposals awaiting a person (route() puts them first)."""
    proposed = {r.item.id for r in result.items if is_proposed(r)}
    return sum(1 for stop in stops if stop.item_id in proposed)


def stops_of(result: Result, item_ids: Sequence[str]) -> list[Stop]:
    """Stops for these items in this order, numbered over the whole route and within each pack."""
    titles = {c.pack.id: c.pack.title for c in result.categories}
    pack_of = {r.item.id: r.item.pack for r in result.items}
    per_pack: dict[str, int] = {}
    for item_id in item_ids:
        per_pack[pack_of[item_id]] = per_pack.get(pack_of[item_id], 0) + 1
    seen: dict[str, int] = {}
    stops: list[Stop] = []
    for item_id in item_ids:
        pack = pack_of[item_id]
        seen[pack] = seen.get(pack, 0) + 1
        stops.append(Stop(item_id, len(stops) + 1, len(item_ids), titles.get(pack, pack), seen[pack], per_pack[pack]))
    return stops


def place(result: Result, stops: Sequence[Stop], item_id: str, index: int) -> tuple[list[Stop], int]:
    """The route and the position at which `item_id` is shown: where it is on the route, or, for an item the
    route does not visit (a settled one), inserted at `index` so that the walk goes on from there after it."""
    ids = [stop.item_id for stop in stops]
    if item_id in ids:
        return list(stops), ids.index(item_id)
    index = max(0, min(index, len(ids)))
    ids.insert(index, item_id)
    return stops_of(result, ids), index


def resume_index(result: Result, stops: Sequence[Stop], saved: str | None) -> int | None:
    """Where a walk resumes: the saved item, or, if that one is settled since, the first stop after it in the
    packs' order; None when nothing usable was saved (an unknown id: the walk starts at its first item)."""
    if saved is None:
        return None
    order = {r.item.id: index for index, r in enumerate(result.items)}
    if saved not in order:
        return None
    ids = [stop.item_id for stop in stops]
    if saved in ids:
        return ids.index(saved)
    later = [i for i, item_id in enumerate(ids) if order.get(item_id, -1) > order[saved]]
    return later[0] if later else None


def open_activities(result: Result, revisit: bool = False) -> list[tuple[str, str]]:
    """(activity, title) for the RACI walk: those the packs in use need and whose entry is missing or broken
    (no A, several A, no R); every required one with `revisit`."""
    rows = [row for row in result.raci.rows if row.required]
    if revisit:
        return [(row.activity, row.title) for row in rows]
    return [(row.activity, row.title) for row in rows if not row.written or result.raci.broken(row.activity)]


def probe_lines(result: ItemResult, shown: int = 3) -> list[tuple[str, str | None]]:
    """What the item's probe read, under the question: its outcome, then the first findings at FILE:LINE."""
    run = result.probe
    if run is None:
        return []
    outcome = {
        ProbeOutcome.HOLDS: ("holds", "green"),
        ProbeOutcome.FAILS: ("contradicts a done", "red"),
        ProbeOutcome.NOTHING: ("found nothing it can judge", "yellow"),
    }[run.outcome]
    lines: list[tuple[str, str | None]] = [(f"Probe {run.kind}: {outcome[0]}", outcome[1])]
    if not run.judged and not run.findings and result.item.auto is not None:
        lines.append((f"  · no file matches {', '.join(result.item.auto.files)}", None))
    for finding in run.findings[:shown]:
        mark = {True: "✓", False: "✗", None: "·"}[finding.holds]
        lines.append((f"  {mark} {finding.file}:{finding.line}: {finding.message}", None))
    if len(run.findings) > shown:
        lines.append((f"  and {len(run.findings) - shown:,} more findings (readiness check -f json)", None))
    return lines


def answer_in_words(result: ItemResult) -> str:
    """The current answer on one line: 'partial · evidence a.md, b.md · owner bob · due 2026-12-15'."""
    answer = result.answer
    if answer is None:
        if result.outcome is Outcome.MET:
            return "unanswered, but verified by its probe or check"
        if result.outcome is Outcome.WAIVED:
            return "unanswered, waived"
        return "unanswered"
    parts = [answer.status.value]
    if answer.proposal is not None and answer.status is Status.PROPOSED:
        parts = [f"{PROPOSED_WORDS}: {answer.proposal.status.value}, by {answer.proposal.by}"]
    if result.unverified:
        parts[0] += " (unverified)"
    if answer.evidence:
        parts.append("evidence " + ", ".join(answer.evidence))
    if answer.reason:
        parts.append(f"reason: {answer.reason}")
    if answer.note:
        parts.append(f"note: {answer.note}")
    if answer.owner:
        parts.append(f"owner {answer.owner}")
    if answer.due:
        parts.append(f"due {answer.due}")
    if answer.reviewed:
        parts.append(f"reviewed {answer.reviewed}")
    return " · ".join(parts)


def status_word(result: ItemResult) -> str:
    """How an item stands, for the before → after list of the summary."""
    if result.outcome is Outcome.WAIVED:
        return "waived"
    if result.answer is None:
        return "unanswered"
    if result.answer.status is Status.PROPOSED:
        return PROPOSED_WORDS
    word = result.answer.status.value
    return f"{word} (unverified)" if result.unverified else word


@dataclass(frozen=True)
class Change:
    item_id: str
    before: str
    after: str


def changes(before: Result, after: Result, touched: Sequence[str]) -> list[Change]:
    """How the items answered in this session moved, in the order they were answered."""
    old = {r.item.id: r for r in before.items}
    new = {r.item.id: r for r in after.items}
    found: list[Change] = []
    for item_id in dict.fromkeys(touched):
        if item_id in old and item_id in new:
            was, now = status_word(old[item_id]), status_word(new[item_id])
            if was != now or _content(old[item_id]) != _content(new[item_id]):
                found.append(Change(item_id, was, now))
    return found


def _content(result: ItemResult) -> tuple[object, ...]:
    """An answer without its position: saving one answer moves the lines of the others."""
    a = result.answer
    return () if a is None else (a.status, a.evidence, a.note, a.owner, a.due, a.reviewed, a.reason)
