"""Sloth SLO specs: `version: "prometheus/v1"` files and the `PrometheusServiceLevel` CRD (github.com/slok/sloth).

Teams write the spec by hand; `sloth generate` (or the Sloth controller, for the CRD `sloth.slok.dev/v1`) turns
each SLO into Prometheus recording rules and the SRE workbook's multiwindow burn-rate alerts: a page (14.4x and
6x the error budget) and a ticket (3x and 1x). The CLI spec and the CRD hold the same content, the CRD in
camelCase (`pageAlert`, `errorQuery`); one file may hold several specs as YAML documents. Sloth's objective is a
percent in (0, 100], unlike OpenSLO's fraction. Sloth's own output (a rule file) is another format, read by the
prometheus-alert probe, and is nothing here.

An availability item asks whether the team committed to the availability the assessment targets and will be
woken when the error budget burns, so the probe judges the objective (the strictest SLO must reach
`availability`; looser SLOs are listed, not failed) and, unless `page_alert: false`, that an SLO reaching it
keeps its page alert. What `sloth validate` refuses (an objective outside (0, 100], no SLI or two, an enabled
alert without a name) fails: such a spec generates nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, judged, nothing, number, streamed

KIND = "sloth"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "availability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "page_alert": {"type": "boolean", "default": True},
    },
    "required": ["availability"],
    "additionalProperties": False,
}

_SHOWN = 80  # characters of a name or value shown in a message


@dataclass(frozen=True)
class _Spec:
    """A Sloth SLO specification: the plain file or the Kubernetes resource."""

    document: Document
    path: JsonPath  # of the mapping holding `slos`
    crd: bool  # camelCase field names


@dataclass(frozen=True)
class _Slo:
    """One SLO of a Sloth specification, with its objective in percent."""

    spec: _Spec
    path: JsonPath
    data: dict[str, Any]
    name: str
    objective: float  # a percent, validated to lie in (0, 100]

    def field(self, *names: str) -> tuple[Any, JsonPath]:
        """A value under the SLO by its CLI names (snake_case), read under the CRD's camelCase where it is one."""
        value: Any = self.data
        path = self.path
        for name in names:
            key = _camel(name) if self.spec.crd else name
            value = value.get(key) if isinstance(value, dict) else None
            path = (*path, key)
        return value, path


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    documents = streamed(artifact)
    if isinstance(documents, Report):
        return documents
    try:
        return _judge(artifact, documents, float(expect["availability"]), bool(expect.get("page_alert", True)))
    except RecursionError:  # the reader bounds nesting; this is the last line of defence
        return Report(Outcome.FAILS, (Finding(artifact.path, 1, 1, "cannot be read: nested too deeply", False),))


def _judge(artifact: Artifact, documents: list[Document], availability: float, page_alert: bool) -> Report:
    specs = [spec for document in documents for spec in sloth_specs(document)]
    if not specs:
        return nothing(artifact, 'no Sloth spec here (version "prometheus/v1", or a PrometheusServiceLevel)')
    findings: list[Finding] = []
    slos: list[_Slo] = []
    for spec in specs:
        findings += _read_spec(spec, slos)
    if not slos and not findings:
        line, column = specs[0].document.where(specs[0].path)
        return nothing(artifact, "the spec has no SLOs ('slos' is empty or missing): nothing to judge", line, column)
    if slos:
        findings += _objectives(slos, availability)
        if page_alert:
            findings += _page_alerts([slo for slo in slos if _at_least(slo.objective / 100, availability)])
    return judged(findings)


def sloth_specs(document: Document) -> Iterator[_Spec]:
    data = document.data
    if not isinstance(data, dict):
        return
    if data.get("version") == "prometheus/v1":
        yield _Spec(document, (), crd=False)
    elif (
        data.get("apiVersion") == "sloth.slok.dev/v1"
        and data.get("kind") == "PrometheusServiceLevel"
        and isinstance(data.get("spec"), dict)
    ):
        yield _Spec(document, ("spec",), crd=True)


def _read_spec(spec: _Spec, into: list[_Slo]) -> list[Finding]:
    """Findings on what `sloth validate` refuses; each SLO with a valid objective goes `into` the list."""
    body = spec.document.data
    for key in spec.path:
        body = body[key]
    slos = body.get("slos")
    if not isinstance(slos, list):
        return []
    findings = []
    for index, slo in enumerate(slos):
        path = (*spec.path, "slos", index)
        if not isinstance(slo, dict):
            findings.append(at(spec.document, path, "an SLO that is not a mapping: Sloth refuses the spec", False))
            continue
        name = _shown(str(slo.get("name") or "(unnamed)"))
        objective = number(slo.get("objective"))
        if objective is None or not 0 < objective <= 100:
            shown = _shown(str(slo.get("objective")))
            message = f"objective {shown} of SLO '{name}' is not a percent in (0, 100]: Sloth refuses it"
            findings.append(at(spec.document, (*path, "objective"), message, False))
            continue
        read = _Slo(spec, path, slo, name, objective)
        findings += _sli(read)
        into.append(read)
    return findings


