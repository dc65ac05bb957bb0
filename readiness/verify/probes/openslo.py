"""OpenSLO `kind: SLO` objects: the vendor-neutral SLO specification (github.com/OpenSLO/OpenSLO).

Teams write them by hand; `oslo validate`, Sloth (v1alpha), Nobl9 and other SLO tools read them. Two versions
are in use: `openslo/v1alpha` (2021: `timeWindows` with unit and count, ratio metrics inside each objective,
`target` only) and `openslo/v1` (2022: `timeWindow`, an SLO-level `indicator` or `indicatorRef`, `target` or
`targetPercent`, composite SLOs whose objectives each name an indicator). A file may hold several objects as
YAML documents or as a top-level list, with `Service`, `SLI` and other kinds beside the SLOs.

An availability item asks whether the team committed to the availability the assessment targets, so the probe
judges the objectives' targets: the strictest valid one must reach `availability` (looser objectives, such as a
latency SLO's share of fast requests, are listed, not failed). What the specification requires and a file lacks
(objectives, a target in range, one of target and targetPercent) fails: such an SLO promises nothing anyone can
check. A target that holds but whose SLO names no indicator measures nothing, so it earns nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, judged, nothing, number, streamed

KIND = "openslo"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"availability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}},
    "required": ["availability"],
    "additionalProperties": False,
}

_VERSIONS = ("openslo/v1", "openslo/v1alpha")
_SHOWN = 80  # characters of a name shown in a message


@dataclass(frozen=True)
class _Objective:
    """One objective of an OpenSLO SLO: its target ratio and whether anything measures it."""

    document: Document
    path: JsonPath  # of the value the target was read from
    ratio: float
    slo: str
    measured: bool  # an indicator (or a reference to one) stands behind it


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    documents = streamed(artifact)
    if isinstance(documents, Report):
        return documents
    try:
        return _judge(artifact, documents, float(expect["availability"]))
    except RecursionError:  # the reader bounds nesting; this is the last line of defence
        return Report(Outcome.FAILS, (Finding(artifact.path, 1, 1, "cannot be read: nested too deeply", False),))


def _judge(artifact: Artifact, documents: list[Document], availability: float) -> Report:
    slos = [found for document in documents for found in slo_objects(document)]
    if not slos:
        return nothing(artifact, "no OpenSLO SLO here (apiVersion openslo/v1 or openslo/v1alpha with kind SLO)")
    findings: list[Finding] = []
    objectives: list[_Objective] = []  # filled by _read_slo with every objective whose target is valid
    for document, path, slo in slos:
        findings += _read_slo(document, path, slo, objectives)
    if objectives:
        findings += _compare(objectives, availability)
    report = judged(findings)
    best = [objective for objective in objectives if _at_least(objective.ratio, availability)]
    if report.outcome is Outcome.HOLDS and not any(objective.measured for objective in best):
        first = best[0]
        message = f"SLO '{first.slo}' names no indicator (indicator or indicatorRef): its target measures nothing"
        return Report(Outcome.NOTHING, (*report.findings, at(first.document, first.path, message, None)))
    return report


def slo_objects(document: Document) -> Iterator[tuple[Document, JsonPath, dict[str, Any]]]:
    """The SLO objects of a document: the document itself, or the items of a top-level list (oslo reads both)."""
    data = document.data
    items = list(enumerate(data)) if isinstance(data, list) else [(None, data)]
    for index, item in items:
        if isinstance(item, dict) and item.get("kind") == "SLO" and item.get("apiVersion") in _VERSIONS:
            yield document, (() if index is None else (index,)), item


def _read_slo(document: Document, path: JsonPath, slo: dict[str, Any], into: list[_Objective]) -> list[Finding]:
    metadata = slo.get("metadata")
    name = _shown(str(metadata.get("name"))) if isinstance(metadata, dict) and metadata.get("name") else "(unnamed)"
    name_path = (*path, "metadata", "name")
    spec = slo.get("spec")
    if not isinstance(spec, dict):
        return [at(document, name_path, f"SLO '{name}' has no spec: a stub with nothing to judge", None)]
    objectives = spec.get("objectives")
    findings = [at(document, name_path, _summary(name, slo.get("apiVersion"), spec), None)]
    if not isinstance(objectives, list) or not objectives:
        message = f"SLO '{name}' has no objectives: OpenSLO requires at least one, so it promises nothing"
        return [*findings, at(document, name_path, message, False)]
    spec_measured = bool(spec.get("indicator") or spec.get("indicatorRef"))
    for index, objective in enumerate(objectives):
        where = (*path, "spec", "objectives", index)
        if not isinstance(objective, dict):
            findings.append(at(document, where, f"an objective of SLO '{name}' is not a mapping", False))
            continue
        measured = spec_measured or any(
            objective.get(key) for key in ("indicator", "indicatorRef", "ratioMetrics", "thresholdMetric")
        )
        ratio, problem = _target(document, where, objective, slo.get("apiVersion"), name)
        if problem is not None:
            findings.append(problem)
        elif ratio is not None:
            key = "target" if "target" in objective else "targetPercent"
            into.append(_Objective(document, (*where, key), ratio, name, measured))
    return findings


def _target(
    document: Document, where: JsonPath, objective: dict[str, Any], version: Any, slo: str
) -> tuple[float | None, Finding | None]:
    """The objective's target as a fraction, or the finding of why it has none the specification allows."""
    has_ratio, has_percent = "target" in objective, "targetPercent" in objective
    if has_ratio and has_percent:
        message = f"an objective of SLO '{slo}' gives both target and targetPercent; OpenSLO allows one of them"
        return None, at(document, (*where, "targetPercent"), message, False)
    if has_percent and version == "openslo/v1":
        percent = number(objective["targetPercent"])
        if percent is None or not 0 <= percent < 100:
            shown = _shown(str(objective["targetPercent"]))
            message = f"targetPercent {shown} of SLO '{slo}' is not a number in [0, 100)"
            return None, at(document, (*where, "targetPercent"), message, False)
        return percent / 100, None
    if not has_ratio:
        after = " (openslo/v1alpha has no targetPercent)" if has_percent else ""
        return None, at(document, where, f"an objective of SLO '{slo}' has no target{after}", False)
    ratio = number(objective["target"])
    if ratio is None or not 0 <= ratio < 1:
        shown = _shown(str(objective["target"]))
        hint = f"; for a percent write targetPercent: {shown}" if ratio is not None and 1 <= ratio < 100 else ""
        message = f"target {shown} of SLO '{slo}' is not a ratio in [0, 1){hint}"
        return None, at(document, (*where, "target"), message, False)
    return ratio, None


