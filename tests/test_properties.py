"""Properties of the loader and the engine, checked in-process on input that hypothesis generates.

1. Any text, any YAML data and any mutation of a valid assessment gives a Result, or an InputError whose every
   diagnostic points inside the file it names (DESIGN §5); never another exception.
2. Scores stay within 0..100, and the stage reached is never above the target (DESIGN §3.2, §3.3).
3. The order of the answers in the file never changes the result.
4. Adding a `done` answer never lowers the overall score, the item's category score or the stage reached, and
   never turns a ready verdict into not-ready: as long as the evidence it names is there and its review is
   within the age limit (see test_adding_a_done_answer_never_lowers_a_score for why that condition is needed).

The examples are derandomized, so every run (CI too) tries the same ones, and counter-examples found while
writing these properties stay below as @example. READINESS_PROPERTY_SCALE=20 tries twenty times as many.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, example, given, note, settings
from hypothesis import strategies as st

from readiness.core.catalog import build_catalog
from readiness.core.globs import glob_pattern
from readiness.core.model import NOT_SCORED, Catalog, Item, Outcome, Result, Stage
from readiness.load.diagnostics import Diagnostic, InputError
from readiness.render.formats import Format, RenderOptions, renderer
from readiness.render.json import to_dict
from readiness.score.engine import Evaluation, evaluate
from readiness.score.scoring import Options
from tests.conftest import EXAMPLE

# When a property fails, hypothesis writes the counter-example as a patch, with libcst, whose import warns
# (mypy_extensions.TypedDict is deprecated); with `filterwarnings = error` that warning would replace the report
# of the failure by an INTERNALERROR that ends the whole run.
pytestmark = pytest.mark.filterwarnings("ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")

TODAY = date(2026, 11, 21)
_SCALE = max(1, int(os.environ.get("READINESS_PROPERTY_SCALE", "1")))


def _settings(examples: int) -> settings:
    # derandomize: the same examples on every run (it also leaves the example database out);
    # deadline: the first example pays for imports and compiling the schema, and CI machines are slow.
    return settings(derandomize=True, deadline=None, max_examples=examples * _SCALE)


FUZZ = _settings(300)  # a text or a data structure: about a millisecond each
MUTATE = _settings(200)  # a mutated assessment, read and scored in full: a few milliseconds each
SCORED = _settings(80)  # a generated project written to disk and scored, once or twice: 10-50 ms each

# --- the packs -----------------------------------------------------------------------------------------------

# A small custom pack with every feature the scoring knows: all stages, severities and efforts, default and
# fractional weights, profile conditions, escalation, required evidence, na forbidden, activities, and automated
# checks of each kind (files, RACI, cost).
MINI_PACK = """\
id: mini
title: Mini
weight: 1.5
activities:
  - {id: mini-on-call, title: On-call}
  - {id: mini-switch-off, title: Switch-off}
items:
  - {id: runbook, title: Runbook, question: Q?, why: w, verify: v, severity: blocker, stage: prototype,
     effort: low, activity: mini-on-call, auto: {files: ["runbooks/*.md"]}}
  - {id: raci, title: RACI, question: Q?, why: w, verify: v, severity: blocker, stage: prototype, effort: low,
     auto: {raci: [mini-on-call, mini-switch-off]}}
  - {id: kill-switch, title: Kill switch, question: Q?, why: w, verify: v, severity: major, stage: pilot,
     effort: medium, activity: mini-switch-off, evidence: required}
  - {id: budget, title: Budget, question: Q?, why: w, verify: v, severity: major, stage: production,
     effort: high, auto: {cost: within_budget}}
  - {id: lint, title: Lint, question: Q?, why: w, verify: v, severity: minor, stage: prototype, effort: low,
     weight: 0.5, na: forbidden}
  - {id: guard, title: Guard, question: Q?, why: w, verify: v, severity: minor, stage: pilot, effort: medium,
     when: {llm: true}, escalate: {when: {risk: [high]}, severity: blocker}, evidence: required,
     auto: {files: ["guard/**"]}}
  - {id: regions, title: Regions, question: Q?, why: w, verify: v, severity: major, stage: production,
     effort: low, weight: 2.5, when: {eu_users: true, risk: [medium, high]}}
  - {id: capacity, title: Capacity, question: Q?, why: w, verify: v, severity: blocker, stage: scale,
     effort: high, auto: {files: ["load/*.js"]}}
"""

# A layer over a built-in pack: one item disabled, one made stricter.
LAYER_PACK = """\
extends: cost
overrides:
  load-test: {disabled: Not at this size}
  unit-cost: {severity: blocker, stage: prototype, weight: 2.5, evidence: required}
