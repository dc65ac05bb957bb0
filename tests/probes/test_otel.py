"""The OpenTelemetry Collector probe on real collector configurations (tests/artifacts/otel-collector/) and on
the files a careless or hostile pull request could bring."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import otel
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within, says_what_the_file_says

_, FILES = expected("otel-collector")
EXPECT = {"traces_exported": True, "redaction": True}
# The fact whose `where` a finding points at -> the property that finding judges (None: said for information).
PROPERTY_OF: dict[str, str | None] = {
    "outbound_exporters": "traces_exported",
    "traces_exporters": "traces_exported",
    "redaction_processors": "redaction_in_traces",
    "traces_processors": "redaction_in_traces",
    "unused_exporters": None,
}


def judge(text: str, expect: dict[str, Any] | None = None) -> Report:
    return otel.probe(Artifact("otel-collector.yaml", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_configuration_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = otel.probe(artifact("otel-collector", name), EXPECT)
    says_what_the_file_says(report, entry, PROPERTY_OF)


def test_redaction_is_judged_only_when_asked() -> None:
    report = otel.probe(artifact("otel-collector", "fail-no-redaction-in-traces.yaml"), {"traces_exported": True})
    assert report.outcome is Outcome.HOLDS


def test_a_kubernetes_deployment_of_the_collector_earns_nothing() -> None:
    name = "not-this-format-otel-collector-deployment.yaml"
    assert otel.probe(artifact("otel-collector", name), EXPECT).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "text",
    [
        "receivers: {otlp: {protocols: {grpc: }}}\nexporters: {otlp: {endpoint: x:4317}}\n",  # no service
        "service:\n  pipelines:\n    metrics: {receivers: [otlp], exporters: [otlp]}\n",  # no traces pipeline
        "service:\n  pipelines: [traces]\n",  # pipelines is not a mapping
        "[1, 2, 3]\n",
        "just a sentence\n",
    ],
)
def test_a_file_without_a_traces_pipeline_earns_nothing(text: str) -> None:
    assert judge(text).outcome is Outcome.NOTHING


def test_a_pipeline_of_another_name_is_judged_by_its_type() -> None:
    text = """exporters:
  otlp/a: {endpoint: "a:4317"}
processors:
  redaction/pii: {allowed_keys: [http.route]}
service:
  pipelines:
    traces/internal: {receivers: [otlp], processors: [redaction/pii], exporters: [otlp/a]}
    tracesx: {receivers: [otlp], exporters: [otlp/a]}
"""
    report = judge(text)
    assert report.outcome is Outcome.HOLDS
    assert [f.message for f in report.findings if f.holds and "redacts" in f.message] == [
        "traces pipeline 'traces/internal' redacts with 'redaction/pii' (keys not allowed are removed)"
    ]


def test_every_traces_pipeline_must_redact() -> None:
    text = """exporters:
  otlp: {endpoint: "a:4317"}
processors:
  redaction: {}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [redaction], exporters: [otlp]}
    traces/raw: {receivers: [otlp], exporters: [otlp]}
"""
    report = judge(text)
    assert report.outcome is Outcome.FAILS
    failing = [f for f in report.findings if f.holds is False]
    assert [(f.line, f.column) for f in failing] == [(8, 5)]  # traces/raw has no processors: at its ID


def test_a_redaction_processor_that_allows_everything_masks_nothing() -> None:
    text = """exporters: {otlp: {endpoint: "a:4317"}}
processors: {redaction: {allow_all_keys: true, summary: debug}}
service: {pipelines: {traces: {receivers: [otlp], processors: [redaction], exporters: [otlp]}}}
"""
    assert judge(text).outcome is Outcome.FAILS


def test_a_transform_processor_in_the_basic_form_that_deletes_keys_redacts() -> None:
    text = """exporters: {otlphttp: {endpoint: "https://x"}}
processors:
  transform:
    trace_statements:
      - delete_key(span.attributes, "user.email")
service: {pipelines: {traces: {receivers: [otlp], processors: [transform], exporters: [otlphttp]}}}
"""
    assert judge(text).outcome is Outcome.HOLDS


def test_an_exporter_that_is_not_defined_fails_at_the_list_item() -> None:
    text = "exporters: {}\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [otlp/missing]}\n"
    report = judge(text, {"traces_exported": True})
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column, f.holds) for f in report.findings] == [(4, 45, False)]
    assert "not defined under 'exporters'" in report.findings[0].message


def test_an_exporter_from_an_included_section_is_taken_as_defined() -> None:
    text = "exporters: ${file:/etc/otelcol/exporters.yaml}\nservice: {pipelines: {traces: {exporters: [otlp]}}}\n"
    assert judge(text, {"traces_exported": True}).outcome is Outcome.HOLDS


@pytest.mark.parametrize(
    "pipeline",
    ["traces:", "traces: {exporters: }", "traces: {exporters: [[otlp], {a: b}, 3]}", "traces: {exporters: otlp}"],
)
def test_a_malformed_pipeline_fails_and_never_raises(pipeline: str) -> None:
    text = f"exporters: {{otlp: {{endpoint: 'a:1'}}}}\nservice:\n  pipelines:\n    {pipeline}\n"
    assert judge(text).outcome is Outcome.FAILS


def test_hostile_files_give_a_finding_at_their_place() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(10)
    )
    hostile = [
        "service:\n  pipelines:\n    traces: " + "[" * 5_000 + "]" * 5_000 + "\n",
        bomb + "service: {pipelines: {traces: {exporters: *k}}}\n",
        "service: {pipelines: {traces: {exporters: [otlp]}}}\n# " + "x" * 1_000_000 + "\n",
        'service: {pipelines: {traces: {exporters: ["\\e[31mred"]}}}\n',
        "service: {pipelines: {traces: {exporters: [otlp]}}}\n\x1b[2J\n",
        "exporters: {otlp: {timeout: 1" + "0" * 5_000 + "}}\nservice: {pipelines: {traces: {exporters: [otlp]}}}\n",
    ]
    for text in hostile:
        report = judge(text)
        assert report.outcome is Outcome.FAILS, report
        assert report.findings
        placed_within(report, text)
