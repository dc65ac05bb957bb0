"""The JUnit XML probe on real reports (tests/artifacts/junit-xml/: pytest 8.2 and 9.2, Surefire, Gradle, promptfoo,
jest-junit), and on the odd and hostile XML a pull request could put in their place."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from readiness.verify.probes import junit
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact
from tests.probes.evalfacts import check, folder, hostile

EXPECT, FILES = folder("junit-xml")
JUDGES = {"testsuite": [("pass_rate", "pass rate"), ("recent", "tests ran")]}
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def suite(tests: Any = 10, failures: Any = 1, errors: Any = 0, skipped: Any = 0, **more: str) -> str:
    """A Gradle-like <testsuite> start tag with its counts (a count of None is left out)."""
    counts = {"tests": tests, "failures": failures, "errors": errors, "skipped": skipped}
    attributes = {"name": "evals", **{k: str(v) for k, v in counts.items() if v is not None}, **more}
    return "<testsuite " + " ".join(f'{key}="{value}"' for key, value in attributes.items()) + ">"


STAMP = {"timestamp": "2026-11-25T18:03:27.412Z"}


def run(text: str, expect: dict[str, Any] | None = None) -> Report:
    return junit.probe(Artifact("build/test-results/TEST-evals.xml", text), EXPECT if expect is None else expect)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_report_says(name: str) -> None:
    check(junit.probe(artifact("junit-xml", name), EXPECT), FILES[name], JUDGES)


@pytest.mark.parametrize("name", sorted(n for n, e in FILES.items() if e.get("facts", {}).get("pass_rate")))
def test_the_pass_rate_counts_the_tests_that_ran(name: str) -> None:
    facts = FILES[name]["facts"]
    report = junit.probe(artifact("junit-xml", name), EXPECT)
    said = f"pass rate {facts['pass_rate']:.2%}".replace("%", " %")
    assert any(said in f.message and f"{facts['passed']:,} of" in f.message for f in report.findings), report


@pytest.mark.parametrize(
    ("counts", "outcome"),
    [((10, 1, 0, 0), Outcome.HOLDS), ((11, 1, 0, 1), Outcome.HOLDS), ((10, 1, 1, 0), Outcome.FAILS)],
)
def test_a_pass_rate_at_the_target_holds_and_below_it_fails(counts: tuple[int, ...], outcome: Outcome) -> None:
    text = DECLARATION + suite(*counts) + "</testsuite>"
    assert run(text, {"pass_rate": 0.9}).outcome is outcome


@pytest.mark.parametrize(("today", "outcome"), [("2027-02-23", Outcome.HOLDS), ("2027-02-24", Outcome.FAILS)])
def test_a_run_exactly_as_old_as_allowed_holds(today: str, outcome: Outcome) -> None:
    report = junit.probe(artifact("junit-xml", "pass-gradle.xml"), {"max_age_days": 90, "today": today})
    assert report.outcome is outcome


def test_the_totals_of_a_testsuites_root_are_not_added_to_its_suites() -> None:
    text = '<testsuites tests="100" failures="0">' + suite(10, 5, 0, 0, **STAMP) + "</testsuite></testsuites>"
    report = run(text)
    assert report.outcome is Outcome.FAILS
    assert "pass rate 50.00 %" in report.findings[0].message


def test_suites_are_summed_and_the_oldest_one_dates_the_report() -> None:
    old = {"timestamp": "2026-06-01T00:00:00"}
    text = f"<testsuites>{suite(5, 0, **STAMP)}</testsuite>\n  {suite(5, 1, **old)}</testsuite></testsuites>"
    report = run(text)
    assert report.outcome is Outcome.FAILS
    assert report.findings[0].message.startswith("pass rate 90.00 % (9 of 10 tests run passed")
    age = [f for f in report.findings if "tests ran" in f.message]
    assert [(f.line, f.column, f.holds) for f in age] == [(2, 3, False)]


def test_a_suite_of_suites_counts_only_the_innermost_ones() -> None:
    inner = suite(4, 0, **STAMP) + "</testsuite>" + suite(6, 0, **STAMP) + "</testsuite>"
    text = suite(999, 999, **STAMP) + inner + "</testsuite>"
    report = run(text)
    assert report.outcome is Outcome.HOLDS
    assert "10 of 10 tests run passed" in report.findings[0].message
    assert (report.findings[0].line, report.findings[0].column) == (1, text.index(inner) + 1)


def test_a_suite_without_counts_has_its_test_cases_counted() -> None:
    cases = (
        '<testcase name="a"/><testcase name="b"><failure message="no"/></testcase>'
        '<testcase name="c"><error/></testcase><testcase name="d"><skipped/></testcase>'
        '<testcase name="e"><system-out><failure/></system-out></testcase>'
    )
    report = run(suite(None, None, None, None, **STAMP) + cases + "</testsuite>")
    assert report.outcome is Outcome.FAILS
    assert "2 of 4 tests run passed: 1 failure, 1 error; 1 skipped" in report.findings[0].message
    assert [f.message for f in report.findings if f.holds is None] == ["failed: b", "could not run (error): c"]


def test_at_most_five_failing_tests_are_named() -> None:
    cases = "".join(f'<testcase classname="evals" name="t{n}"><failure/></testcase>' for n in range(50))
    report = run(suite(50, 50, **STAMP) + cases + "</testsuite>")
    assert [f.message for f in report.findings if f.holds is None] == [f"failed: evals.t{n}" for n in range(5)]


def test_a_timestamp_on_the_root_only_dates_the_report() -> None:
    text = '<testsuites timestamp="2026-11-25T18:03:27">' + suite() + "</testsuite></testsuites>"
    assert run(text).outcome is Outcome.HOLDS


def test_a_count_that_is_no_count_is_a_broken_report() -> None:
    report = run(DECLARATION + suite(tests="ten") + "</testsuite>")
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column, f.message) for f in report.findings] == [
        (2, 1, 'tests="ten" on <testsuite> is not a count of tests')
    ]


def test_xml_broken_after_a_good_start_is_a_finding_where_expat_stops() -> None:
    report = run(DECLARATION + suite(**STAMP) + "\n<testcase name='a'></testsuite>")
    assert report.outcome is Outcome.FAILS
    assert (report.findings[0].line, report.findings[0].column) == (3, 22)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + DECLARATION + suite(**STAMP) + "</testsuite>",
        '<?xml version="1.0" encoding="ISO-8859-1"?>' + suite(**STAMP) + "<testcase name='café'/></testsuite>",
        "\n\n  " + suite(**STAMP) + "</testsuite>",
    ],
)
def test_a_byte_order_mark_a_declared_encoding_or_leading_space_does_not_matter(text: str) -> None:
    assert run(text).outcome is Outcome.HOLDS


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("promptfoo-results", "pass-all-green.json"),
        ("lm-eval-results", "pass-single-task.json"),
        ("model-card", "fail-empty-sections.md"),
    ],
)
def test_files_of_other_formats_earn_nothing(kind: str, name: str) -> None:
    assert junit.probe(artifact(kind, name), EXPECT).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    "text",
    [
        '<!DOCTYPE html><html><body><table class="testsuite">pass rate 100 %</table></body></html>',
        '<svg xmlns="http://www.w3.org/2000/svg"><testsuite tests="1" failures="0"/></svg>',
        "<coverage line-rate='1.0'/>",
    ],
)
def test_xml_of_other_kinds_earns_nothing(text: str) -> None:
    assert run(text).outcome is Outcome.NOTHING


BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n <!ENTITY a "aaaaaaaaaa">\n'
    + "".join(f' <!ENTITY {c} "{("&" + p + ";") * 10}">\n' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    + ']>\n<testsuites><testsuite tests="1" failures="0" name="&i;"/></testsuites>'
)


@pytest.mark.parametrize(
    "text",
    [
        BOMB,
        '<!DOCTYPE testsuite [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite tests="1" name="&x;"/>',
        '<!DOCTYPE testsuites SYSTEM "http://127.0.0.1:9/evil.dtd"><testsuites/>',
        '<!DOCTYPE testsuites PUBLIC "-//x//y" "http://127.0.0.1:9/evil.dtd"><testsuites/>',
        "<testsuites>" + "<testsuite>" * 100_000 + "</testsuite>" * 100_000 + "</testsuites>",
        "<testsuites>" + "<a>" * 100_000 + "</a>" * 100_000 + "</testsuites>",
        suite(tests="9" * 20) + "</testsuite>",
        suite(tests="9" * 1_000_000) + "</testsuite>",
        suite(timestamp="9" * 1_000_000) + "</testsuite>",
        suite(name="x" * 1_000_000, **STAMP) + "</testsuite>" + "x" * 1_000_000,
        suite(**STAMP) + "<testcase name='&#27;[2J'/></testsuite>",
        suite(**STAMP) + "<testcase>" * 10_000,
        suite(0, 0, **STAMP) + "</testsuite>",
        suite(3, 1, 0, 5, **STAMP) + "</testsuite>",
        "<testsuites>" + "<testsuite/>" * 100_000 + "</testsuites>",
        "<",
        "\x00",
        "<testsuite " + 'a="1" ' * 100_000 + "/>",
        '<testsuite tests="1" tests="2"/>',
    ],
)
def test_hostile_reports_give_a_finding_or_nothing(text: str) -> None:
    hostile(junit.probe, text, EXPECT, "evil.xml")


def test_a_billion_laughs_is_refused_at_its_doctype_never_expanded() -> None:
    report = run(BOMB)
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings] == [(2, 22)]
    assert "refused" in report.findings[0].message


def test_names_from_the_report_reach_findings_without_control_characters() -> None:
    cases = '<testcase classname="evals" name="t\u0085\u202e\u009b31m"><failure/></testcase>'
    report = run(suite(1, 1, **STAMP) + cases + "</testsuite>")
    assert all(character.isprintable() for f in report.findings for character in f.message)


def test_a_four_megabyte_report_of_fifty_thousand_cases_is_read_whole() -> None:
    cases = "".join(f'<testcase classname="evals.test_answers" name="case[{n}]" time="0.001"/>' for n in range(50_000))
    text = DECLARATION + suite(50_000, 0, **STAMP) + cases + "</testsuite>"
    report = run(text)
    assert report.outcome is Outcome.HOLDS
    assert "50,000 of 50,000 tests run passed" in report.findings[0].message
    assert (report.findings[0].line, report.findings[0].column) == (2, 1)


def test_the_schema_of_expect_is_valid_and_strict() -> None:
    Draft202012Validator.check_schema(junit.EXPECT_SCHEMA)
    validator = Draft202012Validator(junit.EXPECT_SCHEMA)
    assert validator.is_valid(EXPECT)
    assert not validator.is_valid({"max_age_days": 90})
    assert not validator.is_valid({"pass_rate": 1.5})
    assert not validator.is_valid({"pass_rate": 0.9, "metric": "accuracy"})
