"""The Sloth probe on real Sloth specs, CLI and Kubernetes CRD (tests/artifacts/sloth/)."""

from __future__ import annotations

import pytest

from readiness.verify.probes import sloth
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report
from tests.probes.artifacts import artifact, expected, placed_within

TARGETS, FILES = expected("sloth")
EXPECT = {"availability": TARGETS["availability"], "page_alert": TARGETS["require_page_alert"]}
# What fails at each `where` place, as expected.yaml names it under `fails`.
FAILS_AT = {"objective": "objective", "page_disable": "page_alert"}
ANY_AVAILABILITY = 1e-6  # every valid objective reaches it: the page-alert check alone decides


def judge(name: str, **expect: float | bool) -> Report:
    return sloth.probe(artifact("sloth", name), {**EXPECT, **expect})


def text(body: str, **expect: float | bool) -> Report:
    return sloth.probe(Artifact("slos/service.yml", body), {**EXPECT, **expect})


def at_place(report: Report, place: list[int]) -> list[Finding]:
    return [finding for finding in report.findings if [finding.line, finding.column] == place]


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_spec_says(name: str) -> None:
    entry = FILES[name]
    report = judge(name)
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
        assert any(f.holds is (FAILS_AT[fact] not in failing) for f in found), (fact, report.findings)


@pytest.mark.parametrize("name", sorted(name for name in FILES if "checks" in FILES[name]))
def test_each_property_alone(name: str) -> None:
    checks = FILES[name]["checks"]
    assert judge(name, page_alert=False).outcome.value == checks["objective"]
    assert judge(name, availability=ANY_AVAILABILITY).outcome.value == checks["page_alert"]


SLOS = [
    (name, slo)
    for name, entry in sorted(FILES.items())
    for spec in [entry.get("facts", {}), *entry.get("facts", {}).get("specs", [])]
    for slo in spec.get("slos", [])
]


@pytest.mark.parametrize(("name", "slo"), SLOS, ids=lambda value: str(value)[:40])
def test_every_slo_is_read_as_a_percent(name: str, slo: dict[str, object]) -> None:
    found = at_place(judge(name), slo["at"])  # type: ignore[arg-type]
    assert any(f"objective {slo['objective']:g}" in f.message for f in found), found
    if slo.get("page_severity"):
        report = judge(name, availability=ANY_AVAILABILITY)
        assert any(f.holds and f"severity {slo['page_severity']}" in f.message for f in report.findings)


def test_an_objective_written_as_a_fraction_is_named_so() -> None:
    report = judge("fail-objective-written-as-fraction.yml")
    assert any("not 99.9 %" in f.message and f.holds is False for f in report.findings)


SPEC = """version: "prometheus/v1"
service: assistant
slos:
  - name: answers
    objective: {objective}
    sli:
      events:
        error_query: sum(rate(errors_total[{{{{.window}}}}]))
        total_query: sum(rate(requests_total[{{{{.window}}}}]))
    alerting:
      name: AnswersAvailability
      page_alert:
        labels: {{severity: critical}}
"""


@pytest.mark.parametrize(
    ("objective", "availability", "outcome"),
    [
        ("99.5", 0.995, Outcome.HOLDS),  # exactly at the target
        ("99.99", 0.9999, Outcome.HOLDS),  # 99.99 / 100 is a hair below 0.9999 in floating point
        ("99.49", 0.995, Outcome.FAILS),
        ("100", 0.995, Outcome.HOLDS),
        ("100.5", 0.995, Outcome.FAILS),  # Sloth refuses objectives outside (0, 100]
        ("0", 0.995, Outcome.FAILS),
        ('"99.9"', 0.995, Outcome.FAILS),  # Sloth reads a number, not a string
    ],
)
def test_objectives(objective: str, availability: float, outcome: Outcome) -> None:
    assert text(SPEC.format(objective=objective), availability=availability).outcome is outcome


def test_a_paging_slo_needs_an_alert_name() -> None:
    report = text(SPEC.format(objective="99.9").replace("      name: AnswersAvailability\n", ""))
    assert report.outcome is Outcome.FAILS
    assert any("no name" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      events:\n", "      raw: {error_ratio_query: x}\n      events:\n"),  # two SLIs
        ("        total_query: sum(rate(requests_total[{{.window}}]))\n", ""),  # an events SLI without its total
        ("    sli:\n", "    sli_typo:\n"),  # no SLI
    ],
)
def test_what_sloth_validate_refuses_fails(old: str, new: str) -> None:
    body = SPEC.format(objective="99.9")
    assert old in body
    assert text(body.replace(old, new)).outcome is Outcome.FAILS


def test_files_of_other_formats_earn_nothing() -> None:
    openslo = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\nspec:\n  objectives: [{target: 0.999}]\n"
    other_version = SPEC.format(objective="99.9").replace("prometheus/v1", "prometheus/v2")
    for body in (openslo, other_version, "slos: [{objective: 99.9}]\n", "99.9\n", "# nothing yet\n"):
        assert text(body).outcome is Outcome.NOTHING
    assert judge("slos.yml").outcome is Outcome.NOTHING  # Sloth's output, with its tempting sloth_objective


def alias_bomb() -> str:
    """Anchors nine levels deep, each a list of four aliases to the one before: millions of nodes once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 4)}]" for level in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "deep nesting": 'version: "prometheus/v1"\nslos: ' + "[" * 5000 + "]" * 5000 + "\n",
    "huge number": SPEC.format(objective="1e999"),
    "huge integer": SPEC.format(objective="9" * 5000),
    "control character": SPEC.format(objective="99.9").replace("name: answers", 'name: "\\x9b31m"'),
    "alias bomb": 'version: "prometheus/v1"\n' + alias_bomb() + "slos: *a9\n",
    "1 MB name": SPEC.format(objective="99").replace("name: answers", "name: " + "a" * 1_000_000),
    "many SLOs": SPEC.format(objective="99") + "  - {name: b, objective: 99}\n" * 10_000,
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_a_finding_or_nothing(case: str) -> None:
    report = text(HOSTILE[case])
    assert report.findings
    assert report.outcome in (Outcome.FAILS, Outcome.NOTHING)
    assert all(len(f.message) < 400 for f in report.findings)
    placed_within(report, HOSTILE[case])
