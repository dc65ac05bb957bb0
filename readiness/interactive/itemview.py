"""What the walk shows of one item: the pack's words, then everything the file and the project hold about it.

Plain lines with a style each (no terminal here), so that the same lines serve a scrolling terminal and a
screen redrawn in place. Under `--all` the file must read as it is: the answer with its reviewed date, a
waiver with who approved it, until when and whether it still holds, the probe's findings, and the files that
only match by name.
"""

from __future__ import annotations

from collections.abc import Sequence

from readiness.core.model import ItemResult, Result, WaiverStatus
from readiness.interactive import interview

Line = tuple[str, "str | None"]

CANDIDATES_SHOWN = 5


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 item', '81 items'; `words` where the plural is not the word and an s."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def waiver_line(state: WaiverStatus) -> Line:
    """'Waived by ana until 2027-01-31: valid, 41 days left'; what is wrong with it when it does not excuse."""
    waiver = state.waiver
    head = f"Waiver: approved by {waiver.approved_by} until {waiver.expires} ({waiver.reason})"
    if state.excuses:
        return f"{head}: valid, {plural(state.days_left, 'day')} left", "cyan"
    return f"{head}: {state.state}, {state.problem}", "red"


def item_lines(r: ItemResult, result: Result, comments: Sequence[str] = ()) -> list[Line]:
    """The item below its title: severity, the question and its why, then what stands now, with the comments the
    team wrote near the answer in the file."""
    item = r.item
    # In the order they give way when the screen is short (fit): the last ones first.
    lines: list[Line] = [
        (f"{r.severity.value} · {item.stage.value} · effort {item.effort.value}", None),
        (item.question, None),
        (f"Now: {interview.answer_in_words(r)}", None),
        *proposal_lines(r),
    ]
    for state in result.waivers:
        if state.waiver.item == item.id:
            lines.append(waiver_line(state))
    lines.extend((f"  ! {reason}", "yellow") for reason in r.unverified_reasons)
    lines.extend((f"In the file: {comment}", "dim") for comment in comments)
    lines.append((f"Why: {item.why}", None))
    lines.append((f"Verify: {item.verify}", None))
    lines.extend(interview.probe_lines(r))
    evidence = set(r.answer.evidence) if r.answer else set()
    found = [path for path in r.candidates if path not in evidence]
    if found:
        more = f" and {len(found) - CANDIDATES_SHOWN:,} more" if len(found) > CANDIDATES_SHOWN else ""
        lines.append((f"Found by name, not proof: {', '.join(found[:CANDIDATES_SHOWN])}{more}", "dim"))
    return lines


def proposal_lines(r: ItemResult) -> list[Line]:
    """What the scan proposes, by what, why and with which evidence, and the keys that settle it."""
    answer = r.answer
    if answer is None or answer.proposal is None or not interview.is_proposed(r):
        return []
    proposal = answer.proposal
    status = proposal.status.value
    evidence = ", ".join(answer.evidence) if answer.evidence else "none"
    return [
        ("  A claim nobody has made yet: it counts as no answer until someone confirms it.", "cyan"),
        (f"  Reason given by {proposal.by}: {proposal.reason}", None),
        (f"  Evidence listed: {evidence}", None),
        (f"  c confirms it as {status} · d p t n answer otherwise · s leaves it proposed", "cyan"),
    ]


def fit(lines: list[Line], heights: list[int], room: int) -> list[Line]:
    """The first lines that fit in `room` screen lines (at least the first three: the question and the answer)."""
    kept: list[Line] = []
    used = 0
    for line, height in zip(lines, heights, strict=True):
        if used + height > room and len(kept) >= 3:
            break
        kept.append(line)
        used += height
    return kept


def recap(result: Result, pack: str) -> str:
    """'Operations, for now: 1 met · 1 partial · 2 unanswered; score 37.5'."""
    from readiness.interactive.overview import applicable, counts, state_of
    from readiness.score.scoring import format_score

    category = next(c for c in result.categories if c.pack.id == pack)
    states = counts([state_of(r) for r in applicable(result, pack)])
    return f"{category.pack.title}, for now: {states}; score {format_score(category.score)}"
