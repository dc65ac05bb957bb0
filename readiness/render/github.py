"""`check -f github`: GitHub Actions workflow commands, so each gap shows as an annotation on readiness.yaml, and
each failing finding of a probe as one on its artifact's line.

One command per gap, in the remediation order: `::error` for blocker and major gaps, `::warning` for minor
ones, at the line of the item's answer (or of the `answers:` key when the item has none). The title is
"readiness: <item id>": short, unique, and the key to look for in the file or pass to `readiness checklists
show`; the item's own title opens the message. A last `::notice::` carries the verdict headline.

GitHub shows 10 error and 10 warning annotations per step and drops the rest without a word (actions/toolkit,
docs/problem-matchers.md, "Limitations"). So the ten most important of each level are commands, in the order
above with each probe finding beside the gaps of its severity; the others are plain lines of the log, and a
notice says how many were left out. `step_summary` lists them all for the run's page.

GitHub reads one command per line and splits properties on `,` and `:`, so values are percent-escaped the way
its runner decodes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

from readiness.core.model import ItemResult, ProbeOutcome, Result, Severity
from readiness.render import words
from readiness.render.formats import RenderOptions
from readiness.render.headline import headline
from readiness.render.mdescape import md

_MESSAGE_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_MESSAGE_ESCAPES, (":", "%3A"), (",", "%2C"))


def _escape_message(text: str) -> str:
    for raw, escaped in _MESSAGE_ESCAPES:  # `%` first, so no escape is escaped twice
        text = text.replace(raw, escaped)
    return text


def _escape_property(text: str) -> str:
    for raw, escaped in _PROPERTY_ESCAPES:
        text = text.replace(raw, escaped)
    return text


SHOWN_PER_LEVEL = 10  # annotations of one level that GitHub displays for a step


@dataclass(frozen=True)
class Annotation:
    """One GitHub Actions annotation: a workflow command that marks a line of a file."""

    level: str  # error | warning
    file: str
    line: int
    column: int
    title: str
    message: str
    rank: int  # 0 blocker, 1 major, 2 minor: the most important first

    def command(self) -> str:
        properties = {"file": self.file, "line": str(self.line), "col": str(self.column), "title": self.title}
        shown = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        return f"::{self.level} {shown}::{_escape_message(self.message)}"

    def summary_line(self) -> str:
        """One line, whatever the packs' texts hold: no line break can start a workflow command in the log."""
        first = " ".join(self.message.split("\n", 1)[0].split())
        item = self.title.removeprefix("readiness: ")
        return " ".join(f"{self.file}:{self.line}:{self.column}: {self.level}: {item}: {first}".split())


def every_annotation(result: Result) -> list[Annotation]:
    """Every gap and failing probe finding, the most important first: by severity, then gaps in the remediation
    order before the probe findings of the same severity."""
    names = {member.id: member.name for member in result.team}
    found = [_gap_annotation(gap, result, names) for gap in result.gaps]
    found += [note for item in result.items if item.counted for note in _probe_annotations(item, result)]
    return sorted(found, key=lambda note: note.rank)  # stable: the order within a severity is kept


def shown_and_left(result: Result) -> tuple[list[Annotation], list[Annotation]]:
    """The annotations GitHub will display, and those beyond its limit."""
    shown: list[Annotation] = []
    left: list[Annotation] = []
    for note in every_annotation(result):
        same = sum(1 for other in shown if other.level == note.level)
        (shown if same < SHOWN_PER_LEVEL else left).append(note)
    return shown, left


def render(result: Result, options: RenderOptions) -> str:
    shown, left = shown_and_left(result)
    lines = [note.command() for note in shown]
    if left:
        lines.append(f"::notice::{_escape_message(_left_out(left))}")
        lines += [f"readiness: not annotated: {note.summary_line()}" for note in left]
    lines.append(f"::notice::{_escape_message(headline(result))}")
    return "\n".join(lines) + "\n"


def _left_out(left: list[Annotation]) -> str:
    counts = [
        f"{count} more {level}{'s' if count != 1 else ''}"
        for level in ("error", "warning")
        if (count := sum(1 for note in left if note.level == level))
    ]
    return (
        f"{' and '.join(counts)} are not annotations: GitHub shows {SHOWN_PER_LEVEL} of each per step. "
        "They follow in this log, and the step summary lists every one."
    )


def step_summary(result: Result) -> str:
    """Markdown for the run's page: every annotation, with how many GitHub displayed and how many it would not."""
    shown, left = shown_and_left(result)
    if not shown:
        return ""
    everything = every_annotation(result)
    lines = [
        "",
        f"#### Annotations: {len(shown)} shown on the files, {len(left)} left out",
        "",
        f"GitHub displays {SHOWN_PER_LEVEL} error and {SHOWN_PER_LEVEL} warning annotations per step; "
        f"all {len(everything)} are listed here, the most important first.",
        "",
        "| # | Level | Where | Item | Finding |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for number, note in enumerate(everything, start=1):
        where = f"{note.file}:{note.line}"
        state = "" if note in shown else " (left out)"
        first = " ".join(note.message.split("\n", 1)[0].split())
        title = note.title.removeprefix("readiness: ")
        lines.append(f"| {number} | {note.level}{state} | {md(where)} | {md(title)} | {md(first)} |")
    return "\n".join(lines) + "\n"


def _rank(severity: Severity) -> int:
    return {Severity.BLOCKER: 0, Severity.MAJOR: 1}.get(severity, 2)


def _gap_annotation(gap: ItemResult, result: Result, names: dict[str, str]) -> Annotation:
    level = "warning" if gap.severity is Severity.MINOR else "error"
    source = gap.answer.source if gap.answer is not None else result.answers_source
    return Annotation(
        level,
        source.file,
        source.line,
        source.column,
        f"readiness: {gap.item.id}",
        _message(gap, result.today, names),
        _rank(gap.severity),
    )


def _probe_annotations(item: ItemResult, result: Result) -> list[Annotation]:
    """Each failing finding of the item's probe, at the artifact's own line (paths relative to the assessment's
    folder, which the assessment's own path leads to)."""
    run = item.probe
    if run is None or run.outcome is not ProbeOutcome.FAILS:
        return []
    folder = PurePath(result.answers_source.file).parent
    level = "warning" if item.severity is Severity.MINOR else "error"
    return [
        Annotation(
            level,
            str(folder / PurePosixPath(finding.file)),
            finding.line,
            finding.column,
            f"readiness: {item.item.id} ({run.kind})",
            f"{item.item.title}: the {run.kind} probe found: {finding.message}.",
            _rank(item.severity),
        )
        for finding in run.failures
    ]


def _message(gap: ItemResult, today: str, names: dict[str, str]) -> str:
    status = words.state(gap)
    if gap.unverified_reasons:
        status += ": " + "; ".join(gap.unverified_reasons)
    when = words.due(gap, today)
    owner = names.get(gap.owner, gap.owner)
    lines = [
        f"{gap.item.title} — {gap.severity.value} gap, {status}; owner {owner}, {when}.",
        f"Why: {gap.item.why.strip()}",
        f"Verify: {gap.item.verify.strip()}",
    ]
    return "\n".join(lines)
