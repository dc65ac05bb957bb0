"""What the evaluations of one run can share when they read the same working tree: `history` scores up to a
hundred versions of one assessment, and each would otherwise walk the same folders and have every probe read the
same files again.

Held in memory for one run only, never written: a version's own text still decides everything it says (its
answers, targets and evidence entries), and a probe's result is reused only for the same kind, the same files and
the same parameters.

`Seen` goes the other way: it notes what one evaluation found on disk, so that a cache of its outcome (a
portfolio's `--cache`) can tell later whether the disk still holds what the outcome was computed from.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.core.model import ProbeRun
from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import read_bytes


@dataclass
class Seen:
    """What one evaluation found on disk, each part in words that the same look gives again later.

    Paths are absolute. The folder listings and what stood at each path are what the evaluation itself saw (the
    evidence tree notes them as it looks), so a change made while it ran is a difference next time. The files it
    reads are noted by their bytes just before it reads them; `unchanged` reads them again afterwards, so that an
    outcome computed from a file that changed meanwhile is never kept.
    """

    root: Root | None = None  # the project root every read was judged in
    listed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folder -> the names below it
    walked: set[str] = field(default_factory=set)  # every folder those listings scanned
    linked: bool = False  # whether a symlink stood in a folder scanned
    started: int = field(default_factory=time.time_ns)  # before anything was looked at
    looked: dict[str, str] = field(default_factory=dict)  # path -> what stood there (evidence.py's words)
    read: dict[str, str] = field(default_factory=dict)  # file -> its bytes' digest, or why it could not be read
    packs: dict[str, str] = field(default_factory=dict)  # custom pack -> where it leads and what it holds

    def begin(self, assessment: Path, root: Root) -> None:
        self.root = root
        self.will_read(assessment.parent, (assessment.name,))

    def will_read(self, folder: Path, names: Iterable[str]) -> None:
        """Files (relative to `folder`) that the evaluation is about to read within its root."""
        assert self.root is not None
        base = os.path.abspath(folder)
        for name in names:
            path = os.path.join(base, name)
            if path not in self.read:
                self.read[path] = content_state(path, self.root)

    def will_read_pack(self, folder: Path, entry: str) -> None:
        path = str(Path(os.path.abspath(folder)) / entry)  # '..' kept: the OS applies it after any link
        if path not in self.packs:
            self.packs[path] = pack_state(path)

    def unchanged(self) -> bool:
        """Whether every file read still holds what it held before the evaluation read it."""
        assert self.root is not None
        root = self.root
        return all(content_state(path, root) == state for path, state in self.read.items()) and all(
            pack_state(path) == state for path, state in self.packs.items()
        )


def content_state(path: str, root: Root) -> str:
    """The digest of the file's bytes, read as the evaluation reads a file (read_bytes), or the reason it cannot
    be read, in read_bytes's words."""
    try:
        raw = read_bytes(Path(path), "", root)
    except InputError as error:
        return "unread: " + " ".join(problem.message for problem in error.diagnostics)
    return hashlib.sha256(raw).hexdigest()


def pack_state(path: str) -> str:
    """A custom pack is read within its own root, and two entries that lead to one file are refused: where it
    leads counts too."""
    return f"{os.path.realpath(path)}\n{content_state(path, Root.of(Path(path)))}"


@dataclass
class Reuse:
    """The evidence trees and probe runs that the evaluations of one run share."""

    trees: dict[tuple[str, str], Any] = field(default_factory=dict)  # (assessment folder, root) -> evidence tree
    runs: dict[tuple[str, tuple[str, ...], str, str, str], ProbeRun] = field(default_factory=dict)
    seen: Seen | None = None  # noting what was found on disk, for a cache of the outcome

    def tree(self, key: tuple[str, str], make: Callable[[], Any]) -> Any:
        if key not in self.trees:
            self.trees[key] = make()
        return self.trees[key]

    def run_key(
        self, kind: str, paths: Sequence[str], folder: str, root: str, expect: Mapping[str, Any]
    ) -> tuple[str, tuple[str, ...], str, str, str]:
        """What decides a probe's run: its kind, its files, where they are read, and its parameters (as
        canonical JSON, since they are plain data)."""
        return kind, tuple(sorted(set(paths))), folder, root, json.dumps(expect, sort_keys=True, default=str)
