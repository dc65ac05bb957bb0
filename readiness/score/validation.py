"""`readiness validate` and `readiness checklists lint`: every problem of a file, and no verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from readiness.core.catalog import assemble, builtin_files, read_pack
from readiness.load import schemas
from readiness.load.containment import Root
from readiness.load.diagnostics import Diagnostic, InputError, Level, has_errors
from readiness.load.yamlsource import Document, parse_document, read_text
from readiness.score.engine import evaluate
from readiness.score.scoring import Options


def _kind(document: Document) -> str | None:
    data = document.data
    if not isinstance(data, dict):
        return None
    if {"project", "version", "answers"} & set(data):
        return "assessment"
    if {"items", "extends", "overrides"} & set(data):
        return "checklist"
    return None


def validate_file(path: Path, root: Path | None = None) -> tuple[str, list[Diagnostic]]:
    """The kind of file it is, and every problem found in it."""
    shown = str(path)
    try:
        document = parse_document(read_text(path, shown, Root.of(path, root)), shown, tolerant=True)
    except InputError as error:
        return "unreadable", list(error.diagnostics)
    kind = _kind(document)
    if kind == "assessment":
        try:
            # Scored, not only loaded, so that an assessment where no item applies is refused here as by
            # `check`, instead of passing `validate`. Which items apply does not depend on the day.
            options = Options(today=date(2000, 1, 1))
            return kind, list(evaluate(path, options, shown, root, document).warnings)
        except InputError as error:
            return kind, _with_references(error.diagnostics, document, path, root)
    if kind == "checklist":
        return kind, lint_pack(path)[0]
    message = "neither an assessment (it would have 'project') nor a checklist pack (it would have 'items')"
    return "unknown", [document.diag((), message)]


def _with_references(
    found: Sequence[Diagnostic], document: Document, path: Path, root: Path | None
) -> list[Diagnostic]:
    """`found`, and what a second reading finds when `version` or `project` is broken. Without them nothing else
    can be checked, so the first reading stops at the schema; the second reads the file with `version: 1` and
    the project's broken keys left out, so that an unknown item or team member is told in the same run."""
    repaired = _repaired(document)
    if repaired is None:
        return list(found)
    again: Sequence[Diagnostic]
    try:
        again = evaluate(path, Options(today=date(2000, 1, 1)), document.file, root, repaired).warnings
    except InputError as error:
        again = error.diagnostics
    return sorted({*found, *again})


_STAND_IN_NAME = "unnamed"  # a project's name, while the real one is reported as broken


def _repaired(document: Document) -> Document | None:
    """The document with a valid `version` and `project` (keeping every valid key of the project), or None when
    both were valid already or the file is not a mapping."""
    data = document.data
    if not isinstance(data, dict):
        return None
    broken = schemas.invalid_paths(data, "assessment")
    if not any(where[:1] in (("version",), ("project",)) or not where for where in broken):
        return None
    fixed = dict(data, version=1)
    project = data.get("project")
    kept = dict(project) if isinstance(project, dict) else {}
    for where in broken:
        if where[:1] == ("project",) and len(where) >= 2:
            kept.pop(str(where[1]), None)
    kept.setdefault("name", _STAND_IN_NAME)
    fixed["project"] = kept
    return replace(document, data=fixed)


def lint_pack(path: Path) -> tuple[list[Diagnostic], str]:
    """Problems of a custom pack checked beside the built-in ones, and a one-line summary."""
    shown = str(path)
    pack_file, problems = read_pack(path, shown)
    if pack_file is None:
        return problems, ""
    # Linting a built-in pack (or a draft of one in its place) checks it instead of the shipped copy,
    # not as a second pack with the same id.
    others = [builtin for builtin in builtin_files() if builtin.resolve() != path.resolve()]
    context = [read_pack(builtin, builtin=True)[0] for builtin in others]
    builtins = [f for f in context if f is not None]
    _, found = assemble([*builtins, pack_file], [f.pack.id for f in builtins], None)
    problems += [d for d in found if d.file == shown]
    document = pack_file.document
    seen: dict[str, int] = {}
    for index, raw in enumerate(document.data.get("items", [])):
        question = " ".join(str(raw["question"]).split())
        if not question.endswith("?"):
            problems.append(
                document.diag(
                    ("items", index, "question"),
                    "a question a tech lead answers yes or no ends with '?'",
                    level=Level.WARNING,
                )
            )
        if question.lower() in seen:
            problems.append(
                document.diag(
                    ("items", index, "question"),
                    f"the same question as the item at line {seen[question.lower()]}",
                    level=Level.WARNING,
                )
            )
        seen.setdefault(question.lower(), document.where(("items", index))[0])
        if not raw.get("refs"):
            problems.append(
                document.diag(("items", index), f"item '{raw['id']}' cites no framework in 'refs'", level=Level.WARNING)
            )
    if has_errors(problems):
        return problems, ""
    pack = pack_file.pack
    if pack_file.extends:
        summary = (
            f"{shown}: ok, extends '{pack_file.extends}' with {len(pack.items)} new items "
            f"and {len(pack_file.overrides)} overrides"
        )
    else:
        summary = f"{shown}: ok, pack '{pack.id}' with {len(pack.items)} items"
    return problems, summary
