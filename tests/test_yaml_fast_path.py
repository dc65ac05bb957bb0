"""A plain YAML file is read straight from the parser's events; anything unusual is read the thorough way.

The two ways must give the same data and the same positions, or the fast one must step aside: a file it read
wrongly would be scored wrongly, and a problem it missed would never be reported.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import Document, _build_from_events, _compose_and_build, parse_document
from tests.conftest import REPO

# Plain scalars of every kind the resolver knows, and lookalikes that must stay strings.
SCALARS = [
    "true", "True", "TRUE", "yes", "Yes", "no", "on", "off", "y", "n", "false", "null", "Null", "~", "",
    "0", "12", "-3", "+4", "0o17", "017", "0x1F", "0b101", "1_000", "190:20:30", "1.5", "-0.5", "1e3",
    "1.0e+3", "6.8523015e+5", "685.230_15e+03", "190:20:30.15", ".5", "2026-01-01", "2026-1-1",
    "2026-01-01T10:00:00Z", "2026-01-01 10:00:00.5 +01:00", "2026-02-30", "1.2.3", "v1", "a b", "x: y",
    "#no", "é", "日本", "- x", "'q'", '"dq"', "?", "a,b", "[x]", "{x}",
    # Numbers as JSON and people write them: an int, a float or a string as YAML 1.1 (with 1.2's exponents) reads
    # each. Python's int() and float() would read digits of other scripts; YAML does not.
    "-0", "00", "007", "-012", "0.0", "-0.0", "1e5", "1E5", "-1.5e-3", "2.5E+10", "01.5", "1.", "1.e5", "-.5",
    "12345678901234567890", "1" * 400 + ".0", "1e400", "-1e400", "1e-400", "0x", "1_0", "1.5.2", "\u0663",
    "\uff11\uff12",
]  # fmt: skip
UNUSUAL = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "anchored mapping": "a: &m {k: v}\nb: 1\n",
    "explicit tag": "a: !!str 3\n",
    "local tag": "a: !thing 3\n",
    "non-specific tag": "a: ! 3\n",
    "tagged key": "!!str a: 1\n",
    "merge key": "base: &b {x: 1}\nmore:\n  <<: *b\n",
    "plain merge key without alias": "a:\n  <<: 1\n",
    "value tag": "a: =\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate nested key": "a:\n  x: 1\n  x: 2\n",
    "mapping as key": "? {a: 1}\n: 2\n",
    "sequence as key": "? [a]\n: 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "only a comment": "# nothing here\n",
    "infinite float": "a: .inf\n",
    "not a number": "a: .nan\n",
    "syntax error": "a: [1, 2\n",
    "tab in indentation": "a:\n\tb: 1\n",
    "bad indentation": "a: 1\n  b: 2\n c: 3\n",
    "too deep": "a: " + "[" * 70 + "]" * 70 + "\n",
}


def _events(text: str) -> Document | None:
    """What the event walk reads of `text` as one document, or None when it steps aside."""
    documents = _build_from_events(text, "f.yaml")
    return None if documents is None else documents[0]


def _same(fast: Document, slow: Document) -> None:
    assert fast.data == slow.data
    assert _types(fast.data) == _types(slow.data)
    assert fast.values == slow.values
    assert fast.keys == slow.keys


def _types(data: Any) -> Any:
    """The shape with every leaf's type: 1 == 1.0 == True in Python, but a schema tells them apart."""
    if isinstance(data, dict):
        return {key: _types(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_types(value) for value in data]
    return type(data).__name__


def _agree(text: str) -> bool:
    """Whether the fast way read `text` (and then agreed with the thorough way)."""
    fast = _events(text)
    if fast is None:
        return False
    _same(fast, _compose_and_build(text, "f.yaml"))
    return True


def _repository_yaml() -> list[Path]:
    found = [*sorted((REPO / "examples").rglob("*.yaml")), *sorted((REPO / "checklists").glob("*.yaml"))]
    found += sorted((REPO / "tests").rglob("*.yaml"))
    return [path for path in found if path.is_file()]


@pytest.mark.parametrize("path", _repository_yaml(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_bundled_file_is_read_fast_and_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    try:
        slow = _compose_and_build(text, "f.yaml")
    except InputError:  # a fixture that is broken on purpose: the fast way must step aside
        assert _events(text) is None
        return
    fast = _events(text)
    assert fast is not None, "a plain bundled file should not need the thorough reading"
    _same(fast, slow)


@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
@pytest.mark.parametrize("style", ["block", "flow", "sequence", "key"])
def test_plain_scalars_read_the_same_both_ways(scalar: str, style: str) -> None:
    text = {
        "block": f"outer:\n  value: {scalar}\n  after: 1\n",
        "flow": f"outer: {{value: {scalar}, after: 1}}\n",
        "sequence": f"outer:\n  - {scalar}\n  - after\n",
        "key": f"{scalar}: 1\nafter: 2\n",
    }[style]
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        assert _events(text) is None
        return
    try:
        _compose_and_build(text, "f.yaml")
    except InputError:
        assert _events(text) is None
        return
    assert _agree(text)


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_files_are_left_to_the_thorough_reading(name: str) -> None:
    text = UNUSUAL[name]
    assert _events(text) is None
    # And parse_document still says what the thorough reading says (or reads what it reads).
    try:
        expected: Any = _compose_and_build(text, "f.yaml").data
    except InputError as error:
        expected = [d.format() for d in error.diagnostics]
    try:
        got: Any = parse_document(text, "f.yaml").data
    except InputError as error:
        got = [d.format() for d in error.diagnostics]
    assert got == expected


def _random_data(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return rng.choice([*SCALARS, 0, 7, -2, 1.5, True, False, None, "multi\nline text", "  padded  ", "x" * 90])
    if roll < 0.7:
        return [_random_data(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(SCALARS[:30]) + str(n): _random_data(rng, depth + 1) for n in range(rng.randint(0, 4))}


def test_random_documents_in_every_style_read_the_same_both_ways() -> None:
    rng = random.Random(20261122)
    fast_reads = 0
    for _ in range(600):
        data = {"root": _random_data(rng)}
        text = yaml.safe_dump(
            data,
            default_flow_style=rng.choice([False, True, None]),
            allow_unicode=rng.random() < 0.5,
            width=rng.choice([20, 80, 1000]),
            indent=rng.choice([2, 4]),
            default_style=rng.choice([None, None, '"', "'"]),
            sort_keys=False,
        )
        fast_reads += _agree(text)
    assert fast_reads > 500  # the fast way is the common way, not a rare one


def test_broken_copies_of_the_examples_read_the_same_both_ways() -> None:
    """Lines deleted, doubled or shifted: whatever the thorough way makes of each, the fast way agrees or
    steps aside."""
    rng = random.Random(7)
    for path in sorted((REPO / "examples").glob("*/readiness.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for _ in range(60):
            broken = list(lines)
            index = rng.randrange(len(broken))
            roll = rng.random()
            if roll < 0.4:
                del broken[index]
            elif roll < 0.7:
                broken.insert(index, broken[index])
            else:
                broken[index] = " " + broken[index]
            text = "".join(broken)
            try:
                _compose_and_build(text, "f.yaml")
            except InputError:
                assert _events(text) is None
                continue
            _agree(text)
