"""What a kept outcome was computed from, and whether the disk still holds it.

A stamp lists where one evaluation looked (folders it listed and the folders below them it scanned, paths it
looked at, files it read, custom packs), relative to the assessment's folder, and one digest of what it found
there: the names under each folder listed, what stood at each path, the SHA-256 of each file's bytes. The full
look at a stamp looks at the same places the same way (evidence.py's own tree, the reader every file goes through)
and compares digests: contents, not times, since a CI job checks out a fresh copy of the repository every run, with
new inodes and times and the same bytes. Before it, the quick look (cachequick.py) compares what lstat says of the
same places, which is all a second run on the same copy needs.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from readiness.load.containment import Root
from readiness.rollup.cachequick import made, quick
from readiness.rollup.cacheroots import Roots
from readiness.verify.evidence import Sight
from readiness.verify.reuse import Seen, content_state, pack_state


@dataclass(frozen=True)
class Stamp:
    root: str  # the project root, relative to the assessment's folder
    real: str | None  # where the root physically is, when that is not where it is written
    listed: tuple[str, ...]  # relative, '/'-separated as the OS has it; in the order the digest takes them
    looked: tuple[str, ...]
    read: tuple[str, ...]
    packs: tuple[str, ...]
    digest: str  # of what the full look finds
    places: tuple[str, ...] = ()  # where the quick look looks
    quick: str | None = None  # of what it finds there; None where it does not vouch


def stamp(folder: str, seen: Seen, root: Root) -> Stamp:
    """The stamp of what an evaluation from `folder` (absolute) found, as `seen` noted it."""
    listed, looked, read, packs = (sorted(part) for part in (seen.listed, seen.looked, seen.read, seen.packs))
    digest = _digest(
        [seen.listed[path] for path in listed],
        [seen.looked[path] for path in looked],
        [seen.read[path] for path in read],
        [seen.packs[path] for path in packs],
    )
    fast = None if seen.linked else made(str(root.path), [*seen.walked, *looked, *read], packs, seen.started)
    return Stamp(
        root=_relative(str(root.path), folder),
        real=None if root.real == str(root.path) else root.real,
        listed=tuple(_relative(path, folder) for path in listed),
        looked=tuple(_relative(path, folder) for path in looked),
        read=tuple(_relative(path, folder) for path in read),
        packs=tuple(_relative(path, folder) for path in packs),
        digest=digest,
        places=() if fast is None else tuple(_relative(path, folder) for path in fast[0]),
        quick=None if fast is None else fast[1],
    )


def _relative(path: str, folder: str) -> str:
    if path.startswith(folder + os.sep):
        return path[len(folder) + 1 :]
    return os.path.relpath(path, folder)  # the root above the folder, or the folder itself ('.')


class Checker:
    """Checks stamps against the disk, sharing between projects what they share: the folders above them (where
    their roots are found) and their custom packs. For one run, over a short while: nothing is kept afterwards."""

    def __init__(self) -> None:
        self._roots = Roots()
        self._packs: dict[str, str] = {}

    def root_of(self, assessment: str) -> Root:
        return self._roots.of(assessment)

    def check(self, folder: str, root: Root, kept: Stamp) -> Stamp | None:
        """The stamp to keep when the disk, seen from `folder` with `root` (the assessment's), still holds what
        `kept` says: `kept` itself when the quick look vouches for it, else a new quick look after a full one.
        None when something changed."""
        if _placed(folder, kept.root) != str(root.path) or (kept.real or str(root.path)) != root.real:
            return None
        # What the stamp names must lie in the project as written: a stamp read from a file is never trusted to say
        # where to look. Each place is then judged physically as the evaluation judges it.
        places = [_placed(folder, path) for path in kept.places]
        if not all(root.holds_written(path) for path in places):
            return None
        if kept.quick is not None and quick(places) == kept.quick:
            return kept
        listed, looked, read = (
            [_placed(folder, path) for path in part] for part in (kept.listed, kept.looked, kept.read)
        )
        packs = [str(Path(folder) / entry) for entry in kept.packs]  # '..' kept: the OS applies it after a link
        written = [*listed, *looked, *read, *(os.path.normpath(path) for path in packs)]
        if not all(root.holds_written(path) for path in written):
            return None
        since = time.time_ns()
        sight = Sight(folder, root)
        outcomes = [sight.outcome(path) for path in looked]
        names = [sight.names(base) for base in listed]
        states = [content_state(path, root) for path in read]
        if _digest(names, outcomes, states, [self._pack(path) for path in packs]) != kept.digest:
            return None
        fast = None if sight.linked() else made(str(root.path), [*sight.walked(), *looked, *read], packs, since)
        if fast is None:
            return replace(kept, places=(), quick=None)
        return replace(kept, places=tuple(_relative(path, folder) for path in fast[0]), quick=fast[1])

    def _pack(self, path: str) -> str:
        if path not in self._packs:
            self._packs[path] = pack_state(path)
        return self._packs[path]


def _placed(folder: str, relative: str) -> str:
    """The absolute path of `relative` (from the file: anything) below `folder`, normalised."""
    names = relative.split(os.sep)
    if relative and not any(name in ("", ".", "..") for name in names):
        return folder + os.sep + relative  # already normal: thousands of projects, a dozen places each
    return os.path.normpath(os.path.join(folder, relative))


def _digest(names: Sequence[Sequence[str]], outcomes: Sequence[str], reads: Sequence[str], packs: Sequence[str]) -> str:
    """SHA-256 of every part, each with its length before it, so that no two lists of parts read alike."""
    total = hashlib.sha256()
    for group in (*names, outcomes, reads, packs):
        total.update(len(group).to_bytes(8, "big"))
        for text in group:
            data = text.encode("utf-8", "surrogatepass")  # a file name need not be UTF-8
            total.update(len(data).to_bytes(8, "big"))
            total.update(data)
    return total.hexdigest()
