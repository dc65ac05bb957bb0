"""The real-format files of tests/artifacts/<kind>/ and what each one says (its expected.yaml)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from readiness.verify.probes.common import Artifact, Report

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def expected(kind: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The folder's `_targets` and its entries by file name."""
    data = yaml.safe_load((ARTIFACTS / kind / "expected.yaml").read_text(encoding="utf-8"))
    targets = data.get("_targets", {})
    return targets, {name: entry for name, entry in data.items() if not name.startswith("_")}


def artifact(kind: str, name: str) -> Artifact:
    raw = (ARTIFACTS / kind / name).read_bytes()
    return Artifact(name, raw.decode("utf-8-sig"))


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
