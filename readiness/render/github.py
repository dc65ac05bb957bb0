"""`check -f github`: GitHub Actions workflow commands, so each gap shows as an annotation on readiness.yaml, and
each failing finding of a probe as one on its artifact's line.

One command per gap, in the remediation order: `::error` for blocker and major gaps, `::warning` for minor
ones, at the line of the item's answer (or of the `answers:` key when the item has none). The title is
"readiness: <item id>": short, unique, and the key to look for in the file or pass to `readiness checklists
show`; the item's own title opens the message. A last `::notice::` carries the verdict headline.

GitHub reads one command per line and splits properties on `,` and `:`, so values are percent-escaped the way
its runner decodes them.
"""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath

from readiness.core.model import ItemResult, ProbeOutcome, Result, Severity
from readiness.render import words
from readiness.render.formats import RenderOptions
from readiness.render.headline import headline

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


def render(result: Result, options: RenderOptions) -> str:
    names = {member.id: member.name for member in result.team}
    lines = [_command(gap, result, names) for gap in result.gaps]
    lines += [line for item in result.items if item.counted for line in _probe_commands(item, result)]
    lines.append(f"::notice::{_escape_message(headline(result))}")
    return "\n".join(lines) + "\n"


def _command(gap: ItemResult, result: Result, names: dict[str, str]) -> str:
    level = "warning" if gap.severity is Severity.MINOR else "error"
    source = gap.answer.source if gap.answer is not None else result.answers_source
    properties = {
        "file": source.file,
        "line": str(source.line),
        "col": str(source.column),
        "title": f"readiness: {gap.item.id}",
    }
    shown = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{level} {shown}::{_escape_message(_message(gap, result.today, names))}"


def _probe_commands(item: ItemResult, result: Result) -> list[str]:
    """Each failing finding of the item's probe, as an annotation on the artifact's own line (paths relative to the
    assessment's folder, which the assessment's own path leads to)."""
    run = item.probe
    if run is None or run.outcome is not ProbeOutcome.FAILS:
        return []
    folder = PurePath(result.answers_source.file).parent
    level = "warning" if item.severity is Severity.MINOR else "error"
    commands = []
    for finding in run.failures:
        properties = {
            "file": str(folder / PurePosixPath(finding.file)),
            "line": str(finding.line),
            "col": str(finding.column),
            "title": f"readiness: {item.item.id} ({run.kind})",
        }
        shown = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        message = f"{item.item.title}: the {run.kind} probe found: {finding.message}."
        commands.append(f"::{level} {shown}::{_escape_message(message)}")
    return commands


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
