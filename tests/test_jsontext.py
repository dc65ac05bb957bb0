"""Every JSON output is written by jsontext.dumps, which does not call json.dumps for plain data but must give its
text byte for byte: the golden files, baselines read back and anyone diffing two results depend on it."""

from __future__ import annotations

import json
import re
from enum import Enum, IntEnum
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from readiness.render.jsontext import dumps


def _reference(data: Any) -> str:
    """What every JSON output was before jsontext wrote its own: json.dumps, then the raw controls escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return re.sub("[\x7f-\x9f\u2028\u2029]", lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"


class _Verdict(str, Enum):
    READY = "ready"


class _Level(IntEnum):
    HIGH = 3


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()  # NaN, the infinities and -0.0 among them
    | st.text()
    | st.sampled_from(["", "é", "\u2028", "\x85", "\x1b[2J", '"', "\\", "\ud800", _Verdict.READY, _Level.HIGH])
)
_keys = st.text() | st.sampled_from(["id", "", "é\u2029"])
_json_like = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.lists(st.text(), max_size=5)  # the common list: strings only
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_keys, inner, max_size=5)
        | st.dictionaries(st.integers() | st.booleans() | st.none() | st.floats(), inner, max_size=2)
    ),  # json's keys
    max_leaves=40,
)


@settings(max_examples=500)
@given(data=_json_like)
@example(data={"projects": [{"gaps": ["a", "b"], "score": 2.9, "stage": None, "categories": {}}], "invalid": []})
@example(data=[[], {}, [[]], [{}], ({},), "x", 1, 1.0, float("nan"), float("-inf"), True, None])
@example(data=["gaps", _Verdict.READY, "and an enum among strings"])
@example(data={"name": "DEL \x7f is ASCII, and written out all the same"})
@example(data={_Verdict.READY: [_Level.HIGH, 0.1]})
def test_any_json_data_is_written_as_json_dumps_writes_it(data: Any) -> None:
    assert dumps(data) == _reference(data)


def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it() -> None:
    for data in ({"when": object()}, [1, {2, 3}], {("a", "b"): 1}):
        try:
            _reference(data)
        except TypeError as expected:
            refused = str(expected)
        else:
            raise AssertionError(f"json.dumps wrote {data!r}")
        try:
            dumps(data)
        except TypeError as error:
            assert str(error) == refused
        else:
            raise AssertionError(f"dumps wrote {data!r}")
