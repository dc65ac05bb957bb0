"""Prometheus alerting rules: rule files and prometheus-operator `PrometheusRule` objects.

A rule file (`rule_files:` of prometheus.yml; also read by Thanos Ruler, Mimir/Cortex and vmalert) is `groups:`
of `rules:`, each a recording rule (`record:`) or an alerting rule (`alert:`, `expr:`, `for:`, `keep_firing_for:`
since 2.42, `labels:`, `annotations:`). A `PrometheusRule` (`apiVersion: monitoring.coreos.com/v1`) carries the
same groups under `spec`; files often hold several of them as YAML documents, or a `kind: List` of them. Groups
may carry `labels:` that every rule inherits (Prometheus 3.0; a rule's own label wins).

The question an item asks is "does an alert page someone, the right way, when <signal> goes wrong?", so the
probe judges alerting rules only (a recording rule never pages anyone):
- covers the signal: the alert's name or PromQL says it is about drift, burn rate, token spend or error rate
  (SIGNAL_RULES below; annotation text is prose, not the rule, so it never counts);
- a `severity` label, which is what Alertmanager routes on, on the rule or inherited from its group;
- a `runbook_url` annotation (or `runbook`, as Sloth writes it), so whoever is paged knows what to do;
- for a burn-rate alert, two windows joined by `and` (the SRE workbook's long and short window): over one
  window an alert keeps firing long after the burn stopped.
A file holds when one alert covering the signal meets all of these; shortfalls of other alerts are then told
for information.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, judged, nothing, number, streamed

KIND = "prometheus-alert"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
SIGNALS = ("drift", "burn_rate", "token_spend", "error_rate")
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "signal": {"enum": list(SIGNALS)},
        "severity_label": {"type": "boolean", "default": True},
        "runbook": {"type": "boolean", "default": True},
    },
    "required": ["signal"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class _Rule:
    """Words that make an alert about a signal, as they read once identifiers are split into words."""

    phrase: str  # these words, one after another
    also: frozenset[str] = frozenset()  # and one of these anywhere in the alert (empty: nothing more needed)
    unless: frozenset[str] = frozenset()  # and none of these


_ERRORS = frozenset({"error", "errors", "errored"})
_SPEND = frozenset({"spend", "spending", "spent", "cost", "costs", "price", "prices", "pricing", "usd", "budget"})
_TOKENS = frozenset({"token", "tokens"})
_SECRETS = frozenset({"vault", "auth", "oauth", "jwt", "bearer", "session", "refresh", "secret", "csrf"})

# One table for what makes an alert about a signal: read from its name and its PromQL, never from annotations.
SIGNAL_RULES: dict[str, tuple[_Rule, ...]] = {
    "drift": (
        _Rule("drift"),  # what drift exporters, their metrics and the alerts on them are named after
        _Rule("psi"),  # the population stability index, the statistic most drift alerts compare
        _Rule("population stability"),  # the same index written out
    ),
    "burn_rate": (
        _Rule("burn"),  # "burn rate" (ErrorBudgetBurn, SLOBurnRate): the SRE workbook's name for these alerts
        _Rule("error budget"),  # ErrorBudget, error_budget: what a burn rate measures the spending of
        # An SLO's error ratio (slo_errors_per_request in the workbook, slo:sli_error:ratio_rate5m from Sloth) is
        # what burn-rate alerts compare; Sloth names its alerts after the SLO alone, so the PromQL tells.
        _Rule("slo", _ERRORS),
        _Rule("sli", _ERRORS),
    ),
    "token_spend": (
        # A token count with money: token spend. Vault, OAuth and session tokens expire; they are never priced.
        _Rule("token", _SPEND, _SECRETS),
        _Rule("tokens", _SPEND, _SECRETS),
        _Rule("llm", _TOKENS),  # llm_tokens_total, LLMTokens...: a language model's token usage, which is spend
        _Rule("gen ai", _TOKENS),  # gen_ai_client_token_usage: the OpenTelemetry GenAI token metric
    ),
    "error_rate": (
        # Failed requests, however a service counts them (a 5xx status matcher counts too: _server_errors).
        *(_Rule(word) for word in ("error", "errors", "errored")),
        *(_Rule(word) for word in ("fail", "fails", "failed", "failing", "failure", "failures")),
    ),
}

# Words of identifiers: `LLMTokenSpend` -> LLM Token Spend, `ratio_rate5m` -> ratio rate m. Every branch is
# linear: an upper-case run is matched once, backing off at most to its last letter.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
# A label matcher's string: `code=~"5.."`. A string without its closing quote is scanned once: no quote of its
# kind follows it, so no later match can start inside it again.
_MATCHER = re.compile(r"(!?)=~?\s*(?:\"([^\"]*)\"|'([^']*)')")
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`")
_RANGE = re.compile(r"\[([^\[\]]{1,64})\]")  # a range selector or subquery: [5m], [1h:1m]
_IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_SET_OPERATOR = re.compile(r"\b(and|or|unless)\b")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
# A real expression reads a few windows; an attacker's may hold millions. The first ones are enough.
_MAX_WINDOWS_READ = 10_000
_SHOWN = 80  # characters of a name or value shown in a message
_SIGNAL_WORDS = {"drift": "drift", "burn_rate": "burn rate", "token_spend": "token spend", "error_rate": "error rate"}


@dataclass(frozen=True)
class _Alert:
    """An alerting rule of a Prometheus rule file, with its group."""

    document: Document
    path: JsonPath  # of the rule
    group_path: JsonPath
    rule: dict[str, Any]
    group: dict[str, Any]
    name: str
    expr: str


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    documents = streamed(artifact)
    if isinstance(documents, Report):
        return _template_hint(artifact, documents)
    try:
        return _judge(artifact, documents, expect)
    except RecursionError:  # the reader bounds nesting; this is the last line of defence
        return Report(Outcome.FAILS, (Finding(artifact.path, 1, 1, "cannot be read: nested too deeply", False),))


def _judge(artifact: Artifact, documents: list[Document], expect: Mapping[str, Any]) -> Report:
    groups = [found for document in documents for found in _groups(document)]
    if not groups:
        if any(isinstance(document.data, dict) and "rule_files" in document.data for document in documents):
            return nothing(artifact, "a Prometheus server configuration: it names rule files but holds no rules")
        return nothing(artifact, "not a Prometheus rule file or PrometheusRule: no rule 'groups'")
    alerts = [alert for document, path, items in groups for alert in _alerts(document, path, items)]
    if not alerts:
        line, column = groups[0][0].where(groups[0][1])
        message = "no alerting rule (only recording rules, or none): nothing here pages anyone"
        return nothing(artifact, message, line, column)
    signal = expect["signal"]
    covering = [(alert, reason) for alert in alerts if (reason := _covers(alert, signal))]
    if not covering:
        names = ", ".join(_shown(alert.name) for alert in alerts[:5]) + (", ..." if len(alerts) > 5 else "")
        line, column = alerts[0].document.where((*alerts[0].path, "alert"))
        message = f"no alerting rule is about {_SIGNAL_WORDS[signal]}; {len(alerts)} read: {names}"
        return nothing(artifact, message, line, column)
    judged_alerts = [_properties(alert, reason, signal, expect) for alert, reason in covering]
    if any(all(finding.holds is not False for finding in found) for found in judged_alerts):
        # One alert meeting everything is the evidence; what the others lack is said, not held against the file.
        judged_alerts = [[_for_information(finding) for finding in found] for found in judged_alerts]
    return judged(finding for found in judged_alerts for finding in found)


def _for_information(finding: Finding) -> Finding:
    return replace(finding, holds=None) if finding.holds is False else finding


def _template_hint(artifact: Artifact, report: Report) -> Report:
    """Helm charts keep PrometheusRules as templates, which are not YAML until rendered: say so when the parser
    stopped on a line where a template action stands in for YAML (`{{- if ...}}`, `severity: {{ ... }}`)."""
    first = report.findings[0]
    if report.outcome is not Outcome.FAILS:
        return report  # an empty file: nothing to explain
    lines = artifact.text.splitlines()
    line = lines[first.line - 1] if 0 < first.line <= len(lines) else ""
    if line.lstrip().startswith("{{") or ": {{" in line or "- {{" in line:
        hint = " (a Helm or Go template? Render it, e.g. with `helm template`, and point the evidence at the output)"
        return Report(report.outcome, (replace(first, message=first.message + hint), *report.findings[1:]))
    return report


def _groups(document: Document) -> Iterator[tuple[Document, JsonPath, list[Any]]]:
    """The rule groups of a document: a rule file's own, a PrometheusRule's `spec`, or those of a List of them."""
    data = document.data
    if not isinstance(data, dict):
        return
    if isinstance(data.get("groups"), list):
        yield document, ("groups",), data["groups"]
    elif _is_prometheus_rule(data):
        yield document, ("spec", "groups"), data["spec"]["groups"]
    elif data.get("kind") == "List" and isinstance(data.get("items"), list):  # `kubectl get prometheusrules -o yaml`
        for index, item in enumerate(data["items"]):
            if isinstance(item, dict) and _is_prometheus_rule(item):
                yield document, ("items", index, "spec", "groups"), item["spec"]["groups"]


def _is_prometheus_rule(data: dict[str, Any]) -> bool:
    spec = data.get("spec")
    return (
        data.get("kind") == "PrometheusRule"
        and data.get("apiVersion") == "monitoring.coreos.com/v1"
        and isinstance(spec, dict)
        and isinstance(spec.get("groups"), list)
    )


def _alerts(document: Document, path: JsonPath, groups: list[Any]) -> Iterator[_Alert]:
    for group_index, group in enumerate(groups):
        rules = group.get("rules") if isinstance(group, dict) else None
        if not isinstance(rules, list):
            continue
        group_path = (*path, group_index)
        for rule_index, rule in enumerate(rules):
            name = rule.get("alert") if isinstance(rule, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue  # a recording rule, or not a rule
            expr = rule.get("expr")
            # The operator's CRD takes an integer expression too (IntOrString): `expr: 1` is an always-firing alert.
            text = expr if isinstance(expr, str) else str(expr) if number(expr) is not None else ""
            yield _Alert(document, (*group_path, "rules", rule_index), group_path, rule, group, name, text)


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _covers(alert: _Alert, signal: str) -> str | None:
    """Why the alert is about the signal, in words for a finding; None when it is not."""
    words = [*_words(alert.name), "|", *_words(alert.expr)]  # '|': no phrase runs from the name into the PromQL
    present = set(words)
    joined = f" {' '.join(words)} "
    for rule in SIGNAL_RULES[signal]:
        if f" {rule.phrase} " not in joined or present & rule.unless:
            continue
        if not rule.also:
            return f"'{rule.phrase}' in its name or expression"
        with_word = present & rule.also
        if with_word:
            return f"'{rule.phrase}' with '{min(with_word)}' in its name or expression"
    if signal == "error_rate" and _server_errors(alert.expr):
        return "a 5xx status matcher in its expression"
    return None


def _server_errors(expr: str) -> bool:
    """Whether a label matcher selects 5xx statuses: `code=~"5.."`, `status=~"(5..|429)"`, `code="503"`."""
    for match in _MATCHER.finditer(expr):
        if match.group(1):
            continue  # `!=` / `!~` selects everything else: the good requests
        value = match.group(2) if match.group(2) is not None else match.group(3)
        for alternative in value.replace("(", "|").replace(")", "|").split("|"):
            option = alternative.strip().lower()
            if option in ("5..", "5xx", "5.*", "5.+", "5\\d\\d", "5[0-9][0-9]"):
                return True
            if len(option) == 3 and option[0] == "5" and option[1:].isdigit():
                return True
    return False


def _properties(alert: _Alert, reason: str, signal: str, expect: Mapping[str, Any]) -> list[Finding]:
    document, name = alert.document, _shown(alert.name)
    findings = [
        at(document, (*alert.path, "alert"), f"alert '{name}' is about {_SIGNAL_WORDS[signal]}: {reason}", True)
    ]
    if expect.get("severity_label", True):
        findings.append(_severity(alert))
    if expect.get("runbook", True):
        findings.append(_runbook(alert))
    if signal == "burn_rate":
        findings.append(_two_windows(alert))
    return findings


def _severity(alert: _Alert) -> Finding:
    name = _shown(alert.name)
    # A rule's own label wins over its group's (group labels: Prometheus 3.0, prometheus-operator since late 2024).
    for owner, owner_path, whose in ((alert.rule, alert.path, "its own"), (alert.group, alert.group_path, "group")):
        labels = owner.get("labels")
        if not isinstance(labels, dict) or "severity" not in labels:
            continue
        path = (*owner_path, "labels", "severity")
        value = _text(labels["severity"])
        if value:
            return at(alert.document, path, f"alert '{name}' has severity '{_shown(value)}' ({whose} label)", True)
        return at(alert.document, path, f"alert '{name}' has an empty severity label: nothing routes it", False)
    message = f"alert '{name}' has no severity label (on the rule or its group): Alertmanager cannot route it"
    return at(alert.document, (*alert.path, "alert"), message, False)


def _runbook(alert: _Alert) -> Finding:
    name = _shown(alert.name)
    found = alert.rule.get("annotations")
    annotations: dict[str, Any] = found if isinstance(found, dict) else {}
    keys = [key for key in ("runbook_url", "runbook") if key in annotations]
    for key in keys:
        value = _text(annotations[key])
        if value:
            path = (*alert.path, "annotations", key)
            return at(alert.document, path, f"alert '{name}' links its runbook: {key} {_shown(value)}", True)
    if keys:
        path = (*alert.path, "annotations", keys[0])
        return at(alert.document, path, f"alert '{name}' has an empty {keys[0]} annotation: no runbook", False)
    message = f"alert '{name}' has no runbook_url (or runbook) annotation: whoever is paged has no instructions"
    return at(alert.document, (*alert.path, "alert"), message, False)


def _two_windows(alert: _Alert) -> Finding:
    """Two distinct windows on the two sides of an `and`: the long window shows the burn is real, the short one
    that it is still going on, so the alert stops soon after the burn stops."""
    name = _shown(alert.name)
    code = _STRING.sub('""', alert.expr)  # a window or an `and` inside a label value is no part of the query
    parts = _SET_OPERATOR.split(code)
    windows = [_windows(part) for part in parts[::2]]
    for index, operator in enumerate(parts[1::2]):
        left, right = windows[index], windows[index + 1]
        if operator == "and" and left and right and len(left | right) >= 2:
            shown = " and ".join(_duration_text(seconds) for seconds in sorted(left | right, reverse=True))
            message = f"burn-rate alert '{name}' compares the {shown} windows, joined by 'and'"
            return at(alert.document, (*alert.path, "expr"), message, True)
    seen = set().union(*windows) if windows else set()
    found = ", ".join(_duration_text(seconds) for seconds in sorted(seen, reverse=True)) or "no window"
    message = (
        f"burn-rate alert '{name}' reads {found}, not a long and a short window joined by 'and' "
        "(multiwindow, as in the SRE workbook): it keeps firing long after the burn stopped"
    )
    return at(alert.document, (*alert.path, "expr"), message, False)


def _windows(code: str) -> set[float]:
    """Windows an expression reads, in seconds: range selectors (`[1h]`, subquery `[1h:5m]` reads 1h) and the
    duration that ends a recording rule's name (`job:slo_errors_per_request:ratio_rate30m` reads 30m)."""
    found: set[float] = set()
    for count, match in enumerate(_RANGE.finditer(code)):
        if count >= _MAX_WINDOWS_READ:
            break
        seconds = _duration(match.group(1).split(":")[0].strip())
        if seconds:
            found.add(seconds)
    names = [identifier for identifier in _IDENTIFIER.findall(code) if ":" in identifier]
    for identifier in names[:_MAX_WINDOWS_READ]:
        last = identifier.rsplit(":", 1)[1].rsplit("_", 1)[-1]  # ratio_rate30m -> rate30m
        digits = next((index for index, char in enumerate(last) if char.isdigit()), None)
        seconds = _duration(last[digits:]) if digits is not None else None
        if seconds:
            found.add(seconds)
    return found


def _duration(text: str) -> float | None:
    """A Prometheus duration (`5m`, `1h30m`, `1d`) in seconds; None for anything else."""
    total, index, size = 0.0, 0, len(text)
    if not size or not text[0].isdigit():
        return None
    while index < size:
        start = index
        while index < size and text[index].isdigit():
            index += 1
        if start == index or index - start > 12:  # no digits, or more than any real window has
            return None
        unit = "ms" if text.startswith("ms", index) else text[index : index + 1]
        if unit not in _UNITS:
            return None
        total += int(text[start:index]) * _UNITS[unit]
        index += len(unit)
    return total


def _duration_text(seconds: float) -> str:
    for unit in ("w", "d", "h", "m", "s"):
        if seconds >= _UNITS[unit] and seconds % _UNITS[unit] == 0:
            return f"{int(seconds // _UNITS[unit])}{unit}"
    return f"{int(seconds * 1000)}ms"


def _text(value: Any) -> str:
    """A label or annotation value as Prometheus reads it (YAML may have made a number of it); '' when empty."""
    if isinstance(value, str):
        return value.strip()
    return str(value) if number(value) is not None else ""


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