"""

BUILTIN_PACKS = ("ownership", "data", "compliance", "cost", "observability", "reliability", "evaluation", "security")
TEAM = ("ann", "ben", "cat")


def _write_packs(folder: Path) -> None:
    (folder / "mini.yaml").write_text(MINI_PACK, encoding="utf-8")
    (folder / "layer.yaml").write_text(LAYER_PACK, encoding="utf-8")


@cache
def catalog() -> Catalog:
    """Every pack: the built-in ones (cost with the layer applied) and the mini pack."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write_packs(folder)
        found, problems = build_catalog([(folder / "mini.yaml", "mini.yaml"), (folder / "layer.yaml", "layer.yaml")])
    assert not problems, problems
    return found


def _one_file_for(pattern: str) -> str:
    """A path the glob matches: every wildcard stands for 'x', a class for its first member (`[0-9]` for 0) and
    '**/' for no folder at all."""
    path = re.sub(r"\*\*/", "", pattern).replace("**", "x").replace("*", "x").replace("?", "x")
    path = re.sub(r"\[([^!\]])[^\]]*\]", r"\1", path)
    assert glob_pattern(pattern).match(path), (pattern, path)
    return path


@cache
def auto_files() -> tuple[str, ...]:
    """For each item with an automated file check, one file that makes it pass."""
    items = catalog().items
    return tuple(sorted({_one_file_for(item.auto.files[0]) for item in items if item.auto and item.auto.files}))


# Evidence entries: these are there in every generated project (a file, a folder, a glob, a link)...
EVIDENCE_FOUND = ("evidence/doc.md", "evidence/folder", "evidence/*.md", "https://example.com/proof")
# ...and these never are.
EVIDENCE_MISSING = ("evidence/missing.md", "nothing/*.md")
EVIDENCE_FILES = ("evidence/doc.md", "evidence/other.md", "evidence/folder/inside.txt")

