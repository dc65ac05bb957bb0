"""The result as JUnit XML, for the test report views of GitLab, Jenkins and other CI servers.

One `<testsuite>` per pack and one `<testcase>` per item that is scored or deliberately left out: a gap is a
`<failure>`, an n/a or waived item is `<skipped>`, a met item passes. Items the scoring does not look at
(next stage, not applicable to the profile, disabled) are left out, and so is a pack with none of the others.

GitLab keeps only the text inside `<failure>` and `<skipped>` (it drops the `message` attribute when there
is text), so that text starts with the message line. No `time` attribute is written: nothing was timed, and
GitLab and Jenkins read a missing time as 0.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from readiness.core.model import CategoryScore, ItemResult, Outcome, Result
from readiness.render import words
from readiness.render.formats import RenderOptions
from readiness.score.scoring import format_score

# The outcomes that become test cases, in the order the scoring defines them.
SHOWN = (Outcome.MET, Outcome.GAP, Outcome.NA, Outcome.WAIVED)

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _element(parent: ET.Element | None, tag: str, attributes: dict[str, str], text: str | None = None) -> ET.Element:
    """A new element, appended to `parent` when there is one; attributes keep the order given."""
    cleaned = {name: _clean(value) for name, value in attributes.items()}
    element = ET.Element(tag, cleaned) if parent is None else ET.SubElement(parent, tag, cleaned)
    if text is not None:
        element.text = _clean(text)
    return element


class _People:
    """Team ids shown with the person's name, as a reviewer reading the CI page knows them."""

    def __init__(self, result: Result) -> None:
        self._names = {member.id: member.name for member in result.team}

    def show(self, member_id: str) -> str:
        name = self._names.get(member_id, "")
        return f"{name} ({member_id})" if name and name != member_id else member_id


def _failure_message(result: ItemResult, today: str, people: _People) -> str:
    owner = "no owner" if result.owner == "unassigned" else f"owner {people.show(result.owner)}"
    return _one_line(f"{words.state(result)}; {result.severity.value}; {owner}; {words.due(result, today)}")


def _failure_text(message: str, result: ItemResult) -> str:
    item = result.item
    lines = [message, "", f"Question: {item.question}", f"Why: {item.why}", f"How to verify: {item.verify}"]
    if result.unverified_reasons:
        lines.append("Unverified because:")
        lines.extend(f"  - {reason}" for reason in result.unverified_reasons)
    if result.auto is not None and not result.auto.passed:
        lines.append(f"Automated check: {result.auto.detail}")
    if result.probe is not None and result.probe.failures:
        lines.append(f"The {result.probe.kind} probe found:")
        lines.extend(f"  - {f.file}:{f.line}:{f.column}: {f.message}" for f in result.probe.failures)
    if result.answer and result.answer.note:
        lines.append(f"Note: {result.answer.note}")
    return "\n".join(lines)


def _skipped_message(result: ItemResult, people: _People) -> str:
    if result.outcome is Outcome.WAIVED and result.waiver is not None:
        waiver = result.waiver
        return _one_line(f"waived by {people.show(waiver.approved_by)} until {waiver.expires}: {waiver.reason}")
    reason = result.answer.reason if result.answer else ""
    return _one_line(f"n/a: {reason}" if reason else "n/a")


def _skipped_text(message: str, result: ItemResult) -> str:
    note = result.answer.note if result.answer else ""
    return f"{message}\n\nNote: {note}" if note else message


def _testcase(parent: ET.Element, result: ItemResult, file: str, today: str, people: _People) -> None:
    item = result.item
    attributes = {"classname": f"readiness.{item.pack}", "name": f"{item.id}: {item.title}", "file": file}
    if result.answer is not None:
        attributes["line"] = str(result.answer.source.line)
    case = _element(parent, "testcase", attributes)
    if result.outcome is Outcome.GAP:
        message = _failure_message(result, today, people)
        _element(case, "failure", {"message": message, "type": result.severity.value}, _failure_text(message, result))
    elif result.outcome in (Outcome.NA, Outcome.WAIVED):
        message = _skipped_message(result, people)
        _element(case, "skipped", {"message": message}, _skipped_text(message, result))


def _counts(results: list[ItemResult]) -> dict[str, str]:
    """The attributes GitLab and Jenkins total up, in a fixed order."""
    failures = sum(r.outcome is Outcome.GAP for r in results)
    skipped = sum(r.outcome in (Outcome.NA, Outcome.WAIVED) for r in results)
    return {"tests": str(len(results)), "failures": str(failures), "skipped": str(skipped), "errors": "0"}


def _properties(parent: ET.Element, result: Result, category: CategoryScore) -> None:
    """What Jenkins keeps beside a suite: the verdict of the whole run and this pack's score."""
    properties = _element(parent, "properties", {})
    values = (
        ("project", result.project.name),
        ("verdict", result.verdict),
        ("score", format_score(result.score)),
        ("target", result.target.value),
        ("stage_reached", result.stage_reached.value if result.stage_reached else "none"),
        ("category_score", format_score(category.score)),
    )
    for name, value in values:
        _element(properties, "property", {"name": name, "value": value})


def render(result: Result, options: RenderOptions) -> str:
    file = PurePath(result.answers_source.file).as_posix()
    people = _People(result)
    by_pack: dict[str, list[ItemResult]] = {}
    for item_result in result.items:
        if item_result.outcome in SHOWN:
            by_pack.setdefault(item_result.item.pack, []).append(item_result)

    suites = []
    for category in result.categories:
        cases = by_pack.get(category.pack.id, [])
        if not cases:
            continue
        suite = _element(None, "testsuite", {"name": category.pack.title, **_counts(cases)})
        _properties(suite, result, category)
        for case in cases:
            _testcase(suite, case, file, result.today, people)
        suites.append(suite)

    shown = [case for category in result.categories for case in by_pack.get(category.pack.id, [])]
    root = _element(None, "testsuites", {"name": "readiness", **_counts(shown)})
    root.extend(suites)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
