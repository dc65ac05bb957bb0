"""What a kept outcome was computed from, and whether the disk still holds it.

A stamp lists where one evaluation looked (folders it listed, paths it looked at, files it read, custom packs),
relative to the assessment's folder, and one digest of what it found there: the names under each folder, what
stood at each path, the SHA-256 of each file's bytes. Checking a stamp looks at the same places the same way
(evidence.py's own tree, the reader every file goes through) and compares digests. Contents, not timestamps: a
CI job checks out a fresh copy of the repository every run, with new inodes and times and the same bytes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readiness.load.containment import Root
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
    digest: str


def stamp(folder: str, seen: Seen, root: Root) -> Stamp:
    """The stamp of what an evaluation from `folder` (absolute) found, as `seen` noted it."""
    listed, looked, read, packs = (sorted(part) for part in (seen.listed, seen.looked, seen.read, seen.packs))
    digest = _digest(
        [seen.listed[path] for path in listed],
        [seen.looked[path] for path in looked],
        [seen.read[path] for path in read],
        [seen.packs[path] for path in packs],
    )
    return Stamp(
        root=_relative(str(root.path), folder),
        real=None if root.real == str(root.path) else root.real,
        listed=tuple(_relative(path, folder) for path in listed),
        looked=tuple(_relative(path, folder) for path in looked),
        read=tuple(_relative(path, folder) for path in read),
        packs=tuple(_relative(path, folder) for path in packs),
        digest=digest,
    )


def _relative(path: str, folder: str) -> str:
    if path.startswith(folder + os.sep):
        return path[len(folder) + 1 :]
    return os.path.relpath(path, folder)  # the root above the folder, or the folder itself ('.')


class Checker:
    """Checks stamps against the disk, sharing between projects what they share: the folders above them (where
    their roots are found) and their custom packs. For one run, over a short while: nothing is kept afterwards."""

    def __init__(self) -> None:
        self._roots = _Roots()
        self._packs: dict[str, str] = {}

    def root_of(self, assessment: str) -> Root:
        return self._roots.of(assessment)

    def holds(self, folder: str, root: Root, kept: Stamp) -> bool:
        """Whether the disk, seen from `folder` with `root` (the assessment's), still holds what `kept` says."""
        if _placed(folder, kept.root) != str(root.path) or (kept.real or str(root.path)) != root.real:
            return False
        paths = [[_placed(folder, path) for path in part] for part in (kept.listed, kept.looked, kept.read)]
        # What the stamp names must lie in the project as written: a stamp read from a file is never trusted to say
        # where to look. Each place is then judged physically as the evaluation judges it.
        if not all(root.holds_written(path) for part in paths for path in part):
            return False
        packs = [str(Path(folder) / entry) for entry in kept.packs]  # '..' kept: the OS applies it after a link
        if not all(root.holds_written(os.path.normpath(path)) for path in packs):
            return False
        listed, looked, read = paths
        sight = Sight(folder, root)
        outcomes = [sight.outcome(path) for path in looked]
        names = [sight.names(base) for base in listed]
        states = [content_state(path, root, sight.real(path)) for path in read]
        return _digest(names, outcomes, states, [self._pack(path) for path in packs]) == kept.digest

    def _pack(self, path: str) -> str:
        if path not in self._packs:
            self._packs[path] = pack_state(path)
        return self._packs[path]


def _placed(folder: str, relative: str) -> str:
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


class _Roots:
    """Root.of for many assessments under the same folders: whether each folder is a symlink and holds `.git` is
    looked at once. The walk up is containment.find_root's, step for step (tests hold the two to one answer)."""

    def __init__(self) -> None:
        self._facts: dict[str, tuple[bool, bool]] = {}  # folder -> (is a symlink, holds .git)
        self._tops: dict[str, str | None] = {}
        self._reals: dict[str, str] = {}

    def of(self, assessment: str) -> Root:
        start = os.path.dirname(os.path.abspath(assessment))
        top = self._top(start) or start
        return Root(Path(top), self._real(top))

    def _top(self, start: str) -> str | None:
        """The work tree find_root finds from `start`, or None (when it takes `start` itself)."""
        if start in self._tops:
            return self._tops[start]
        parent = os.path.dirname(start)
        link, git = self._fact(start)
        # Neither a link nor a work tree here: the walk up goes on from the parent as if it had started there.
        found = self._top(parent) if not (link or git) and parent != start else self._walk(start)
        self._tops[start] = found
        return found

    def _walk(self, start: str) -> str | None:
        found: str | None = None
        linked = False
        candidate = start
        while True:
            link, git = self._fact(candidate)
            linked = linked or link
            if git:
                found = candidate
                if not linked:
                    break
                linked = False
            parent = os.path.dirname(candidate)
            if parent == candidate:
                break
            candidate = parent
        return found

    def _fact(self, folder: str) -> tuple[bool, bool]:
        known = self._facts.get(folder)
        if known is None:
            known = self._facts[folder] = (os.path.islink(folder), os.path.exists(os.path.join(folder, ".git")))
        return known

    def _real(self, folder: str) -> str:
        """os.path.realpath(folder), from the folder above when neither has a symlink on the way."""
        known = self._reals.get(folder)
        if known is None:
            parent = os.path.dirname(folder)
            if parent != folder and self._real(parent) == parent and not self._fact(folder)[0]:
                known = folder
            else:
                known = os.path.realpath(folder)
            self._reals[folder] = known
        return known
