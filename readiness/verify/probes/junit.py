"""JUnit XML test reports: Ant's `<junit>` report as pytest (`--junitxml`), Maven Surefire, Gradle, promptfoo
(`-o results.junit.xml`), jest-junit and most CI tools write it.

No specification fixes the format (tests/artifacts/junit-xml/ABOUT.md); what every dialect shares is the counts
on each `<testsuite>` (`tests`, which includes the skipped ones, `failures`, `errors`, `skipped`) and, in most,
a `timestamp` (ISO 8601, with or without a zone; Surefire writes none). Those are judged: the pass rate of the
tests that ran, summed over the innermost `<testsuite>` elements (a `<testsuites>` root, or a suite holding
suites, repeats its children's totals and is never added on top), and the age of the oldest suite. A suite
without a count has its `<testcase>` children counted instead. A report with no test run proves nothing.

The file comes from a pull request: it is parsed by defusedxml's expat reader with DTDs, entity declarations and
external references refused (a billion-laughs bomb read by a plain parser is a "passing" suite). Positions are
expat's, at the `<` of the element a finding is about.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, nothing
from readiness.verify.probes.evalrun import (
    conclude,
    expect_schema,
    parse_instant,
    percent,
    plural,
    recency,
    shown,
)

KIND = "junit-xml"
EXPECT_SCHEMA: dict[str, Any] = expect_schema()

_ROOTS = ("testsuites", "testsuite")
_COUNTS = ("tests", "failures", "errors", "skipped")
_OUTCOMES = ("failure", "error", "skipped")
_KEPT = frozenset((*_COUNTS, "skip", "timestamp"))  # the attributes read; `skip`: nose's and old Ant's skipped
_COUNTED_AS = {"failure": 1, "error": 2, "skipped": 3}  # the index in _COUNTS
_FAILING_SHOWN = 5  # failing test cases named in findings; the rest are counted in the pass rate's message


@dataclass
class _Suite:
    """An open <testsuite>: where it starts, its attributes, and what its <testcase> children said."""

    line: int
    column: int
    attributes: dict[str, str]
    leaf: bool = True
    counted: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # as _COUNTS, from <testcase> children


@dataclass
class _Case:
    """An open <testcase>: where it starts, its name and how it ended."""

    line: int
    column: int
    name: str
    depth: int
    outcome: str | None = None


@dataclass
class _Totals:
    """What the innermost suites say, summed as each one closes, so memory stays with the nesting depth."""

    suites: int = 0
    first: tuple[int, int] = (1, 1)  # the first innermost suite: where the pass rate is told
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    oldest: tuple[datetime, int, int] | None = None  # the oldest run time and its suite
    broken: Finding | None = None  # the first count that is no count


class _Foreign(Exception):
    """The root element is not a test report's: stop reading."""

    def __init__(self, name: str, line: int, column: int) -> None:
        super().__init__(name)
        self.name, self.line, self.column = name, line, column


