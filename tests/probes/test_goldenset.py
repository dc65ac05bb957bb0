"""The golden set probe on real JSON Lines and CSV golden sets (tests/artifacts/golden-set/), and on the odd and hostile
files a pull request could put in their place."""

from __future__ import annotations

import json
from typing import Any

import pytest

from readiness.verify.probes import goldenset
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import at, expected, placed_within, read

TARGETS, FILES = expected("golden-set")
EXPECT = {"min_rows": TARGETS["min_rows"], "required_fields": TARGETS["required_fields"]}


def run(text: str, expect: dict[str, Any] | None = None, name: str = "evals/golden.jsonl") -> Report:
    return goldenset.probe(Artifact(name, text), EXPECT if expect is None else expect)


def jsonl(count: int, **fields: Any) -> str:
    rows = [
        {"id": f"gs-{i:04d}", "input": f"Question {i}?", "expected_output": f"Answer {i}.", **fields}
        for i in range(count)
    ]
    return "".join(json.dumps(row) + "\n" for row in rows)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_golden_set_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = goldenset.probe(read("golden-set", name), EXPECT)
    where: dict[str, list[int]] = entry.get("where", {})
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(where["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    if report.outcome is Outcome.NOTHING:
        assert not any(f.holds for f in report.findings), report
        return
    if report.outcome is Outcome.HOLDS:
        assert f"{entry['facts']['rows']:,} records" in report.findings[0].message
        return  # `where` here names record starts, which a passing set has no finding at (see below)
    failing = set(entry.get("fails", []))
    for fact, (line, column) in where.items():
        if fact == "rows":
            assert at(report, line, column)[0].holds is ("min_rows" not in failing)
        elif fact.endswith("_first"):  # the earlier record is named in the finding on the later one
            assert any(f.holds is False and f"line {line}" in f.message for f in report.findings), fact
        else:  # an empty required field, or a repeated id or input
            assert all(f.holds is False for f in at(report, line, column)), fact


def test_records_that_span_lines_are_placed_at_their_first_line() -> None:
    where = FILES["odd-quoted-multiline.csv"]["where"]
    expect = {**EXPECT, "required_fields": ["input", "owner"]}  # no record has an owner: each is named
    report = goldenset.probe(read("golden-set", "odd-quoted-multiline.csv"), expect)
    assert report.outcome is Outcome.FAILS
    lines = [f.line for f in report.findings if f.message == "the record has no owner"]
    assert lines[2:4] == [where["gs-0003"][0], where["gs-0004"][0]]  # 4 and 8: gs-0003 spans lines 4 to 7
    assert lines[9] == where["gs-0010"][0]


def test_a_field_after_a_line_break_in_quotes_is_placed_on_its_own_line() -> None:
    text = 'id,input,expected_output\r\ngs-1,"Hi,\nmy order",\r\n'
    report = run(text, {"min_rows": 1}, "golden.csv")
    assert [(f.line, f.column, f.holds) for f in report.findings[1:2]] == [(3, 11, False)]


def test_exactly_min_rows_holds_and_one_fewer_fails() -> None:
    assert run(jsonl(50)).outcome is Outcome.HOLDS
    report = run(jsonl(49))
    assert report.outcome is Outcome.FAILS
    assert report.findings[0].message == "49 records, target at least 50"


def test_the_expected_output_has_other_tools_names() -> None:
    openai = "".join(
        json.dumps({"input": [{"role": "user", "content": f"q{i}"}], "ideal": ["a", "b"]}) + "\n" for i in range(3)
    )
    inspect = "id,input,target\r\n1,q1,a\r\n2,q2,b\r\n"
    assert run(openai, {"min_rows": 3}).outcome is Outcome.HOLDS
    assert run(inspect, {"min_rows": 2}, "dataset.csv").outcome is Outcome.HOLDS


def test_a_chat_input_without_content_is_empty_and_compares_as_a_whole() -> None:
    blank = json.dumps({"input": [{"role": "system", "content": " "}, {"role": "user", "content": ""}], "ideal": "x"})
    report = run(blank + "\n" + jsonl(3), {"min_rows": 1})
    assert at(report, 1, 11)[0].holds is False
    chat = json.dumps({"input": [{"role": "user", "content": "Where  is\tmy order?"}], "ideal": "x"})
    twice = run(chat + "\n" + chat.replace("Where  is\\tmy", "Where is my") + "\n", {"min_rows": 1})
    assert twice.outcome is Outcome.HOLDS  # a message list is compared as written, not re-spaced


def test_a_json_array_of_records_is_read_with_positions() -> None:
    records = [{"input": "q1", "expected_output": "a"}, {"input": "q1", "expected_output": "b"}]
    report = run(json.dumps(records, indent=2), {"min_rows": 2}, "goldens.json")
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings if f.holds is False] == [(7, 14)]


def test_files_of_other_kinds_earn_nothing() -> None:
    for kind, name in [
        ("k6-summary", "pass-export-with-thresholds.json"),
        ("model-card", "pass-complete-card.md"),
        ("model-card", "pass-cyclonedx-1.6.json"),
        ("runbook", "pass-good-runbook.md"),
        ("codeowners", "pass-github-teams.CODEOWNERS"),
        ("locust-stats", "pass-several-endpoints_stats.csv"),
    ]:
        assert goldenset.probe(read(kind, name), EXPECT).outcome is Outcome.NOTHING, name
    assert run("[Docs](https://example.com) for the golden set\n", name="README.md").outcome is Outcome.NOTHING


def test_an_unreadable_line_of_another_jsonl_is_not_a_broken_golden_set() -> None:
    text = '{"messages": []}\n{"messages": [,]}\n'
    assert run(text).outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('{"input": ' + "[" * 100_000 + "\n" + jsonl(3), "deep.jsonl"),
        ('{"input": 1' + "0" * 1_000_000 + ', "expected_output": "x"}\n' + jsonl(3), "huge-number.jsonl"),
        (jsonl(3) + '{"input": "' + "a" * 1_000_000 + '", "expected_output": "x"}\n', "megabyte-line.jsonl"),
        ("input,expected_output\r\n" + "a" * 1_000_000 + ",b\r\n1,2\r\n", "huge-field.csv"),
        ('input,expected_output\r\n"unclosed,b\r\n' * 10_000, "unclosed-quote.csv"),
        ("input,expected_output\r\n\x00q\x1b[31m,a\x07\r\nq\x00,\x9b\r\n", "control-characters.csv"),
        ('{"input": "q\\u001b[2J", "expected_output": "\\u0000", "input": "q\\u001b[2J"}\n' * 2, "escapes.jsonl"),
        ("[" * 100_000, "deep.json"),
        ("input,expected_output\r\n" + "".join(f"q{i % 7},a\r\n" for i in range(150_000)), "duplicates.csv"),
        ("".join('{"input": "", "expected_output": ""}\n' for _ in range(100_000)), "empty-fields.jsonl"),
        (",".join(["input"] * 50_000) + "\r\n" + ",".join(["x"] * 50_000) + "\r\n", "wide.csv"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "",
)
def test_a_hostile_golden_set_gives_a_finding_or_nothing(text: str, name: str) -> None:
    report = run(text, {"min_rows": 1}, name)
    assert report.findings
    assert len(report.findings) <= 25  # a count stands for the rest
    placed_within(report, text)
