"""A YAML stream ('---' between documents: Kubernetes manifests, multi-document rule files) is read document by
document, each value at its line and column in the file, and refused where parse_document would refuse one
document: at the place in the file, whichever document it is in. A plain stream is read straight from the
parser's events, as fast per byte as one document; anything unusual is read the thorough way.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from readiness.load import yamlsource
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import Document, _build_from_events, _compose_all_and_build, parse_documents

RULES = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: first
---
# second: the alerts
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
spec:
  groups:
    - name: latency
      rules:
        - alert: SlowAnswers
          expr: histogram_quantile(0.95, rate(x[5m])) > 2
---
{kind: ConfigMap, data: {a: "1"}}
"""


def _told(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_documents(text, "rules.yaml")
    return [diagnostic.format() for diagnostic in caught.value.diagnostics]


def _shape(documents: list[Document]) -> list[tuple[Any, Any, Any]]:
    return [(document.data, document.values, document.keys) for document in documents]


def test_every_document_keeps_the_positions_it_has_in_the_file() -> None:
    first, second, third = parse_documents(RULES, "rules.yaml")
    assert first.data["metadata"] == {"name": "first"}
    assert first.where(("metadata", "name")) == (4, 9)
    rule = ("spec", "groups", 0, "rules", 0)
    assert second.data["spec"]["groups"][0]["rules"][0]["alert"] == "SlowAnswers"
    assert second.where((*rule, "alert")) == (13, 18)
    assert second.where((*rule, "expr"), key=True) == (14, 11)
    assert second.where(()) == (7, 1)
    assert third.data == {"kind": "ConfigMap", "data": {"a": "1"}}
    assert third.where(("data", "a")) == (16, 29)
    # Each document holds its own positions, none of the documents before it.
    assert ("metadata", "name") not in second.values
    assert set(third.values) == {(), ("kind",), ("data",), ("data", "a")}


def test_a_plain_stream_is_read_from_the_events_never_the_thorough_way(monkeypatch: pytest.MonkeyPatch) -> None:
    def thorough(text: str, file: str, escapes: bool) -> list[Document]:
        raise AssertionError("a plain stream took the slow reading")

    monkeypatch.setattr(yamlsource, "_compose_all_and_build", thorough)
    assert len(parse_documents(RULES, "rules.yaml")) == 3


def test_both_ways_read_a_stream_alike() -> None:
    fast = _build_from_events(RULES, "rules.yaml", single=False)
    assert fast is not None
    assert _shape(fast) == _shape(_compose_all_and_build(RULES, "rules.yaml", False))


def test_positions_stay_right_when_one_document_needs_the_thorough_reading() -> None:
    text = RULES + "---\nshared: &base {team: sre}\nagain: *base\n"
    assert _build_from_events(text, "rules.yaml", single=False) is None  # the anchor: not the fast path's
    documents = parse_documents(text, "rules.yaml")
    assert [document.where(()) for document in documents] == [(1, 1), (7, 1), (16, 1), (18, 1)]
    assert documents[1].where(("spec", "groups", 0, "rules", 0, "alert")) == (13, 18)
    assert documents[3].data == {"shared": {"team": "sre"}, "again": {"team": "sre"}}
    assert documents[3].where(("again",), key=True) == (19, 1)
    assert documents[3].where(("shared", "team")) == (18, 22)


def test_empty_documents_between_markers_are_left_out() -> None:
    text = "---\n---\na: 1\n---\n# only a comment\n---\n\n---\nb: 2\n"
    documents = parse_documents(text, "rules.yaml")
    assert [document.data for document in documents] == [{"a": 1}, {"b": 2}]
    assert [document.where(()) for document in documents] == [(3, 1), (9, 1)]
    assert parse_documents("---\n# nothing\n---\n", "rules.yaml") == []


def test_empty_documents_are_left_out_the_thorough_way_too() -> None:
    text = "---\n---\na: &x 1\nb: *x\n---\n# only a comment\n"
    assert _build_from_events(text, "rules.yaml", single=False) is None
    assert [document.data for document in parse_documents(text, "rules.yaml")] == [{"a": 1, "b": 1}]


def test_a_document_of_a_written_null_is_kept() -> None:
    """'~' or a tag alone is something written, unlike nothing at all between two '---'."""
    assert [document.data for document in parse_documents("--- ~\n---\na: 1\n", "f.yaml")] == [None, {"a": 1}]
    assert [document.data for document in parse_documents("--- !!null\n---\n", "f.yaml")] == [None]


def test_a_stream_with_end_markers() -> None:
    text = "a: 1\n...\n---\nb:\n  - x\n...\n---\n# last\nc: 3\n...\n"
    documents = parse_documents(text, "rules.yaml")
    assert [document.data for document in documents] == [{"a": 1}, {"b": ["x"]}, {"c": 3}]
    assert [document.where(()) for document in documents] == [(1, 1), (4, 1), (9, 1)]
    assert documents[1].where(("b", 0)) == (5, 5)


def test_a_document_after_an_end_marker_needs_its_own_start() -> None:
    assert _told("a: 1\n...\nb: 2\n") == [
        "rules.yaml:3:1: error: $: YAML syntax error: did not find expected <document start>"
    ]


def test_a_duplicate_key_in_the_second_document_is_told_there() -> None:
    text = "a: 1\n---\nkind: Rule\nname: x\nname: y\n"
    assert _told(text) == [
        "rules.yaml:5:1: error: $.name: duplicate key 'name' at lines 4 and 5; YAML would keep only the last"
    ]


def test_the_same_key_in_two_documents_is_no_duplicate() -> None:
    assert [document.data for document in parse_documents("name: x\n---\nname: y\n", "f.yaml")] == [
        {"name": "x"},
        {"name": "y"},
    ]


def test_nesting_too_deep_in_the_second_document_is_told_there() -> None:
    text = "a: 1\n---\nb: " + "[" * 70 + "]" * 70 + "\n"
    told = _told(text)
    assert len(told) == 1
    assert told[0].startswith("rules.yaml:3:")
    assert told[0].endswith("nesting is deeper than 64 levels")


def test_an_escaped_control_character_in_the_second_document_is_told_there() -> None:
    text = 'a: "fine"\n---\nlabels:\n  summary: "red \\e[31m"\n'
    assert _told(text) == [
        "rules.yaml:4:12: error: $.labels.summary: 'red \\x1b[31m' holds the control character U+001B, written as "
        "an escape, which would reach terminals and logs as it is; remove it"
    ]


def test_a_raw_control_character_in_the_second_document_is_told_there() -> None:
    assert _told("a: 1\n---\nb: x\x07y\n") == [
        "rules.yaml:3:5: error: $: control character U+0007 is not allowed in YAML"
    ]


def test_a_syntax_error_in_the_second_document_is_told_there() -> None:
    told = _told("a: 1\n---\nb: [1, 2\nc: 3\n")
    assert len(told) == 1
    assert told[0].startswith("rules.yaml:4:")
    assert "YAML syntax error" in told[0]


def test_a_problem_in_the_first_document_is_told_before_a_syntax_error_in_the_second() -> None:
    """Documents are read in order: the first problem in the file is the one told."""
    assert _told("a: 1\na: 2\n---\nb: [\n") == [
        "rules.yaml:2:1: error: $.a: duplicate key 'a' at lines 1 and 2; YAML would keep only the last"
    ]


def test_a_tag_in_the_third_document_is_told_there() -> None:
    assert _told("a: 1\n---\nb: 2\n---\nc: !!binary aGk=\n") == [
        "rules.yaml:5:4: error: $.c: YAML tag '!!binary' is not allowed; write the value plainly"
    ]


def _aliases(count: int) -> str:
    """A document whose aliases expand to count * 101 nodes (a list of 100 and itself, each time)."""
    items = ", ".join(str(n) for n in range(100))
    return f"base: &base [{items}]\nuses:\n" + "".join("  - *base\n" for _ in range(count))


def test_the_alias_budget_is_shared_by_the_documents_of_a_file() -> None:
    """60 aliases of a list of 100 are fine in one document; in two, they make an alias bomb, told in the second:
    its 40th alias goes over (6,060 + 40 * 101 nodes), told at the list holding it, on line 66."""
    one = _aliases(60)
    assert len(parse_documents(one, "rules.yaml")[0].data["uses"]) == 60
    told = _told(one + "---\n" + one)
    assert told == [
        "rules.yaml:66:3: error: $.uses[39]: aliases expand to more than 10000 nodes (an alias bomb?)",
    ]


def test_a_json_document_reads_as_a_stream_of_one() -> None:
    text = '{\n  "groups": [\n    {"name": "a", "rules": []}\n  ]\n}\n'
    (document,) = parse_documents(text, "rules.json")
    assert document.data == {"groups": [{"name": "a", "rules": []}]}
    assert document.where(("groups", 0, "name")) == (3, 14)
    assert document.where(("groups", 0, "name"), key=True) == (3, 6)


def test_a_single_document_reads_the_same_as_with_parse_document() -> None:
    for text in (RULES.split("---")[1], '{"a": [1, 2.5, "x"]}', "- a\n- b: c\n"):
        (document,) = parse_documents(text, "f.yaml")
        alone = yamlsource.parse_document(text, "f.yaml")
        assert (document.data, document.values, document.keys) == (alone.data, alone.values, alone.keys)


def test_one_document_files_still_refuse_a_second_document() -> None:
    with pytest.raises(InputError) as caught:
        yamlsource.parse_document("a: 1\n---\nb: 2\n", "readiness.yaml")
    assert "more than one YAML document" in caught.value.diagnostics[0].message


def _random_document(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(["x", "a b", 12, -3, 1.5, 2.5e-7, True, None, "2026-01-01", "multi\nline", "", "é"])
    if roll < 0.7:
        return [_random_document(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {f"k{n}": _random_document(rng, depth + 1) for n in range(rng.randint(0, 3))}


def test_random_streams_read_the_same_both_ways() -> None:
    rng = random.Random(20261207)
    fast_reads = 0
    for _ in range(300):
        documents = [{"doc": _random_document(rng)} for _ in range(rng.randint(1, 4))]
        text = yaml.safe_dump_all(
            documents,
            default_flow_style=rng.choice([False, True, None]),
            explicit_start=rng.random() < 0.5,
            explicit_end=rng.random() < 0.3,
            width=rng.choice([20, 80]),
            sort_keys=False,
        )
        if rng.random() < 0.3:
            text = "---\n# nothing here\n" + text.replace("---", "---\n---", 1)
        fast = _build_from_events(text, "f.yaml", single=False)
        slow = _compose_all_and_build(text, "f.yaml", "\\" in text)
        assert [document.data for document in slow] == documents
        if fast is not None:
            fast_reads += 1
            assert _shape(fast) == _shape(slow)
    assert fast_reads > 250
