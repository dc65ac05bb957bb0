"""What the evaluations of one run can share when they read the same working tree: `history` scores up to a
hundred versions of one assessment, and each would otherwise walk the same folders and have every probe read the
same files again.

Held in memory for one run only, never written: a version's own text still decides everything it says (its
answers, targets and evidence entries), and a probe's result is reused only for the same kind, the same files and
the same parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readiness.core.model import ProbeRun


@dataclass
class Reuse:
    """The evidence trees and probe runs that the evaluations of one run share."""

    trees: dict[tuple[str, str], Any] = field(default_factory=dict)  # (assessment folder, root) -> evidence tree
    runs: dict[tuple[str, tuple[str, ...], str, str, str], ProbeRun] = field(default_factory=dict)

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
