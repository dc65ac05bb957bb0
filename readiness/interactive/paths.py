"""Evidence paths as people type them: Tab completion and 'did you mean' for a path that is not there.

Both only look at names inside the project root (never a folder outside it, however the typed path is spelled),
never open a file, and never offer a name that holds a control character.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from readiness.load.containment import Root
from readiness.load.textsafe import visible

LISTED_MAX = 500  # names read from one folder: enough to complete in, bounded for a folder of millions


def _names(folder: Path) -> list[tuple[str, bool]]:
    """(name, is a folder) in `folder`, at most LISTED_MAX, without names a terminal would not show as written."""
    found: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if len(found) >= LISTED_MAX:
                    break
                if visible(entry.name) == entry.name:
                    try:
                        found.append((entry.name, entry.is_dir()))
                    except OSError:
                        continue
    except OSError:
        return []
    return sorted(found)


def _folder(assessment: Path, root: Root, typed_folder: str) -> Path | None:
    """The folder a typed path's folder part names, relative to the assessment's folder, if it is in the root."""
    base = assessment.parent
    folder = base / typed_folder if typed_folder else base
    if os.path.isabs(typed_folder) or root.refusal(folder, typed_folder or ".", base) is not None:
        return None
    return folder


def completions(assessment: Path, root: Root, typed: str) -> list[str]:
    """Whole lines that complete `typed`: 'docs/ru' → ['docs/runbook.md']; folders end with '/'."""
    head, _, prefix = typed.rpartition("/")
    folder = _folder(assessment, root, head + "/" if head else "")
    if folder is None:
        return []
    shown = [
        f"{head + '/' if head else ''}{name}{'/' if is_dir else ''}"
        for name, is_dir in _names(folder)
        if name.startswith(prefix) and (prefix.startswith(".") or not name.startswith("."))
    ]
    return shown


def close_to(assessment: Path, root: Root, typed: str) -> list[str]:
    """Paths near a missing one: a close name in its folder, or in the nearest folder that exists."""
    parts = typed.strip("/").split("/")
    for depth in range(len(parts) - 1, -1, -1):
        head = "/".join(parts[:depth])
        folder = _folder(assessment, root, head)
        if folder is None or not folder.is_dir():
            continue
        names = [name for name, _ in _names(folder)]
        wanted = parts[depth]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
        prefix = head + "/" if head else ""
        rest = "/".join(parts[depth + 1 :])
        return [prefix + name + ("/" + rest if rest else "") for name in close]
    return []