# --- running the engine ----------------------------------------------------------------------------------------

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _last_line(text: str) -> int:
    """The highest line a diagnostic may name: the file's lines as YAML counts them (every kind of line break),
    plus one for the end of the file (libyaml puts the end of a file without a final line break on the line
    after its last)."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()  # what follows the final line break is the end of the file, not a line
    return len(lines) + 1


def _text_of(file: str, texts: dict[str, str]) -> str | None:
    if file in texts:
        return texts[file]
    path = Path(file)  # another file the assessment names: a custom pack
    if path.is_file() and path.stat().st_size <= 5 * 1024 * 1024:
        return path.read_bytes().decode("utf-8", "replace")
    return None


def assert_well_placed(diagnostics: Sequence[Diagnostic], texts: dict[str, str]) -> None:
    """Every diagnostic has a line and a column inside the file it names, a message, and a JSON path."""
    for found in diagnostics:
        shown = found.format()
        assert found.line >= 1 and found.column >= 1, shown
        assert found.message.strip(), shown
        assert found.path.startswith("$"), shown
        text = _text_of(found.file, texts)
        if text is None:  # a missing file or a folder: nothing to point into
            assert (found.line, found.column) == (1, 1), shown
        else:
            assert found.line <= _last_line(text), shown


def outcome(path: Path, text: str, root: Path, **options: Any) -> Evaluation | InputError:
    """Write `text` to `path` and evaluate it as `readiness check` does: the Evaluation, or the InputError."""
    path.write_text(text, encoding="utf-8")
    try:
        evaluation = evaluate(path, Options(today=TODAY, **options), display=str(path), root=root)
    except InputError as error:
        assert error.diagnostics, "an InputError without a diagnostic"
        assert_well_placed(error.diagnostics, {str(path): text})
        return error
    assert_well_placed(evaluation.warnings, {str(path): text})
    return evaluation


def assert_result_or_diagnostics(path: Path, text: str, root: Path) -> None:
    """DESIGN §5: anything raised here but an InputError fails the test, with its traceback."""
    found = outcome(path, text, root)
    event("diagnostics" if isinstance(found, InputError) else "a result")
    if isinstance(found, Evaluation):
        # What `check` does next: the reports must not fail on what the engine accepted.
        for fmt in (Format.JSON, Format.TEXT):
            assert renderer(fmt)(found.result, RenderOptions())


@dataclass(frozen=True)
class Workspace:
    fuzz: Path  # a project of nothing but the two packs, so `extra: [mini.yaml]` is found
    copilot: Path  # a copy of examples/support-copilot, evidence and all
    projects: Path  # generated projects, a folder each


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    # Module-scoped: hypothesis runs every example within one call of the test, so a function-scoped tmp_path
    # would be shared by all of them anyway (and hypothesis refuses those).
    top = tmp_path_factory.mktemp("properties")
    fuzz = top / "fuzz"
    fuzz.mkdir()
    _write_packs(fuzz)
    copilot = top / "copilot"
    shutil.copytree(EXAMPLE.parent, copilot)
    projects = top / "projects"
    projects.mkdir()
    return Workspace(fuzz, copilot, projects)


# --- 1. any input: a result or diagnostics -------------------------------------------------------------------

# YAML's punctuation, whitespace and line breaks of every kind, a few letters and digits, non-ASCII letters, a
# byte order mark, and control characters YAML forbids.
ALPHABET = ":-[]{},#&*!|>'\"%@\n\t ?.~<=\r" + "abnoyz019_" + "éß日\u00a0\u2028\x85\ufeff" + "\x00\x07\x1b\x7f"
yaml_ish_text = st.text(alphabet=ALPHABET, max_size=120)

# Lines made of the assessment's own words, so that the text gets past the parser more often than not.
KEYS = (
    "version", "project", "name", "target", "stage", "profile", "llm", "risk", "checklists", "use", "extra",
    "team", "role", "raci", "R", "A", "answers", "status", "evidence", "reviewed", "owner", "due", "reason",
    "waivers", "item", "approved_by", "expires", "cost", "requests_per_day", "tokens", "input", "output",
    "price_per_million", "budget_monthly", "monthly_growth", "horizon_months", "gpu", "policy", "min_score",
    "fail_on", "max_waiver_days", "mini.runbook", "mini.lint", "mini.kill-switch", "mini-on-call", "ann", "<<",
    "? x",
)  # fmt: skip
VALUES = (
    "", "1", "0", "-1", "1.5", "1e400", "1.0e+308", ".nan", "-.inf", "9" * 5000, "true", "null", "~", "done",
    "na", "todo", "partial", "pilot", "prototype", "blocker", "none", "ann", "mini.runbook", "[mini]",
    "[mini.yaml]", "[layer.yaml]", "[readiness.yaml]", "[]", "{}", "{name: P}", "[evidence/x.md]", "[evidence/*]",
    "[../outside]", "[/etc/passwd]", "[ftp://x]", "[https://x]", "['[z-a]*']", "[" + "a/" * 600 + "x]",
    "2026-11-21", "2026-02-30", "&a x", "*a", "!!str 1", "!!binary aGk=", "!thing", "|", ">-", "'quoted'",
    '"\\u0041"', "[a, {b: c}]", "[" * 70 + "]" * 70, "x: y", "- z", "#",
)  # fmt: skip
yaml_ish_line = st.builds(
    lambda indent, dash, key, value: " " * indent + ("- " if dash else "") + key + ":" + (" " + value if value else ""),
    st.integers(0, 6),
    st.booleans(),
    st.sampled_from(KEYS),
    st.sampled_from(VALUES),
)
yaml_ish_lines = st.lists(yaml_ish_line, max_size=12).map("\n".join)

json_like: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.sampled_from(VALUES),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
# The top-level keys of an assessment, so that the checks below the top level are reached too.
shaped = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 1, "1", 2, None]), "project": json_like | st.just({"name": "P"})},
    optional={key: json_like for key in ("checklists", "team", "raci", "answers", "waivers", "cost", "policy")},
)


def _dump(data: Any, unicode: bool = True) -> str:
    return yaml.safe_dump(data, allow_unicode=unicode, sort_keys=False)


@FUZZ
@given(text=yaml_ish_text | yaml_ish_lines)
@example(text="version: 1\nproject: {name: P}\nchecklists: {use: [], extra: [mini.yaml]}\n")
@example(text="\ufeffversion: 1\r\nproject:\r\n  name: P\r\n")
@example(text="{")  # libyaml: "did not find expected node content" at 2:1, the end of a one-line file
@example(text="a: 1\u2028b: [\n")  # YAML 1.1 counts U+2028 as a line break: the error is on line 3
@example(text="a: 1\rb: \x01")
# Found here: an int over Python's 4,300 digits raised ValueError (and, once that was caught, its alias raised
# ConstructorError, the node left half-built).
@example(text="a: &x " + "9" * 5000 + "\nb: *x\n")
def test_any_text_gives_a_result_or_placed_diagnostics(workspace: Workspace, text: str) -> None:
    assert_result_or_diagnostics(workspace.fuzz / "readiness.yaml", text, workspace.fuzz)


@FUZZ
@given(data=json_like | shaped, unicode=st.booleans())
def test_any_yaml_data_gives_a_result_or_placed_diagnostics(workspace: Workspace, data: Any, unicode: bool) -> None:
    assert_result_or_diagnostics(workspace.fuzz / "readiness.yaml", _dump(data, unicode), workspace.fuzz)


# A small valid assessment with every section; the support-copilot example is the large one.
SMALL = """\
version: 1
project:
  name: Small
  target: production
  profile: {llm: true, eu_users: true, risk: high}
