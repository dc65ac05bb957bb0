"""`readiness assess`: the guided walk at a terminal.

Every answer is saved the moment it is complete (readiness/edit/yamledit.py: comment-preserving, atomic, under a
lock, and never over a file someone else changed meanwhile), so an interrupted walk loses at most the answer
being typed, and the next run resumes at that item (position.py). A file that someone breaks during the walk
stops it with the reader's diagnostics (exit 2); every answer saved before stays saved. The state of a sitting
and the prompts its parts share are in session.py; the overview in overview.py and overviewscreen.py.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from readiness.core.model import ItemResult, Result
from readiness.interactive import interview, overview, overviewscreen, position, proposals
from readiness.interactive.ask import Closed, plain, required
from readiness.interactive.changed import answer_changes
from readiness.interactive.costwalk import cost_walk
from readiness.interactive.fieldedit import edit_field
from readiness.interactive.interview import KEYS, STATUS_OF_KEY, Stop
from readiness.interactive.itemview import fit, item_lines, plural, recap
from readiness.interactive.raciwalk import raci_walk
from readiness.interactive.reloaded import Reloaded
from readiness.interactive.session import Session
from readiness.load.diagnostics import InputError
from readiness.render.headline import VERDICT_WORDS
from readiness.score.scoring import format_score

CANDIDATES_OFFERED = 5  # paths a glob found, offered as evidence under the question


class UnknownCategory(ValueError):
    """--category names no pack in use."""


class UnknownItem(ValueError):
    """--item, --from or `g` names no item of the walk."""


@dataclass(frozen=True)
class Start:
    """Where the walk begins instead of where the last sitting stopped: --item ID (that item alone) or --from ID."""

    item_id: str
    only: bool


class Walk(Session):
    """The walk through the items: where it goes, what it shows, how an answer is asked."""

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
            index = self._resume(stops, index)
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
        """The route and where it begins: --item alone, --from onwards, or where the last sitting stopped.
        A look at one item (--item) leaves the position of the sitting it interrupts as it was."""
        if start is not None and start.only:
            self.positions = None
        if start is None:
            return stops, interview.resume_index(self.result, stops, position.read(self.positions, self.path))
        item_id = self._known(start.item_id)
        if start.only:
            return interview.stops_of(self.result, [item_id]), 0
        return interview.place(self.result, stops, item_id, 0)

    def _resume(self, stops: Sequence[Stop], index: int) -> int:
        """Where a walk resumes, said on its first screen: at the item where the last sitting stopped, unless a
        scan's proposals wait before it (they are the first stops of the route): they come first."""
        stopped = stops[index].item_id
        if index >= interview.proposals_on(self.result, stops) > 0:
            said = f"The scan's proposals come first; the last sitting stopped at {stopped} (g and its id go there)."
            self.notices.append((said, "cyan"))
            return 0
        self.notices.append(
            (f"Resuming at {stopped}, where the last sitting stopped (b goes back, l lists every item).", "cyan")
        )
        return index

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
        waiting = interview.proposals_on(r, stops)
        if waiting:
            self.ask.say(proposals.header(waiting), style="cyan")

    def _items(self, stops: list[Stop], index: int) -> bool:
        """Walk the stops from `index`; True when the walk went past the last one, False when the user quit."""
        while 0 <= index < len(stops):
            stop = stops[index]
            position.write(self.positions, self.path, stop.item_id)
            self._show(stop)
            # `c` confirms a scan's proposal; elsewhere it is no key of the walk.
            keys = [k for k in KEYS if k != "c" or interview.is_proposed(self.item(stop.item_id))]
            key = self.ask.key(_keys_line(), keys)
            while key == "?":
                for letter, meaning in KEYS.items():
                    self.ask.say(f"  {letter}  {meaning}")
                key = self.ask.key(_keys_line(), keys)
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
                answered = (
                    proposals.confirm(self, stop.item_id)
                    if key == "c"
                    else self._answer(stop.item_id, STATUS_OF_KEY[key])
                )
            except Reloaded:
                continue
            if not answered:
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
        lines = item_lines(r, self.result, self._comments(r.item.id))
        shown = fit(lines, [self._height(text) for text, _ in lines], room) if self.screen.active else lines
        for line, style in shown:
            self.ask.say(line, style=style)
        if len(shown) < len(lines):
            self.ask.say(
                f"  … {plural(len(lines) - len(shown), 'more line')}: a taller terminal shows them", style="dim"
            )

    def _comments(self, item_id: str) -> list[str]:
        """The comments near the item's answer in the file as it is now (a save may have moved them)."""
        from readiness.interactive.filecomments import answer_comments, shown
        from readiness.load.containment import Root
        from readiness.load.diagnostics import InputError
        from readiness.load.yamlsource import read_text

        # The one rule for reading a file (its size, the project root, UTF-8), as for every read of the walk.
        try:
            text = read_text(self.path, str(self.path), Root.of(self.path, self.root))
        except InputError:
            return []
        return shown(answer_comments(text, str(self.path), item_id))

    def _height(self, text: str) -> int:
        """Lines `text` takes on the screen at the console's width."""
        from rich.cells import cell_len

        return max(1, -(-cell_len(text) // max(1, self.ask.console.width)))

    # --- one answer -------------------------------------------------------------------------------------

    def reason_for(self, r: ItemResult, status: str, default: str) -> str | Literal[False] | None:
        """The reason an answer of `status` keeps: asked for n/a (False where the pack forbids n/a), None for
        any other status, since a reason belongs to n/a only."""
        if status != "na":
            return None
        if not r.item.na_allowed:
            self.ask.say("  n/a is not allowed for this item: its pack requires an answer.", style="red")
            return False
        return self.ask.valid("Why does it not apply? (required)", required, default)

    def _answer(self, item_id: str, status: str) -> bool:
        """Ask what goes with the status and save; False when the status cannot be used here."""
        r = self.item(item_id)
        current = r.answer
        # A person's answer replaces a scan's proposal (answer_changes keeps this only where there is one).
        fields: dict[str, Any] = {"status": status, "proposal": None}
        reason = self.reason_for(r, status, current.reason if current else "")
        if reason is False:
            return False
        fields["reason"] = reason
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
            # A new answer is offered the item's accountable person; a kept answer keeps its owner, or none. A
            # proposal counts as kept, so that the status key with every default taken writes what `c` writes.
            accountable = r.owner if r.owner != "unassigned" else ""
            suggested = (current.owner or "") if current else accountable
            owner = self.member("Owner", suggested, new_members, optional=True)
            fields["owner"] = owner or None
            fields["due"] = self.ask_date("due", current.due if current else None)
        return self.write(item_id, answer_changes(current, fields), new_members)

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
        walked = [r.item.id for r in overview.applicable(after, self.category)]
        proposed = proposals.summary(before, after, walked)
        if proposed is not None:
            self.ask.say(proposed)
        if self.finished:
            self.ask.say("Packs walked to the end:")
            for pack in self.finished:
                self.ask.say(f"  {recap(after, pack)}")
        self.ask.say(f"Open items left: {sum(1 for r in after.items if interview.is_open(r))}")
        self.ask.say(f"Next: readiness report {self.path} -o readiness-report.html")


def _keys_line() -> str:
    return "[d]one [p]artial [t]odo [n]/a [s]kip [b]ack [e]dit [u]ndo [l]ist [g]o [q]uit [?]"