class _Reader(ContentHandler):
    """Sums the innermost suites of a report and keeps its first failing cases as expat reads it, in one pass."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.locator: Locator | None = None
        self.root: _Suite | None = None  # the root element, for its position and a timestamp
        self.totals = _Totals()
        self.failing: list[_Case] = []
        self._open: list[_Suite] = []
        self._case: _Case | None = None
        self._depth = 0

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def position(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        # expat counts columns from 0; before the first event a locator may know no position at all
        return self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self._depth += 1
        if self.root is None:
            line, column = self.position()
            if name not in _ROOTS:
                raise _Foreign(name, line, column)
            self.root = _Suite(line, column, {key: value for key, value in attrs.items() if key == "timestamp"})
        if name == "testsuite":
            if self._open:
                self._open[-1].leaf = False
            kept = {key: value for key, value in attrs.items() if key in _KEPT}
            self._open.append(_Suite(*self.position(), kept))
        elif name == "testcase" and self._open and self._case is None:
            label = ".".join(part for part in (attrs.get("classname", ""), attrs.get("name", "")) if part)
            self._case = _Case(*self.position(), label, self._depth)
        elif name in _OUTCOMES and self._case is not None and self._depth == self._case.depth + 1:
            self._case.outcome = self._case.outcome or name

    def endElement(self, name: str) -> None:
        case = self._case
        if case is not None and self._depth == case.depth:
            counted = self._open[-1].counted
            counted[0] += 1
            if case.outcome is not None:
                counted[_COUNTED_AS[case.outcome]] += 1
            if case.outcome in ("failure", "error") and len(self.failing) < _FAILING_SHOWN:
                self.failing.append(case)
            self._case = None
        elif name == "testsuite" and self._open:
            suite = self._open.pop()
            if suite.leaf:
                _add(self.totals, suite, self.file)
        self._depth -= 1


def _add(totals: _Totals, suite: _Suite, file: str) -> None:
    """Adds an innermost suite: its count attributes, or its test cases where it writes none."""
    if not totals.suites:
        totals.first = (suite.line, suite.column)
    totals.suites += 1
    written_counts = suite.attributes
    if not written_counts:  # a writer that counts nothing on its suites (and a flood of empty ones stays cheap)
        for index, name in enumerate(_COUNTS):
            totals.counts[name] += suite.counted[index]
        return
    for index, name in enumerate(_COUNTS):
        written = written_counts.get(name, written_counts.get("skip") if name == "skipped" else None)
        if written is None:
            totals.counts[name] += suite.counted[index]
            continue
        value = written.strip()
        if value.isascii() and value.isdigit() and len(value) <= 15:
            totals.counts[name] += int(value)
        elif totals.broken is None:
            message = f'{name}="{shown(written, 30)}" on <testsuite> is not a count of tests'
            totals.broken = Finding(file, suite.line, suite.column, message, False)
    when = parse_instant(written_counts["timestamp"]) if "timestamp" in written_counts else None
    if when is not None and (totals.oldest is None or when < totals.oldest[0]):
        totals.oldest = (when, suite.line, suite.column)


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    text = artifact.text.lstrip("\ufeff \t\r\n")
    if not text:
        return nothing(artifact, "the file is empty")
    if not text.startswith("<"):  # XML starts with its declaration or an element; this is some other text
        return nothing(artifact, "not XML: the text does not start with '<'")
    reader = _read(artifact)
    if isinstance(reader, Report):
        return reader
    totals = reader.totals
    if totals.broken is not None:
        return Report(Outcome.FAILS, (totals.broken,))
    if not totals.suites:
        assert reader.root is not None
        return nothing(artifact, "the report holds no <testsuite>: no test ran", reader.root.line, reader.root.column)
    tests, failures, errors, skipped = (totals.counts[name] for name in _COUNTS)
    ran = tests - skipped
    if ran <= 0:
        message = f"no test ran ({plural(tests, 'test')}, {skipped:,} skipped): nothing to judge"
        return nothing(artifact, message, *totals.first)

    findings: list[Finding] = []
    missing = False
    if "pass_rate" in expect:
        passed = max(ran - failures - errors, 0)
        rate = passed / ran
        tally = (
            f"{passed:,} of {plural(ran, 'test')} run passed: {plural(failures, 'failure')}, {plural(errors, 'error')}"
        )
        where = f"{skipped:,} skipped, over {plural(totals.suites, 'test suite')}"
        message = f"pass rate {percent(rate)} ({tally}; {where}), target at least {percent(expect['pass_rate'])}"
        findings.append(Finding(artifact.path, *totals.first, message, rate >= expect["pass_rate"]))
        findings += [_failing(artifact, case) for case in reader.failing]
    if "max_age_days" in expect:
        age = _age(artifact, totals, reader.root, expect)
        missing = age.holds is None
        findings.append(age)
    return conclude(findings, missing)


def _failing(artifact: Artifact, case: _Case) -> Finding:
    said = "failed" if case.outcome == "failure" else "could not run (error)"
    return Finding(artifact.path, case.line, case.column, f"{said}: {shown(case.name, 160)}", None)


def _read(artifact: Artifact) -> _Reader | Report:
    """The report read by expat with every DTD and entity refused, or why it is not one (NOTHING) or cannot be
    read (FAILS at the position where expat stopped)."""
    reader = _Reader(artifact.path)
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(reader)
    try:
        parser.parse(io.StringIO(artifact.text))
    except _Foreign as foreign:
        message = f"not a JUnit XML report: the root element is <{shown(foreign.name, 60)}>"
        return nothing(artifact, message, foreign.line, foreign.column)
    except SAXParseException as error:
        message = f"cannot be read as XML: {error.getMessage()}"
        return _broken(artifact, error.getLineNumber() or 1, (error.getColumnNumber() or 0) + 1, message)
    except DefusedXmlException as refused:
        line, column = reader.position()
        doctype = getattr(refused, "name", None)  # DTDForbidden names the root the DOCTYPE declares
        if doctype not in _ROOTS:
            message = f"not a JUnit XML report: a document of type <{shown(str(doctype), 60)}> with a DTD"
            return nothing(artifact, message, line, column)
        message = "refused: the report declares a DTD or entities, which no test report needs and an entity bomb uses"
        return _broken(artifact, line, column, message)
    except (UnicodeError, ValueError) as error:  # text expat cannot take as UTF-8 (a lone surrogate)
        return _broken(artifact, 1, 1, f"cannot be read: {shown(str(error), 120)}")
    return reader


def _broken(artifact: Artifact, line: int, column: int, message: str) -> Report:
    return Report(Outcome.FAILS, (Finding(artifact.path, max(line, 1), max(column, 1), message, False),))


def _age(artifact: Artifact, totals: _Totals, root: _Suite | None, expect: Mapping[str, Any]) -> Finding:
    """The oldest suite's `timestamp` (the root's when no suite has one): every suite of the report is evidence."""
    oldest = totals.oldest
    if oldest is None and root is not None and (when := parse_instant(root.attributes.get("timestamp"))):
        oldest = (when, root.line, root.column)
    if oldest is None:
        message = "no timestamp on any <testsuite> (Maven Surefire writes none by default): the age cannot be shown"
        return Finding(artifact.path, *totals.first, message, None)
    when, line, column = oldest
    return recency((artifact.path, line, column), when, expect, "tests ran")