checklists: {use: [ownership], extra: [mini.yaml]}
team:
  ann: {name: Ann}
  ben: {name: Ben, role: SRE}
raci:
  mini-on-call: {R: [ann], A: ann}
  mini-switch-off: {R: ben, A: [ben], C: [ann]}
answers:
  mini.runbook: {status: done, evidence: [runbooks/a.md], reviewed: 2026-10-01}
  mini.kill-switch:
    status: partial
    owner: ben
    due: 2027-01-31
  mini.regions: {status: na, reason: EU only}
  ownership.on-call: {status: todo, note: soon}
waivers:
  - {item: mini.budget, reason: small, approved_by: ann, expires: 2027-01-31}
cost:
  requests_per_day: 1000
  tokens: {input: 100, output: 50}
  price_per_million: {input: 1, output: 2}
  budget_monthly: 500
policy: {min_score: 60, fail_on: major, max_evidence_age_days: 90}
"""


@dataclass(frozen=True)
class Base:
    """A valid assessment to mutate, as text and as data, with the path of every value in the data."""

    name: str
    text: str
    data: Any
    paths: tuple[tuple[str | int, ...], ...]


def _paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


@cache
def bases() -> tuple[Base, ...]:
    found = []
    for name, text in (("small", SMALL), ("copilot", EXAMPLE.read_text(encoding="utf-8"))):
        data = yaml.safe_load(text)
        found.append(Base(name, text, data, tuple(_paths(data))))
    return tuple(found)


def _at(position: float, length: int) -> int:
    return min(int(position * length), max(length - 1, 0))


@st.composite
def char_mutation(draw: st.DrawFn, text: str) -> str:
    """Characters deleted, inserted or replaced at a few places."""
    for _ in range(draw(st.integers(1, 3))):
        at = _at(draw(st.floats(0, 1)), len(text))
        kind = draw(st.sampled_from(["delete", "insert", "replace"]))
        span = draw(st.integers(1, 8)) if kind == "delete" else 1
        new = "" if kind == "delete" else draw(st.text(alphabet=ALPHABET, min_size=1, max_size=3))
        text = text[:at] + new + text[at + (0 if kind == "insert" else span) :]
    return text


@st.composite
def line_mutation(draw: st.DrawFn, text: str) -> str:
    """Lines deleted, duplicated, swapped, indented, dedented or replaced by another line."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i, j = (_at(draw(st.floats(0, 1)), len(lines)) for _ in range(2))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "replace"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(j, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 4)) :]
        else:
            lines[i] = draw(yaml_ish_line)
        lines = lines or [""]
    return "\n".join(lines)


@st.composite
def data_mutation(draw: st.DrawFn, base: Base) -> str:
    """At a random path, a value swapped for one of any type, or a key deleted, renamed or added."""
    data = copy.deepcopy(base.data)
    for _ in range(draw(st.integers(1, 2))):
        path = draw(st.sampled_from(base.paths))
        kind = draw(st.sampled_from(["swap", "delete", "rename", "add"]))
        if not path:
            data = draw(json_like)
            continue
        try:
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            key = path[-1]
            if kind == "swap":
                parent[key] = draw(json_like)
            elif kind == "delete":
                del parent[key]
            elif kind == "rename" and isinstance(parent, dict):
                parent[draw(st.sampled_from(KEYS) | st.text(max_size=6))] = parent.pop(key)
            elif kind == "add" and isinstance(parent, dict):
                parent[draw(st.sampled_from(KEYS))] = draw(json_like)
            elif kind == "add" and isinstance(parent, list):
                parent.insert(int(key), draw(json_like))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed or replaced what this path led to
    return _dump(data, draw(st.booleans()))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """The name of a valid assessment and its text, mutated."""
    base = draw(st.sampled_from(bases()))
    how = draw(st.sampled_from(["chars", "lines", "data"]))
    if how == "chars":
        return base.name, draw(char_mutation(base.text))
    if how == "lines":
        return base.name, draw(line_mutation(base.text))
    return base.name, draw(data_mutation(base))


