"""The prometheus-alert probe on real rule files and PrometheusRule objects (tests/artifacts/prometheus-rules/)."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import prometheus
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within

TARGETS, FILES = expected("prometheus-rules")
FLAGS = {"severity_label": TARGETS["severity_label"], "runbook": TARGETS["runbook"]}
# The property each `where` place is about, as expected.yaml names it under `fails`.
PROPERTY_AT = {"severity": "severity_label", "runbook": "runbook", "expr": "two_windows"}


def judge(name: str, signal: str, **flags: bool) -> Report:
    return prometheus.probe(artifact("prometheus-rules", name), {"signal": signal, **FLAGS, **flags})


def text(body: str, signal: str, **flags: bool) -> Report:
    return prometheus.probe(Artifact("rules.yaml", body), {"signal": signal, **FLAGS, **flags})


def at_place(report: Report, place: list[int]) -> list[Finding]:
    return [finding for finding in report.findings if [finding.line, finding.column] == place]


def assert_broken(report: Report, entry: dict[str, Any]) -> None:
    assert report.outcome is Outcome.FAILS
    assert [[f.line, f.column] for f in report.findings] == [entry["where"]["error"]]


@pytest.mark.parametrize(
    ("name", "signal"), [(name, signal) for name in sorted(FILES) for signal in prometheus.SIGNALS]
)
def test_every_file_under_every_signal(name: str, signal: str) -> None:
    entry = FILES[name]
    report = judge(name, signal)
    wanted = entry.get("by_signal", {}).get(signal, entry["outcome"])
    if wanted == "broken":
        assert_broken(report, entry)
        return
    assert report.outcome.value == wanted, report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings)


@pytest.mark.parametrize("name", sorted(name for name in FILES if FILES[name]["outcome"] != "broken"))
def test_findings_stand_where_the_file_says(name: str) -> None:
    entry = FILES[name]
    report = judge(name, entry["expect"]["signal"])
    failing = set(entry.get("fails", []))
    placed = {PROPERTY_AT[fact] for fact in entry.get("where", {}) if fact in PROPERTY_AT}
    for fact, place in entry.get("where", {}).items():
        found = at_place(report, place)
        assert found, f"no finding at {place} for {fact}: {report.findings}"
        if fact in PROPERTY_AT:
            assert any(f.holds is (PROPERTY_AT[fact] not in failing) for f in found), found
        else:  # the alert's name: what fails without a place of its own (a missing label) is told there
            for missing in failing - placed:
                assert any(f.holds is False for f in found), (missing, found)


ALERTS = [
    (name, index, signal)
    for name, entry in sorted(FILES.items())
    for index, alert in enumerate(entry.get("facts", {}).get("alerts", []))
    for signal in alert["signals"]
]


@pytest.mark.parametrize(("name", "index", "signal"), ALERTS)
def test_every_alert_is_read_with_its_severity_and_runbook(name: str, index: int, signal: str) -> None:
    alert = FILES[name]["facts"]["alerts"][index]
    report = judge(name, signal)
    assert any(alert["name"] in f.message for f in at_place(report, alert["at"]))
    if alert.get("severity"):
        assert any(f.holds and alert["severity"] in f.message for f in at_place(report, alert["severity_at"]))
    if alert.get("runbook"):
        assert any(f.holds and alert["runbook"] in f.message for f in at_place(report, alert["runbook_at"]))
    elif "runbook_at" in alert:
        assert any(f.holds is False for f in at_place(report, alert["runbook_at"]))


def test_annotations_naming_a_signal_earn_nothing() -> None:
    body = """groups:
  - name: platform
    rules:
      - alert: PodRestarts
        expr: increase(kube_pod_container_status_restarts_total[1h]) > 3
        labels: {severity: warning}
        annotations:
          summary: restarts may look like drift, errors, token spend or an error budget burn
          runbook_url: https://runbooks.example.com/restarts
