"""Checklist packs: the built-in ones, custom ones, and custom layers that `extends` a pack."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from readiness.core.globs import glob_problem
from readiness.core.model import Activity, AutoCheck, Catalog, Effort, Item, Pack, Severity, Source, Stage
from readiness.load import prebuilt, schemas
from readiness.load.diagnostics import Diagnostic, InputError, Level, did_you_mean, has_errors
from readiness.load.resources import data_dir
from readiness.load.yamlsource import Document, read_document

# The order a reader meets the categories in: who owns it, what it eats, what the law says, what it costs,
# then how it runs and fails, how good it is, and how it is attacked.
BUILTIN_ORDER = (
    "ownership",
    "data",
    "compliance",
    "cost",
    "observability",
    "reliability",
    "evaluation",
    "security",
)


@dataclass(frozen=True)
class PackFile:
    """One pack file after schema validation: a base pack, or a layer that extends one."""

    document: Document
    pack: Pack  # for a layer: its own activities and extra items, under the id it extends
    extends: str | None
    overrides: dict[str, Any]


def display_path(path: Path) -> str:
    """The path as a user in the current directory would type it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


@lru_cache(maxsize=1)
def builtin_files() -> tuple[Path, ...]:
    """The built-in pack files, in catalog order; listed once per process (a portfolio asks for every project)."""
    found = {path.stem: path for path in data_dir("checklists").glob("*.yaml")}
    ordered = [found[name] for name in BUILTIN_ORDER if name in found]
    return (*ordered, *sorted(path for name, path in found.items() if name not in BUILTIN_ORDER))


def read_pack(
    path: Path, display: str | None = None, *, builtin: bool = False
) -> tuple[PackFile | None, list[Diagnostic]]:
    """Read and check one pack file on its own. Returns None for the pack when it has errors."""
    pack_file, problems, _ = _read_pack(path, display, builtin=builtin)
    return pack_file, problems


def _read_pack(
    path: Path, display: str | None = None, *, builtin: bool = False
) -> tuple[PackFile | None, list[Diagnostic], str | None]:
    """As read_pack, and for a pack with schema errors the id it declares, so that a pack extending it is not
    told on top of its errors that no pack has that id."""
    shown = display or display_path(path)
    try:
        document = read_document(path, shown, tolerant=not builtin)
    except InputError as error:
        return None, list(error.diagnostics), None
    # The built-in packs are checked against the schema by the test suite; re-checking them on every run
    # would cost more than the user's own file.
    problems = [] if builtin else schemas.validate(document, "checklist")
    if has_errors(problems):
        declared = document.data.get("id") if isinstance(document.data, dict) else None
        return None, problems + _checks_of_valid_items(document), declared if isinstance(declared, str) else None
    pack_file, more = _to_pack_file(document, "built-in" if builtin else shown)
    return pack_file, problems + more, None


def _checks_of_valid_items(document: Document) -> list[Diagnostic]:
    """The pack's own checks (an item id used twice, a glob that cannot be used) over the items that pass the
    schema, so that one broken item does not hide the others' problems. Nothing when more than items is broken."""
    broken = schemas.invalid_paths(document.data, "checklist")
    if any(len(path) < 2 or path[0] != "items" or not isinstance(path[1], int) for path in broken):
        return []
    bad = {path[1] for path in broken}
    # None keeps every other item at its index, and so at its line.
    items = [None if index in bad else raw for index, raw in enumerate(document.data["items"])]
    return _to_pack_file(replace(document, data={**document.data, "items": items}), document.file)[1]


def _to_pack_file(document: Document, origin: str) -> tuple[PackFile, list[Diagnostic]]:
    data: dict[str, Any] = document.data
    extends = data.get("extends")
    problems: list[Diagnostic] = []
    if extends is not None and data.get("id", extends) != extends:
        problems.append(
            document.diag(
                ("id",),
                f"a pack that extends '{extends}' adds to it and keeps its id; drop 'id' or set it to '{extends}'",
            )
        )
    pack_id: str = extends or data["id"]
    items: list[Item] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(data.get("items", [])):
        if raw is None:  # a broken item, left out by _checks_of_valid_items
            continue
        line = document.where(("items", index))[0]
        if raw["id"] in first_line:
            problems.append(
                document.diag(
                    ("items", index, "id"),
                    f"item id '{raw['id']}' is used twice, at lines {first_line[raw['id']]} and {line}",
                )
            )
            continue
        first_line[raw["id"]] = line
        # The built-in packs' globs are checked by the test suite; compiling all of them on every run, used packs
        # or not, would cost more than the globs a project's own packs use.
        for number, pattern in enumerate(() if origin == "built-in" else (raw.get("auto") or {}).get("files", ())):
            problem = glob_problem(pattern)
            if problem is not None:
                problems.append(document.diag(("items", index, "auto", "files", number), problem))
        items.append(_to_item(raw, pack_id, Source(document.file, *document.where(("items", index)))))
    activities = tuple(Activity(a["id"], a["title"], pack_id) for a in data.get("activities", []))
    pack = Pack(
        id=pack_id,
        title=data.get("title", pack_id),
        summary=data.get("summary", ""),
        weight=_fraction(data.get("weight", 1)),
        items=tuple(items),
        activities=activities,
        origin=origin,
    )
    return PackFile(document, pack, extends, data.get("overrides", {})), problems


