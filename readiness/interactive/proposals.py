"""A scan's proposals in the walk: shown as a claim nobody has made yet, confirmed with one key, counted at the end.

`readiness scan --write` writes `status: proposed` with a `proposal` (status, by, reason): it counts as no answer
until a person confirms it. The walk offers these items first (interview.route). `c` makes the proposal the team's
answer: the status becomes the proposed one, the evidence stays, the `proposal` key goes, and the file is then
exactly what answering the item by hand writes. Any other answer removes the proposal too; a skip leaves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from readiness.core.model import Result
from readiness.interactive import interview
from readiness.interactive.changed import answer_changes

if TYPE_CHECKING:
    from readiness.interactive.walk import Walk


def confirm(walk: Walk, item_id: str) -> bool:
    """Make the proposal the team's answer and save; False when there is none here or it cannot stand."""
    r = walk.item(item_id)
    answer = r.answer
    if answer is None or answer.proposal is None or not interview.is_proposed(r):
        walk.ask.say("  nothing to confirm: no scan has proposed an answer to this item", style="yellow")
        return False
    status = answer.proposal.status.value
    # An n/a needs the team's reason; the scan's own is offered, since it says what was looked at.
    reason = walk.reason_for(r, status, answer.reason or answer.proposal.reason)
    if reason is False:
        return False
    fields: dict[str, Any] = {"status": status, "proposal": None, "reason": reason}
    if status == "done" and not answer.evidence and r.item.evidence_required:
        walk.ask.say("  ! this item requires evidence: without it, done counts as unverified", style="yellow")
    return walk.write(item_id, answer_changes(answer, fields), [])


def header(count: int) -> str:
    """The walk's opening line about proposals, when there are some."""
    return f"Answers a scan proposed, to confirm first: {count:,} (c confirms one, s leaves it proposed)."


def summary(before: Result, after: Result, walked: Sequence[str]) -> str | None:
    """'Proposals: 2 confirmed · 1 answered otherwise · 3 still not confirmed', over the walk's items; None
    when the walk had none."""
    was = {r.item.id: r for r in before.items if r.item.id in walked and interview.is_proposed(r)}
    now = {r.item.id: r for r in after.items if r.item.id in walked}
    confirmed = otherwise = 0
    for item_id, old in was.items():
        new = now.get(item_id)
        if new is None or new.answer is None or interview.is_proposed(new):
            continue
        proposal = old.answer.proposal if old.answer is not None else None
        if proposal is not None and new.answer.status is proposal.status:
            confirmed += 1
        else:
            otherwise += 1
    left = sum(1 for r in now.values() if interview.is_proposed(r))
    if not was and not left:
        return None
    return f"Proposals: {confirmed} confirmed · {otherwise} answered otherwise · {left} still not confirmed"
