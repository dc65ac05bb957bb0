"""lm-evaluation-harness results: the `results_<date-time>.json` that `lm_eval ... --output_path DIR` writes.

Since 0.4 (tests/artifacts/lm-eval-results/ABOUT.md) each row of `results` (a task, or a group with its
aggregate) keys its metrics as "<metric>,<filter>" (`acc,none`, `exact_match,strict-match`); 0.3 files key them
as "<metric>" and carry no date. `config.limit` is what `--limit` cut the run to, and `n-samples` (0.4.3+) how
many documents each task had and used; `date` (0.4.2+) is the run's start in Unix seconds.

Judged: every row that reports the asked metric (default `acc,none`) is at or above the target, since a pack
names no single task and a group must not hide a weak subtask; that the run was a full one (a `--limit` run is a
smoke test, however good its score); and that `date` is recent. A metric that `higher_is_better` marks as lower
-is-better is not compared with a pass rate. No row with the metric means nothing to judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, nothing
from readiness.verify.probes.evalrun import (
    conclude,
    count,
    expect_schema,
    finite,
    from_unix,
    read_json,
    recency,
    score_finding,
    shown,
)

KIND = "lm-eval-results"
EXPECT_SCHEMA: dict[str, Any] = expect_schema(
    metric={"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^,]+$"},
    filter={"type": "string", "minLength": 1, "maxLength": 200},
)


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = read_json(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    if not _is_results(data):
        return nothing(artifact, "not lm-evaluation-harness results (no 'results' of tasks and 'versions')")
    if not data["results"]:
        return Report(Outcome.NOTHING, (at(document, ("results",), "no task in the results: nothing to judge", None),))
    findings = _full_run(document, data)
    missing = findings[0].holds is None
    if "pass_rate" in expect:
        scores = _scores(document, data, expect)
        if not any(finding.holds is not None for finding in scores):
            key = f"{expect.get('metric', 'acc')},{expect.get('filter', 'none')}"
            message = f"no task reports a score under {shown(key, 80)} that can be judged"
            return Report(Outcome.NOTHING, (at(document, ("results",), message, None), *scores))
        findings += scores
    if "max_age_days" in expect:
        age = _age(document, data, expect)
        missing = missing or age.holds is None
        findings.append(age)
    return conclude(findings, missing)


def _is_results(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
        return False
    rows = data.get("results")
    return isinstance(rows, dict) and all(isinstance(row, dict) for row in rows.values())


def _scores(document: Document, data: dict[str, Any], expect: Mapping[str, Any]) -> list[Finding]:
    """One finding per row reporting the metric: judged, or said (holds None) when it cannot be compared."""
    metric, filter_ = expect.get("metric", "acc"), expect.get("filter", "none")
    better = data.get("higher_is_better")
    samples = data.get("n-samples")
    found = []
    for task, row in data["results"].items():
        key = f"{metric},{filter_}"
        # 0.3 keys a metric without its filter; there were no filters then, so only the default one matches.
        if key not in row and filter_ == "none" and metric in row and not any("," in name for name in row):
            key = metric
        if key not in row:
            continue
        where = (document.file, *document.where(("results", task, key)))
        label = f"{shown(task, 60)} {shown(key, 60)}"
        direction = better.get(task) if isinstance(better, dict) else None
        used = samples.get(task) if isinstance(samples, dict) else None
        if isinstance(direction, dict) and direction.get(metric) is False:
            found.append(Finding(*where, f"{label}: lower is better, so it is not judged as a pass rate", None))
        elif isinstance(used, dict) and count(used.get("effective")) == 0:
            found.append(Finding(*where, f"{label}: no sample of the task was evaluated", None))
        else:
            found.append(score_finding(where, label, row[key], expect["pass_rate"]))
    return found


def _full_run(document: Document, data: dict[str, Any]) -> list[Finding]:
    """Whether every document of every task was used: `--limit` (config.limit) or a selection cuts a run short."""
    config = data.get("config")
    if not isinstance(config, dict) or "limit" not in config:
        message = "no config.limit in the file: whether --limit cut the run short cannot be shown"
        return [at(document, ("config",), message, None)]
    limit = config["limit"]
    cut = _cut_task(data)
    if limit is None and cut is None:
        return [at(document, ("config", "limit"), "a full run (no --limit)", True)]
    shortfall = f" ({cut[1]:,} of {cut[2]:,} samples of {shown(cut[0], 60)})" if cut else ""
    if limit is None:
        assert cut is not None
        message = f"the run used part of the data{shortfall}: a partial run proves nothing"
        return [at(document, ("n-samples", cut[0], "effective"), message, False)]
    told = f"{finite(limit):g}" if finite(limit) is not None else shown(repr(limit), 30)
    message = f"a run cut by --limit {told}{shortfall}: a smoke test, which proves nothing"
    return [at(document, ("config", "limit"), message, False)]


def _cut_task(data: dict[str, Any]) -> tuple[str, int, int] | None:
    """The first task that used fewer documents than it has (n-samples, lm-eval 0.4.3+), if any."""
    samples = data.get("n-samples")
    if not isinstance(samples, dict):
        return None
    for task, used in samples.items():
        if isinstance(used, dict):
            effective, original = count(used.get("effective")), count(used.get("original"))
            if effective is not None and original is not None and effective < original:
                return task, effective, original
    return None


def _age(document: Document, data: dict[str, Any], expect: Mapping[str, Any]) -> Finding:
    seconds = finite(data.get("date"))
    when = from_unix(seconds) if seconds is not None else None
    if when is None:
        message = "no date of the run in the file (lm-eval writes one since 0.4.2): its age cannot be shown"
        return at(document, ("date",), message, None)
    line, column = document.where(("date",))
    return recency((document.file, line, column), when, expect, "run started")
