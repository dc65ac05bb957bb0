"""The files of a repository a scan may look at: walked once, without following any symlink (a link leads to a
file the walk meets anyway, or out of the project, where nothing is read), skipping tools' caches and vendored
code, bounded in count."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from readiness.load.containment import Refused, Root, open_regular
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


class NotRead(ValueError):
    """A listed file the scan may not or cannot read; the message says why."""


def read_listed(top: str, relative: str, root: Root, limit: int) -> bytes:
    """The bytes of a file the walk listed under `top` (a physical path inside `root`), at most `limit` of them.

    The walk followed no link, so `top` joined with the name is where the file physically is, with no realpath
    per file (a third of a scan's time). What may have changed since the walk is checked when the file is open
    (containment.open_regular): it must still be the regular file seen, inside the root.
    """
    real = os.path.join(top, relative)
    try:
        info = os.lstat(real)
        if not stat.S_ISREG(info.st_mode):
            raise NotRead("is no longer a regular file")
        if info.st_size > limit:
            raise NotRead(f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes")
        with os.fdopen(open_regular(real, info, root, relative), "rb") as handle:
            raw = handle.read(limit + 1)
    except Refused as refused:
        raise NotRead(str(refused)) from None
    except OSError as error:
        raise NotRead(f"cannot read: {error.strerror}") from None
    if len(raw) > limit:
        raise NotRead(f"file grew past the limit of {limit:,} bytes while it was read")
    return raw