def _fraction(number: float | int) -> Fraction:
    # Through str: a weight of 0.1 means one tenth, not the nearest binary float.
    return Fraction(str(number))


def _to_item(raw: dict[str, Any], pack_id: str, source: Source) -> Item:
    auto = raw.get("auto")
    escalate = raw.get("escalate")
    return Item(
        id=f"{pack_id}.{raw['id']}",
        pack=pack_id,
        title=raw["title"],
        question=raw["question"],
        why=raw["why"],
        verify=raw["verify"],
        severity=Severity(raw["severity"]),
        stage=Stage(raw["stage"]),
        effort=Effort(raw["effort"]),
        weight=_fraction(raw["weight"]) if "weight" in raw else None,
        when=dict(raw.get("when", {})),
        escalate_when=dict(escalate["when"]) if escalate else None,
        escalate_to=Severity(escalate["severity"]) if escalate else None,
        evidence_required=raw.get("evidence", "optional") == "required",
        na_allowed=raw.get("na", "allowed") == "allowed",
        activity=raw.get("activity"),
        auto=AutoCheck(
            files=tuple(auto.get("files", ())),
            raci=tuple(auto.get("raci", ())),
            cost=auto.get("cost"),
            probe=auto.get("probe"),
            expect=dict(auto.get("expect", {})),
        )
        if auto
        else None,
        refs=tuple(raw.get("refs", ())),
        formerly=tuple(raw.get("formerly", ())),
        source=source,
    )


def load_catalog(extra: Sequence[tuple[Path, str]] = (), use: Sequence[str] | None = None) -> Catalog:
    """The packs in force; raises InputError with every problem."""
    catalog, problems = build_catalog(extra, use)
    if has_errors(problems):
        raise InputError(problems)
    return catalog


def build_catalog(
    extra: Sequence[tuple[Path, str]] = (), use: Sequence[str] | None = None
) -> tuple[Catalog, list[Diagnostic]]:
    """Built-in packs (all, or those in `use`), custom ones, layers applied in order; and every problem.

    `extra` pairs each custom file with the name to show for it. A pack with errors is left out of the
    catalog, so the caller can still check what does not depend on it.
    """
    if not extra:
        catalog, found = _builtin_catalog(None if use is None else tuple(use))
        return catalog, list(found)
    return _assemble_with(extra, use)


@lru_cache(maxsize=16)
def _builtin_catalog(use: tuple[str, ...] | None) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """The catalog of built-in packs only, once per `use` (it is immutable): most projects of a portfolio
    share one."""
    catalog, problems = _assemble_with((), use)
    return catalog, tuple(problems)


def _assemble_with(extra: Sequence[tuple[Path, str]], use: Sequence[str] | None) -> tuple[Catalog, list[Diagnostic]]:
    builtin, found_in_builtin = _builtin_pack_files()
    problems: list[Diagnostic] = list(found_in_builtin)
    files: list[PackFile] = list(builtin)
    builtin_ids = [f.pack.id for f in files]
    broken: set[str] = set()
    for path, shown in extra:
        pack_file, found, declared = _read_pack(path, shown)
        problems.extend(found)
        if pack_file is not None:
            files.append(pack_file)
        elif declared is not None:
            broken.add(declared)
    catalog, found = assemble(files, builtin_ids, use, broken)
    return catalog, problems + found


