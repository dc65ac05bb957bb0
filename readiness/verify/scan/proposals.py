"""The answers a scan proposes: an item is proposed done only where its probe read the repository's files and
every property it checks holds. Nothing else is proposed: a file's name or a probe that could not judge is no
reason, and a probe that fails is said by the scan, not written as anybody's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from readiness.core.model import Item, ProbeOutcome, Proposal, Status
from readiness.load.textsafe import visible
from readiness.verify.scan.probing import ProbedItem

PROPOSED_BY = "scan"
MAX_EVIDENCE = 10  # files listed per answer; the item's globs find the rest when `check` runs
MAX_QUOTED = 160  # characters of the probe's finding quoted in a reason


@dataclass(frozen=True)
class Proposed:
    item: str
    proposal: Proposal
    evidence: tuple[str, ...]


def proposed_answers(probed: tuple[ProbedItem, ...], applies: Callable[[Item], bool]) -> tuple[Proposed, ...]:
    """Each item whose probe holds over the repository and that `applies` to the system as far as it is known (an
    item that applies only to a kind of system the scan could not show waits for the team to say what it is)."""
    found = []
    for entry in probed:
        if entry.run.outcome is not ProbeOutcome.HOLDS or not applies(entry.item):
            continue
        files = entry.run.judged or entry.candidates
        found.append(Proposed(entry.item.id, Proposal(Status.DONE, PROPOSED_BY, _reason(entry)), files[:MAX_EVIDENCE]))
    return tuple(found)


def _reason(entry: ProbedItem) -> str:
    """`the runbook probe holds on 3 files; first: runbooks/rollback.md:6:1 Mitigation section … holds text`.
    A finding quotes the file, which a pull request writes: control characters are written out, and the quote
    is cut short."""
    files = entry.run.judged or entry.candidates
    count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    holding = next((f for f in entry.run.findings if f.holds), None)
    reason = f"the {entry.run.kind} probe holds on {count}"
    if holding is None:
        return reason
    quote = visible(holding.message)
    if len(quote) > MAX_QUOTED:
        quote = quote[: MAX_QUOTED - 1] + "…"
    return f"{reason}; first: {visible(holding.file)}:{holding.line}:{holding.column} {quote}"
