"""What got better or worse between two scored assessments: for `diff`, `check --baseline` and PR comments.

A baseline may be an old result JSON, so both sides are reduced to a Snapshot: the shown scores (one
decimal, as every output prints them) and each item's outcome. Pure: no files, no git.

A side's label is a file name or a git `REF:path`, which may hold anything a file name can: it is written
with its control characters made visible here, where it enters, so that no view can print it raw. Titles are
kept on one line, as every view shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from readiness.core.model import Result
from readiness.load.textsafe import visible
from readiness.score.scoring import one_decimal


@dataclass(frozen=True)
class ItemState:
    """How one item stood in a version of the assessment."""

    title: str
    pack: str
    severity: str
    outcome: str  # met | gap | na | waived | next-stage | not-applicable | disabled
    status: str


@dataclass(frozen=True)
class Snapshot:
    """One side of a comparison: a version's verdict, scores and items."""

    label: str  # where it came from, e.g. "origin/main:readiness.yaml"; control characters written out
    verdict: str
    score: Decimal | None
    stage_reached: str | None
    categories: Mapping[str, tuple[str, Decimal | None]]  # pack id -> (title, score)
    items: Mapping[str, ItemState]


def _line(title: str) -> str:
    return " ".join(title.split())


def snapshot(result: Result, label: str) -> Snapshot:
    return Snapshot(
        label=visible(label),
        verdict=result.verdict,
        score=None if result.score is None else one_decimal(result.score),
        stage_reached=result.stage_reached.value if result.stage_reached else None,
        categories={
            c.pack.id: (_line(c.pack.title), None if c.score is None else one_decimal(c.score))
            for c in result.categories
        },
        items={
            r.item.id: ItemState(_line(r.item.title), r.item.pack, r.severity.value, r.outcome.value, r.status)
            for r in result.items
        },
    )


def snapshot_from_json(data: Mapping[str, Any], label: str) -> Snapshot:
    """A snapshot from `readiness check -f json` output, valid against `readiness schema result` (resultfile.py
    checks that first)."""

    def decimal(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))

    return Snapshot(
        label=visible(label),
        verdict=str(data["verdict"]),
        score=decimal(data["score"]),
        stage_reached=data.get("stage_reached"),
        categories={c["id"]: (_line(c["title"]), decimal(c["score"])) for c in data["categories"]},
        items={
            i["id"]: ItemState(
                _line(i["title"]), str(i["pack"]), str(i["severity"]), str(i["outcome"]), str(i["status"])
            )
            for i in data["items"]
        },
    )


@dataclass(frozen=True)
class CategoryChange:
    """How one pack's score moved between the two sides."""

    id: str
    title: str
    before: Decimal | None
    after: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class ItemChange:
    """How one item's outcome moved between the two sides."""

    id: str
    title: str
    severity: str
    before: str  # outcome before, or "absent"
    after: str


@dataclass(frozen=True)
class Comparison:
    """What got better or worse between two versions of an assessment."""

    old: Snapshot
    new: Snapshot
    categories: tuple[CategoryChange, ...]
    newly_met: tuple[ItemChange, ...]  # met now, not met before
    new_gaps: tuple[ItemChange, ...]  # a gap now, not a gap before (regressions included)
    fixed: tuple[ItemChange, ...]  # a gap before, not a gap now
    regressions: tuple[ItemChange, ...]  # met before, a gap now

    @property
    def delta(self) -> Decimal | None:
        if self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    ids = list(new.items) + [i for i in old.items if i not in new.items]

    def change(item_id: str) -> ItemChange:
        now, was = new.items.get(item_id), old.items.get(item_id)
        shown = now or was
        assert shown is not None  # every id comes from one side or the other
        return ItemChange(
            item_id, shown.title, shown.severity, was.outcome if was else "absent", now.outcome if now else "absent"
        )

    changes = [change(i) for i in ids]
    packs = list(new.categories) + [p for p in old.categories if p not in new.categories]
    categories = tuple(
        CategoryChange(
            pack,
            (new.categories.get(pack) or old.categories[pack])[0],
            old.categories[pack][1] if pack in old.categories else None,
            new.categories[pack][1] if pack in new.categories else None,
        )
        for pack in packs
    )
    return Comparison(
        old=old,
        new=new,
        categories=categories,
        newly_met=tuple(c for c in changes if c.after == "met" and c.before != "met"),
        new_gaps=tuple(c for c in changes if c.after == "gap" and c.before != "gap"),
        fixed=tuple(c for c in changes if c.before == "gap" and c.after != "gap"),
        regressions=tuple(c for c in changes if c.before == "met" and c.after == "gap"),
    )


def signed(value: Decimal | None) -> str:
    """+2.5, -1.0, ±0.0; 'n/a' when one side was not scored."""
    if value is None:
        return "n/a"
    if value == 0:
        return "±0.0"
    return f"{value:+.1f}"
