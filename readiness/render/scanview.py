"""`readiness scan`: what the repository shows (the profile, each key with where it is shown), what could not be
read, and what every probe made of the files it found; as text, or as JSON for scripts.

Every piece of text from the repository (names of packages, findings quoting a file) goes through `visible`:
a pull request may put an escape sequence in a package.json key.
"""

from __future__ import annotations

import textwrap
from typing import Any

from readiness.core.model import ProbeOutcome
from readiness.load.textsafe import visible
from readiness.render.jsontext import dumps
from readiness.verify.scan.model import Detection
from readiness.verify.scan.probing import ProbedItem

KEYS = ("llm", "agentic", "rag", "self_hosted", "personal_data", "multi_tenant", "public_facing")
WIDTH = 100  # for the lists of names; a finding's line is kept whole, so that its FILE:LINE stays clickable
FINDINGS_SHOWN = 3  # per item in text; JSON has them all
_MARK = {ProbeOutcome.HOLDS: "holds", ProbeOutcome.FAILS: "fails", ProbeOutcome.NOTHING: "not judged"}


def as_text(folder: str, detection: Detection, probed: tuple[ProbedItem, ...]) -> str:
    lines = [f"Scanned {visible(folder)}: {_files(detection)}", ""]
    lines += _profile_lines(detection)
    if detection.unread:
        lines += ["", "Not read:"]
        lines += [f"  {visible(u.file)}:{u.line}:{u.column}: {visible(u.why)}" for u in detection.unread]
    lines += ["", *_probe_lines(probed)]
    return "\n".join(lines) + "\n"


def _files(detection: Detection) -> str:
    read = f"{detection.files_read:,} file{'s' if detection.files_read != 1 else ''} read"
    return read + (f", {detection.files_left:,} left over the limits" if detection.files_left else "")


def _profile_lines(detection: Detection) -> list[str]:
    if not detection.clues:
        return [
            "Profile: nothing shows an AI system or personal data (no LLM SDK, agent framework, vector store or model",
            "server among the dependencies, imports and images; no field named like personal data); every profile",
            "key is yours to answer.",
        ]
    silent = [key for key in KEYS if key not in detection.clues]
    lines = ["Profile (what the repository shows):"]
    for key, clues in detection.clues.items():
        lines.append(f"  {key}: true")
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


def as_json(folder: str, detection: Detection, probed: tuple[ProbedItem, ...]) -> str:
    return dumps(scan_dict(folder, detection, probed))


def scan_dict(folder: str, detection: Detection, probed: tuple[ProbedItem, ...]) -> dict[str, Any]:
    return {
        "folder": folder,
        "profile": detection.profile,
        "reasons": {
            key: [{"file": c.file, "line": c.line, "column": c.column, "what": c.what} for c in clues]
            for key, clues in detection.clues.items()
        },
        "unread": [{"file": u.file, "line": u.line, "column": u.column, "why": u.why} for u in detection.unread],
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
    }
