"""The roots of many assessments, found as containment.find_root finds each, with what their folders share looked at
once: a portfolio of thousands of projects under the same few folders would otherwise ask each of them again."""

from __future__ import annotations

import os
from pathlib import Path

from readiness.load.containment import Root, folder_facts, work_tree


class Roots:
    """Root.of for many assessments under the same folders: whether each folder is a symlink and holds `.git` is
    looked at once. The walk up is containment.find_root's own (work_tree)."""

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
        return work_tree(start, self._fact)

    def _fact(self, folder: str) -> tuple[bool, bool]:
        known = self._facts.get(folder)
        if known is None:
            known = self._facts[folder] = folder_facts(folder)
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
