"""What stands between the project and a stage, in one vocabulary for every format.

A *blocker* is an item of severity blocker, and nothing else. An item *blocks* a stage when it is open and
serious enough to hold that stage back (a blocker or a major item, of that stage or an earlier one): the rule
by which the stage reached is found. So "3 blockers and 31 other items block production" counts the items
that keep production out of reach, the blockers among them named as such; open minor items cost score but
block no stage, and are counted apart as "minor items open".
"""

from __future__ import annotations

from dataclasses import dataclass

from readiness.core.model import ItemResult, Outcome, Result, Severity, Stage

SHOWN_IDS = 4  # ids named after a sentence in the terminal; the rest are counted


@dataclass(frozen=True)
class Standing:
    """What blocks one stage: its open blocker and major items."""

    stage: str
    blockers: tuple[ItemResult, ...]  # severity blocker, in the order of the remediation plan
    others: tuple[ItemResult, ...]  # severity major

    @property
    def items(self) -> tuple[ItemResult, ...]:
        return self.blockers + self.others

    @property
    def count(self) -> int:
        return len(self.blockers) + len(self.others)


def _blocks(result: ItemResult, stage: Stage) -> bool:
    return (
        result.outcome is Outcome.GAP and result.severity is not Severity.MINOR and result.item.stage.rank <= stage.rank
    )


def standing(result: Result, stage: Stage) -> Standing:
    """The open items that block `stage`. Beyond the target nothing is scored: there, what the scoring names as
    standing before the next stage (items that stage will ask and that are not done) is taken instead."""
    if stage.rank <= result.target.rank:
        found = tuple(g for g in result.gaps if _blocks(g, stage))
    else:
        by_id = {r.item.id: r for r in result.items}
        found = tuple(by_id[i] for i in result.next_stage_blockers) if stage is result.next_stage else ()
    return Standing(
        stage=stage.value,
        blockers=tuple(r for r in found if r.severity is Severity.BLOCKER),
        others=tuple(r for r in found if r.severity is not Severity.BLOCKER),
    )


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def sentence(found: Standing) -> str:
    """'3 blockers and 31 other items block production', '1 blocker blocks pilot', '5 items block pilot, none of
    them a blocker', '1 item blocks pilot, not a blocker', 'nothing blocks production'."""
    blockers, others = len(found.blockers), len(found.others)
    if blockers and others:
        return f"{counted(blockers, 'blocker')} and {counted(others, 'other item')} block {found.stage}"
    if blockers:
        return f"{counted(blockers, 'blocker')} {'blocks' if blockers == 1 else 'block'} {found.stage}"
    if others:
        if others == 1:
            return f"1 item blocks {found.stage}, not a blocker"
        return f"{counted(others, 'item')} block {found.stage}, none of them a blocker"
    return f"nothing blocks {found.stage}"


def minor_open(result: Result) -> int:
    """Open minor items: they cost score but block no stage."""
    return sum(1 for g in result.gaps if g.severity is Severity.MINOR)


def listed(found: Standing, shown: int = SHOWN_IDS) -> str:
    """The ids of the items, the first `shown` of them, then how many more."""
    ids = [r.item.id for r in found.items]
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more:,} more" if more > 0 else "")


def summary_lines(result: Result) -> list[str]:
    """What blocks the target, and the next stage when it comes before the target, as the terminal and the
    pull-request summary say it: one sentence each, the items named in remediation order."""
    target = standing(result, result.target)
    minor = minor_open(result)
    upcoming = result.next_stage
    role = "the target and the next stage" if upcoming is result.target else "the target"
    first = f"{_capital(sentence(target))} ({role})"
    if upcoming is result.target and target.count:
        first += f": {listed(target)}"
    lines = [f"{first}."]
    if upcoming is not None and upcoming is not result.target:
        ahead = standing(result, upcoming)
        if ahead.count:
            lines.append(f"{_capital(sentence(ahead))} (the next stage): {listed(ahead)}.")
    if minor:
        lines.append(f"{minor_sentence(minor)}.")
    return lines


def minor_sentence(minor: int) -> str:
    if minor == 1:
        return "1 minor item is open too: it costs score but blocks no stage"
    return f"{minor:,} minor items are open too: they cost score but block no stage"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def open_items(result: Result) -> str:
    """Every open item, split the same way: '41 open items: 3 blockers and 38 other items block production'."""
    target = standing(result, result.target)
    minor = minor_open(result)
    text = f"{counted(len(result.gaps), 'open item')}: {sentence(target)}"
    if minor:
        text += f"; {counted(minor, 'minor item')} {'blocks' if minor == 1 else 'block'} no stage"
    return text
