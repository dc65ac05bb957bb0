"""Locust CSV statistics: `PREFIX_stats.csv` and `PREFIX_stats_history.csv` of `locust --csv=PREFIX`, and the
`PREFIX_requests.csv` / `PREFIX_distribution.csv` pair that came before them (tests/artifacts/locust-stats/).

Every file has a header row and one row per request name; the whole run is the row named "Aggregated" ("Total"
before 0.12.2). Its columns moved between versions (`# requests` became `Request Count` in 1.0, the percentiles
follow `PERCENTILES_TO_REPORT`), so every cell is read by its header's name, never by its place.
- p95 latency: the `95%` cell of that row, whole milliseconds from Locust's bucketed histogram. When a project
  reports other percentiles, a higher one at or under the target still proves p95 is, and a lower one over it
  proves p95 is not; otherwise the p95 is missing.
- error rate: failures / requests of that row (`Failures/s` is per second, not per request).
- peak concurrency: only the history has it (`User Count`, Locust 1.0+, one row per interval); `_stats.csv`
  never does, which is said as information. The history's last Aggregated row holds the run's totals, and its
  percentiles are the run's too, except in Locust 0.13-1.1 (rows written by hand, timestamps quoted) and with
  `--csv-full-history` (a row per name), where they cover only the seconds before the row: then not judged.
Rows are split by the csv module (Python's own `csv.writer` wrote them since 1.1); cell positions come from a
scan of the row that follows the same quoting rules, since the module gives none.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any, NamedTuple

from readiness.verify.probes.common import LOAD_TEST_EXPECT, Artifact, Finding, Outcome, Report, judged, nothing

KIND = "locust-stats"
EXPECT_SCHEMA = LOAD_TEST_EXPECT

# Header names by version: 1.0+ `_stats.csv`, 0.8-0.14 (`_requests.csv`, old `_stats.csv`), 1.0+ history.
_REQUESTS = ("Request Count", "# requests", "Total Request Count")
_FAILURES = ("Failure Count", "# failures", "Total Failure Count")
_OVERALL = ("Aggregated", "Total")  # "Total" until 0.12.2 renamed it; never both in one file
_LONGEST_NUMBER = 32  # characters; Locust writes nothing longer, and Python reads no int over 4,300 digits


class _Row(NamedTuple):  # a tuple: made once per row of files that may have a million
    cells: list[str]
    line: int  # where the row begins


@dataclass(frozen=True)
class _Layout:
    """Where each column of a Locust stats CSV is, by its header."""

    name: int
    requests: int
    failures: int | None
    percentiles: dict[float, int]  # 95.0 -> the column of "95%"
    users: int | None
    timestamp: int | None  # only a history has one

    @classmethod
    def of(cls, header: list[str]) -> _Layout | None:
        """The columns of a Locust statistics file, or None when the header is not one."""
        names = [cell.strip().lstrip("\ufeff") for cell in header]

        def column(*candidates: str) -> int | None:
            return next((names.index(name) for name in candidates if name in names), None)

        percentiles: dict[float, int] = {}
        for index, name in enumerate(names):
            percent = _number(name[:-1]) if name.endswith("%") else None
            if percent is not None and 0 < percent <= 100:
                percentiles.setdefault(percent, index)
        label, requests, failures = column("Name"), column(*_REQUESTS), column(*_FAILURES)
        # The old _distribution.csv has no failures and the old _requests.csv no percentiles; a file with
        # neither (the _failures.csv, another tool's CSV) is not one of these.
        if label is None or requests is None or (failures is None and not percentiles):
            return None
        return cls(label, requests, failures, percentiles, column("User Count"), column("Timestamp"))


class _Damaged(Exception):
    """The file is of the format but cannot be read on from `line`."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class _Table:
    """What the data rows say, read in one pass that keeps only the rows a finding may point at."""

    text: str
    file: str
    layout: _Layout
    overall: _Row | None  # the last Aggregated row (Total in old files): the whole run, latest
    per_name: bool  # a row for one request name: in a history, written with --csv-full-history
    peak: tuple[int, _Row] | None  # the most users at once, and the first row that had them
    odd_users: _Row | None  # the first row whose User Count is not a count

    @classmethod
    def read(cls, artifact: Artifact, layout: _Layout, width: int, rows: Iterator[_Row]) -> _Table:
        latest: dict[str, _Row] = {}
        per_name = False
        peak: tuple[int, _Row] | None = None
        odd_users: _Row | None = None
        for row in rows:
            if len(row.cells) != width:
                raise _Damaged(row.line, f"this row has {len(row.cells)} cells where the header has {width}")
            name = row.cells[layout.name]
            if name in _OVERALL:
                latest[name] = row
            else:
                per_name = True
            if layout.users is None:
                continue
            users = _count(row.cells[layout.users])
            if users is None:
                odd_users = row if odd_users is None else odd_users
            elif peak is None or users > peak[0]:
                peak = (users, row)
        overall = next((latest[name] for name in _OVERALL if name in latest), None)
        return cls(artifact.text, artifact.path, layout, overall, per_name, peak, odd_users)

    def at(self, row: _Row, column: int | None, message: str, holds: bool | None) -> Finding:
        """A finding at a cell of `row` (or at the row's start when `column` is None)."""
        line, col = (row.line, 1) if column is None else self.place(row, column)[1:]
        return Finding(self.file, line, col, message, holds)

    def place(self, row: _Row, column: int) -> tuple[int, int, int]:
        """(offset, line, column) of a cell's first character."""
        starts = _cell_starts(self.text, self.line_starts[row.line - 1], row.line)
        # The scan splits rows as the csv module does, so only a bug would leave the cell out.
        return starts[column] if column < len(starts) else starts[0]

    @cached_property
    def line_starts(self) -> list[int]:
        """The offset of each line, split as the csv module was given them: found once, when a finding needs
        a position, rather than for every row read."""
        return list(accumulate((len(line) for line in io.StringIO(self.text, newline="")), initial=0))

    @property
    def whole(self) -> _Row:
        assert self.overall is not None  # judged only when there is one
        return self.overall

    def cell(self, column: int) -> str:
        return self.whole.cells[column]

    @property
    def name(self) -> str:
        """The overall row's name as we know it (one of _OVERALL), never text from the file."""
        return next(name for name in _OVERALL if name == self.whole.cells[self.layout.name])


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    if not artifact.text.strip():
        return nothing(artifact, "the file is empty")
    rows = _rows(artifact.text)
    try:
        header = next(rows, None)
    except _Damaged:
        header = None
    layout = None if header is None else _Layout.of(header.cells)
    if header is None or layout is None:
        return nothing(artifact, "not a Locust statistics CSV (no Name, request count, failure or percentile columns)")
    try:
        table = _Table.read(artifact, layout, len(header.cells), rows)
    except _Damaged as damage:
        # Nothing is read from a damaged file: its last row may be the Aggregated one, cut short.
        message = f"cannot be read: {damage.message}; the file is cut or damaged"
        return Report(Outcome.FAILS, (Finding(artifact.path, damage.line, 1, message, False),))
    if table.overall is None:
        return nothing(artifact, "no Aggregated row: the run wrote no statistics yet")
    requests = _count(table.cell(layout.requests))
    if requests is None:
        return judged([table.at(table.whole, layout.requests, "the request count is not a whole number", False)])
    if requests == 0:
        _, line, column = table.place(table.whole, layout.requests)
        return nothing(artifact, "the run sent no requests: there is nothing to judge", line, column)
    return _judge(table, requests, expect)