def _compare(objectives: list[_Objective], availability: float) -> list[Finding]:
    """The strictest objective decides; looser ones (latency, batch jobs) are shown beside it."""
    strictest = max(objectives, key=lambda objective: objective.ratio)
    findings = []
    for objective in objectives:
        shown = f"objective {_percent(objective.ratio)} of SLO '{objective.slo}'"
        if _at_least(objective.ratio, availability):
            message, holds = f"{shown} reaches the availability target of {_percent(availability)}", True
        elif objective is strictest:
            message, holds = f"{shown} is below the availability target of {_percent(availability)}", False
        else:
            message, holds = f"{shown} is looser than the {_percent(availability)} target: listed, not judged", None
        findings.append(at(objective.document, objective.path, message, holds))
    return findings


def _summary(name: str, version: Any, spec: dict[str, Any]) -> str:
    """What an SLO is measured over, for the report: window and budgeting method (v1 and v1alpha spell them)."""
    window = "no time window"
    windows = spec.get("timeWindow", spec.get("timeWindows"))
    first = windows[0] if isinstance(windows, list) and windows and isinstance(windows[0], dict) else {}
    if first.get("duration") is not None:
        window = f"over {_shown(str(first['duration']))}"
    elif first.get("count") is not None:
        window = f"over {_shown(str(first['count']))} {_shown(str(first.get('unit', '')))}"
    if window != "no time window":
        window += " rolling" if first.get("isRolling") is True else " calendar"
    budgeting = spec.get("budgetingMethod")
    method = f"budgeting {_shown(str(budgeting))}" if budgeting else "no budgeting method"
    return f"SLO '{name}' ({version}): {window}, {method}"


def _at_least(value: float, target: float) -> bool:
    # 99.99 / 100 is 0.9998999...: a percent turned into a fraction must still reach a target it equals.
    return value >= target or math.isclose(value, target, rel_tol=0, abs_tol=1e-12)


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.6g} %"


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