@MUTATE
@given(case=mutated())
@example(case=("small", SMALL))
@example(case=("copilot", EXAMPLE.read_text(encoding="utf-8")))
@example(case=("small", SMALL[:-1]))  # the same end of file as "{": a flow mapping left open on the last line
# Found here: 10^400 requests a day were scored, then the JSON report failed (OverflowError turning a figure into
# a float) and the text one too for larger ones; the schema now caps every number of the cost model.
@example(case=("small", SMALL.replace("requests_per_day: 1000", "requests_per_day: 1" + "0" * 400)))
def test_any_mutation_of_an_assessment_gives_a_result_or_placed_diagnostics(
    workspace: Workspace, case: tuple[str, str]
) -> None:
    name, text = case
    folder = workspace.copilot if name == "copilot" else workspace.fuzz
    assert_result_or_diagnostics(folder / "mutated.yaml", text, folder)


# --- generated valid assessments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A valid project: its readiness.yaml as data, the files around it, and the command-line options."""

    data: dict[str, Any]
    files: tuple[str, ...] = ()  # made next to readiness.yaml, besides EVIDENCE_FILES and the packs
    strict: bool = False
    target: Stage | None = None  # --target
    flags: dict[str, Any] = field(default_factory=dict)  # --min-score and --fail-on

    def options(self) -> dict[str, Any]:
        return {"strict": self.strict, "target": self.target, "policy": self.flags}


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def _answer(draw: st.DrawFn, item: Item) -> dict[str, Any]:
    statuses = ["done", "done", "partial", "todo"] + (["na"] if item.na_allowed else [])
    answer: dict[str, Any] = {"status": draw(st.sampled_from(statuses))}
    if answer["status"] == "na":
        answer["reason"] = "not here"
    evidence = draw(st.lists(st.sampled_from(EVIDENCE_FOUND + EVIDENCE_MISSING), unique=True, max_size=2))
    if evidence:
        answer["evidence"] = evidence
    extras = {
        "reviewed": st.integers(-800, 0).map(_day),
        "owner": st.sampled_from(TEAM),
        "due": st.integers(-30, 300).map(_day),
        "note": st.just("a note"),
    }
    for key, values in extras.items():
        if draw(st.booleans()):
            answer[key] = draw(values)
    return answer


raci_names = st.lists(st.sampled_from(TEAM), unique=True, max_size=3)
raci_entry = st.fixed_dictionaries(
    {}, optional={"R": raci_names | st.sampled_from(TEAM), "A": raci_names | st.sampled_from(TEAM), "C": raci_names}
)
cost_section = st.fixed_dictionaries(
    {
        "requests_per_day": st.integers(0, 50_000),
        "tokens": st.fixed_dictionaries({"input": st.integers(0, 4000), "output": st.integers(0, 1000)}),
        "price_per_million": st.fixed_dictionaries(
            {"input": st.sampled_from([0.25, 3, 15]), "output": st.sampled_from([1.25, 15, 60])}
        ),
    },
    optional={
        "budget_monthly": st.integers(0, 20_000),
        "monthly_growth": st.sampled_from([0, 0.1, 0.5]),
        "horizon_months": st.integers(1, 12),
        "fixed_monthly": st.integers(0, 3000),
        "volatility": st.sampled_from([1, 2.5]),
    },
)
policy_section = st.fixed_dictionaries(
    {},
    optional={
        "min_score": st.integers(0, 100) | st.integers(0, 1000).map(lambda tenths: tenths / 10),
        "min_category_score": st.integers(0, 100),
        "fail_on": st.sampled_from(["blocker", "major", "minor", "none"]),
        "max_evidence_age_days": st.integers(1, 900),
        "max_waiver_days": st.integers(1, 400),
    },
)
profile_section = st.fixed_dictionaries(
    {},
    optional={
        **{key: st.booleans() for key in ("llm", "agentic", "personal_data", "eu_users", "self_hosted")},
        "risk": st.sampled_from(["low", "medium", "high"]),
    },
)
stages = st.sampled_from(list(Stage))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """The mini pack and up to two built-in packs; answers, waivers, RACI, cost, policy and options at random,
    every id and team member real, every evidence entry inside the project: valid by construction."""
    packs = draw(st.lists(st.sampled_from(BUILTIN_PACKS), unique=True, max_size=2))
    extra = ["mini.yaml"] + (["layer.yaml"] if draw(st.booleans()) else [])
    project: dict[str, Any] = {"name": "Generated", "profile": draw(profile_section)}
    if draw(st.booleans()):
        project["target"] = draw(stages).value
    if draw(st.booleans()):
        project["stage"] = draw(stages).value
    data: dict[str, Any] = {
        "version": 1,
        "project": project,
        "checklists": {"use": packs, "extra": extra},
        "team": {member: {"name": member.title()} for member in TEAM},
    }
    activities = sorted({activity.id for activity in catalog().known_activities})
    chosen = draw(st.lists(st.sampled_from(activities), unique=True, max_size=4))
    if chosen:
        data["raci"] = {activity: draw(raci_entry) for activity in chosen}
    items = [item for item in catalog().items if item.pack in (*packs, "mini")]
    answered = draw(st.lists(st.sampled_from(items), unique_by=lambda item: item.id, max_size=12))
    if answered:
        data["answers"] = {item.id: _answer(draw, item) for item in answered}
    waived = draw(st.lists(st.sampled_from(items), max_size=2))
    if waived:
        data["waivers"] = [
            {
                "item": item.id,
                "reason": "accepted",
                "approved_by": draw(st.sampled_from(TEAM)),
                "expires": _day(draw(st.integers(-30, 400))),
            }
            for item in waived
        ]
    if draw(st.booleans()):
        data["cost"] = draw(cost_section)
    policy = draw(policy_section)
    if policy:
        data["policy"] = policy
    flags = {}
    if draw(st.integers(0, 4)) == 0:
        flags = {"min_score": draw(st.floats(0, 100)), "fail_on": draw(st.sampled_from(["major", "none", None]))}
    return Scenario(
        data=data,
        files=tuple(draw(st.lists(st.sampled_from(auto_files()), unique=True, max_size=8))),
        strict=draw(st.integers(0, 3)) == 0,
        target=draw(st.none() | stages),
        flags=flags,
    )


