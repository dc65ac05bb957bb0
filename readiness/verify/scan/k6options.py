"""The targets a k6 load test states: its script's `options` (read as a literal, never run) and the thresholds a
k6 end-of-test summary records (both the `--summary-export` shape and handleSummary's `data`).

k6 thresholds are `aggregation operator value` strings (`p(95)<500`, `rate<0.01`, `avg<=200`), alone in a
metric's list or as `{ threshold: 'p(95)<500', abortOnFail: true }`. A `p(95)` bound (`<` or `<=`) on
`http_req_duration`, in milliseconds, is latency_p95_ms; a `rate` bound on `http_req_failed` is error_rate. A
threshold on a sub-metric (`http_req_duration{name:login}`) covers part of the traffic: said, not proposed.

The peak of virtual users is peak_concurrency where the script says it plainly: `vus`, the highest target of
`stages`, or a single scenario of a VU-based executor. An arrival-rate scenario states a rate of iterations; its
`preAllocatedVUs` and `maxVUs` bound a pool, not the users at the peak, and several scenarios may run one after
another or at once: both are said, not proposed.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import parse_document
from readiness.verify.scan import jsobject
from readiness.verify.scan.jsobject import OPAQUE, Node
from readiness.verify.scan.model import Clue, Unread
from readiness.verify.scan.sourcelines import line_col
from readiness.verify.scan.stated import Stated, Value, shown

_IMPORTS_K6 = re.compile(r"""(?:\bfrom[ \t]*|\brequire[ \t]*\([ \t]*)["']k6(?:/[\w./-]{0,100})?["']""")
# `export const options = {`, with a TypeScript annotation (`options: Options =`), or `exports.options =`.
_OPTIONS = re.compile(r"(?:\b(?:const|let|var)[ \t]+options(?:[ \t]*:[^=\n]{1,200})?|\bexports\.options)[ \t]*=[ \t]*")
_EXPRESSION = re.compile(
    r"\s*(avg|min|med|max|count|rate|value|p\(\s*([0-9]{1,3}(?:\.[0-9]{1,6})?)\s*\))\s*(<=|<|>=|>|===|==|!=)"
    r"\s*([-+]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][-+]?[0-9]{1,3})?)\s*"
)
_DURATION, _FAILED = "http_req_duration", "http_req_failed"
MAX_THRESHOLDS = 50  # read per metric: a script's list holds a few
MAX_NOTES = 20  # said per file
MAX_OPTIONS = 20  # `options =` lines looked at for one outside a comment
_VU_EXECUTORS = ("constant-vus", "ramping-vus", "per-vu-iterations", "shared-iterations")
_RATE_EXECUTORS = ("constant-arrival-rate", "ramping-arrival-rate")


def script(text: str, path: str) -> tuple[list[Stated], list[Unread]]:
    """What the `options` of a k6 script state; nothing for a script that imports no k6 module."""
    if not _IMPORTS_K6.search(text):
        return [], []
    written = islice(_OPTIONS.finditer(text), MAX_OPTIONS)
    found = next((match for match in written if not _commented(text, match.start())), None)
    if found is None:
        return [], []  # options given on the command line or in a config file: nothing stated here
    try:
        options = jsobject.read_value(text, found.end())
    except jsobject.OverLimit as error:
        return [], [Unread(path, *line_col(text, found.end()), f"options not read: {error}")]
    reading = _Script(text, path)
    if not isinstance(options.value, dict):
        return [], [reading.unread(options, "options is not written as an object literal: not read")]
    entries: dict[str, Node] = options.value
    thresholds = entries.get("thresholds")
    if thresholds is not None:
        reading.thresholds(thresholds)
    reading.peak(entries)
    return reading.stated, reading.notes


class _Script:
    """The statements and notes of one script, each placed by the offset of what states it."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.stated: list[Stated] = []
        self.notes: list[Unread] = []

    def clue(self, key: str, node: Node, what: str) -> Clue:
        return Clue(key, self.path, *line_col(self.text, node.offset), what)

    def unread(self, node: Node, why: str) -> Unread:
        return Unread(self.path, *line_col(self.text, node.offset), why)

    def say(self, node: Node, why: str) -> None:
        # The first MAX_NOTES only: placing each costs a count of the lines before it, and a file written to
        # raise thousands of notes would make that quadratic.
        if len(self.notes) < MAX_NOTES:
            self.notes.append(self.unread(node, why))

    def thresholds(self, node: Node) -> None:
        if not isinstance(node.value, dict):
            self.say(node, "thresholds are not written as an object literal: not read")
            return
        for metric, listed in node.value.items():
            expressions = _expressions(listed)
            if expressions is None:
                if _concerns(metric):
                    self.say(listed, f"thresholds of {shown(metric)} are not literal: not read")
                continue
            for expression, place in expressions[:MAX_THRESHOLDS]:
                found = _threshold(metric, expression, "k6 threshold")
                if isinstance(found, tuple):
                    key, value, what = found
                    self.stated.append(Stated(key, value, self.clue(key, place, what)))
                elif found:
                    self.say(place, found)

    def peak(self, entries: dict[str, Node]) -> None:
        scenarios = entries.get("scenarios")
        if scenarios is not None:
            self.scenarios(scenarios)
            return
        stages = _stage_targets(entries.get("stages"))
        vus = entries.get("vus")
        candidates = [*stages, *([vus] if vus is not None else [])]
        if candidates and "..." in entries:
            # `{ ...base, vus: 10 }`: what the spread brings may replace or add to what is written.
            self.say(entries["..."], "options spread another object: no peak_concurrency")
        elif candidates and self.whole(candidates):
            top = max(candidates, key=lambda node: _whole(node.value) or 0)
            what = "k6 stages ramp to" if top in stages else "k6 runs"
            self.add_peak(top, f"{what} {shown(top.value)} VUs")

    def whole(self, nodes: list[Node]) -> bool:
        """Whether every node is a whole number; the first that is not is said."""
        bad = next((node for node in nodes if _whole(node.value) is None), None)
        if bad is not None:
            self.say(bad, "a number of VUs not written as a whole number: no peak_concurrency")
        return bad is None

    def scenarios(self, node: Node) -> None:
        if not isinstance(node.value, dict) or "..." in node.value:
            self.say(node, "scenarios are not written as an object literal: no peak_concurrency")
            return
        if len(node.value) != 1:
            why = f"{len(node.value)} scenarios, which may run at once or one after another: no peak_concurrency"
            self.say(node, why)
            return
        name, scenario = next(iter(node.value.items()))
        fields: dict[str, Node] = scenario.value if isinstance(scenario.value, dict) else {}
        executor = fields.get("executor")
        kind = executor.value if executor is not None and isinstance(executor.value, str) else None
        if kind in _RATE_EXECUTORS:
            why = f"scenario '{shown(name)}' ({kind}) states a rate of iterations; its VUs are a pool: no peak"
            self.say(scenario, f"{why}_concurrency")
            return
        if kind not in _VU_EXECUTORS or "..." in fields:
            why = "no VU-based executor named" if kind not in _VU_EXECUTORS else "spreads another object"
            self.say(scenario, f"scenario '{shown(name)}' {why}: no peak_concurrency")
            return
        candidates = [*_stage_targets(fields.get("stages")), *[fields[k] for k in ("vus", "startVUs") if k in fields]]
        if candidates and self.whole(candidates):
            top = max(candidates, key=lambda node: _whole(node.value) or 0)
            self.add_peak(top, f"k6 scenario '{shown(name)}' ({kind}) runs {shown(top.value)} VUs at its peak")

    def add_peak(self, node: Node, what: str) -> None:
        value = _whole(node.value)
        if value is None or value < 1:
            self.say(node, f"a peak of {shown(node.value)} VUs: no peak_concurrency")
            return
        self.stated.append(Stated("peak_concurrency", value, self.clue("peak_concurrency", node, what)))


def summary(text: str, path: str) -> tuple[list[Stated], list[Unread]]:
    """The thresholds a k6 end-of-test summary records (the expressions are its metrics' threshold keys)."""
    if '"root_group"' not in text:
        return [], []
    try:
        document = parse_document(text, path)
    except InputError as error:
        first = error.diagnostics[0]
        return [], [Unread(path, first.line, first.column, f"not read: {first.message}")]
    except RecursionError:
        return [], [Unread(path, 1, 1, "not read: nested too deeply")]
    metrics = document.data.get("metrics") if isinstance(document.data, dict) else None
    if not isinstance(metrics, dict):
        return [], []
    stated: list[Stated] = []
    notes: list[Unread] = []
    for metric, entry in metrics.items():
        recorded = entry.get("thresholds") if isinstance(entry, dict) else None
        if not isinstance(recorded, dict):
            continue
        for expression in recorded:
            line, column = document.where(("metrics", metric, "thresholds", expression), key=True)
            found = _threshold(str(metric), str(expression), "k6 summary records threshold")
            if isinstance(found, tuple):
                key, value, what = found
                stated.append(Stated(key, value, Clue(key, path, line, column, what)))
            elif found and len(notes) < MAX_NOTES:
                notes.append(Unread(path, line, column, found))
    return stated, notes


def _threshold(metric: str, expression: str, source: str) -> tuple[str, Value, str] | str:
    """The target a threshold states (key, value, what), or why it states none ('' when it is no concern)."""
    if not _concerns(metric):
        return ""
    written = f"'{shown(expression)}' on {shown(metric)}"
    found = _bound(metric.split("{", 1)[0], expression, f"{source} {written}")
    if isinstance(found, tuple) and metric not in (_DURATION, _FAILED):
        return f"{source} {written}: on a sub-metric, part of the traffic: no {found[0]}"
    return found


def _bound(metric: str, expression: str, said: str) -> tuple[str, Value, str] | str:
    parsed = _EXPRESSION.fullmatch(expression)
    if parsed is None:
        return f"{said} is no k6 threshold expression: no target"
    aggregation, percentile, operator, bound = parsed.groups()
    value = float(bound)
    if operator not in ("<", "<="):
        return ""  # a lower bound, or an equality: no target is a floor
    if metric == _DURATION and percentile is not None and float(percentile) == 95:
        if not value > 0:
            return f"{said}: a p95 of at most {shown(value)} ms is no latency target"
        return "latency_p95_ms", _plain(value), said
    if metric == _FAILED and aggregation == "rate":
        if not 0 <= value <= 1:
            return f"{said}: a rate outside [0, 1] is no error rate"
        return "error_rate", _plain(value), said
    return ""  # another statistic (p(99), avg, max) states no p95 and no error rate


def _concerns(metric: str) -> bool:
    return metric.split("{", 1)[0] in (_DURATION, _FAILED)


def _expressions(listed: Node) -> list[tuple[str, Node]] | None:
    """The threshold strings of a metric's list, each with its node; None when the list is not written out."""
    if not isinstance(listed.value, list):
        return None
    found: list[tuple[str, Node]] = []
    for item in listed.value:
        if isinstance(item.value, str):
            found.append((item.value, item))
        elif isinstance(item.value, dict):
            threshold = item.value.get("threshold")
            if threshold is not None and isinstance(threshold.value, str):
                found.append((threshold.value, threshold))
    return found


def _stage_targets(stages: Node | None) -> list[Node]:
    if stages is None or not isinstance(stages.value, list):
        return []
    steps = [stage.value for stage in stages.value if isinstance(stage.value, dict)]
    return [step["target"] for step in steps if "target" in step]


def _whole(value: Any) -> int | None:
    if value is OPAQUE or isinstance(value, bool) or not isinstance(value, float) or not value.is_integer():
        return None
    return int(value)


def _plain(value: float) -> Value:
    return int(value) if value.is_integer() else value


def _commented(text: str, offset: int) -> bool:
    """Whether `offset` stands in a comment: after `//` on its line, or in an unclosed `/*` (an old `options`
    kept commented out above the real one)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return "//" in text[line_start:offset] or text.rfind("/*", 0, offset) > text.rfind("*/", 0, offset)
