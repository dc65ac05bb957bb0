"""Runbooks: Markdown files a team writes by hand (`runbooks/*.md`, linked from alerts' `runbook_url`).

No tool writes them and no schema fixes their sections; the syntax is CommonMark (GitHub renders it with
cmark-gfm), read here with markdown-it-py. Front matter (`---` YAML or `+++` TOML, as Hugo and MkDocs sites of
runbooks carry) is set aside first: read as CommonMark it would be a thematic break and a setext heading.

What makes a runbook useful at 3 a.m. is that it says how the problem is noticed, what to do about it, and whom to
call when that does not work. So the probe judges three sections - detection, mitigation (or rollback),
escalation - each found by the words of its heading (SECTIONS) and each holding real text: not nothing, not only
HTML comments, not a template's TBD. A heading inside a code block, or `##Mitigation` without its space, is no
heading; the finding points at such a line, as a reader would look for the section there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.verify.probes.common import Artifact, Finding, Report, judged, nothing
from readiness.verify.probes.mdoutline import (
    FrontMatter,
    Heading,
    Outline,
    Placeholders,
    Reading,
    Status,
    WouldBe,
    blanked,
    front_matter,
    outline,
    read_best,
    words,
)
from readiness.verify.probes.plaintext import quoted, undecodable

KIND = "runbook"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"

# The words (case-insensitive, whole words, anywhere in the heading) that name each section. Numbering, emoji and
# emphasis around them are ignored: '2. 🛠️ Mitigation / *rollback*' is mitigation.
SECTIONS: dict[str, tuple[str, ...]] = {
    "detection": ("detection", "detect", "symptom", "symptoms", "signal", "signals", "alert", "alerts"),
    "mitigation": ("mitigation", "mitigate", "rollback", "roll back", "remediation", "resolution", "recovery"),
    "escalation": ("escalation", "escalate"),
}
# Text that stands where a section's text should be, alone in its paragraph; TODO and TBD also as a block's first
# word ('TODO: add the rota').
PLACEHOLDERS = Placeholders.of(("TBD", "TODO", "N/A", "[More Information Needed]"), ("TODO", "TBD"))

MAX_CHARS = 262_144  # a runbook is read at 3 a.m.: a quarter of a megabyte is far more than one, and parses in < 1 s
_SHOWN_PLACEHOLDERS = 5

EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "required": {"type": "array", "items": {"enum": list(SECTIONS)}, "minItems": 1, "uniqueItems": True},
    },
    "additionalProperties": False,
}


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    broken = undecodable(artifact)
    if broken is not None:
        return broken
    text = artifact.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return nothing(artifact, "the file is empty")
    if len(text) > MAX_CHARS:
        return nothing(artifact, f"over {MAX_CHARS:,} characters: not read as a runbook")
    metadata = front_matter(text, ("---", "+++"))
    document = outline(blanked(text, metadata.end_line) if isinstance(metadata, FrontMatter) else text)
    keys = [frozenset(key for key, names in SECTIONS.items() if _names(words(h.raw), names)) for h in document.headings]
    required = list(expect.get("required", SECTIONS))
    sections = {key: _section(document, keys, key) for key in required}
    if all(r.status is Status.MISSING for r in sections.values()) and not any(
        _stray(document, key) for key in required
    ):
        return nothing(artifact, f"no {_listed(required)} heading: not a runbook")
    findings: list[Finding] = []
    for key, reading in sections.items():
        findings += _judged(artifact, document, key, reading)
    return judged(findings)


def _names(heading: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether one of `names` (one word or several) stands in the heading's words."""
    for name in names:
        wanted = tuple(name.split())
        if any(heading[i : i + len(wanted)] == wanted for i in range(len(heading) - len(wanted) + 1)):
            return True
    return False


def _section(document: Outline, keys: list[frozenset[str]], key: str) -> Reading:
    """The section that holds `key`, of the headings naming it. Set aside while another one names it: a container,
    whose section holds another required section ('# Escalation policy' above '## Alerts'), and the document's
    title (its one top-level heading: '# Runbook: drift alert' is about the runbook, not its Detection section).
    A container, when used, is read without the text of the other sections under it."""
    named = [h for h in document.headings if key in keys[h.index]]

    def other(inner: Heading) -> bool:
        return bool(keys[inner.index] - {key})

    highest = min((h.level for h in document.headings), default=0)
    top = [h for h in document.headings if h.level == highest]
    title = top[0] if len(top) == 1 and top[0].index == 0 else None
    whole = [h for h in named if not any(other(document.headings[i]) for i in range(h.index + 1, h.end))]
    chosen = [h for h in whole if h is not title] or whole or named
    return read_best(document, chosen, PLACEHOLDERS, leave_out=other)


def _stray(document: Outline, key: str) -> list[WouldBe]:
    return [line for line in document.would_be if _names(line.words, SECTIONS[key])]


def _judged(artifact: Artifact, document: Outline, key: str, reading: Reading) -> list[Finding]:
    title = key.capitalize()
    heading = reading.heading
    if heading is None:
        return _missing(artifact, document, key)
    shown = f"'{quoted(heading.raw)}'"
    if reading.status is Status.TEXT:
        return [Finding(artifact.path, heading.line, 1, f"{title} section {shown} holds text", True)]
    if reading.status is Status.EMPTY:
        message = f"{title} section {shown} is empty: nothing under the heading but comments or subheadings"
        return [Finding(artifact.path, heading.line, 1, message, False)]
    found = [Finding(artifact.path, heading.line, 1, f"{title} section {shown} holds only placeholders", False)]
    for block in reading.placeholders[:_SHOWN_PLACEHOLDERS]:
        message = f"placeholder '{quoted(block.raw.strip())}' where the {title} section's text should be"
        found.append(Finding(artifact.path, block.line, 1, message, None))
    return found


def _missing(artifact: Artifact, document: Outline, key: str) -> list[Finding]:
    title = key.capitalize()
    stray = _stray(document, key)
    meant = [line for line in stray if line.swallowed]
    if meant:
        first = meant[0]
        message = f"no {title} section: '{quoted(first.text)}' on line {first.line} {first.why}"
        found = [Finding(artifact.path, first.line, 1, message, False)]
    else:
        message = f"no {title} section (a heading with one of: {', '.join(SECTIONS[key])})"
        found = [Finding(artifact.path, 1, 1, message, False)]
    for line in stray[:_SHOWN_PLACEHOLDERS]:
        if line.fence_line:
            message = f"'{quoted(line.text)}' on line {line.line} is inside this code block: code, not a heading"
            found.append(Finding(artifact.path, line.fence_line, 1, message, None))
    return found


def _listed(keys: list[str]) -> str:
    names = [key.capitalize() for key in keys]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
