"""The OpenSLO probe on real OpenSLO files, v1alpha and v1 (tests/artifacts/openslo/)."""

from __future__ import annotations

import pytest

from readiness.verify.probes import openslo
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within

TARGETS, FILES = expected("openslo")
EXPECT = {"availability": TARGETS["availability"]}
# What fails at each `where` place, as expected.yaml names it under `fails`.
FAILS_AT = {"target": {"objective", "target_range"}, "slo_name": {"objectives_present"}}


def text(body: str, availability: float = TARGETS["availability"]) -> Report:
    return openslo.probe(Artifact("slo.yaml", body), {"availability": availability})


def at_place(report: Report, place: list[int]) -> list[Finding]:
    return [finding for finding in report.findings if [finding.line, finding.column] == place]


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_file_says(name: str) -> None:
    entry = FILES[name]
    report = openslo.probe(artifact("openslo", name), EXPECT)
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [[f.line, f.column] for f in report.findings] == [entry["where"]["error"]]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings)
    failing = set(entry.get("fails", []))
    for fact, place in entry.get("where", {}).items():
        found = at_place(report, place)
        assert any(f.holds is not bool(FAILS_AT[fact] & failing) for f in found), (fact, report.findings)


OBJECTIVES = [
    (name, objective)
    for name, entry in sorted(FILES.items())
    for slo in entry.get("facts", {}).get("slos", [])
    for objective in slo.get("objectives", [])
]


@pytest.mark.parametrize(("name", "objective"), OBJECTIVES, ids=lambda value: str(value)[:40])
def test_every_objective_is_read_at_its_place(name: str, objective: dict[str, object]) -> None:
    report = openslo.probe(artifact("openslo", name), EXPECT)
    found = at_place(report, objective["at"])  # type: ignore[arg-type]
    assert found, report.findings
    target = objective["target"]
    if target is None:  # out of range: told, never read as a fraction
        assert all(f.holds is False for f in found)
    else:
        assert any(f"{float(target) * 100:.6g} %" in f.message for f in found)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(name for name in FILES if "below_target" in FILES[name].get("facts", {})))
def test_looser_objectives_are_listed_not_failed(name: str) -> None:
    report = openslo.probe(artifact("openslo", name), EXPECT)
    for looser in FILES[name]["facts"]["below_target"]:
        assert [f.holds for f in at_place(report, looser["at"])] == [None]


SLO = """apiVersion: openslo/v1
kind: SLO
metadata: {{name: answers}}
spec:
  service: assistant
  indicatorRef: answers-success
  timeWindow: [{{duration: 28d, isRolling: true}}]
  budgetingMethod: Occurrences
  objectives:
    - {objective}
"""


@pytest.mark.parametrize(
    ("objective", "availability", "outcome"),
    [
        ("target: 0.995", 0.995, Outcome.HOLDS),  # exactly at the target
        ("targetPercent: 99.99", 0.9999, Outcome.HOLDS),  # 99.99 / 100 is a hair below 0.9999 in floating point
        ("target: 0.99499", 0.995, Outcome.FAILS),
        ("{target: 0.999, targetPercent: 99.9}", 0.995, Outcome.FAILS),  # the spec allows one of them
        ("target: 1", 0.995, Outcome.FAILS),  # [0, 1): a 100 % objective leaves no error budget
        ("target: '0.999'", 0.995, Outcome.FAILS),  # a string is not a number
        ("target: true", 0.995, Outcome.FAILS),
        ("targetPercent: 100", 0.995, Outcome.FAILS),
        ("displayName: no target yet", 0.995, Outcome.FAILS),
    ],
)
def test_targets(objective: str, availability: float, outcome: Outcome) -> None:
    assert text(SLO.format(objective=objective), availability).outcome is outcome


def test_a_v1alpha_objective_has_no_target_percent() -> None:
    body = SLO.format(objective="targetPercent: 99.9").replace("openslo/v1\n", "openslo/v1alpha\n")
    report = text(body)
    assert report.outcome is Outcome.FAILS
    assert any("v1alpha has no targetPercent" in f.message for f in report.findings)


def test_a_target_without_an_indicator_earns_nothing() -> None:
    body = SLO.format(objective="target: 0.999").replace("  indicatorRef: answers-success\n", "")
    report = text(body)
    assert report.outcome is Outcome.NOTHING
    assert any("names no indicator" in f.message for f in report.findings)


def test_a_broken_slo_beside_a_good_one_fails_the_file() -> None:
    good = SLO.format(objective="target: 0.999")
    assert text(good + "---\n" + SLO.format(objective="target: 99.9")).outcome is Outcome.FAILS


def test_files_of_other_formats_earn_nothing() -> None:
    sloth = 'version: "prometheus/v1"\nservice: a\nslos:\n  - name: b\n    objective: 99.9\n'
    service = "apiVersion: openslo/v1\nkind: Service\nmetadata: {name: a}\nspec: {description: x}\n"
    other_kind = SLO.format(objective="target: 0.999").replace("kind: SLO", "kind: ServiceLevelObjective")
    for body in (sloth, service, other_kind, "[1, 2, 3]\n", "just text\n", "# only a comment\n"):
        assert text(body).outcome is Outcome.NOTHING
    assert openslo.probe(artifact("openslo", "slo.yaml"), EXPECT).outcome is Outcome.NOTHING


def alias_bomb() -> str:
    """Anchors nine levels deep, each a list of four aliases to the one before: millions of nodes once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 4)}]" for level in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "deep nesting": "spec: " + "[" * 5000 + "]" * 5000 + "\n",
    "huge number": SLO.format(objective="target: 1e999"),
    "huge integer": SLO.format(objective="targetPercent: " + "9" * 5000),
    "control character": SLO.format(objective='displayName: "\\e[2J"'),
    "alias bomb": "apiVersion: openslo/v1\nkind: SLO\n" + alias_bomb() + "spec: {objectives: *a9}\n",
    "1 MB name": SLO.format(objective="target: 0.99").replace("name: answers", "name: " + "a" * 1_000_000),
    "many objectives": SLO.format(objective="target: 0.99") + "    - target: 0.99\n" * 10_000,
    "a long list": "[" + "0, " * 100_000 + "0]\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_a_finding_or_nothing(case: str) -> None:
    report = text(HOSTILE[case])
    assert report.findings
    assert report.outcome in (Outcome.FAILS, Outcome.NOTHING)
    assert all(len(f.message) < 400 for f in report.findings)
    placed_within(report, HOSTILE[case])