@lru_cache(maxsize=1)
def _builtin_pack_files() -> tuple[tuple[PackFile, ...], tuple[Diagnostic, ...]]:
    """The built-in packs, read once per process. Parsing their YAML is a fifth of a `check`, so the build
    puts them in the package already read, as Python literals (readiness.load.prebuilt); when the packs were edited
    since, they are read from their YAML."""
    paths = builtin_files()
    documents = prebuilt.packs_in_package(paths)
    if documents is None:
        read = [read_pack(path, prebuilt.pack_display(path), builtin=True) for path in paths]
    else:  # what read_pack does after the YAML: built-in packs skip the schema check
        read = [_to_pack_file(document, "built-in") for document in documents]
    files = tuple(pack_file for pack_file, _ in read if pack_file is not None)
    return files, tuple(problem for _, found in read for problem in found)


def assemble(
    files: Iterable[PackFile], builtin_ids: Sequence[str], use: Sequence[str] | None, broken: Collection[str] = ()
) -> tuple[Catalog, list[Diagnostic]]:
    """The catalog of `files`, layers applied in order. `broken` holds the ids of packs that failed to load:
    their own errors are reported, so a layer that extends one of them is left out without another."""
    problems: list[Diagnostic] = []
    bases: dict[str, tuple[Pack, PackFile]] = {}
    layers: list[PackFile] = []
    for pack_file in files:
        if pack_file.extends is not None:
            layers.append(pack_file)
            continue
        pack = pack_file.pack
        if pack.id in bases:
            taken = bases[pack.id]
            first = taken[1].document.file
            if taken[0].origin == "built-in":  # its file is inside the tool, where the user would not look
                first = f"the built-in pack ({first})"
            problems.append(
                pack_file.document.diag(
                    ("id",),
                    f"pack id '{pack.id}' is already used by {first}; choose another id, "
                    f"or write 'extends: {pack.id}' to add to that pack",
                )
            )
            continue
        bases[pack.id] = (pack, pack_file)
    for layer in layers:
        target = layer.extends or ""
        if target not in bases:
            if target in broken:
                continue
            why = _no_base(target, layer, layers, bases)
            problems.append(layer.document.diag(("extends",), f"cannot extend: {why}"))
            continue
        base, origin = bases[target]
        merged, found = _apply_layer(base, origin, layer)
        problems.extend(found)
        if merged.items and all(item.disabled is not None for item in merged.items) and not found:
            # Scored, such a pack would count nothing and pass silently; left out, it says so.
            where = "checklists.use" if target in builtin_ids else "checklists.extra"
            problems.append(
                layer.document.diag(
                    ("overrides",),
                    f"every item of pack '{target}' is disabled, so the pack would check nothing; "
                    f"leave it out of {where} instead",
                    key=True,
                )
            )
        bases[target] = (merged, origin)
    chosen = _choose(bases, builtin_ids, use)
    for layer in layers:
        target = layer.extends or ""
        if target in bases and bases[target][0] not in chosen:
            problems.append(
                layer.document.diag(
                    ("extends",),
                    f"ignored: pack '{target}' is not in checklists.use, so nothing in this file is checked",
                    level=Level.WARNING,
                )
            )
    left_out = tuple(item.id for pack, _ in bases.values() if pack not in chosen for item in pack.items)
    everything = tuple(activity for pack, _ in bases.values() for activity in pack.activities)
    former = {old: item.id for pack, _ in bases.values() for item in pack.items for old in item.formerly}
    catalog = Catalog(tuple(chosen), left_out, everything, former)
    problems.extend(_check_references(catalog, [pf for _, pf in bases.values()] + layers))
    return catalog, problems


def _no_base(target: str, layer: PackFile, layers: Sequence[PackFile], bases: dict[str, Any]) -> str:
    """Why a layer finds no pack to extend, in the words that fit how it was written."""
    hint = did_you_mean(target, bases) or f" (packs: {', '.join(sorted(bases))})"
    for other in layers:
        declared = other.document.data.get("id")
        if other is not layer and declared == target and other.extends != target:
            # Only a pack that extends nothing can be extended, so chains, and the loops they could form, stop here.
            return (
                f"'{target}' is the id in {other.document.file}, which itself extends '{other.extends}'; "
                "a pack can only extend a pack that extends nothing"
            )
    if layer.document.data.get("id") == target:
        return f"no other pack has the id '{target}', and a pack cannot extend itself{hint}"
    return f"no pack has the id '{target}'{hint}"


