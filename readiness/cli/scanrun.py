"""One scan from start to end: detect, read the team's file if there is one, probe, propose, plan the file, and
write it when asked. The result is the text the command prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from readiness.edit import yamledit
from readiness.edit.scanwrite import Person, Planned, ScanPlan, answered_items, planned
from readiness.load.containment import Root
from readiness.render.output import write_atomic
from readiness.render.scanview import FileShown, Found, Scanned, as_json, as_text
from readiness.score.engine import load
from readiness.score.scoring import matches
from readiness.verify.reuse import Reuse
from readiness.verify.scan.model import Unread
from readiness.verify.scan.probing import ASSESSMENT_NAME, probe_repository
from readiness.verify.scan.profile import detect
from readiness.verify.scan.proposals import proposed_answers
from readiness.verify.scan.targets import stated_targets
from readiness.verify.scan.team import codeowners_team


def run_scan(folder: Path, top: Path, within: Root, today: date, *, json: bool, write: bool) -> str:
    detection = detect(top, within)
    people, people_notes = codeowners_team(str(top), detection.files, within)
    stated, target_notes = stated_targets(str(top), detection.files, within)
    detection = replace(detection, unread=_merged(detection.unread, people_notes, target_notes))
    path = top / ASSESSMENT_NAME
    # The team's own file, when there is one, is read by the same rules as `check` (a broken one is exit 2 with
    # its problems, before anything is written): its targets judge the probes, its answers are kept.
    # One walk of the evidence folders serves the team's file and the probes.
    reuse = Reuse()
    loaded = load(path, root=within.path, reuse=reuse) if (path.exists() or path.is_symlink()) else None
    existing = loaded.assessment if loaded is not None else None
    targets = {key: value for key, (value, _) in stated.items()}
    probed = probe_repository(top, within, today, {**targets, **(existing.targets if existing else {})}, reuse)
    profile = {**detection.profile, **(existing.project.profile if existing else {})}
    proposals = proposed_answers(probed, lambda item: matches(item.when, profile))
    # A team the file already has is the team's own list: CODEOWNERS handles would come in beside it under
    # other ids (`tomas-ferreira` for `tomas`), so nobody is added to it.
    members = [] if existing is not None and existing.team else [Person(p.id, p.name, p.email) for p in people]
    plan = ScanPlan(name=top.name, profile=detection.profile, team=members, targets=targets, answers=proposals)
    plan_file: Planned | None = None
    if existing is not None or detection.ai_system:
        answered = answered_items(loaded.assessment, loaded.catalog.former) if loaded is not None else frozenset()
        plan_file = planned(path, plan, existing, answered)
    written = False
    if write and plan_file is not None and plan_file.changes:
        _write(path, plan_file)
        written = True
    shown = None if plan_file is None else FileShown(plan_file.text, plan_file.before, plan_file.added, plan_file.kept)
    found = Found(tuple(people), tuple((key, value, clue) for key, (value, clue) in stated.items()))
    scanned = Scanned(str(folder), detection, found, probed, proposals, shown, written, ASSESSMENT_NAME)
    return as_json(scanned) if json else as_text(scanned)


def _merged(*notes: Sequence[Unread]) -> tuple[Unread, ...]:
    """Every reader's notes in file order, each once: a file over the size limit is said by each reader."""
    return tuple(sorted({note for group in notes for note in group}, key=lambda u: (u.file, u.line, u.column, u.why)))


def _write(path: Path, plan_file: Planned) -> None:
    if plan_file.before is None:
        write_atomic(path, plan_file.text)
    else:
        # Compared and written under the file's lock: a file someone changed since it was read is not written over.
        yamledit.save(plan_file.doc)