def mini_scenario(written_target: str, answers: dict[str, Any], **more: Any) -> Scenario:
    """A hand-written scenario for @example: the mini pack alone; `more` holds Scenario's fields, a profile,
    and other sections of the file."""
    data: dict[str, Any] = {
        "version": 1,
        "project": {"name": "Mini", "target": written_target, "profile": more.pop("profile", {})},
        "checklists": {"use": [], "extra": ["mini.yaml"]},
        "team": {member: {"name": member.title()} for member in TEAM},
    }
    if answers:
        data["answers"] = answers
    data.update(more.pop("sections", {}))
    return Scenario(data, **more)


@dataclass(frozen=True)
class Project:
    folder: Path
    scenario: Scenario

    def evaluate(self, data: dict[str, Any] | None = None, name: str = "readiness.yaml") -> Evaluation:
        """`data` (default: the scenario's) scored here; generated assessments are valid, so no InputError."""
        text = _dump(data if data is not None else self.scenario.data)
        found = outcome(self.folder / name, text, self.folder, **self.scenario.options())
        assert isinstance(found, Evaluation), "\n".join(d.format() for d in found.diagnostics) + "\n" + text
        return found

    def score(self, data: dict[str, Any] | None = None, name: str = "readiness.yaml") -> Result:
        return self.evaluate(data, name).result


@dataclass
class Projects:
    """A fresh folder for each example: hypothesis runs them all within one call of the test."""

    top: Path
    made: int = 0

    def make(self, scenario: Scenario) -> Project:
        self.made += 1
        folder = self.top / f"p{self.made}"
        folder.mkdir()
        _write_packs(folder)
        for name in (*EVIDENCE_FILES, *scenario.files):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x\n", encoding="utf-8")
        return Project(folder, scenario)


@pytest.fixture(scope="module")
def projects(workspace: Workspace) -> Projects:
    return Projects(workspace.projects)


# --- 2. scores within 0..100 ---------------------------------------------------------------------------------


def _in_range(value: Fraction | float | None) -> bool:
    return value is None or 0 <= value <= 100


@SCORED
@given(scenario=scenarios())
@example(  # everything excluded: n/a, or waived where n/a is forbidden; no score at all, and not ready
    scenario=mini_scenario(
        "prototype",
        {"mini.runbook": {"status": "na", "reason": "r"}, "mini.raci": {"status": "na", "reason": "r"}},
        sections={"waivers": [{"item": "mini.lint", "reason": "r", "approved_by": "ann", "expires": _day(10)}]},
    )
)
@example(scenario=mini_scenario("scale", {}, target=Stage.PROTOTYPE, strict=True))  # --target below the file's
def test_scores_stay_within_0_and_100_and_the_stage_within_the_target(projects: Projects, scenario: Scenario) -> None:
    result = projects.make(scenario).score()
    assert _in_range(result.score)
    for category in result.categories:
        assert _in_range(category.score), category
    target = scenario.target or Stage(scenario.data["project"].get("target", "production"))
    assert result.target is target
    assert result.stage_reached is None or result.stage_reached.rank <= target.rank
    shown = to_dict(result)  # the scores as printed, rounded to one decimal
    assert _in_range(shown["score"])
    assert all(_in_range(category["score"]) for category in shown["categories"])
    # What the scores are made of: credits within 0..1, and a gap is exactly a counted item short of 1.
    for item in result.items:
        assert item.credit is None or 0 <= item.credit <= 1, item
        assert (item.outcome is Outcome.GAP) == (item.credit is not None and item.credit < 1), item
    assert (result.verdict == "not-ready") == bool(result.reasons)