def _sli(slo: _Slo) -> list[Finding]:
    """Exactly one SLI, complete: events (error and total queries), raw (an error ratio query) or a plugin."""
    sli, path = slo.field("sli")
    kinds = [kind for kind in ("events", "raw", "plugin") if isinstance(sli, dict) and sli.get(kind)]
    if len(kinds) != 1:
        found = " and ".join(kinds) if kinds else "none"
        message = f"SLO '{slo.name}' needs exactly one SLI (events, raw or plugin), found {found}: Sloth refuses it"
        return [at(slo.spec.document, path, message, False)]
    needed = {"events": ("error_query", "total_query"), "raw": ("error_ratio_query",), "plugin": ("id",)}
    for query in needed[kinds[0]]:
        value, where = slo.field("sli", kinds[0], query)
        if not isinstance(value, str) or not value.strip():
            message = f"the {kinds[0]} SLI of SLO '{slo.name}' has no {where[-1]}: Sloth refuses it"
            return [at(slo.spec.document, where, message, False)]
    return []


def _objectives(slos: list[_Slo], availability: float) -> list[Finding]:
    """The strictest SLO decides; looser ones (a nightly batch, a latency SLO) are shown beside it."""
    strictest = max(slos, key=lambda slo: slo.objective)
    findings = []
    for slo in slos:
        shown = f"objective {slo.objective:g} % of SLO '{slo.name}'"
        if slo.objective <= 1:  # in (0, 1]: surely a fraction where Sloth wants a percent
            meant = f"{slo.objective:g} %, not {slo.objective * 100:g} %"
            shown = f"objective {slo.objective:g} of SLO '{slo.name}' (Sloth reads a percent: {meant})"
        target = f"{availability * 100:.6g} %"
        if _at_least(slo.objective / 100, availability):
            message, holds = f"{shown} reaches the availability target of {target}", True
        elif slo is strictest:
            message, holds = f"{shown} is below the availability target of {target}", False
        else:
            message, holds = f"{shown} is looser than the {target} target: listed, not judged", None
        _, path = slo.field("objective")
        findings.append(at(slo.spec.document, path, message, holds))
    return findings


def _page_alerts(reaching: list[_Slo]) -> list[Finding]:
    """Whether Sloth will page for an SLO that reaches the target: its page alert is not disabled, and named."""
    findings = [_page_alert(slo) for slo in reaching]
    if any(finding.holds for finding in findings):
        # One SLO that pages is the evidence; another reaching SLO without a page is said, not held against it.
        return [finding if finding.holds is not False else _for_information(finding) for finding in findings]
    return findings


def _page_alert(slo: _Slo) -> Finding:
    document = slo.spec.document
    disable, disable_path = slo.field("alerting", "page_alert", "disable")
    if disable is True:
        message = f"the page alert of SLO '{slo.name}' is disabled: nobody is paged when its error budget burns"
        return at(document, disable_path, message, False)
    name, name_path = slo.field("alerting", "name")
    if not isinstance(name, str) or not name.strip():
        message = f"SLO '{slo.name}' pages but its alerting has no name: Sloth refuses it"
        return at(document, name_path, message, False)
    severity, _ = slo.field("alerting", "page_alert", "labels", "severity")
    runbook = _runbook(slo)
    facts = f"severity {_shown(str(severity))}" if severity else "no severity label"
    facts += f", runbook {_shown(runbook)}" if runbook else ", no runbook annotation"
    message = f"SLO '{slo.name}' pages through burn-rate alert '{_shown(name)}' ({facts})"
    return at(document, name_path, message, True)


def _runbook(slo: _Slo) -> str:
    """The runbook annotation, on the page alert or on the alerting of both (runbook, or runbook_url)."""
    for owner in (("alerting", "page_alert", "annotations"), ("alerting", "annotations")):
        annotations, _ = slo.field(*owner)
        if isinstance(annotations, dict):
            for key in ("runbook_url", "runbook"):
                value = annotations.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return ""


def _for_information(finding: Finding) -> Finding:
    return Finding(finding.file, finding.line, finding.column, finding.message, None)


def _camel(name: str) -> str:
    """The CRD's spelling of a CLI field: page_alert -> pageAlert, error_ratio_query -> errorRatioQuery."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _at_least(value: float, target: float) -> bool:
    # 99.99 / 100 is 0.9998999...: a percent turned into a fraction must still reach a target it equals.
    return value >= target or math.isclose(value, target, rel_tol=0, abs_tol=1e-12)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
