"""The quick look at a kept outcome: what `lstat` says of every place its evaluation depended on, the way git's
index tells that a file is unchanged without reading it.

The places are the folders its listings scanned, the paths it looked at, the files it read, and every folder
between the project root and each of them. Without a symlink among them, none of what the evaluation found can
change without one of these changing its inode, size, modification or change time: a name added, removed or
renamed changes its folder's times, a file rewritten (even to the same size, even with its old modification time
put back) changes its change time. A place that is not there is left out: it cannot appear without changing the
folder above it, which is kept. Where a symlink stands, the quick look does not vouch, and the full look
(cachestamp.py: names, looks, bytes) decides.

A time is only told apart at the file system's granularity, so a place changed shortly before the evaluation
looked (`RACY_NS`) could change again unseen: then the quick look is not kept either (git calls such entries
racily clean). A fresh checkout, as in CI, has new inodes and times everywhere: the quick look fails, the full
look decides, and the quick look is made again for the next run.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable

from readiness.load.containment import lies_in

# Two seconds: the coarsest time stamps of a file system still in use (FAT); local Linux ones are finer.
RACY_NS = 2_000_000_000
_ABSENT = (errno.ENOENT, errno.ENOTDIR)


def made(root: str, paths: Iterable[str], packs: Iterable[str], since: int) -> tuple[list[str], str] | None:
    """The places of `paths` (absolute, normalised, in the root as written) and of the custom packs that are
    there, and the digest of what lstat says of them; None where the quick look cannot vouch: a symlink among
    them, or a place changed too shortly before `since` (when the full look began, in time.time_ns)."""
    chosen: set[str] = set()
    for path in paths:
        chosen.add(path)
        parent = os.path.dirname(path)
        while lies_in(root, parent) and parent not in chosen:
            chosen.add(parent)
            parent = os.path.dirname(parent)
    for pack in packs:
        # Written as in the assessment, '..' and all: each name on the way counts, a link before a '..' included.
        names = pack.split(os.sep)
        for end in range(2, len(names) + 1):
            if names[end - 1] not in (".", ".."):
                place = os.path.normpath(os.sep.join(names[:end]))
                if lies_in(root, place):
                    chosen.add(place)
    there: list[str] = []
    facts: list[int] = []
    for place in sorted(chosen):
        try:
            info = os.lstat(place)
        except OSError as error:
            if error.errno in _ABSENT:
                continue
            return None
        except ValueError:
            return None
        if stat.S_ISLNK(info.st_mode) or max(info.st_mtime_ns, info.st_ctime_ns) >= since - RACY_NS:
            return None
        there.append(place)
        facts += _facts(info)
    return there, _digest(there, facts)


def quick(places: list[str]) -> str | None:
    """The digest of what lstat says of each place now; None when one is no longer there."""
    facts: list[int] = []
    for place in places:
        try:
            facts += _facts(os.lstat(place))
        except (OSError, ValueError):
            return None
    return _digest(places, facts)


def _facts(info: os.stat_result) -> tuple[int, ...]:
    return info.st_mode, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _digest(places: list[str], facts: list[int]) -> str:
    total = hashlib.sha256("\0".join(places).encode("utf-8", "surrogatepass"))
    total.update(repr(facts).encode())
    return total.hexdigest()