# --- 3. the order of the answers does not matter -------------------------------------------------------------


def _without_positions(value: Any) -> Any:
    """The JSON result without any line or column: moving an answer moves those, and only those."""
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "column")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


@st.composite
def reordered(draw: st.DrawFn) -> tuple[Scenario, list[str]]:
    """A scenario, and its answers' item ids in another order."""
    scenario = draw(scenarios())
    return scenario, draw(st.permutations(list(scenario.data.get("answers", {}))))


@SCORED
@given(case=reordered())
def test_the_order_of_answers_never_changes_the_result(projects: Projects, case: tuple[Scenario, list[str]]) -> None:
    scenario, order = case
    answers = scenario.data.get("answers", {})
    shuffled = {**scenario.data, "answers": {item: answers[item] for item in order}}
    project = projects.make(scenario)
    first, second = project.evaluate(), project.evaluate(shuffled, "shuffled.yaml")
    assert _without_positions(to_dict(first.result)) == _without_positions(to_dict(second.result))
    assert sorted((w.path, w.message) for w in first.warnings) == sorted((w.path, w.message) for w in second.warnings)


# --- 4. a done answer never lowers a score -------------------------------------------------------------------


def _category_score(result: Result, pack: str) -> Fraction | None:
    return next(category.score for category in result.categories if category.pack.id == pack)


def _not_lower(after: Fraction | None, before: Fraction | None) -> bool:
    return before is None or (after is not None and after >= before)


@st.composite
def added_done(draw: st.DrawFn) -> dict[str, Any]:
    """`status: done`, maybe with evidence that is there and a review date (placed within the age limit)."""
    answer: dict[str, Any] = {"status": "done"}
    evidence = draw(st.lists(st.sampled_from(EVIDENCE_FOUND), unique=True, max_size=2))
    if evidence:
        answer["evidence"] = evidence
    if draw(st.booleans()):
        answer["reviewed"] = "recently"
    return answer


DONE = {"status": "done"}


@SCORED
@given(scenario=scenarios(), pick=st.integers(0, 10_000), added=added_done())
# An item its automated check proves scores 1 unanswered; a bare `done` must keep it at 1, even where the item
# requires evidence (the check stands in for it), and in --strict.
@example(scenario=mini_scenario("prototype", {}, files=("runbooks/x.md",)), pick="mini.runbook", added=DONE)
@example(
    scenario=mini_scenario("pilot", {}, profile={"llm": True, "risk": "high"}, files=("guard/x",), strict=True),
    pick="mini.guard",
    added=DONE,
)
# Required evidence missing and no check: unverified, 0 → 0.5 (0 → 0 in --strict), never lower.
@example(scenario=mini_scenario("pilot", {}), pick="mini.kill-switch", added=DONE)
@example(scenario=mini_scenario("pilot", {}, strict=True), pick="mini.kill-switch", added=DONE)
# A waived item stays waived.
@example(
    scenario=mini_scenario(
        "prototype",
        {},
        sections={"waivers": [{"item": "mini.runbook", "reason": "r", "approved_by": "ann", "expires": _day(10)}]},
    ),
    pick="mini.runbook",
    added=DONE,
)
def test_adding_a_done_answer_never_lowers_a_score(
    projects: Projects, scenario: Scenario, pick: int | str, added: dict[str, Any]
) -> None:
    """Adding `done` to an unanswered item that applies (waived ones too) never lowers a score.

    Not covered, on purpose: a `done` whose evidence is not found, or whose review is over the age limit, on an
    item that its automated check proves. Unanswered, such an item is met (credit 1); with that `done` it is
    unverified (0.5, or 0 with --strict), so the score drops and a ready project can turn not-ready: a pack of
    one blocker item with `auto: {files: ["runbooks/*.md"]}` and runbooks/x.md present goes from READY 100.0
    to NOT-READY 50.0 on adding `{status: done, reviewed: 2024-01-01}` (limit 365 days) or
    `{status: done, evidence: [runbook.md]}` (not there). DESIGN §3.2 asks for
    exactly that, and examples/fraud-scoring relies on it (a stale drill is unverified though its files are
    there), so it is a decision for the design, not a bug to fix here; it is reported with the tests.
    """
    project = projects.make(scenario)
    before = project.score()
    candidates = [r for r in before.items if r.answer is None and r.outcome not in NOT_SCORED]
    event("an item to answer" if candidates else "no unanswered item applies")
    if not candidates:
        return
    if isinstance(pick, str):
        chosen = next(r for r in candidates if r.item.id == pick)
    else:
        chosen = candidates[pick % len(candidates)]
    answer = dict(added)
    if "reviewed" in answer:
        answer["reviewed"] = _day(-min(before.policy.max_evidence_age_days, 30))
    data = copy.deepcopy(scenario.data)
    data.setdefault("answers", {})[chosen.item.id] = answer
    note(f"adding {chosen.item.id}: {answer} to an item {chosen.outcome.value} (automated check: {chosen.auto})")
    after = project.score(data, "with-done.yaml")
    assert _not_lower(after.score, before.score)
    pack = chosen.item.pack
    assert _not_lower(_category_score(after, pack), _category_score(before, pack))
    reached_before = -1 if before.stage_reached is None else before.stage_reached.rank
    reached_after = -1 if after.stage_reached is None else after.stage_reached.rank
    assert reached_after >= reached_before
    if before.verdict != "not-ready":
        assert after.verdict == before.verdict, after.reasons


