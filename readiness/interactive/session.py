"""What a sitting of `readiness assess` holds and the questions every part of it asks.

The assessment as scored and as editable YAML, the saves of this sitting (each one undoable, byte for byte),
the notices for the next screen; and the prompts the item, RACI and cost walks share: a team member, a date, an
evidence path. walk.py builds the walk itself on this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from readiness.core.model import ItemResult, Result
from readiness.edit import yamledit
from readiness.edit.starter import member_problem
from readiness.interactive import interview, paths
from readiness.interactive.ask import Asker, required
from readiness.interactive.itemview import plural
from readiness.interactive.reloaded import Reloaded
from readiness.interactive.screen import Screen
from readiness.interactive.typed import parse_date
from readiness.load.containment import Root
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from readiness.verify.evidence import EvidenceRejected, check_one


@dataclass(frozen=True)
class Undo:
    """What a save replaced: the file's exact bytes before it, and the summary's lines until then."""

    before: bytes
    what: str
    touched: int
    other_changes: int


class Session:
    """One sitting: the file, its score, what this sitting saved, and the questions its parts share."""

    def __init__(
        self, path: Path, options: Options, root: Path | None, asker: Asker, positions: Path | None = None
    ) -> None:
        self.path = path
        self.positions = positions  # the folder that keeps where each sitting stopped (position.py)
        self.category: str | None = None
        self.options = options
        self.root = root
        self.ask = asker
        self.result = self._evaluate()
        self.doc = yamledit.open_assessment(path)
        self.touched: list[str] = []
        self.other_changes: list[str] = []
        self.undo: list[Undo] = []  # the saves of this sitting, the last one last
        self.notices: list[tuple[str, str | None]] = []  # said at the top of the next screen, then forgotten
        self.finished: list[str] = []  # packs whose last item this sitting went past, for the summary's recap
        self.screen = Screen(asker.console, Screen.usable(asker.console))

    # --- state ------------------------------------------------------------------------------------------

    def _evaluate(self) -> Result:
        return evaluate(self.path, self.options, display=str(self.path), root=self.root).result

    def save(self, edit: Callable[[yamledit.EditableAssessment], None], what: str = "") -> None:
        """Apply one edit and write the file; if someone else changed it meanwhile, write nothing and reload.
        The bytes before a save that changed the file are kept, so that `u` can put them back."""
        edit(self.doc)
        previous = self.doc.baseline
        try:
            yamledit.save(self.doc, waiting=self._waiting)
        except yamledit.FileChanged:
            self._reload()
            self.ask.say(
                f"{self.path} changed on disk since it was read, so nothing was written. "
                "It has been read again; please answer this once more.",
                style="yellow",
            )
            raise Reloaded from None
        except yamledit.FileLocked as locked:
            self._reload()
            self.ask.say(f"{locked}. Please answer this once more, or press q to stop.", style="yellow")
            raise Reloaded from None
        if self.doc.baseline != previous:
            self.undo.append(Undo(previous, what or "the last answer", len(self.touched), len(self.other_changes)))
        self.result = self._evaluate()

    def _reload(self) -> None:
        """Read the file again, the way the walk first read it: the reader first, so that a file broken
        meanwhile is told in its words (InputError ends the walk, see run)."""
        self.result = self._evaluate()
        self.doc = yamledit.open_assessment(self.path)

    def _waiting(self, lock_file: Path) -> None:
        self.ask.say(f"  waiting: another program is saving {self.path} (it holds {lock_file.name})", style="yellow")

    def item(self, item_id: str) -> ItemResult:
        return next(r for r in self.result.items if r.item.id == item_id)

    @property
    def team(self) -> list[str]:
        return [m.id for m in self.result.team]

    def write(self, item_id: str, fields: dict[str, Any], new_members: list[tuple[str, str, str]]) -> bool:
        """Save the fields that changed; with none, write nothing and say so."""
        if not fields and not new_members:
            self.ask.say(f"  unchanged: {interview.answer_in_words(self.item(item_id))}")
            return True

        def edit(doc: yamledit.EditableAssessment) -> None:
            for member_id, name, role in new_members:
                yamledit.add_member(doc, member_id, name, role or None)
            if fields:
                yamledit.set_answer(doc, item_id, fields)

        self.save(edit, f"the answer to {item_id}")
        self.touched.append(item_id)
        saved = f"saved: {interview.answer_in_words(self.item(item_id))}"
        self.ask.say(f"  {saved}", style="green")
        self.notices.append((f"{item_id} {saved}", "green"))
        return True

    def complete_path(self, typed: str) -> list[str]:
        return paths.completions(self.path, Root.of(self.path, self.root), typed)

    def ask_date(self, field: str, current: str | None) -> date | None:
        """The due date or the reviewed date, with the current one as the default; '-' clears it. A due date in
        the past is confirmed first."""
        said = "Due date" if field == "due" else "Reviewed on"
        prompt = f"{said} (2027-01-31, +2w, in 10 days, next friday; '-' clears)"
        today = date.fromisoformat(self.result.today)

        def convert(text: str) -> date | None:
            return None if text in ("", "-") else parse_date(text, today)

        while True:
            value = self.ask.valid(prompt, convert, current or "", echo=_shown_date)
            if field != "due" or value is None or value >= today or value.isoformat() == current:
                return value
            days = plural((today - value).days, "day")
            if self.ask.yes_no(f"  {value.isoformat()} is {days} in the past. Keep it as the due date?", default=False):
                return value

    def checked(self, typed: str) -> str:
        """Say what the file system holds for one evidence entry; the entry to keep ('' for none): what was
        typed, or the path it was close to if the user takes that."""
        try:
            check = check_one(self.path, typed, self.root)
        except EvidenceRejected as rejected:
            self.ask.say(f"  ✗ {rejected}", style="red")
            return ""
        if check.kind == "url":
            self.ask.say("  link noted (readiness never opens the network to check it)")
        elif check.found:
            shown = "" if check.kind == "path" else f": {', '.join(check.matches[:3])}"
            self.ask.say(f"  ✓ found{shown}", style="green")
        else:
            for near in self._near(typed, check.kind):
                if self.ask.yes_no(f"  {typed} is not there. Did you mean {near}?", default=True):
                    self.ask.say(f"  ✓ found {near}", style="green")
                    return near
            self.ask.say(
                f"  ! {typed} is not there yet; kept, but the answer counts as unverified until it exists",
                style="yellow",
            )
        return typed

    def _near(self, typed: str, kind: str) -> list[str]:
        """A path that exists and is close to a missing one (a glob that matches nothing is left alone)."""
        if kind != "path":
            return []
        found = []
        for near in paths.close_to(self.path, Root.of(self.path, self.root), typed):
            with contextlib.suppress(EvidenceRejected):
                if check_one(self.path, near, self.root).found:
                    found.append(near)
        return found[:1]

    def member(self, prompt: str, default: str, new: list[tuple[str, str, str]], optional: bool) -> str:
        """A team id, offering to add someone who is not on the team yet."""
        known = self.team + [m[0] for m in new]
        hint = ", ".join(known) if known else "no team yet"
        while True:
            typed = self.ask.line(f"{prompt} ({hint}{'; - for none' if optional else ''})", default)
            if optional and typed in ("", "-"):
                return ""
            found = self.resolve(typed, new)
            if found is not None:
                return found

    def resolve(self, typed: str, new: list[tuple[str, str, str]]) -> str | None:
        """`typed` if it is on the team, or once the user has added them; None to ask again."""
        known = self.team + [m[0] for m in new]
        if typed in known:
            return typed
        problem = member_problem(typed, known) if typed else "give a team id"
        if problem is not None:
            self.ask.say(f"  {problem}", style="red")
            return None
        if not self.ask.yes_no(f"  '{typed}' is not on the team. Add them?", default=True):
            return None
        name = self.ask.valid("  Name", required)
        role = self.ask.line("  Role (optional)")
        new.append((typed, name, role))
        return typed

    def _undo(self) -> None:
        """Put the file back as it was before this sitting's last save, byte for byte."""
        if not self.undo:
            self.ask.say("  nothing to undo: this sitting has saved nothing yet", style="yellow")
            return
        last = self.undo[-1]
        if not self.ask.yes_no(f"Undo {last.what}?", default=True):
            return
        try:
            yamledit.restore(self.doc, last.before)
        except (yamledit.FileChanged, yamledit.FileLocked) as refused:
            self.ask.say(f"  {refused}", style="yellow")
            self._reload()
            self.undo.clear()  # what they would put back is no longer under the file
            return
        self.undo.pop()
        del self.touched[last.touched :]
        del self.other_changes[last.other_changes :]
        self._reload()
        self.ask.say(f"  undone: {self.path} is as it was before {last.what}", style="green")


def _shown_date(value: date | None) -> str:
    return "none" if value is None else f"{value.isoformat()} ({value.strftime('%A')})"
