"""YAML with `<<` merge keys, as GitLab CI files use them (`job: {<<: *defaults, script: …}`), read with the
project's reader.

The reader refuses merge keys (an assessment has no use for them); in tolerant mode it reports each one as a
problem and reads the rest of the file, anchors and aliases included. Here each merge key is resolved from the
text: the anchor it names (`*a`, or `[*a, *b]`) is the latest `&a` before it, and the mapping built at that
anchor's place is the one merged. Other problems the tolerant reading let through (a custom tag such as
GitLab's `!reference`, a duplicate key) leave a None or the first value, as the reader documents. Merges of
merges are followed `MAX_DEPTH` levels deep, and each mapping is resolved once.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from readiness.load.diagnostics import InputError, JsonPath, json_path
from readiness.load.yamlsource import Document, parse_document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, nothing

MAX_DEPTH = 11
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")
_LINE_BREAK = re.compile("\r\n|\r|\n")


class Merged:
    """A YAML file read tolerantly, with its merge keys resolved: for each mapping that has one, the anchored
    mappings merged into it, in the order the merge key lists them."""

    def __init__(self, document: Document, text: str) -> None:
        self.document = document
        self.merges: dict[JsonPath, list[JsonPath]] = {}
        self._members: dict[JsonPath, dict[str, JsonPath]] = {}
        if document.problems:
            self._find_merges(text)

    def value(self, path: JsonPath) -> Any:
        found: Any = self.document.data
        for part in path:
            if isinstance(found, dict) and isinstance(part, str):
                found = found.get(part)
            elif isinstance(found, list) and isinstance(part, int) and 0 <= part < len(found):
                found = found[part]
            else:
                return None
        return found

    def members(self, path: JsonPath, depth: int = 0) -> dict[str, JsonPath]:
        """The keys of the mapping at `path`, each with the path its value is read from: its own keys, then
        those merged in with `<<` (an own key wins, then the first mapping merged). Each mapping is resolved
        once: merges of merges, each listing an anchor many times, would otherwise cost exponential time."""
        if path in self._members:
            return self._members[path]
        own = self.value(path)
        if not isinstance(own, dict):
            return {}
        found: dict[str, JsonPath] = {key: (*path, key) for key in own}
        self._members[path] = found  # seen again while it is being resolved: its own keys only
        if depth < MAX_DEPTH:
            for source in self.merges.get(path, []):
                for key, where in self.members(source, depth + 1).items():
                    found.setdefault(key, where)
        return found

    def _find_merges(self, text: str) -> None:
        starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]
        merge_keys: dict[str, list[int]] = {}  # a mapping's JSON path -> the offsets of its `<<` keys
        for problem in self.document.problems:
            offset = starts[problem.line - 1] + problem.column - 1 if 0 < problem.line <= len(starts) else -1
            if offset >= 0 and text.startswith("<<", offset):
                merge_keys.setdefault(problem.path, []).append(offset)
        if not merge_keys:
            return
        # Each value's JSON path is worked out only when its last step ends one of the merge keys' paths.
        endings = {named[index:] for named in merge_keys for index, char in enumerate(named) if char in ".["}
        by_place: dict[tuple[int, int], JsonPath] = {}
        mappings: list[tuple[JsonPath, int]] = []
        for path, place in self.document.values.items():
            by_place.setdefault(place, path)  # the first path built there is the anchor's own, not an alias's
            if not path or json_path(path[-1:])[1:] in endings:
                mappings += [(path, offset) for offset in merge_keys.get(json_path(path), [])]
        anchors: dict[str, list[int]] = {}
        for found in _ANCHOR.finditer(text):
            anchors.setdefault(found.group(1), []).append(found.start())
        for mapping, offset in mappings:
            for name in _merged_names(text, offset + 2):
                defined = anchors.get(name, [])
                index = bisect.bisect_left(defined, offset) - 1  # the latest definition before the merge key
                if index < 0:
                    continue
                line = bisect.bisect_right(starts, defined[index])
                source = by_place.get((line, defined[index] - starts[line - 1] + 1))
                if source is not None and source != mapping:
                    self.merges.setdefault(mapping, []).append(source)


def _merged_names(text: str, offset: int) -> list[str]:
    """The anchor names after a merge key: `<<: *a` or `<<: [*a, *b]`."""
    after = text[offset : offset + 1_000].lstrip(" \t:")
    if after.startswith("["):
        return _ALIAS.findall(after[: after.find("]") + 1 or None])
    first = _ALIAS.match(after)
    return [first.group(1)] if first else []


def read_merged(artifact: Artifact) -> Merged | Report:
    if not artifact.text.strip():
        return nothing(artifact, "the file is empty")
    try:
        document = parse_document(artifact.text, artifact.path, tolerant=True)
    except InputError as error:
        first = error.diagnostics[0]
        message = f"cannot be read: {first.message}"
        return Report(Outcome.FAILS, (Finding(artifact.path, first.line, first.column, message, False),))
    return Merged(document, artifact.text)
