"""The `targets` a repository states, each with the place that states it, proposed for the assessment.

Read from the files teams write for other tools: OpenSLO `kind: SLO` objectives and Sloth specs (availability),
k6 scripts' `options` (latency_p95_ms from a `p(95)` threshold on `http_req_duration`, error_rate from a `rate`
threshold on `http_req_failed`, peak_concurrency from the virtual users) and the thresholds a k6 end-of-test
summary records. Within one file the strictest statement of a target is what the file states, as the probes
judge it (a latency SLO beside an availability SLO is looser, and not the availability); when two files state
different values, neither is proposed and each place is said, for the team to settle. A value the schema does
not allow is said at its place, never proposed.

Bounded as the other scan readers: files of at most MAX_BYTES, at most MAX_FILES read, under one time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import MAX_BYTES, Document, parse_documents
from readiness.verify.probes import openslo, sloth
from readiness.verify.probes.common import number
from readiness.verify.scan import k6options
from readiness.verify.scan.model import Clue, Unread
from readiness.verify.scan.sourcelines import SCRIPT_SUFFIXES
from readiness.verify.scan.stated import Stated, Value, shown, strictest
from readiness.verify.scan.tree import NotRead, read_listed

MAX_FILES = 5_000  # candidate files read at most, as the profile's readers
# For reading and parsing them (a repository of 5,000 files, half of them candidates, takes 0.2 s); files
# reached after it is spent are counted, and said.
BUDGET_SECONDS = 0.5
MAX_NOTES = 20  # said per file
ORDER = ("latency_p95_ms", "error_rate", "peak_concurrency", "availability")  # as the schema lists them

_SLO_MARKS = ("openslo/v1", "prometheus/v1", "sloth.slok.dev/v1")
_TOO_DEEP = "not read: nested too deeply"

Reader = Callable[[str, str], tuple[list[Stated], list[Unread]]]


def stated_targets(top: str, files: Sequence[str], root: Root) -> tuple[dict[str, tuple[Value, Clue]], list[Unread]]:
    """Each target the files under `top` agree on, with the first place that states it, and what could not be
    used (conflicts among them); `files` is the walk's listing of `top` (tree.list_files)."""
    candidates = [(path, reader) for path in files if (reader := _reader_for(path)) is not None]
    deadline = time.monotonic() + BUDGET_SECONDS
    stated: list[Stated] = []
    unread: list[Unread] = []
    for index, (path, reader) in enumerate(candidates[:MAX_FILES]):
        if time.monotonic() > deadline:
            left = len(candidates) - index
            unread.append(Unread(".", 1, 1, f"{left:,} more files that may state targets: the time allowed is spent"))
            break
        try:
            raw = read_listed(top, path, root, MAX_BYTES)
        except NotRead as why:
            unread.append(Unread(path, 1, 1, f"not read: {why}"))
            continue
        found, problems = reader(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"), path)
        stated += strictest(found)
        unread += problems[:MAX_NOTES]
        if len(problems) > MAX_NOTES:
            unread.append(Unread(path, 1, 1, f"{len(problems) - MAX_NOTES:,} more notes on this file left out"))
    else:
        if len(candidates) > MAX_FILES:
            message = f"{len(candidates) - MAX_FILES:,} more files that may state targets: over {MAX_FILES:,}"
            unread.append(Unread(".", 1, 1, message))
    targets, conflicts = _agreed(stated)
    return targets, sorted(unread + conflicts, key=lambda u: (u.file, u.line, u.column))


def _reader_for(path: str) -> Reader | None:
    lower = PurePosixPath(path).name.lower()
    if lower.endswith((".yaml", ".yml")):
        return slo_specs
    if lower.endswith(SCRIPT_SUFFIXES) and not lower.endswith((".d.ts", ".min.js")):
        return k6options.script
    # handleSummary names its file as the script likes; the packs look for `*summary*.json`, and so does this.
    if lower.endswith(".json") and ("summary" in lower or "k6" in path.lower().split("/")):
        return k6options.summary
    return None


def _agreed(stated: list[Stated]) -> tuple[dict[str, tuple[Value, Clue]], list[Unread]]:
    by_key: dict[str, list[Stated]] = {}
    for statement in stated:
        by_key.setdefault(statement.key, []).append(statement)
    targets: dict[str, tuple[Value, Clue]] = {}
    conflicts: list[Unread] = []
    for key in ORDER:
        group = by_key.get(key, [])
        if len({statement.value for statement in group}) == 1:
            targets[key] = (group[0].value, group[0].clue)
            continue
        for statement in group:
            others = [other for other in group if other.value != statement.value]
            said = ", ".join(f"{_place(other.clue)} states {shown(other.value)}" for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            why = f"states {key} {shown(statement.value)}, but {said}{more}: none proposed, for the team to settle"
            conflicts.append(Unread(statement.clue.file, statement.clue.line, statement.clue.column, why))
    return targets, conflicts


def _place(clue: Clue) -> str:
    return f"{clue.file}:{clue.line}:{clue.column}"


# --- SLO specifications ------------------------------------------------------------------------------------------


def slo_specs(text: str, path: str) -> tuple[list[Stated], list[Unread]]:
    """The availability objectives of the OpenSLO SLOs and Sloth specs of a YAML file."""
    if not any(mark in text for mark in _SLO_MARKS):
        return [], []  # most YAML files are neither; parsing them would only cost time
    try:
        documents = parse_documents(text, path)
    except InputError as error:
        first = error.diagnostics[0]
        return [], [Unread(path, first.line, first.column, f"not read: {first.message}")]
    except RecursionError:
        return [], [Unread(path, 1, 1, _TOO_DEEP)]
    stated: list[Stated] = []
    unread: list[Unread] = []
    for document in documents:
        for found, problems in (_openslo(document), _sloth(document)):
            stated += found
            unread += problems
    return stated, unread


def _openslo(document: Document) -> tuple[list[Stated], list[Unread]]:
    stated: list[Stated] = []
    unread: list[Unread] = []
    for _, path, slo in openslo.slo_objects(document):
        metadata = slo.get("metadata")
        name = shown(str(metadata.get("name"))) if isinstance(metadata, dict) and metadata.get("name") else "(unnamed)"
        spec = slo.get("spec")
        objectives = spec.get("objectives") if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or not isinstance(objectives, list):
            continue
        threshold = _threshold_indicator(spec)
        for index, objective in enumerate(objectives):
            where = (*path, "spec", "objectives", index)
            if not isinstance(objective, dict):
                continue
            if threshold or "op" in objective or "value" in objective:
                # `op` and `value` compare a metric whose unit OpenSLO leaves to the data source (seconds or
                # milliseconds), and the target is a share of good events, not an availability.
                why = f"SLO '{name}': a threshold objective (op and value on a metric of unstated unit): no target"
                unread.append(_unread(document, where, why))
                continue
            found = _openslo_target(document, where, objective, slo.get("apiVersion"), name)
            if isinstance(found, Stated):
                stated.append(found)
            else:
                unread.append(found)
    return stated, unread


def _threshold_indicator(spec: dict[str, object]) -> bool:
    """Whether the SLO's inline indicator is a threshold metric (v1: under `spec`; v1alpha: directly)."""
    indicator = spec.get("indicator")
    if not isinstance(indicator, dict):
        return False
    inner = indicator.get("spec")
    return "thresholdMetric" in indicator or (isinstance(inner, dict) and "thresholdMetric" in inner)


def _openslo_target(
    document: Document, where: tuple[str | int, ...], objective: dict[str, object], version: object, name: str
) -> Stated | Unread:
    if "target" in objective and "targetPercent" in objective:
        return _unread(document, where, f"SLO '{name}' gives both target and targetPercent: no target")
    if "targetPercent" in objective and version == "openslo/v1":
        percent = number(objective["targetPercent"])
        key_path = (*where, "targetPercent")
        if percent is None or not 0 < percent < 100:
            why = f"targetPercent {shown(objective['targetPercent'])} of SLO '{name}' is not in (0, 100): no target"
            return _unread(document, key_path, why)
        return _stated(document, key_path, round(percent / 100, 10), f"OpenSLO SLO '{name}' targetPercent {percent:g}")
    ratio = number(objective.get("target"))
    key_path = (*where, "target")
    if ratio is None or not 0 < ratio < 1:
        why = f"target {shown(objective.get('target'))} of SLO '{name}' is not a share in (0, 1): no target"
        return _unread(document, key_path, why)
    return _stated(document, key_path, ratio, f"OpenSLO SLO '{name}' target {ratio:g}")


def _sloth(document: Document) -> tuple[list[Stated], list[Unread]]:
    stated: list[Stated] = []
    unread: list[Unread] = []
    for spec in sloth.sloth_specs(document):
        body = document.data
        for key in spec.path:
            body = body[key]
        slos = body.get("slos")
        for index, slo in enumerate(slos if isinstance(slos, list) else []):
            if not isinstance(slo, dict):
                continue
            where = (*spec.path, "slos", index, "objective")
            name = shown(str(slo.get("name") or "(unnamed)"))
            objective = number(slo.get("objective"))
            if objective is None or not 1 < objective <= 100:
                # At most 1 is surely a fraction where Sloth reads a percent (0.999 is 0.999 %): not proposed.
                why = f"objective {shown(slo.get('objective'))} of Sloth SLO '{name}' is not a percent in (1, 100]"
                unread.append(_unread(document, where, f"{why}: no target"))
                continue
            value = round(objective / 100, 10)
            stated.append(_stated(document, where, value, f"Sloth SLO '{name}' objective {objective:g} %"))
    return stated, unread


def _stated(document: Document, path: tuple[str | int, ...], value: Value, what: str) -> Stated:
    line, column = document.where(path)
    return Stated("availability", value, Clue("availability", document.file, line, column, what))


def _unread(document: Document, path: tuple[str | int, ...], why: str) -> Unread:
    line, column = document.where(path)
    return Unread(document.file, line, column, why)
