"""Reading the older side of a comparison: an assessment, a result JSON, or `REF:path` from git.

Git is asked with `git show`, which reads the local repository only; nothing here touches the network.
An assessment read from git is scored as if it stood where the file stands today: its evidence paths and
custom packs are looked up in the working tree, since the old tree is not checked out.
"""

from __future__ import annotations

import json
from pathlib import Path

from readiness.compare import Snapshot, snapshot, snapshot_from_json
from readiness.engine import evaluate
from readiness.history import git_show
from readiness.scoring import Options
from readiness.yamlsource import file_problem, parse_document, read_text


def read_side(spec: str, options: Options, root: Path | None = None) -> Snapshot:
    """The snapshot `spec` names: a file on disk first, else `REF:path` in the current git repository."""
    path = Path(spec)
    if path.exists() or path.is_symlink():
        text = read_text(path, spec)
        return _from_text(text, spec, path, options, root)
    ref, colon, relative = spec.partition(":")
    if not colon or not ref or not relative:
        raise file_problem(spec, "no such file, and not a git REF:path such as origin/main:readiness.yaml")
    text = git_show(ref, relative, spec)
    return _from_text(text, spec, Path(relative), options, root)


def _from_text(text: str, label: str, path: Path, options: Options, root: Path | None) -> Snapshot:
    if path.suffix == ".json" or text.lstrip().startswith("{"):
        return _from_json(text, label)
    document = parse_document(text, label)
    return snapshot(evaluate(path, options, display=label, root=root, document=document).result, label)


def _from_json(text: str, label: str) -> Snapshot:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise file_problem(label, f"not valid JSON: {error.msg}", error.lineno, error.colno) from None
    if not isinstance(data, dict) or "schema_version" not in data:
        raise file_problem(label, "not a result of `readiness check -f json` (no schema_version)")
    try:
        return snapshot_from_json(data, label)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise file_problem(label, f"not a complete readiness result: missing or wrong {error}") from None
