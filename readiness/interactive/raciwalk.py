"""The RACI part of `readiness assess`: who is Accountable and Responsible for each activity the packs define.

The row as written comes from the file itself, in the user's order, so that keeping the defaults keeps the
order too (`R: [priya, tomas]` stays so); C and I are shown and never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from readiness.edit import yamledit
from readiness.interactive import interview
from readiness.interactive.ask import plain
from readiness.interactive.changed import same_people
from readiness.interactive.itemview import plural
from readiness.interactive.reloaded import Reloaded

if TYPE_CHECKING:
    from readiness.interactive.walk import Walk

ROLES = ("R", "A", "C", "I")


def written_row(data: Any, activity: str) -> dict[str, list[str]]:
    """R, A, C and I of an activity as the file has them (a single id or a list), each as a list in file order."""
    raci = data.get("raci") if isinstance(data, Mapping) else None
    entry = raci.get(activity) if isinstance(raci, Mapping) else None
    row: dict[str, list[str]] = {}
    for role in ROLES:
        value = entry.get(role) if isinstance(entry, Mapping) else None
        if isinstance(value, str):
            row[role] = [value]
        elif isinstance(value, list):
            row[role] = [str(v) for v in value]
        else:
            row[role] = []
    return row


def banner(required: int, open_count: int) -> str:
    """What the walk says before the RACI questions: how many activities are missing something, if any."""
    if open_count == 0:
        return f"Ownership: all {required} activit{'y is' if required == 1 else 'ies are'} complete (one A, some R)."
    what = "y needs" if open_count == 1 else "ies need"
    return f"Ownership: {open_count} activit{what} an accountable person or a responsible one."


def raci_walk(walk: Walk, revisit: bool) -> None:
    result = walk.result
    activities = interview.open_activities(result, revisit)
    if not activities:
        return
    required = sum(1 for row in result.raci.rows if row.required)
    open_count = len(interview.open_activities(result, False))
    walk.screen.page()
    walk.ask.say(banner(required, open_count))
    if not walk.ask.yes_no("Walk the RACI matrix now?", default=True):
        return
    for position, (activity, title) in enumerate(activities, 1):
        while True:
            try:
                _one(walk, activity, title, position, len(activities))
                break
            except Reloaded:
                continue
            except _Skip:
                walk.ask.say("  skipped: left as it is")
                break
            except _KeepAll:
                kept = plural(len(activities) - position + 1, "activity", "activities")
                walk.ask.say(f"  kept as they are: {kept}")
                walk.notices.append((f"RACI: {kept} kept as they are", None))
                return


class _Skip(Exception):
    """`/skip`: this activity stays as the file has it."""


class _KeepAll(Exception):
    """`/keep`: this activity and every one after it stay as the file has them."""


# Team ids are letters, digits, '_', '.' and '-' (starter.MEMBER_ID, and the schema's): no id can be '?' or start
# with '/', so these never hide a person.
HELP = (
    "Type a team id (a new one offers to add that person), or several for R, separated by commas.",
    "Enter alone keeps what is shown in brackets, or leaves an activity with none as it is.",
    "/skip (or /s) leaves this activity as it is; /keep (or /k) keeps it and all the others after it.",
)


def _typed(walk: Walk, prompt: str, default: str) -> str:
    """A line for the RACI walk, with its commands: ? for help, /skip, /keep."""
    while True:
        typed = walk.ask.line(f"{prompt}; ? for help", default)
        if typed == "?":
            for line in HELP:
                walk.ask.say(f"  {line}")
            continue
        if typed in ("/s", "/skip"):
            raise _Skip
        if typed in ("/k", "/keep"):
            raise _KeepAll
        return typed


def _one(walk: Walk, activity: str, title: str, position: int, count: int) -> None:
    row = written_row(walk.doc.data, activity)
    walk.screen.page()
    walk.ask.rule(f"activity {position} of {count}")
    walk.ask.markup(f"[bold]{plain(title)}[/bold]  [dim]{activity}[/dim]")
    owned = [r.item.title for r in walk.result.items if r.item.activity == activity]
    if owned:
        walk.ask.say(f"Owns: {'; '.join(owned[:4])}{'; …' if len(owned) > 4 else ''}")
    walk.ask.say("Now: " + " · ".join(f"{role} {', '.join(row[role]) or 'none'}" for role in ROLES))
    new: list[tuple[str, str, str]] = []
    now_a = row["A"]
    accountable = _accountable(walk, now_a[0] if len(now_a) == 1 else "", new)
    if accountable is None:
        walk.ask.say("  skipped: left as it is")
        return
    responsible: list[str] = []
    kept_a = now_a == [accountable] and not new
    # With no R written, the new A is suggested; a kept A with no R is left so by Enter alone.
    default = ", ".join(row["R"]) or ("" if kept_a else accountable)
    while not responsible:
        typed = _typed(walk, "Responsible: one or more, separated by commas", default)
        wanted = [part.strip() for part in typed.split(",") if part.strip()]
        resolved = [walk.resolve(member_id, new) for member_id in wanted]
        if not wanted and kept_a:
            walk.ask.say("  unchanged")
            return
        if not wanted:
            walk.ask.say("  name at least one person", style="red")
        elif None not in resolved:
            responsible = list(dict.fromkeys(m for m in resolved if m is not None))
    if now_a == [accountable] and same_people(row["R"], responsible) and not new:
        walk.ask.say("  unchanged")
        return
    if same_people(row["R"], responsible):
        responsible = row["R"]  # the same people: the file's order stays

    def edit(doc: yamledit.EditableAssessment) -> None:
        for member_id, name, role in new:
            yamledit.add_member(doc, member_id, name, role or None)
        yamledit.set_raci(doc, activity, responsible, accountable)

    walk.save(edit, f"the RACI row of {activity}")
    walk.other_changes.append(f"RACI {activity}: A {accountable}, R {', '.join(responsible)}")
    walk.ask.say("  saved", style="green")


def _accountable(walk: Walk, default: str, new: list[tuple[str, str, str]]) -> str | None:
    """The one Accountable person; None when the user leaves an activity that has none (Enter alone) as it is."""
    known = ", ".join(walk.team) or "no team yet"
    skip = "" if default else "; Enter alone skips"
    while True:
        typed = _typed(walk, f"Accountable: exactly one person ({known}{skip})", default)
        if not typed:
            return None
        found = walk.resolve(typed, new)
        if found is not None:
            return found
