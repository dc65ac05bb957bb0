"""`readiness assess`: the guided walk at a terminal.

Every answer is saved the moment it is complete (readiness/edit/yamledit.py: comment-preserving, atomic, under a
lock, and never over a file someone else changed meanwhile), so an interrupted walk loses at most the answer
being typed, and the next run starts again at the first open item. A file that someone breaks during the walk
stops it with the reader's diagnostics (exit 2); every answer saved before stays saved.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from readiness.core.model import ItemResult, Result
from readiness.edit import yamledit
from readiness.edit.starter import member_problem
from readiness.interactive import interview, overview, overviewscreen, paths, position
from readiness.interactive.ask import Asker, Closed, plain, required
from readiness.interactive.changed import answer_changes
from readiness.interactive.costwalk import cost_walk
from readiness.interactive.fieldedit import edit_field
from readiness.interactive.interview import KEYS, STATUS_OF_KEY, Stop
from readiness.interactive.itemview import fit, item_lines, plural, recap
from readiness.interactive.raciwalk import raci_walk
from readiness.interactive.reloaded import Reloaded
from readiness.interactive.screen import Screen
from readiness.interactive.typed import parse_date
from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.render.headline import VERDICT_WORDS
from readiness.score.engine import evaluate
from readiness.score.scoring import Options, format_score
from readiness.verify.evidence import EvidenceRejected, check_one

CANDIDATES_OFFERED = 5  # paths a glob found, offered as evidence under the question


class UnknownCategory(ValueError):
    """--category names no pack in use."""


class UnknownItem(ValueError):
    """--item, --from or `g` names no item of the walk."""


@dataclass(frozen=True)
class Undo:
    """What a save replaced: the file's exact bytes before it, and the summary's lines until then."""

    before: bytes
    what: str
    touched: int
    other_changes: int


@dataclass(frozen=True)
class Start:
    """Where the walk begins instead of where the last sitting stopped: --item ID (that item alone) or --from ID."""

    item_id: str
    only: bool


class Walk:
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

    # --- the walk ---------------------------------------------------------------------------------------

    def run(self, category: str | None, revisit: bool, start: Start | None = None) -> int:
        packs = [c.pack.id for c in self.result.categories]
        if category is not None and category not in packs:
            raise UnknownCategory(
                f"'{category}' is not a category of this assessment; choose one of {', '.join(packs)}"
            )
        self.category = category
        before = self.result
        stops, index = self._start(interview.route(before, category, revisit), start)
        self._header(stops)
        if index is not None and start is None:
            self.notices.append(
                (
                    f"Resuming at {stops[index].item_id}, where the last sitting stopped "
                    "(b goes back, l lists every item).",
                    "cyan",
                )
            )
        finished = False
        try:
            with self.screen.session():
                if start is None and category in (None, "ownership"):
                    raci_walk(self, revisit)
                if (
                    start is None
                    and category in (None, "cost")
                    and "cost" in packs
                    and (before.cost is None or revisit)
                ):
                    cost_walk(self)
                finished = self._items(stops, index or 0)
        except (KeyboardInterrupt, Closed):
            self.ask.say("")
            self.ask.say(f"Stopped. Every answer given before this one is saved in {self.path}.")
            self._summary(before)
            self.ask.say(f"Run `readiness assess {self.path}` to go on from this item.")
            raise KeyboardInterrupt from None
        except InputError:
            # Someone broke the file during the walk: nothing more can be saved into it. The diagnostics follow.
            self.ask.say("")
            self.ask.say(
                f"Stopped: {self.path} can no longer be read, so this answer was not saved; every answer saved "
                "before it is in the file.",
                style="red",
            )
            self.ask.say(f"Fix what is reported below, then run `readiness assess {self.path}` to go on.")
            raise
        if finished:
            self.ask.say("")
            self.ask.say("That was the last item of this walk.")
        self._summary(before)
        return 0

    def _start(self, stops: list[Stop], start: Start | None) -> tuple[list[Stop], int | None]:
        """The route and where it begins: --item alone, --from onwards, or where the last sitting stopped."""
        if start is None:
            return stops, interview.resume_index(self.result, stops, position.read(self.positions, self.path))
        item_id = self._known(start.item_id)
        if start.only:
            return interview.stops_of(self.result, [item_id]), 0
        return interview.place(self.result, stops, item_id, 0)

    def _known(self, typed: str) -> str:
        rows = overview.rows(overview.applicable(self.result, self.category))
        row = overview.find(rows, typed)
        if row is not None:
            return row.result.item.id
        ids = [r.result.item.id for r in rows]
        close = difflib.get_close_matches(typed, ids, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; the overview (key l) lists them"
        raise UnknownItem(f"'{typed}' is not an item this walk can show{hint}")

    def _header(self, stops: Sequence[Stop]) -> None:
        r = self.result
        self.ask.markup(f"[bold]{plain(r.project.name)}[/bold] · target {r.target.value}")
        walked = plural(len(stops), "item")
        self.ask.say(f"Now: {VERDICT_WORDS[r.verdict]}, score {format_score(r.score)}. {walked} to walk.")
        self.ask.say("Every answer is saved as soon as it is complete; press ? for the keys.")

    def _items(self, stops: list[Stop], index: int) -> bool:
        """Walk the stops from `index`; True when the walk went past the last one, False when the user quit."""
        while 0 <= index < len(stops):
            stop = stops[index]
            position.write(self.positions, self.path, stop.item_id)
            self._show(stop)
            key = self.ask.key(_keys_line(), list(KEYS))
            while key == "?":
                for letter, meaning in KEYS.items():
                    self.ask.say(f"  {letter}  {meaning}")
                key = self.ask.key(_keys_line(), list(KEYS))
            if key == "q":
                return False
            if key == "b":
                if index == 0:
                    self.ask.say("  this is the first item")
                index = max(0, index - 1)
                continue
            if key == "s":
                index += 1
                self._recap(stops, index)
                continue
            if key == "e":
                with contextlib.suppress(Reloaded):
                    edit_field(self, stop.item_id)
                continue
            if key == "u":
                self._undo()
                continue
            if key in ("l", "/", "g"):
                target = self._jump(key, stop.item_id)
                if target is not None:
                    stops, index = interview.place(self.result, stops, target, index)
                continue
            try:
                if not self._answer(stop.item_id, STATUS_OF_KEY[key]):
                    continue
            except Reloaded:
                continue
            index += 1
            self._recap(stops, index)
        if stops:
            position.write(self.positions, self.path, None)
        return bool(stops)

    def _recap(self, stops: list[Stop], index: int) -> None:
        """When the walk leaves a pack for good (its last stop passed), how that pack stands now."""
        done = stops[index - 1]
        if index < len(stops) and stops[index].pack_title == done.pack_title:
            return
        if done.pack_position != done.pack_total:
            return
        pack = self.item(done.item_id).item.pack
        self.notices.append((recap(self.result, pack), "cyan"))
        self.finished = [*(p for p in self.finished if p != pack), pack]

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

    def _jump(self, key: str, current: str) -> str | None:
        """The item `l` (the overview), `/` (a search) or `g` (an id) leads to; None to stay."""
        if key == "l":
            return overviewscreen.choose(self, self.category, current)
        if key == "/":
            text = self.ask.line("Find (id, title or question; Enter alone: back)")
            return overviewscreen.choose(self, self.category, current, f"/{text}") if text else None
        typed = self.ask.line("Go to (an id, the start of one, or a number from the list; Enter alone: back)")
        if not typed:
            return None
        try:
            return self._known(typed)
        except UnknownItem as unknown:
            self.ask.say(f"  {unknown}", style="yellow")
            return None

    def _show(self, stop: Stop) -> None:
        r = self.item(stop.item_id)
        self.screen.page()
        self.ask.rule(stop.progress)
        title = f"{r.item.title}  {r.item.id}"
        self.ask.markup(f"[bold]{plain(r.item.title)}[/bold]  [dim]{r.item.id}[/dim]")
        self.screen.pin(1 + self._height(title))
        notices, self.notices = self.notices, []
        for line, style in notices:
            self.ask.say(line, style=style)
        room = self.screen.rows - 2 - self._height(title) - sum(self._height(text) for text, _ in notices) - 2
        lines = item_lines(r, self.result)
        shown = fit(lines, [self._height(text) for text, _ in lines], room) if self.screen.active else lines
        for line, style in shown:
            self.ask.say(line, style=style)
        if len(shown) < len(lines):
            self.ask.say(
                f"  … {plural(len(lines) - len(shown), 'more line')}: a taller terminal shows them", style="dim"
            )

    def _height(self, text: str) -> int:
        """Lines `text` takes on the screen at the console's width."""
        from rich.cells import cell_len

        return max(1, -(-cell_len(text) // max(1, self.ask.console.width)))

    # --- one answer -------------------------------------------------------------------------------------

    def _answer(self, item_id: str, status: str) -> bool:
        """Ask what goes with the status and save; False when the status cannot be used here."""
        r = self.item(item_id)
        current = r.answer
        fields: dict[str, Any] = {"status": status}
        if status == "na":
            if not r.item.na_allowed:
                self.ask.say("  n/a is not allowed for this item: its pack requires an answer.", style="red")
                return False
            fields["reason"] = self.ask.valid(
                "Why does it not apply? (required)", required, current.reason if current else ""
            )
        else:
            fields["reason"] = None  # a reason belongs to n/a only
        if status in ("done", "partial"):
            evidence = self._evidence(r)
            fields["evidence"] = evidence or None
            was = list(current.evidence) if current else []
            if evidence and evidence != was:
                fields["reviewed"] = date.fromisoformat(self.result.today)  # the user just looked at it
            elif not evidence and status == "done" and r.item.evidence_required:
                self.ask.say("  ! this item requires evidence: without it, done counts as unverified", style="yellow")
        note = self.ask.line("Note ('-' clears)", current.note if current else "")
        fields["note"] = None if note in ("-", "") else note
        new_members: list[tuple[str, str, str]] = []
        if status in ("todo", "partial"):
            # A new answer is offered the item's accountable person; a kept answer keeps its owner, or none.
            accountable = r.owner if r.owner != "unassigned" else ""
            suggested = (current.owner or "") if current else accountable
            owner = self.member("Owner", suggested, new_members, optional=True)
            fields["owner"] = owner or None
            fields["due"] = self.ask_date("due", current.due if current else None)
        return self.write(item_id, answer_changes(current, fields), new_members)

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

    def _evidence(self, r: ItemResult) -> list[str]:
        entries = list(r.answer.evidence) if r.answer else []
        self.ask.say("Evidence: one path (or glob) relative to this file, or an http(s) link, per line.")
        offered = [path for path in r.candidates if path not in entries][:CANDIDATES_OFFERED]
        if offered:
            self.ask.say(f"  Found by name, not proof: {', '.join(offered)}; '+' adds them.")
        if entries:
            self.ask.say(f"  Now: {', '.join(entries)}. Type more to add, '-' to clear, Enter alone to keep.")
        else:
            self.ask.say("  Enter alone when there is no more.")
        while True:
            typed = self.ask.line("  evidence", complete=self.complete_path)
            if not typed:
                return entries
            if typed == "-":
                entries = []
                self.ask.say("  cleared")
                continue
            if typed == "+" and offered:
                entries += [path for path in offered if path not in entries]
                self.ask.say(f"  added {', '.join(offered)}", style="green")
                continue
            typed = self.checked(typed)
            if typed and typed not in entries:
                entries.append(typed)

    def complete_path(self, typed: str) -> list[str]:
        return paths.completions(self.path, Root.of(self.path, self.root), typed)

    def ask_date(self, field: str, current: str | None) -> date | None:
        """The due date or the reviewed date, with the current one as the default; '-' clears it. A due date in
        the past is confirmed first."""
        prompt = "Due date ('-' clears)" if field == "due" else "Reviewed on ('-' clears)"
        today = date.fromisoformat(self.result.today)

        def convert(text: str) -> date | None:
            return None if text in ("", "-") else parse_date(text, today)

        while True:
            value = self.ask.valid(
                f"{prompt}: 2027-01-31, +2w, in 10 days, next friday", convert, current or "", echo=_shown_date
            )
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

    # --- the end ----------------------------------------------------------------------------------------

    def _summary(self, before: Result) -> None:
        after = self.result
        self.ask.say("")
        self.ask.rule("summary")
        self.ask.say(f"Before: {VERDICT_WORDS[before.verdict]}, score {format_score(before.score)}")
        self.ask.say(f"After:  {VERDICT_WORDS[after.verdict]}, score {format_score(after.score)}")
        moved = interview.changes(before, after, self.touched)
        if moved or self.other_changes:
            self.ask.say("Changed in this session:")
            for change in moved:
                self.ask.say(f"  {change.item_id}: {change.before} → {change.after}")
            for line in self.other_changes:
                self.ask.say(f"  {line}")
        else:
            self.ask.say("Nothing changed in this session.")
        if self.finished:
            self.ask.say("Packs walked to the end:")
            for pack in self.finished:
                self.ask.say(f"  {recap(after, pack)}")
        self.ask.say(f"Open items left: {sum(1 for r in after.items if interview.is_open(r))}")
        self.ask.say(f"Next: readiness report {self.path} -o readiness-report.html")


def _keys_line() -> str:
    return "[d]one [p]artial [t]odo [n]/a [s]kip [b]ack [e]dit [u]ndo [l]ist [g]o [q]uit [?]"


def _shown_date(value: date | None) -> str:
    return "none" if value is None else f"{value.isoformat()} ({value.strftime('%A')})"