def _judge(table: _Table, requests: int, expect: Mapping[str, Any]) -> Report:
    findings: list[Finding] = []
    missing = False
    if "p95_ms" in expect:
        finding, absent = _p95(table, expect["p95_ms"])
        findings.append(finding)
        missing = missing or absent
    if "error_rate" in expect:
        finding, absent = _error_rate(table, requests, expect["error_rate"])
        findings.append(finding)
        missing = missing or absent
    if "peak_concurrency" in expect:
        findings += _peak(table, expect["peak_concurrency"])
    report = judged(findings)
    if missing and report.outcome is Outcome.HOLDS:
        return Report(Outcome.NOTHING, report.findings)
    return report


def _p95(table: _Table, target: float) -> tuple[Finding, bool]:
    """The p95 finding, and whether the p95 is missing from a file that should hold it."""
    layout, overall = table.layout, table.whole
    if layout.timestamp is not None and _windowed(table):
        message = (
            "the percentiles of this history cover only the seconds before each row (Locust before 1.2, or "
            "--csv-full-history): the run's p95 is in the _stats.csv, and is not judged here"
        )
        return table.at(overall, None, message, None), False
    if not layout.percentiles:
        message = "no percentile columns (an old _requests.csv keeps them in the _distribution.csv beside it)"
        return Finding(table.file, 1, 1, message, None), True
    if 95.0 in layout.percentiles:
        column = layout.percentiles[95.0]
        p95 = _number(table.cell(column))
        if p95 is None:
            return table.at(overall, column, f"the 95% cell of the {table.name} row holds no number", None), True
        message = f"p95 latency {p95:,g} ms (the 95% column of the {table.name} row), target at most {target:,} ms"
        return table.at(overall, column, message, p95 <= target), False
    return _p95_bounded(table, target)


def _p95_bounded(table: _Table, target: float) -> tuple[Finding, bool]:
    """With no 95% column, a percentile on either side may still settle the question: p95 <= p99 <= target,
    or target < p90 <= p95."""
    percentiles = table.layout.percentiles
    above = [percent for percent in sorted(percentiles) if percent > 95]
    below = [percent for percent in sorted(percentiles, reverse=True) if percent < 95]
    for percents, settles in ((above[:1], True), (below[:1], False)):
        for percent in percents:
            value = _number(table.cell(percentiles[percent]))
            if value is not None and (value <= target) is settles:
                relation = "at most" if settles else "over"
                message = (
                    f"p95 latency {relation} {value:,g} ms: there is no 95% column, and the {percent:g}% column "
                    f"of the {table.name} row reads {value:,g} ms, target at most {target:,} ms"
                )
                return table.at(table.whole, percentiles[percent], message, settles), False
    message = "no 95% column (PERCENTILES_TO_REPORT leaves it out), and no other percentile settles the target"
    return Finding(table.file, 1, 1, message, None), True


