"""From a readiness.yaml on disk to a scored Result: the one call behind `check`, `report` and `validate`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readiness import schemas
from readiness.assessment import check_references, check_use, extra_pack_paths, to_assessment
from readiness.catalog import builtin_files, load_catalog
from readiness.diagnostics import Diagnostic, InputError, has_errors
from readiness.model import Assessment, Catalog, Result
from readiness.scoring import NOT_SCORED, Options, score
from readiness.yamlsource import Document, read_document


@dataclass(frozen=True)
class Loaded:
    document: Document
    assessment: Assessment
    catalog: Catalog
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Evaluation:
    result: Result
    warnings: tuple[Diagnostic, ...]


def load(path: Path, display: str | None = None) -> Loaded:
    """Read, validate and cross-check an assessment and its packs. Raises InputError with every problem."""
    document = read_document(path, display)
    problems = schemas.validate(document, "assessment")
    if has_errors(problems):
        raise InputError(problems)
    assessment = to_assessment(document)
    builtin_ids = [p.stem for p in builtin_files()]
    problems += check_use(document, assessment.use, builtin_ids)
    try:
        catalog = load_catalog(extra_pack_paths(assessment, path), assessment.use)
    except InputError as error:
        raise InputError(problems + list(error.diagnostics)) from None
    problems += check_references(document, assessment, catalog)
    if has_errors(problems):
        raise InputError(problems)
    return Loaded(document, assessment, catalog, tuple(problems))


def evaluate(path: Path, options: Options, display: str | None = None) -> Evaluation:
    loaded = load(path, display)
    result = score(loaded.assessment, loaded.catalog, options)
    if all(r.outcome in NOT_SCORED for r in result.items):
        target = result.target.value
        where = ("project", "target") if "target" in loaded.document.data["project"] else ("project",)
        raise InputError(
            [
                loaded.document.diag(
                    where,
                    f"no checklist item applies at target '{target}' with this profile, so nothing would be "
                    "checked; raise the target or use more packs",
                )
            ]
        )
    return Evaluation(result, loaded.warnings)
