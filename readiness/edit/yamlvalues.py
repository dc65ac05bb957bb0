"""Plain values turned into the ruamel nodes a save writes: strings quoted so they read back as written, new lists
and mappings in the file's style, and the checks that keep a string the reader would refuse out of the file.

yamledit.py decides where each value goes; this module decides how it is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from readiness.edit.typedtext import character_problem

# ruamel's nodes expose their style records as Any; the helpers below take and return Any where they handle those.

_ANSWER_FIELDS = ("status", "proposal", "evidence", "note", "owner", "due", "reviewed", "reason")
_DATE_FIELDS = ("due", "reviewed")
_FLOW_LIST_MAX = 100  # a new list longer than this, written in flow style, is written as a block instead
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def writable(*values: object) -> None:
    """ValueError, before anything is changed, for a string (key or value, at any depth) the reader would refuse."""
    for value in values:
        if isinstance(value, str):
            problem = character_problem(value)
            if problem is not None:
                raise ValueError(problem)
        elif isinstance(value, Mapping):
            writable(*value.keys(), *value.values())
        elif isinstance(value, Sequence):
            writable(*value)


def answer_values(fields: Mapping[str, object]) -> dict[str, object]:
    """The fields in the usual order of an answer, checked for type; None means remove."""
    unknown = sorted(set(fields) - set(_ANSWER_FIELDS))
    if unknown:
        raise ValueError(f"not an answer field: {', '.join(unknown)}")
    values: dict[str, object] = {}
    for name in _ANSWER_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            pass
        elif name == "evidence":
            if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
                raise TypeError("evidence is a list of strings")
            value = list(value)
        elif name == "proposal":
            if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
                raise TypeError("proposal is a mapping of strings")
            value = new_mapping(value, flow=False)  # three lines read better than one long one
        elif name in _DATE_FIELDS:
            if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
                raise TypeError(f"{name} is a datetime.date")
        elif not isinstance(value, str):
            raise TypeError(f"{name} is a string")
        values[name] = value
    return values


def text(value: str, *, flow: bool) -> str:
    """A string ruamel will write so that it reads back as the same string.

    ruamel follows YAML 1.2, where `yes`, `on` and `1:20` are plain strings; a YAML 1.1 reader such as PyYAML,
    the tool's own loader, reads them as a boolean and a number. In a flow collection a plain `?x` is read as
    a mapping, and URLs are quoted there as the examples do. A string the reader would refuse (a control
    character, a line separator) is never written: ValueError.
    """
    problem = character_problem(value)
    if problem is not None:
        raise ValueError(problem)
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return DoubleQuotedScalarString(value)
    if flow and (":" in value or value.startswith("?")):
        return DoubleQuotedScalarString(value)
    return value


def node(value: object, *, flow: bool) -> Any:
    """A new YAML node for `value`: nested mappings are written in flow style."""
    if isinstance(value, str):
        return text(value, flow=flow)
    if isinstance(value, (bool, int, float)) or (
        isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    ):
        return value
    if isinstance(value, (CommentedMap, CommentedSeq)):
        return value  # a node built in its own style (a proposal's block mapping)
    if isinstance(value, Mapping):
        return new_mapping(value, flow=True)
    if isinstance(value, Sequence):
        return new_list([checked_str(v) for v in value], flow=True if flow else None)
    raise TypeError(f"cannot write a {type(value).__name__} to readiness.yaml")


def checked_str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string in the list, got {type(value).__name__}")
    return value


def new_mapping(values: Mapping[str, object], *, flow: bool) -> Any:
    mapping = CommentedMap()
    for key, value in values.items():
        if value is not None:
            mapping[text(key, flow=flow)] = node(value, flow=flow)
    if flow:
        mapping.fa.set_flow_style()
    else:
        mapping.fa.set_block_style()
    return mapping


def new_list(items: Sequence[str], *, flow: bool | None) -> Any:
    """A list in flow style when `flow`, or, when None, if it fits in _FLOW_LIST_MAX characters."""
    if flow is None:
        shown = [text(item, flow=True) for item in items]
        length = 2 + sum(len(s) + (2 if isinstance(s, DoubleQuotedScalarString) else 0) for s in shown)
        flow = length + 2 * max(len(shown) - 1, 0) <= _FLOW_LIST_MAX
    sequence = CommentedSeq(text(item, flow=flow) for item in items)
    if flow:
        sequence.fa.set_flow_style()
    else:
        sequence.fa.set_block_style()
    return sequence


def raci_entry(responsible: Sequence[str], accountable: str) -> Any:
    entry = CommentedMap()
    entry["R"] = new_list(list(responsible), flow=True)
    entry["A"] = text(accountable, flow=True)
    entry.fa.set_flow_style()
    return entry


def same_scalar(old: object, new: object) -> bool:
    """Whether writing `new` over `old` would change nothing a reader sees (then the old text is kept)."""
    kinds = (bool, int, float, str)
    old_kind = next((k for k in kinds if isinstance(old, k)), type(old))
    new_kind = next((k for k in kinds if isinstance(new, k)), type(new))
    return old_kind is new_kind and old == new
