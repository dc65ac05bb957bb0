"""Reading the older side of a comparison: an assessment, a result JSON, or `REF:path` from git.

Which of the two a side is, the data says: a result has `schema_version`, an assessment `version`. Both are
read by the YAML reader, JSON being YAML's flow style, and are valid before anything uses them: a result
against `readiness schema result` (see resultfile.py), an assessment as `check` reads it.

Git is asked with `git show`, which reads the local repository only; nothing here touches the network.
An assessment read from git is scored as if it stood where the file stands today: its evidence paths and
custom packs are looked up in the working tree, since the old tree is not checked out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import Document, file_problem, parse_document, read_text
from readiness.rollup import resultfile
from readiness.rollup.compare import Snapshot, snapshot, snapshot_from_json
from readiness.rollup.history import git_show
from readiness.score.engine import evaluate
from readiness.score.scoring import Options


def read_side(spec: str, options: Options, root: Path | None = None) -> Snapshot:
    """The snapshot `spec` names: a file on disk first, else `REF:path` in the current git repository."""
    path = Path(spec)
    if path.exists() or path.is_symlink():
        # Inside --root when it holds the file, else inside the file's own root (its git work tree or folder):
        # a baseline an earlier CI step left outside the checkout can be read, a link committed in it cannot.
        text = read_text(path, spec, Root.of(path, root))
        return _from_text(text, spec, path, options, root)
    ref, colon, relative = spec.partition(":")
    if not colon or not ref or not relative:
        raise file_problem(spec, "no such file, and not a git REF:path such as origin/main:readiness.yaml")
    text = git_show(ref, relative, spec)
    return _from_text(text, spec, Path(relative), options, root)


def _from_text(text: str, label: str, path: Path, options: Options, root: Path | None) -> Snapshot:
    """A result or an assessment, told apart by what the file holds, whatever its style (YAML, flow, JSON)."""
    plain = resultfile.plainly_valid(text)
    if plain is not None:
        return snapshot_from_json(plain, label)
    document, json_text = resultfile.parse(text, label, named_json=path.suffix == ".json")
    kind = _kind(document.data)
    if kind == "result":
        return _from_json(document, text, label)
    if kind is None:
        message = "not a result of `readiness check -f json` (it has no schema_version), nor an assessment (no version)"
        raise InputError([document.diag((), message)])
    if json_text.shifts:  # JSON's surrogate pairs are a result's leniency: an assessment is read as `check` reads it
        document = parse_document(text, label, tolerant=True)
    return snapshot(evaluate(path, options, display=label, root=root, document=document).result, label)


# Keys only a result has at the top: a file with a `project` but none of these is an assessment lacking its
# `version`, and is told so in an assessment's terms.
_RESULT_KEYS = frozenset({"tool", "verdict", "items", "categories"})


def _kind(data: Any) -> str | None:
    """ "result" (it has `schema_version`), "assessment" (it has `version`), or None when it says neither."""
    if not isinstance(data, dict):
        return None
    if "schema_version" in data:
        return "result"
    if "version" in data or ("project" in data and _RESULT_KEYS.isdisjoint(data)):
        return "assessment"
    return None


def _from_json(document: Document, text: str, label: str) -> Snapshot:
    """A result of `readiness check -f json`, used only once it is valid against `readiness schema result`."""
    problems = resultfile.problems(document, text)
    if problems:
        raise InputError(problems)
    return snapshot_from_json(document.data, label)