def _windowed(table: _Table) -> bool:
    """Whether a history's percentiles cover a recent window rather than the run: one row per name
    (--csv-full-history, 2.2.2+), or rows written by hand, whose Timestamp is quoted (0.13 - 1.1)."""
    if table.per_name:
        return True
    assert table.layout.timestamp is not None
    offset = table.place(table.whole, table.layout.timestamp)[0]
    return table.text.startswith('"', offset)


def _error_rate(table: _Table, requests: int, target: float) -> tuple[Finding, bool]:
    column = table.layout.failures
    if column is None:
        message = "no failure count column (an old _distribution.csv keeps it in the _requests.csv beside it)"
        return Finding(table.file, 1, 1, message, None), True
    failures = _count(table.cell(column))
    if failures is None:
        return table.at(table.whole, column, "the failure count is not a whole number", False), False
    rate = failures / requests
    message = (
        f"error rate {_percent(rate)} ({failures:,} of {requests:,} requests failed), target at most {_percent(target)}"
    )
    return table.at(table.whole, column, message, rate <= target), False


def _peak(table: _Table, target: int) -> list[Finding]:
    column = table.layout.users
    if table.layout.timestamp is None:
        message = "this file does not say how many users ran: only a _stats_history.csv (Locust 1.0+) does"
        return [Finding(table.file, 1, 1, message, None)]
    if column is None:
        message = "this history has no User Count column (Locust before 1.0): peak concurrency is not judged"
        return [Finding(table.file, 1, 1, message, None)]
    if table.odd_users is not None:
        return [table.at(table.odd_users, column, "the User Count is not a whole number", False)]
    assert table.peak is not None  # every row has a count, and the Aggregated row is one of them
    users, row = table.peak
    message = f"peak of {users:,} users at once (User Count), target at least {target:,}"
    return [table.at(row, column, message, users >= target)]


# --- reading -----------------------------------------------------------------------------------------------


def _rows(text: str) -> Iterator[_Row]:
    """Every non-blank row, one at a time; _Damaged at the line where the csv reader could not go on."""
    # Lines split at \n, \r\n and \r only, as the csv module wants them; the reader counts them in line_num.
    # The excel dialect: what csv.writer wrote, and what the old versions quoted by hand.
    reader = csv.reader(io.StringIO(text, newline=""))
    ended = 0  # the line the previous row ended on
    try:
        for cells in reader:
            if cells:  # not the blank line after each row of a file written in text mode on Windows (\r\r\n)
                yield _Row(cells, ended + 1)
            ended = reader.line_num
    except csv.Error:  # a cell over the module's field size limit
        raise _Damaged(reader.line_num, "the csv reader stopped here (a cell too long?)") from None


def _cell_starts(text: str, start: int, line: int) -> list[tuple[int, int, int]]:
    """(offset, line, column) of the first character of each cell of the row at `start`, split as the csv module
    splits it: a quote opens a quoted cell only as its first character; inside, two quotes are one and line
    breaks are text; outside, a comma ends the cell and a line break the row. One pass over the row."""
    starts = [(start, line, 1)]
    line_start = start
    quoted, fresh = False, True
    index, end = start, len(text)
    while index < end:
        char = text[index]
        if quoted:
            if char == '"':
                if text.startswith('"', index + 1):
                    index += 1  # a doubled quote: one quote of text
                else:
                    quoted = False
            elif char in "\r\n":
                if char == "\r" and text.startswith("\n", index + 1):
                    index += 1
                line, line_start = line + 1, index + 1
        elif char == ",":
            starts.append((index + 1, line, index + 2 - line_start))
            fresh = True
            index += 1
            continue
        elif char in "\r\n":
            break
        elif char == '"' and fresh:
            quoted = True
        fresh = False
        index += 1
    return starts


def _count(cell: str) -> int | None:
    cell = cell.strip()
    if not (0 < len(cell) <= _LONGEST_NUMBER and cell.isascii() and cell.isdigit()):
        return None
    return int(cell)


def _number(cell: str) -> float | None:
    """A plain decimal number (Locust writes ints, Python floats, %.2f): no 'nan', 'inf' or '1_000'."""
    cell = cell.strip()
    if not (0 < len(cell) <= _LONGEST_NUMBER and all(char in "0123456789.eE+-" for char in cell)):
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _percent(fraction: float) -> str:
    # Three significant digits: 1 failure in 100,000 requests reads 0.001 %, not 0.00 %.
    return f"{fraction * 100:.3g} %"
