"""The files of a repository a scan may look at: walked once, without following any symlink (a link leads to a
file the walk meets anyway, or out of the project, where nothing is read), skipping tools' caches and vendored
code, bounded in count."""

from __future__ import annotations

import os
from dataclasses import dataclass

from readiness.load.textsafe import first_control
from readiness.verify.evidence import SKIPPED_FOLDERS

MAX_LISTED = 100_000  # files and folders walked; a repository larger than this is scanned in part, and says so


@dataclass(frozen=True)
class Listing:
    files: tuple[str, ...]  # relative to the scanned folder, '/'-separated, sorted
    complete: bool


def list_files(folder: str) -> Listing:
    files: list[str] = []
    seen = 0
    pending = [""]
    while pending:
        relative = pending.pop()
        try:
            with os.scandir(os.path.join(folder, relative) if relative else folder) as entries:
                children = list(entries)
        except OSError:
            continue
        for child in children:
            seen += 1
            if seen > MAX_LISTED:
                return Listing(tuple(sorted(files)), False)
            # A name holding a control character would reach the terminal in a reason: never looked at.
            if first_control(child.name) is not None:
                continue
            name = f"{relative}/{child.name}" if relative else child.name
            try:
                if child.is_symlink():
                    continue
                if child.is_dir(follow_symlinks=False):
                    if child.name not in SKIPPED_FOLDERS:
                        pending.append(name)
                elif child.is_file(follow_symlinks=False):
                    files.append(name)
            except OSError:
                continue
    return Listing(tuple(sorted(files)), True)
