"""`e` in the walk: change one field of an answer without walking the others.

Status, evidence (entry by entry: a number removes that entry, a path adds one), note, owner, due date, and the
reviewed date. Only the field changed is written; the rest of the answer, and of the file, stays as it is.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from readiness.interactive import interview
from readiness.interactive.ask import required
from readiness.interactive.changed import answer_changes

if TYPE_CHECKING:
    from readiness.interactive.walk import Walk

FIELDS = {
    "s": "status",
    "e": "evidence",
    "n": "note",
    "o": "owner",
    "d": "due",
    "r": "reviewed",
}


def edit_field(walk: Walk, item_id: str) -> None:
    r = walk.item(item_id)
    current = r.answer
    if current is None:
        walk.ask.say("  no answer yet to edit: answer it with d, p, t or n", style="yellow")
        return
    line = " ".join(f"[{key}]{name[1:]}" for key, name in FIELDS.items())  # each name starts with its key
    key = walk.ask.key(f"Edit which field? {line} · [q] none", [*FIELDS, "q"])
    if key == "q":
        return
    field = FIELDS[key]
    fields: dict[str, Any] = {}
    new_members: list[tuple[str, str, str]] = []
    if field == "status":
        status = interview.STATUS_OF_KEY.get(
            walk.ask.key("New status: [d]one [p]artial [t]odo [n]/a", ["d", "p", "t", "n"])
        )
        if status is None:
            return
        if status == "na":
            if not r.item.na_allowed:
                walk.ask.say("  n/a is not allowed for this item: its pack requires an answer.", style="red")
                return
            fields["reason"] = walk.ask.valid("Why does it not apply? (required)", required, current.reason)
        elif current.reason:
            fields["reason"] = None  # a reason belongs to n/a only
        fields["status"] = status
        fields["proposal"] = None  # a person's status replaces a scan's proposal (kept only where there is one)
    elif field == "evidence":
        entries = _evidence(walk, list(current.evidence))
        fields["evidence"] = entries or None
        if any(entry not in current.evidence for entry in entries):
            fields["reviewed"] = date.fromisoformat(walk.result.today)  # the user just looked at it
    elif field == "note":
        note = walk.ask.line("Note ('-' clears)", current.note)
        fields["note"] = None if note in ("-", "") else note
    elif field == "owner":
        fields["owner"] = walk.member("Owner", current.owner or "", new_members, optional=True) or None
    else:
        fields[field] = walk.ask_date(field, current.due if field == "due" else current.reviewed)
    walk.write(item_id, answer_changes(current, fields), new_members)


def _evidence(walk: Walk, entries: list[str]) -> list[str]:
    """The list, entry by entry: a number removes that entry, anything else is checked and added."""
    while True:
        for number, entry in enumerate(entries, 1):
            walk.ask.say(f"  {number}. {entry}")
        if not entries:
            walk.ask.say("  (no evidence)")
        typed = walk.ask.line(
            "A number removes that entry, a path or link adds one; Enter alone when done", complete=walk.complete_path
        )
        if not typed:
            return entries
        if typed.isdigit() and 1 <= int(typed) <= len(entries):
            walk.ask.say(f"  removed {entries.pop(int(typed) - 1)}")
        elif typed not in entries:
            kept = walk.checked(typed)
            if kept and kept not in entries:
                entries.append(kept)
