"""`readiness scan`: what the repository shows (the profile, each key with where it is shown), what could not be
read, and what every probe made of the files it found; as text, or as JSON for scripts.

Every piece of text from the repository (names of packages, findings quoting a file) goes through `visible`:
a pull request may put an escape sequence in a package.json key.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass
from typing import Any

from readiness.core.model import ProbeOutcome
from readiness.load.textsafe import visible
from readiness.render.jsontext import dumps
from readiness.verify.scan.model import PROFILE_KEYS, Clue, Detection
from readiness.verify.scan.probing import ProbedItem
from readiness.verify.scan.proposals import Proposed
from readiness.verify.scan.stated import Value, shown
from readiness.verify.scan.team import ProposedMember

WIDTH = 100  # for the lists of names; a finding's line is kept whole, so that its FILE:LINE stays clickable
FINDINGS_SHOWN = 3  # per item in text; JSON has them all
_MARK = {ProbeOutcome.HOLDS: "holds", ProbeOutcome.FAILS: "fails", ProbeOutcome.NOTHING: "not judged"}


@dataclass(frozen=True)
class FileShown:
    """The assessment a scan would write: its whole text, the text there now (None: no file yet), and what it
    adds and keeps (`team.jane`, `answers.data.lineage`)."""

    text: str
    before: str | None
    added: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return self.text != self.before


@dataclass(frozen=True)
class Found:
    """The people CODEOWNERS names and the targets the repository states, each with its place."""

    people: tuple[ProposedMember, ...] = ()
    targets: tuple[tuple[str, Value, Clue], ...] = ()


@dataclass(frozen=True)
class Scanned:
    """One scan: what it found, what it would write (None: nothing, as nothing shows an AI system), and whether
    it wrote it."""

    folder: str
    detection: Detection
    found: Found
    probed: tuple[ProbedItem, ...]
    proposals: tuple[Proposed, ...]
    planned: FileShown | None
    written: bool
    file_name: str


def as_text(scanned: Scanned) -> str:
    detection = scanned.detection
    lines = [f"Scanned {visible(scanned.folder)}: {_files(detection)}", ""]
    lines += _profile_lines(detection)
    if detection.unread:
        lines += ["", "Not read, or read and not used:"]
        lines += [f"  {visible(u.file)}:{u.line}:{u.column}: {visible(u.why)}" for u in detection.unread]
    lines += ["", *_stated_lines(scanned.found)]
    lines += ["", *_probe_lines(scanned.probed)]
    lines += ["", *_file_lines(scanned)]
    return "\n".join(lines) + "\n"


def _stated_lines(found: Found) -> list[str]:
    if found.people:
        lines = ["Team (the people CODEOWNERS names; the file gives no names, so each is the handle as written):"]
        lines += [
            f"  {visible(p.id)}: {visible(p.name)}    {visible(p.clue.file)}:{p.clue.line}:{p.clue.column}"
            for p in found.people
        ]
    else:
        lines = ["Team: no CODEOWNERS file names a person."]
    if found.targets:
        lines += ["Targets (what the repository states):"]
        lines += [
            f"  {key}: {shown(value)}    {visible(clue.file)}:{clue.line}:{clue.column}  {visible(clue.what)}"
            for key, value, clue in found.targets
        ]
    else:
        lines += ["Targets: no SLO spec or load-test threshold states one."]
    return lines


def _file_lines(scanned: Scanned) -> list[str]:
    name, planned = scanned.file_name, scanned.planned
    if planned is None:
        return [f"Nothing here shows an AI system, so no {name} is proposed and none was written."]
    answers = sum(1 for key in planned.added if key.startswith("answers."))
    counts = _counts(planned.added)
    kept = ["", *textwrap.wrap(f"Kept as the file has them: {', '.join(planned.kept)}.", WIDTH)] if planned.kept else []
    if planned.before is not None and not planned.changes:
        return [f"{name} already holds everything this scan found: nothing to add.", *kept]
    if scanned.written:
        verb = "Wrote" if planned.before is None else "Added to"
        lines = [f"{verb} {name}: {counts}."]
    elif planned.before is None:
        lines = [f"The {name} that `readiness scan --write` would write ({counts}):", ""]
        lines += [f"    {visible(line)}" if line else "" for line in planned.text.splitlines()]
    else:
        lines = [f"What `readiness scan --write` would add to {name} ({counts}):", ""]
        diff = difflib.unified_diff(planned.before.splitlines(), planned.text.splitlines(), name, name, lineterm="")
        lines += [f"    {visible(line)}" for line in diff]
    lines += kept
    if answers:
        lines += [
            "",
            f"{answers} proposed answer{'s count' if answers != 1 else ' counts'} for nothing until confirmed: "
            "`readiness assess` offers proposals first.",
        ]
    return lines


def _counts(added: tuple[str, ...]) -> str:
    parts = []
    for prefix, word in (("project.profile.", "profile key"), ("team.", "member"), ("targets.", "target")):
        count = sum(1 for key in added if key.startswith(prefix))
        if count:
            parts.append(f"{count} {word}{'s' if count != 1 else ''}")
    answers = sum(1 for key in added if key.startswith("answers."))
    if answers:
        parts.append(f"{answers} proposed answer{'s' if answers != 1 else ''}")
    return ", ".join(parts) or "nothing new"


def _files(detection: Detection) -> str:
    read = f"{detection.files_read:,} file{'s' if detection.files_read != 1 else ''} read"
    return read + (f", {detection.files_left:,} left over the limits" if detection.files_left else "")


def _profile_lines(detection: Detection) -> list[str]:
    if not detection.clues:
        return [
            "Profile: nothing shows an AI system or personal data (no LLM SDK, agent framework, vector store, model",
            "server or ML library among the dependencies, imports and images; no field named like personal data);",
            "every profile key is yours to answer.",
        ]
    silent = [key for key in PROFILE_KEYS if key not in detection.clues]
    lines = ["Profile (what the repository shows):"]
    for key, clues in detection.clues.items():
        lines.append(f"  {key}: true" if key in PROFILE_KEYS else "  A model at work (no profile key: an AI system):")
        lines += [f"    {visible(c.file)}:{c.line}:{c.column}  {visible(c.what)}" for c in clues]
    if silent:
        lines.append(f"  Not shown, yours to answer: {', '.join(silent)}.")
    return lines


def _probe_lines(probed: tuple[ProbedItem, ...]) -> list[str]:
    reading = [p for p in probed if p.candidates]
    lines = [f"Probes: {len(reading)} of {len(probed)} items found files to read."]
    for outcome in (ProbeOutcome.HOLDS, ProbeOutcome.FAILS, ProbeOutcome.NOTHING):
        for p in (p for p in reading if p.run.outcome is outcome):
            count = f"{len(p.candidates)} file{'s' if len(p.candidates) != 1 else ''}"
            lines.append(f"  {_MARK[outcome]:<13} {p.item.id} ({p.run.kind}, {count})")
            shown = [f for f in p.run.findings if f.holds is (outcome is ProbeOutcome.HOLDS)] or list(p.run.findings)
            lines += [
                f"      {visible(f.file)}:{f.line}:{f.column}  {visible(f.message)}" for f in shown[:FINDINGS_SHOWN]
            ]
    silent = [p.item.id for p in probed if not p.candidates]
    if silent:
        lines += textwrap.wrap(
            f"No files for: {', '.join(silent)}.", WIDTH, initial_indent="  ", subsequent_indent="    "
        )
    return lines


def as_json(scanned: Scanned) -> str:
    return dumps(scan_dict(scanned))


def scan_dict(scanned: Scanned) -> dict[str, Any]:
    detection, probed, planned = scanned.detection, scanned.probed, scanned.planned
    return {
        "folder": scanned.folder,
        "profile": detection.profile,
        "reasons": {
            key: [{"file": c.file, "line": c.line, "column": c.column, "what": c.what} for c in clues]
            for key, clues in detection.clues.items()
        },
        "unread": [{"file": u.file, "line": u.line, "column": u.column, "why": u.why} for u in detection.unread],
        "team": [{"id": p.id, "name": p.name, "email": p.email, **_place(p.clue)} for p in scanned.found.people],
        "targets": {key: {"value": value, **_place(clue)} for key, value, clue in scanned.found.targets},
        "files_read": detection.files_read,
        "files_left": detection.files_left,
        "probes": [
            {
                "item": p.item.id,
                "kind": p.run.kind,
                "outcome": p.run.outcome.value,
                "candidates": list(p.candidates),
                "findings": [
                    {"file": f.file, "line": f.line, "column": f.column, "message": f.message, "holds": f.holds}
                    for f in p.run.findings
                ],
            }
            for p in probed
        ],
        "proposals": [
            {
                "item": proposed.item,
                "status": proposed.proposal.status.value,
                "by": proposed.proposal.by,
                "reason": proposed.proposal.reason,
                "evidence": list(proposed.evidence),
            }
            for proposed in scanned.proposals
        ],
        "assessment": None
        if planned is None
        else {
            "file": scanned.file_name,
            "exists": planned.before is not None,
            "text": planned.text,
            "added": list(planned.added),
            "kept": list(planned.kept),
            "written": scanned.written,
        },
    }


def _place(clue: Clue) -> dict[str, Any]:
    return {"file": clue.file, "line": clue.line, "column": clue.column, "what": clue.what}