"""
    for signal in prometheus.SIGNALS:
        assert text(body, signal).outcome is Outcome.NOTHING


def test_files_of_other_formats_earn_nothing() -> None:
    assert judge("prometheus.yml", "drift").outcome is Outcome.NOTHING
    openslo = "apiVersion: openslo/v1\nkind: SLO\nspec: {}\n"
    alertmanager = "route:\n  receiver: oncall\n  group_by: [alertname]\nreceivers:\n  - name: oncall\n"
    for body in (openslo, alertmanager, '{"groups": "drift"}', "- groups\n- rules\n"):
        assert text(body, "drift").outcome is Outcome.NOTHING


BURN = """groups:
  - name: slo
    rules:
      - alert: AnswersErrorBudgetBurn
        expr: {expr}
        labels: {{severity: page}}
        annotations: {{runbook_url: https://runbooks.example.com/burn}}
"""


@pytest.mark.parametrize(
    ("expr", "outcome"),
    [
        ("rate(errors_total[1h]) / rate(requests_total[1h]) > 0.072 and rate(errors_total[5m]) > 0", Outcome.HOLDS),
        ("slo:errors:ratio_rate1h > 0.072 and on(job) slo:errors:ratio_rate5m > 0.072", Outcome.HOLDS),
        ("slo:errors:ratio_rate1h > 0.072 and slo:errors:ratio_rate60m > 0.072", Outcome.FAILS),  # one window
        ("slo:errors:ratio_rate1h > 0.072 or slo:errors:ratio_rate5m > 0.072", Outcome.FAILS),  # not both at once
        ("""'rate(errors_total{reason="[5m] and"}[1h]) > 0.072'""", Outcome.FAILS),  # a label value is no window
    ],
)
def test_a_burn_rate_alert_needs_two_windows_at_once(expr: str, outcome: Outcome) -> None:
    assert text(BURN.format(expr=expr), "burn_rate").outcome is outcome


def test_properties_not_asked_for_are_not_judged() -> None:
    assert judge("fail-drift-no-severity.yaml", "drift", severity_label=False).outcome is Outcome.HOLDS
    assert judge("fail-error-rate-no-runbook.yaml", "error_rate", runbook=False).outcome is Outcome.HOLDS


def test_one_complete_alert_is_enough_and_the_others_are_told() -> None:
    body = """groups:
  - name: drift
    rules:
      - alert: FeatureDrift
        expr: ml_feature_drift_psi > 0.2
        labels: {severity: warning}
        annotations: {runbook_url: https://runbooks.example.com/drift}
      - alert: PredictionDrift
        expr: ml_prediction_drift_psi > 0.2
        labels: {severity: ""}
"""
    report = text(body, "drift")
    assert report.outcome is Outcome.HOLDS
    told = [f for f in report.findings if "PredictionDrift" in f.message and f.holds is None]
    assert {(f.line, f.column) for f in told} == {(10, 28), (8, 16)}  # the empty label, the missing runbook


def test_a_rules_own_empty_severity_wins_over_its_groups() -> None:
    body = """groups:
  - name: drift
    labels: {severity: warning}
    rules:
      - alert: FeatureDrift
        expr: ml_feature_drift_psi > 0.2
        labels: {severity: ""}
        annotations: {runbook: https://runbooks.example.com/drift}
"""
    report = text(body, "drift")
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings if f.holds is False] == [(7, 28)]


def test_a_kubectl_list_of_prometheus_rules_is_read() -> None:
    body = """apiVersion: v1
kind: List
items:
  - apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata: {name: errors}
    spec:
      groups:
        - name: errors
          rules:
            - alert: CheckoutServerErrors
              expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1
              labels: {severity: critical}
              annotations: {runbook_url: https://runbooks.example.com/5xx}
"""
    assert text(body, "error_rate").outcome is Outcome.HOLDS


@pytest.mark.parametrize(
    ("name", "expr", "signal", "covered"),
    [
        ("CheckoutHighRate", 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1', "error_rate", True),
        ("CheckoutHighRate", 'sum(rate(http_requests_total{status_code="503"}[5m])) > 1', "error_rate", True),
        ("CheckoutHighRate", 'sum(rate(http_requests_total{code!~"5.."}[5m])) < 1', "error_rate", False),
        ("VaultTokenBudgetLow", "vault_token_ttl_seconds < 3600", "token_spend", False),
        ("AnswerVolumeHigh", "sum(rate(gen_ai_client_token_usage_sum[1h])) > 1e6", "token_spend", True),
        ("FeatureShift", "max(population_stability_index) > 0.2", "drift", True),
        ("ModelDriftless", "up == 0", "drift", False),  # 'Driftless' is one word, not 'drift'
    ],
)
def test_what_counts_as_a_signal(name: str, expr: str, signal: str, covered: bool) -> None:
    body = f"""groups:
  - name: g
    rules:
      - alert: {name}
        expr: '{expr}'
        labels: {{severity: warning}}
        annotations: {{runbook_url: https://runbooks.example.com/x}}
"""
    assert (text(body, signal).outcome is Outcome.HOLDS) is covered


def alias_bomb() -> str:
    """Anchors nine levels deep, each a list of four aliases to the one before: millions of nodes once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 4)}]" for level in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "deep nesting": "groups: " + "[" * 5000 + "]" * 5000 + "\n",
    "huge number": "groups:\n  - name: g\n    rules:\n      - alert: Drift\n        expr: 1e999\n",
    "huge integer": "groups:\n  - name: g\n    rules:\n      - alert: Drift\n        expr: " + "9" * 5000 + "\n",
    "control character": 'groups:\n  - name: "\\e[31mred"\n    rules: []\n',
    "raw control character": "groups:\n  - name: \x1b[31mred\n    rules: []\n",
    "alias bomb": alias_bomb() + "groups: [*a9]\n",
    "1 MB expression": "groups:\n  - name: g\n    rules:\n      - alert: ErrorBudgetBurn\n        expr: "
    + "x[1m] and " * 100_000
    + "y\n",
    "1 MB of quotes": "groups:\n  - name: g\n    rules:\n      - alert: ErrorBudgetBurn\n        expr: '"
    + '=~"5..\\"' * 100_000
    + "'\n",
    "1 MB of capitals": "groups:\n  - name: g\n    rules:\n      - alert: " + "A" * 1_000_000 + "\n        expr: up\n",
    "1 MB identifier": "groups:\n  - name: g\n    rules:\n      - alert: SloBurn\n        expr: "
    + "a" * 1_000_000
    + "\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_a_finding_or_nothing(case: str) -> None:
    for signal in prometheus.SIGNALS:
        report = text(HOSTILE[case], signal)
        assert report.findings
        assert report.outcome in (Outcome.FAILS, Outcome.NOTHING)  # none carries a severity label
        placed_within(report, HOSTILE[case])