def _apply_layer(base: Pack, origin: PackFile, layer: PackFile) -> tuple[Pack, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    by_local = {item.id.split(".", 1)[1]: item for item in base.items}
    items = list(base.items)
    for local, changes in layer.overrides.items():
        if local not in by_local:
            problems.append(
                layer.document.diag(
                    ("overrides", local),
                    f"pack '{base.id}' has no item '{local}'{did_you_mean(local, by_local)}",
                    key=True,
                )
            )
            continue
        position = items.index(by_local[local])
        items[position] = _override(items[position], changes)
    for index, item in enumerate(layer.pack.items):
        local = item.id.split(".", 1)[1]
        if local in by_local:
            clash = by_local[local].source
            problems.append(
                layer.document.diag(
                    ("items", index, "id"),
                    f"item '{item.id}' is already defined at {clash.file}:{clash.line}; use 'overrides' to change it",
                )
            )
            continue
        items.append(item)
    data = layer.document.data
    merged = replace(
        base,
        title=data.get("title", base.title),
        summary=data.get("summary", base.summary),
        weight=_fraction(data["weight"]) if "weight" in data else base.weight,
        items=tuple(items),
        activities=base.activities + layer.pack.activities,
        layers=(*base.layers, layer.document.file),
    )
    return merged, problems


def _override(item: Item, changes: dict[str, Any]) -> Item:
    updated = item
    if "severity" in changes:
        updated = replace(updated, severity=Severity(changes["severity"]))
    if "stage" in changes:
        updated = replace(updated, stage=Stage(changes["stage"]))
    if "weight" in changes:
        updated = replace(updated, weight=_fraction(changes["weight"]))
    if "evidence" in changes:
        updated = replace(updated, evidence_required=changes["evidence"] == "required")
    if "disabled" in changes:
        updated = replace(updated, disabled=changes["disabled"])
    return updated


def _choose(
    bases: dict[str, tuple[Pack, PackFile]],
    builtin_ids: Sequence[str],
    use: Sequence[str] | None,
) -> list[Pack]:
    """Built-in packs named by `use` (all when absent), then every custom base pack."""
    customs = [pack for pack, _ in bases.values() if pack.id not in builtin_ids]
    if use is None:
        return [bases[pid][0] for pid in builtin_ids if pid in bases] + customs
    chosen: list[Pack] = []
    for pack_id in use:
        if pack_id in bases and pack_id in builtin_ids:
            chosen.append(bases[pack_id][0])
    return chosen + customs


def _check_references(catalog: Catalog, files: Sequence[PackFile]) -> list[Diagnostic]:
    """Activities named by items must exist among the packs in force."""
    problems: list[Diagnostic] = []
    known = {activity.id for activity in catalog.known_activities}
    used_ids = {item.id for item in catalog.items}
    for pack_file in files:
        for index, raw in enumerate(pack_file.document.data.get("items", [])):
            if f"{pack_file.pack.id}.{raw['id']}" not in used_ids:
                continue
            named: list[tuple[str | int, ...]] = [("activity",)] if "activity" in raw else []
            named += [("auto", "raci", i) for i in range(len(raw.get("auto", {}).get("raci", [])))]
            for sub in named:
                value = raw["activity"] if sub == ("activity",) else raw["auto"]["raci"][sub[-1]]
                if value not in known:
                    problems.append(
                        pack_file.document.diag(
                            ("items", index, *sub), f"unknown activity '{value}'{did_you_mean(value, known)}"
                        )
                    )
    problems += _check_formerly(catalog, files)
    first: dict[str, str] = {}
    for pack_file in files:
        for index, raw in enumerate(pack_file.document.data.get("activities", [])):
            where = f"{pack_file.document.file}:{pack_file.document.where(('activities', index))[0]}"
            if raw["id"] in first:
                problems.append(
                    pack_file.document.diag(
                        ("activities", index, "id"), f"activity '{raw['id']}' is already defined at {first[raw['id']]}"
                    )
                )
            first.setdefault(raw["id"], where)
    return problems


def _check_formerly(catalog: Catalog, files: Sequence[PackFile]) -> list[Diagnostic]:
    """A retired id names one replacement and is not in use: otherwise an old answer would have two homes."""
    problems: list[Diagnostic] = []
    current = {item.id for item in catalog.items} | set(catalog.left_out)
    claimed: dict[str, str] = {}
    for pack_file in files:
        for index, raw in enumerate(pack_file.document.data.get("items", [])):
            item_id = f"{pack_file.pack.id}.{raw['id']}"
            for number, old in enumerate(raw.get("formerly", ())):
                where = ("items", index, "formerly", number)
                if old in current:
                    message = f"'{old}' is an item in use; 'formerly' names only ids that no item has any more"
                    problems.append(pack_file.document.diag(where, message))
                elif claimed.setdefault(old, item_id) != item_id:
                    message = f"'{old}' is already replaced by '{claimed[old]}'; a retired id has one replacement"
                    problems.append(pack_file.document.diag(where, message))
    return problems