def test_the_generated_projects_have_what_the_properties_need() -> None:
    """The building blocks of the strategies: every pack is there, and a file made for each automated file
    check (the glob it stands for is checked as it is made)."""
    assert {item.pack for item in catalog().items} >= {*BUILTIN_PACKS, "mini"}
    assert len(auto_files()) >= 20
    assert "runbooks/x.md" in auto_files() and "guard/x" in auto_files()


# --- 5. A baseline read the quick way is one the thorough way accepts, with the same data ---------------------------


@cache
def _result_text() -> str:
    """A real result of `check -f json`, as readiness writes it: the support-copilot example's."""
    from readiness.render.jsontext import dumps

    loaded = evaluate(EXAMPLE, Options(today=TODAY, strict=False, target=None, policy={}), display=str(EXAMPLE))
    return dumps(to_dict(loaded.result))


# Pieces that break a result in the ways a hand or a tool would: escapes the reader refuses or must join, JSON's
# words for numbers it has not, quotes and brackets that change the structure, and characters YAML reads otherwise.
_SPLICES = st.sampled_from(
    [
        "\\u001b[2J", "\\u009b", "\\b", "\\f", "\\u0000", "\\u007f", "\\ud83d", "\\ud83d\\ude00", "\\u2028", "\\t",
        "\\\\u001b", "\\/", "\u2028", "\x85", "\ufeff", "\t", "NaN", "-Infinity", "1e999", "0x10", '"', '",', "}",
        "]", "{", "[", ",", ":", " ", "\n", "\r\n", "ready", "not-ready", "null", "true", "-1", "100.05", "é", "💥",
    ]
)  # fmt: skip


_MOSTLY_TRUE = st.sampled_from([True, True, True, False])


@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), _MOSTLY_TRUE, st.integers(0, 40), _SPLICES),
        min_size=1,
        max_size=3,
    )
)
@_settings(150)
def test_a_baseline_the_quick_way_accepts_is_one_the_thorough_way_accepts(
    splices: list[tuple[float, bool, int, str]],
) -> None:
    from readiness.rollup import resultfile

    text = _result_text()
    for where, in_a_string, cut, piece in splices:  # replace `cut` characters at a point of the text by the piece
        start = int(where * len(text))
        if in_a_string:  # just inside the next string value, where a title or a note can hold nearly anything
            start = text.find(': "', start) + 3 if text.find(': "', start) >= 0 else start
            cut = min(cut, text.index('"', start) - start) if '"' in text[start:] else cut
        text = text[:start] + piece + text[start + cut :]
    quick = resultfile.plainly_valid(text)
    try:
        document, _ = resultfile.parse(text, "old.json", named_json=True)
    except InputError:
        assert quick is None, "the quick way took a file the reader refuses"
        return
    if quick is None:
        event("left to the thorough way")
        return
    event("taken the quick way")
    # Only here: the schema's full validation of a large result is nine tenths of this property's time.
    assert resultfile.problems(document, text) == [], "the quick way took a result with problems"
    assert quick == document.data


def test_a_result_as_readiness_writes_it_is_taken_the_quick_way() -> None:
    """The property above would hold with a quick way that takes nothing; the files it exists for, it takes."""
    from readiness.rollup import resultfile

    assert resultfile.plainly_valid(_result_text()) is not None
