"""From a readiness.yaml on disk to a scored Result: the one call behind `check`, `report` and `validate`."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from readiness.core.assessment import (
    carried_forward,
    check_references,
    check_use,
    extra_pack_paths,
    to_assessment,
)
from readiness.core.catalog import build_catalog, builtin_files
from readiness.core.model import NOT_SCORED, Assessment, Catalog, CostProjection, Facts, Item, Result
from readiness.load import schemas
from readiness.load.containment import NOT_READ, Root
from readiness.load.diagnostics import Diagnostic, InputError, has_errors, whole_file
from readiness.load.salvage import salvage
from readiness.load.yamlsource import Document, parse_document, read_text
from readiness.score.scoring import Options, score
from readiness.verify import cost
from readiness.verify.automated import candidates
from readiness.verify.evidence import EvidenceRejected, check_evidence, check_one
from readiness.verify.probes import run as probes
from readiness.verify.reuse import Reuse, Seen


@dataclass(frozen=True)
class Loaded:
    """An assessment read and checked, with its packs and what was found on disk, ready to score."""

    document: Document
    assessment: Assessment
    catalog: Catalog
    facts: Facts
    warnings: tuple[Diagnostic, ...]
    inputs: tuple[Path, ...] = ()  # the files read: the assessment, then its custom packs
    within: Root | None = None  # the project root that every file read must stay inside


@dataclass(frozen=True)
class Evaluation:
    """A scored assessment, with the warnings met on the way and the files read."""

    result: Result
    warnings: tuple[Diagnostic, ...]
    # What was read, so that the command line never writes an output over any of it (output.py).
    inputs: tuple[Path, ...] = ()


class Unusable(InputError):
    """The assessment's problems, and the files read before they were found: a roll-up that writes its output
    despite a broken assessment must not write it over that assessment or its packs either."""

    def __init__(self, diagnostics: Sequence[Diagnostic], inputs: tuple[Path, ...]) -> None:
        super().__init__(diagnostics)
        self.inputs = inputs


def load(
    path: Path,
    display: str | None = None,
    document: Document | None = None,
    root: Path | None = None,
    reuse: Reuse | None = None,
) -> Loaded:
    """Read, validate and cross-check an assessment, its packs and its evidence. Raises Unusable (an InputError)
    with every problem and the files read so far.

    `document` is the file already read, when the caller had to look inside it first. `root` is --root: the
    folder that the assessment, its packs and its evidence may not leave (default: the enclosing git work tree,
    else the assessment's folder).
    """
    within = Root.of(path, root)
    seen = reuse.seen if reuse is not None else None
    if seen is not None:
        seen.begin(path, within)
    if document is None:
        shown = display if display is not None else str(path)
        try:
            document = parse_document(read_text(path, shown, within), shown, tolerant=True)
        except InputError as error:
            raise Unusable(error.diagnostics, (path,)) from None
    problems = schemas.validate(document, "assessment")
    checked = document
    incomplete: frozenset[str] = frozenset()
    if has_errors(problems):
        salvaged = salvage(document)
        if salvaged is None:
            raise Unusable(problems, (path,))
        checked, incomplete = salvaged.document, salvaged.touched
    assessment = to_assessment(checked)
    problems += check_use(checked, assessment.use, [p.stem for p in builtin_files()])
    packs, missing = _extra_packs(checked, assessment, path, within, seen)
    problems += missing
    inputs = (path, *(pack for pack, _ in packs))
    catalog, found = build_catalog(packs, assessment.use)
    problems += found
    # Items of a pack that failed to load are unknown for now; calling their answers unknown would only add noise.
    complete = not (has_errors(found) or missing or "checklists" in incomplete)
    problems += check_references(checked, assessment, catalog, items_known=complete)
    facts, found = check_evidence(checked, path, catalog, within, reuse)
    problems += found
    if has_errors(problems):
        raise Unusable(problems, inputs)
    assessment, moved = carried_forward(assessment, catalog)
    if moved:
        facts = replace(facts, evidence={moved.get(key, key): checks for key, checks in facts.evidence.items()})
    return Loaded(document, assessment, catalog, facts, tuple(problems), inputs, within)


def _extra_packs(
    document: Document, assessment: Assessment, path: Path, within: Root, noted: Seen | None = None
) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Custom pack files that exist; a missing one, one listed twice, or one outside the project is reported where
    the assessment names it."""
    found, problems = [], []
    seen: dict[str, int] = {}
    paths = extra_pack_paths(assessment, path)
    for index, ((pack_path, shown), entry) in enumerate(zip(paths, assessment.extra, strict=True)):
        where = ("checklists", "extra", index)
        try:
            # A pack is read and quoted in messages: like evidence, it stays inside the project, so an assessment
            # in a pull request cannot make CI print a file from elsewhere on the machine. The evidence rules
            # judge the entry as a path in the project ('..', absolute, a link out); the containment rule then
            # judges the path as the OS will open it, where 'link/../x.yaml' goes up from where 'link' leads.
            check_one(path, entry, within, noted)
            if noted is not None:
                noted.will_read_pack(path.parent, entry)
            outside = within.refusal(Path(entry), entry, base=path.parent)
            if outside is not None:
                raise EvidenceRejected(f"{outside}; {NOT_READ}")
        except EvidenceRejected as rejected:
            problems.append(document.diag(where, f"custom pack: {rejected}"))
            continue
        if not (pack_path.exists() or pack_path.is_symlink()):
            problems.append(document.diag(where, f"custom pack '{shown}' does not exist"))
            continue
        real = os.path.realpath(pack_path)
        if real in seen:
            first = seen[real]
            problems.append(
                document.diag(where, f"'{entry}' is the same file as checklists.extra[{first}]; list it once")
            )
            continue
        seen[real] = index
        found.append((pack_path, shown))
    return found, problems


def evaluate(
    path: Path,
    options: Options,
    display: str | None = None,
    root: Path | None = None,
    document: Document | None = None,
    reuse: Reuse | None = None,
) -> Evaluation:
    """Score the assessment at `path`; `document` is its text already read (e.g. from git), placed at `path`.
    `reuse` shares the walk of the folders and the probes' runs with the other evaluations of this run."""
    loaded = load(path, display, document=document, root=root, reuse=reuse)
    found = {item: candidates(item_of, loaded.facts) for item, item_of in _probed(loaded.catalog)}
    within = loaded.within or Root.of(path, root)
    if reuse is not None and reuse.seen is not None:
        reuse.seen.will_read(path.parent, {name for names in found.values() for name in names})
    runs = probes.run_all(loaded.catalog, found, loaded.assessment, path.parent, within, options.today, reuse)
    result = score(loaded.assessment, loaded.catalog, options, replace(loaded.facts, probes=runs))
    if all(r.outcome in NOT_SCORED for r in result.items):
        target = result.target.value
        where = ("project", "target") if "target" in loaded.document.data["project"] else ("project",)
        raise Unusable(
            [
                loaded.document.diag(
                    where,
                    f"no checklist item applies at target '{target}' with this profile, so nothing would be "
                    "checked; raise the target or use more packs",
                ),
                *loaded.warnings,  # such as a pack left out, which may be why nothing applies
            ],
            loaded.inputs,
        )
    return Evaluation(result, loaded.warnings, loaded.inputs)


def _probed(catalog: Catalog) -> Iterator[tuple[str, Item]]:
    for item in catalog.items:
        if item.auto is not None and item.auto.probe is not None:
            yield item.id, item


def projection(path: Path, display: str | None = None, root: Path | None = None) -> tuple[str, CostProjection]:
    """The project's name and its cost projection; a missing cost section is an input error."""
    loaded = load(path, display, root=root)
    if loaded.assessment.cost is None:
        message = (
            "no cost model yet: add a 'cost:' section with your requests a day, tokens and prices (the starter "
            "'readiness init' writes has one to uncomment), or let 'readiness assess' ask for them"
        )
        raise InputError([whole_file(loaded.document.file, message)])
    return loaded.assessment.project.name, cost.project(loaded.assessment.cost)
