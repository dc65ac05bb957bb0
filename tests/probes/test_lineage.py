"""The lineage probe on real dvc.lock and MLmodel files (tests/artifacts/lineage/) and on hostile ones."""

from __future__ import annotations

import json
from typing import Any

import pytest

from readiness.verify.probes import lineage
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within, says_what_the_file_says

_, FILES = expected("lineage")
# The fact whose `where` a finding points at -> the property that finding judges.
PROPERTY_OF = {
    "stages": "deps_hashed",
    "unhashed_deps": "deps_hashed",
    "signature_inputs": "signature_present",
    "signature_outputs": "signature_present",
}
MLMODEL = """artifact_path: model
flavors:
  python_function: {loader_module: mlflow.pyfunc.model, python_version: 3.11.9}
mlflow_version: 2.16.2
run_id: 5006462fd71b692bf42df0f2fe2aac34
"""


def judge(text: str, name: str = "dvc.lock") -> Report:
    return lineage.probe(Artifact(name, text), {})


def signed(inputs: Any, outputs: Any = '[{"type": "string"}]') -> str:
    """An MLmodel whose signature holds these values, each written as YAML writes a JSON string."""
    return MLMODEL + f"signature:\n  inputs: {json.dumps(inputs)}\n  outputs: {json.dumps(outputs)}\n"


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_lineage_file_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = lineage.probe(artifact("lineage", name), {})
    says_what_the_file_says(report, entry, PROPERTY_OF)


def test_a_missing_signature_is_told_at_the_top_of_the_file() -> None:
    report = lineage.probe(artifact("lineage", "fail-mlflow-no-signature.MLmodel"), {})
    assert [(f.line, f.column, f.holds) for f in report.findings] == [(1, 1, False)]


def test_the_pipeline_definition_is_not_a_lock() -> None:
    assert lineage.probe(artifact("lineage", "not-this-format-dvc.yaml"), {}).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    ("deps", "outcome"),
    [
        ("- path: a.csv\n      hash: md5\n      md5: f9c5cc1f44981205ef1b70182b9c6d4c\n", Outcome.HOLDS),
        ("- path: s3://bucket/a.csv\n      etag: 0x8DB1F2E4C7A0B8E\n", Outcome.HOLDS),
        (
            "- path: hdfs://nn/a.csv\n      checksum: 000002000000000000000000a86fe4d846edc1bf4c355cb6112f141e\n",
            Outcome.HOLDS,
        ),
        ("- path: a.csv\n      hash: md5\n", Outcome.FAILS),  # the method, not a hash
        ("- path: a.csv\n      md5: ''\n", Outcome.FAILS),
        ("- a.csv\n", Outcome.FAILS),  # a dvc.yaml entry pasted into a lock
        ("- path: a.csv\n      md5: 12345678901234567890123456789012\n", Outcome.HOLDS),  # read as a number
    ],
)
def test_what_pins_a_dependency(deps: str, outcome: Outcome) -> None:
    text = f"schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py\n    deps:\n    {deps}"
    assert judge(text).outcome is outcome


def test_an_output_without_a_hash_is_said_but_not_judged() -> None:
    text = """schema: '2.0'
stages:
  train:
    cmd: python train.py
    deps:
    - path: data.csv
      md5: f9c5cc1f44981205ef1b70182b9c6d4c
    outs:
    - path: model.pkl
"""
    report = judge(text)
    assert report.outcome is Outcome.HOLDS
    assert [(f.line, f.column, f.holds) for f in report.findings] == [(3, 3, True), (9, 13, None)]


def test_a_lock_whose_stages_have_no_dependency_earns_nothing() -> None:
    assert (
        judge("schema: '2.0'\nstages:\n  fetch: {cmd: python fetch.py, deps: [], outs: []}\n").outcome
        is Outcome.NOTHING
    )


def test_a_lock_of_another_schema_earns_nothing() -> None:
    report = judge("schema: '3.0'\nstages:\n  a: {cmd: x, deps: [{path: a}]}\n")
    assert report.outcome is Outcome.NOTHING
    assert (report.findings[0].line, report.findings[0].column) == (1, 9)


@pytest.mark.parametrize(
    ("inputs", "outputs", "failing_line"),
    [
        ('[{"type": "string", "name": "q"}]', None, 8),
        ("[]", '[{"type": "string"}]', 7),
        ("not json", '[{"type": "string"}]', 7),
        ('{"type": "string"}', '[{"type": "string"}]', 7),
        ("[" * 100_000 + "]" * 100_000, '[{"type": "string"}]', 7),
        ('[{"type": "long", "default": 1' + "0" * 10_000 + "}]", '[{"type": "string"}]', 7),
    ],
)
def test_a_signature_without_usable_specs_fails_at_its_value(inputs: Any, outputs: Any, failing_line: int) -> None:
    report = judge(signed(inputs, outputs), "MLmodel")
    assert report.outcome is Outcome.FAILS
    assert [f.line for f in report.findings if f.holds is False] == [failing_line]


def test_a_signature_of_tensors_holds() -> None:
    specs = '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 768]}}]'
    report = judge(signed(specs, specs), "MLmodel")
    assert report.outcome is Outcome.HOLDS
    assert report.findings[0].message == "the model signature records its inputs: 1 spec"


def test_hostile_files_give_a_finding_at_their_place() -> None:
    hostile = [
        "schema: '2.0'\nstages: " + "{a: " * 10_000 + "}" * 10_000 + "\n",
        "schema: '2.0'\nstages:\n  s:\n    cmd: x\n    deps:\n" + "    - path: a\n" * 50_000,
        "schema: '2.0'\nstages:\n  \"\\e[2J\": {cmd: x, deps: [{path: a}]}\n",
        MLMODEL + "signature:\n  inputs: '" + "x" * 1_000_000 + "'\n",
        "schema: '2.0'\x00\n",
    ]
    for text in hostile:
        report = judge(text)
        assert report.outcome is Outcome.FAILS, report
        assert report.findings
        placed_within(report, text)
