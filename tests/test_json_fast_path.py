"""A JSON artifact is read by json's own parser and placed by one scan of its tokens; what JSON accepts but the YAML
reader reads otherwise or refuses is left to the YAML reader.

The two ways must give the same data, types and positions, or the fast one must step aside: a k6 summary read
otherwise than the YAML way would be judged on other numbers, and a key written twice that JSON folds silently
would never be told.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from readiness.load import jsonfast, yamlsource
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import MAX_DEPTH, _compose_and_build, parse_document, parse_documents
from readiness.load.yamltext import refused_character
from tests.conftest import REPO
from tests.test_yaml_fast_path import _types

K6 = """\
{
  "metrics": {
    "http_req_duration": {
      "type": "trend",
      "values": {"p(95)": 412.5, "avg": 120, "max": 2.5e3}
    },
    "http_req_failed": {"values": {"rate": 0.0012, "passes": 3, "fails": 2497}},
    "checks": {"thresholds": {"rate>0.99": {"ok": true}}, "note": null}
  },
  "root_group": {"name": "", "checks": [{"name": "status is 200", "passes": 2497}]}
}
"""


def _thorough(text: str) -> tuple[Any, Any, Any] | None:
    try:
        document = _compose_and_build(text, "f.json")
    except InputError:
        return None
    return document.data, document.values, document.keys


def _agree(text: str) -> bool:
    """Whether the fast way read `text`: then the YAML way reads it, to the same data, types and positions."""
    fast = jsonfast.read(text, MAX_DEPTH)
    slow = _thorough(text)
    if fast is None:
        return False
    assert slow is not None, "the fast way read what the YAML reader refuses"
    assert fast == slow
    assert _types(fast[0]) == _types(slow[0])
    return True


def _told(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_document(text, "f.json")
    return [diagnostic.format() for diagnostic in caught.value.diagnostics]


def test_a_k6_summary_is_read_by_json_never_by_the_yaml_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **options: Any) -> Any:
        raise AssertionError("a plain JSON file took a YAML reading")

    expected = _thorough(K6)
    monkeypatch.setattr(yamlsource, "_build_from_events", slow)
    monkeypatch.setattr(yamlsource, "_compose_and_build", slow)
    document = parse_document(K6, "summary.json")
    assert (document.data, document.values, document.keys) == expected
    p95 = ("metrics", "http_req_duration", "values", "p(95)")
    assert document.where(p95) == (5, 27)
    assert document.where(p95, key=True) == (5, 18)
    assert document.where(("root_group", "checks", 0, "passes")) == (10, 77)
    assert document.data["metrics"]["http_req_duration"]["values"]["max"] == 2500.0
    assert [d.data for d in parse_documents(K6, "summary.json")] == [document.data]


def _bundled_json() -> list[Path]:
    found = sorted((REPO / "tests" / "artifacts").rglob("*.json")) + sorted((REPO / "examples").rglob("*.json"))
    return [path for path in found if path.is_file()]


@pytest.mark.parametrize("path", _bundled_json(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_bundled_json_file_reads_the_same_both_ways(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if _thorough(text) is None:  # broken on purpose: the fast way must step aside
        assert jsonfast.read(text, MAX_DEPTH) is None
        return
    assert _agree(text), "a plain bundled JSON file should be read the fast way"


def test_positions_count_lines_and_characters_as_libyaml_does() -> None:
    for text in (
        '{"é😀": {"x": [1, "😀", {"y": 2}]}}',
        '[\r\n  {"a": 1},\r\n  {"b": [true, null]}\r\n]\r\n',
        '[1,\r2,\r{"c":\r3}]',  # a lone CR ends a line for libyaml, and is a blank for JSON
        '\n\n  [\n\t1,\n\t{"k":\t"v"}\n  ]\n \n',
        '{"a":-1,"b":[],"c":{},"d":[{}],"e":1E5}',
    ):
        assert _agree(text), text


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ('{"a"\n: 1}', "f.json:2:1: error: $: YAML syntax error: did not find expected ',' or '}'"),
        ('{"a": 1, "b": 2, "a": 3}', "f.json:1:18: error: $.a: duplicate key 'a' at columns 2 and 18 of line 1"),
        ('{"a": [1e400]}', "f.json:1:8: error: $.a[0]: '1e400' is not a finite number"),
        ('{"a": -1e400}', "f.json:1:7: error: $.a: '-1e400' is not a finite number"),
        ('{"a": "\\ud83d\\ude00"}', "f.json:1:10: error: $: YAML syntax error: found invalid Unicode character"),
        ("\t{}", "f.json:1:1: error: $: tab character in indentation; YAML indents with spaces"),
        ('{"a": 1}\n\t\n', "f.json:2:1: error: $: tab character in indentation; YAML indents with spaces"),
        ('{"a": ' + "[" * 70 + "]" * 70 + "}", "f.json:1:"),
        ("[" + "7" * 5000 + "]", "f.json:1:2: error: $[0]: a number of 5,000 digits is too large"),
    ],
    ids=[
        "colon on the next line",
        "key twice",
        "infinite in a list",
        "infinite",
        "surrogate pair",
        "tab before",
        "tab after",
        "deep",
        "huge",
    ],
)
def test_what_json_accepts_and_yaml_refuses_is_told_the_yaml_way(text: str, told: str) -> None:
    assert jsonfast.read(text, MAX_DEPTH) is None
    found = _told(text)
    assert found[0].startswith(told)


def test_nesting_deeper_than_the_limit_is_told_with_the_reader_s_words() -> None:
    assert _told('{"a": ' + "[" * 70 + "]" * 70 + "}")[0].endswith("nesting is deeper than 64 levels")
    assert _agree('{"a": ' + "[" * 63 + "1" + "]" * 63 + "}")  # 1 stands 64 levels below the top, the limit
    deeper = '{"a": ' + "[" * 64 + "1" + "]" * 64 + "}"
    assert jsonfast.read(deeper, MAX_DEPTH) is None
    assert _told(deeper)[0].endswith("nesting is deeper than 64 levels")


def test_a_key_as_long_as_libyaml_allows_is_read_and_one_longer_is_refused() -> None:
    """libyaml gives up on a key whose ':' stands more than 1,024 characters after its start."""
    assert _agree('{"' + "k" * 1000 + '": 1}')
    assert _agree('{"k"' + " " * 1000 + ': 1, "a": 2}')
    longest = '[1, {"' + "é" * 1022 + '": 1}]'  # its ':' 1,024 characters on: read, if not the fast way
    assert parse_document(longest, "f.json").data == [1, {"é" * 1022: 1}]
    longer = '[1, {"' + "é" * 1023 + '": 1}]'
    assert jsonfast.read(longer, MAX_DEPTH) is None
    assert "did not find expected ',' or '}'" in _told(longer)[0]


def test_what_both_read_alike_but_the_fast_way_leaves_is_still_read() -> None:
    for text, data in [
        ('{"a": 1}\t', {"a": 1}),  # a tab after the data on its line: YAML reads it, the check is coarser
        ('"just a string"', "just a string"),  # a scalar: the YAML way
        ("[NaN]", ["NaN"]),  # not JSON; to YAML a string
        ('{"a": "x"} # note', {"a": "x"}),  # a comment: not JSON
    ]:
        assert jsonfast.read(text, MAX_DEPTH) is None
        assert parse_document(text, "f.json").data == data


def test_a_character_yaml_reads_as_a_line_break_is_never_read_the_json_way() -> None:
    """JSON allows U+2028 raw in a string; libyaml ends a line there. The reader refuses it before either way."""
    for text in ('{"a\u2028b": 1}', '["x\x85y"]', '["\u2029"]'):
        assert jsonfast.read(text, MAX_DEPTH) is None
        assert "which YAML reads as a line break" in _told(text)[0]


def test_an_escaped_control_character_is_told_at_its_value() -> None:
    text = '{\n  "summary": "red \\u001b[31m"\n}'
    assert jsonfast.read(text, MAX_DEPTH) is not None
    assert _told(text) == [
        "f.json:2:14: error: $.summary: 'red \\x1b[31m' holds the control character U+001B, written as an escape, "
        "which would reach terminals and logs as it is; remove it"
    ]


STRINGS = [
    "", "a", "é", "😀", "日本", "a b", "x: y", "#no", "- x", "'q'", '"dq"', "back\\slash", "tab\there", "nl\nline",
    "/", "<<", "true", "12", "null", " pad ", "---", "...", "&a", "*a", "!t", "k" * 1030,
]  # fmt: skip
NUMBERS = [0, 1, -1, 12345678901234567890, 1.5, -0.0, 1e300, 1e-300, 2.5e10, 0.1, 1e16, 123.456e-7]


def _random_data(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > rng.choice([3, 5, 70]) or roll < 0.4:
        return rng.choice([*STRINGS, *NUMBERS, True, False, None])
    if roll < 0.7:
        return [_random_data(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = [rng.choice(STRINGS) + str(rng.randint(0, 3)) for _ in range(rng.randint(0, 4))]
    return {key: _random_data(rng, depth + 1) for key in keys}


def _random_layout(rng: random.Random, data: Any) -> str:
    text = json.dumps(
        data,
        indent=rng.choice([None, None, 0, 2, "\t", " \t"]),
        ensure_ascii=rng.random() < 0.5,
        separators=rng.choice([None, (",", ":"), (" , ", " : "), (",\n", ":\n"), (",", "\t:\t")]),
    )
    roll = rng.random()
    if roll < 0.1:
        text = text.replace("\n", "\r\n")
    elif roll < 0.15:
        text = text.replace("\n", "\r")
    elif roll < 0.25:
        text = rng.choice([" ", "\n", "\t", "\r\n  "]) + text + rng.choice([" ", "\n", "\t", "\n\t", "\n \n"])
    elif roll < 0.35 and '":' in text:  # a key written twice
        end = text.index('":')
        start = text.rindex('"', 0, end)
        text = f"{text[:start]}{text[start : end + 2]} 1, {text[start:]}"
    return text


def test_random_json_reads_the_same_both_ways_or_steps_aside() -> None:
    rng = random.Random(20261207)
    fast_reads = 0
    for _ in range(1500):
        data = {"root": _random_data(rng)} if rng.random() < 0.7 else [_random_data(rng)]
        text = _random_layout(rng, data)
        if refused_character(text) is None:  # the reader refuses those before either way
            fast_reads += _agree(text)
    assert fast_reads > 300
