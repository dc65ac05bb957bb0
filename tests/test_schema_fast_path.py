"""The fast schema check (fastjsonschema) must agree with jsonschema on every document: when it says "valid",
jsonschema is never asked, so a document it wrongly passed would skip every schema error.

Both forms of the fast check are held to it: the module the build puts into the package, and the code a run
generates in memory when that module is missing or stale.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastjsonschema import JsonSchemaException

from readiness.build import build
from readiness.load import prebuilt, schemas
from readiness.load.yamlsource import read_document
from tests.conftest import REPO

# Values of every kind, including the ones that trip validators: a float that is a whole number, booleans
# (which are ints in Python), impossible and badly formatted dates, empty and very long strings.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 0.5, -0.5, 1e300, "", "x", "Upper", "2026-02-30", "2026-1-1",
    "2026-12-15", "a.b", "bad id!", "x" * 300, [], ["x"], [1], {}, {"x": 1}, {"status": "done"},
]  # fmt: skip
SAMPLES_PER_DOCUMENT = 250


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return data


def _mutations(data: Any, rng: random.Random) -> Iterator[Any]:
    paths = list(_paths(data))
    for _ in range(SAMPLES_PER_DOCUMENT):
        path = rng.choice(paths)
        mutated = copy.deepcopy(data)
        roll = rng.random()
        if roll < 0.15 and path:
            parent = mutated
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
        elif roll < 0.3:
            target = mutated
            for step in path:
                target = target[step]
            if isinstance(target, dict):
                target[rng.choice(["unknown_key", "Status", "extra"])] = rng.choice(REPLACEMENTS)
            else:
                continue
        else:
            mutated = _set(mutated, path, copy.deepcopy(rng.choice(REPLACEMENTS)))
        yield mutated


def _documents() -> list[tuple[str, Path]]:
    examples = [("assessment", path) for path in sorted((REPO / "examples").glob("*/readiness.yaml"))]
    packs = [("checklist", path) for path in sorted((REPO / "checklists").glob("*.yaml"))[:3]]
    return examples + packs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The artifacts as the build writes them into the package."""
    folder = tmp_path_factory.mktemp("generated")
    build(folder)
    return folder


def _fast_check(form: str, kind: str, built: Path) -> Callable[[Any], bool]:
    entry = prebuilt.validator_in_memory(kind) if form == "in memory" else prebuilt.validator_in_package(kind, built)
    assert entry is not None, f"the build wrote no {kind} validator that matches the schema"
    expected = "<readiness" if form == "in memory" else str(built)
    assert entry.__code__.co_filename.startswith(expected)

    def valid(data: Any) -> bool:
        try:
            entry(data, custom_formats={"date": schemas.is_date})
        except JsonSchemaException:
            return False
        return True

    return valid


@pytest.mark.parametrize(("kind", "path"), _documents(), ids=lambda value: getattr(value, "name", value))
def test_fast_check_and_jsonschema_give_the_same_verdict(kind: str, path: Path, built: Path) -> None:
    forms = {form: _fast_check(form, kind, built) for form in ("built into the package", "in memory")}
    data = read_document(path).data
    assert schemas.is_valid(data, kind), "the shipped document itself must be valid"
    assert all(is_valid(data) for is_valid in forms.values())
    rng = random.Random(f"{kind}:{path.name}")  # the same mutations on every run
    checked = invalid = 0
    for mutated in _mutations(data, rng):
        slow_valid = not any(True for _ in schemas.validator(kind).iter_errors(mutated))
        for form, is_valid in forms.items():
            assert is_valid(mutated) == slow_valid, f"the {form} validator and jsonschema disagree on {path}"
        checked += 1
        invalid += not slow_valid
    assert checked > SAMPLES_PER_DOCUMENT // 2 and invalid > checked // 4  # the mutations do break things


def test_the_date_format_matches_jsonschema() -> None:
    assert schemas.is_date("2026-12-15") and schemas.is_date(5)
    assert not any(
        schemas.is_date(v) for v in ["2026-02-30", "2026-1-1", "2026-12-15T00:00:00", "\uff12\uff10\uff12\uff16-01-01"]
    )  # full-width digits
