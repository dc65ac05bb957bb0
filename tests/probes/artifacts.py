"""The real-format files of tests/artifacts/<kind>/ and what each one says (its expected.yaml)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from readiness.verify.probes.common import Artifact, Finding, Outcome, Report

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def expected(kind: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The folder's `_targets` and its entries by file name."""
    data = yaml.safe_load((ARTIFACTS / kind / "expected.yaml").read_text(encoding="utf-8"))
    targets = data.get("_targets", {})
    return targets, {name: entry for name, entry in data.items() if not name.startswith("_")}


def artifact(kind: str, name: str) -> Artifact:
    raw = (ARTIFACTS / kind / name).read_bytes()
    return Artifact(name, raw.decode("utf-8-sig"))


def read(kind: str, name: str) -> Artifact:
    """The file as the runner hands it over: UTF-8 (a BOM dropped), a byte that is not UTF-8 kept as a surrogate."""
    raw = (ARTIFACTS / kind / name).read_bytes()
    return Artifact(name, raw.decode("utf-8-sig", "surrogateescape"))


def at(report: Report, line: int, column: int = 1) -> list[Finding]:
    """The report's findings at LINE:COLUMN; there must be one."""
    found = [f for f in report.findings if (f.line, f.column) == (line, column)]
    assert found, f"no finding at {line}:{column}: {report.findings}"
    return found


def placed_within(report: Report, text: str) -> None:
    """Every finding points at a place the file has (a line it holds, a column on that line or just past its end)
    and says so in printable text: an editor can jump there and a terminal shows the message as written. No line
    carries more than a few findings (one per property judged there), so nothing a hostile file holds multiplies
    them: their number follows the file's length."""
    lines = text.split("\n")
    per_line = Counter(finding.line for finding in report.findings)
    assert max(per_line.values(), default=0) <= 4, per_line.most_common(1)
    for finding in report.findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
        assert finding.message.isprintable(), finding


def says_what_the_file_says(report: Report, entry: Mapping[str, Any], property_of: Mapping[str, str | None]) -> None:
    """The probe's report agrees with the file's expected.yaml entry: a broken file fails at the place the parser
    stops; otherwise the outcome is the one expected, "nothing" never claims that anything holds, and each fact
    placed in `where` has a finding right there that holds or fails as the entry says (`property_of` maps a fact
    to the property it proves; None for a fact that is only said)."""
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings)
        return
    failing = set(entry.get("fails", []))
    by_place = {(f.line, f.column): f for f in report.findings}
    for fact, (line, column) in entry.get("where", {}).items():
        if fact not in property_of:
            continue
        finding = by_place.get((line, column))
        assert finding is not None, f"no finding at {line}:{column} for {fact}: {report.findings}"
        prop = property_of[fact]
        assert finding.holds is (None if prop is None else prop not in failing), finding
