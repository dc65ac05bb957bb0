"""The profile a repository shows: every dependency file and Python source file read (within the project root,
bounded in count, size and time), each mention matched against the signals table, each key kept with the places
that show it. Keys nothing shows are left out: they are the team's to answer."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from readiness.load.containment import Root
from readiness.load.yamlsource import MAX_BYTES
from readiness.verify.scan import manifests, pysource
from readiness.verify.scan.model import PROFILE_KEYS, Clue, Detection, Mention, Unread
from readiness.verify.scan.signals import IMPORTS, SAYS, TOP_MODULES, keys_of
from readiness.verify.scan.tree import MAX_LISTED, NotRead, list_files, read_listed

MAX_PYTHON_FILES = 5_000  # parsed at most; the rest counted as left
MAX_PYTHON_BYTES = 1024 * 1024  # a larger Python file is generated code more often than the team's own
MAX_OTHER_FILES = 5_000  # dependency, Docker, YAML, JSON Schema, JavaScript and Go files read at most
BUDGET_SECONDS = 1.5  # for reading and parsing; a file reached after it is spent is left, and counted
MAX_CLUES = 20  # kept per key: the first in file order show it well enough

# A Python file is parsed only when its text names a module of the table or may declare a field that shows a key
# (personal data, a tenant): most of a large repository's files do neither, and looking for words is far cheaper
# than `ast`. Plain substrings for the fields, not a pattern: `\w*` after a word would backtrack over a line of a
# million letters.
_IMPORTS_KNOWN = re.compile(r"\b(?:import|from)[ \t]+(?:" + "|".join(sorted(TOP_MODULES)) + r")\b")
_FIELD_WORDS = (
    "email", "phone", "ssn", "dob", "birth", "passport", "national_id", "nationalid", "first_name", "firstname",
    "last_name", "lastname", "full_name", "fullname", "address", "mobile_number", "mobilenumber",
    # a tenant's id, or a field named `tenant` (typed or assigned), not every text that names tenants
    "tenant_id", "tenantid", "tenant:", "tenant =", "tenant=",
)  # fmt: skip
_LLM_TOPS = frozenset(module.split(".")[0] for module in IMPORTS["llm"])


def detect(folder: Path, root: Root | None = None) -> Detection:
    """What the repository at `folder` shows; `root` is the folder nothing may be read outside (by default the
    enclosing git work tree, else `folder`)."""
    within = root if root is not None else Root.of(folder / ".")
    top = os.path.realpath(folder)
    if not within.holds(top):
        raise ValueError(f"{folder} is not inside the root {within.path}")
    listing = list_files(top)
    python = [path for path in listing.files if path.endswith(".py")]
    others = [(path, reader) for path in listing.files if (reader := manifests.reader_for(path)) is not None]
    # Dependency files first, the clearest evidence: a repository of thousands of scripts must not push its
    # package.json past the limits.
    others.sort(key=lambda found: manifests.rank(found[1]))
    reading = _Reading(top, within, time.monotonic() + BUDGET_SECONDS)
    reading.left = max(0, len(python) - MAX_PYTHON_FILES) + max(0, len(others) - MAX_OTHER_FILES)
    for path, reader in others[:MAX_OTHER_FILES]:
        text = reading.text(path, MAX_BYTES)
        if text is not None:
            mentions, problems = reader(text, path)
            reading.unread += problems
            reading.clues += _matched(mentions)
    for path in python[:MAX_PYTHON_FILES]:
        text = reading.text(path, MAX_PYTHON_BYTES)
        if text is not None and _worth_parsing(text):
            mentions, found, problems = pysource.read(text, path, _LLM_TOPS)
            reading.unread += problems
            reading.clues += _matched(mentions) + found
    if not listing.complete:
        reading.unread.append(Unread(".", 1, 1, f"over {MAX_LISTED:,} files and folders: the rest were not read"))
    unread = tuple(sorted(reading.unread, key=lambda u: (u.file, u.line, u.column)))
    return Detection(_by_key(reading.clues), unread, reading.read, reading.left, listing.files)


@dataclass
class _Reading:
    """The files read so far under one time budget, and what they showed."""

    top: str
    root: Root
    deadline: float
    clues: list[Clue] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    read: int = 0
    left: int = 0

    def text(self, path: str, limit: int) -> str | None:
        """The file's text; None when the budget is spent (the file is counted as left) or it cannot be read
        (said in `unread`)."""
        if time.monotonic() > self.deadline:
            self.left += 1
            return None
        try:
            raw = read_listed(self.top, path, self.root, limit)
        except NotRead as why:
            self.unread.append(Unread(path, 1, 1, f"not read: {why}"))
            return None
        self.read += 1
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")


def _worth_parsing(text: str) -> bool:
    if _IMPORTS_KNOWN.search(text):
        return True
    lower = text.lower()
    return any(word in lower for word in _FIELD_WORDS)


def _matched(mentions: list[Mention]) -> list[Clue]:
    return [
        Clue(key, mention.file, mention.line, mention.column, f"{SAYS[mention.kind]} {mention.name}")
        for mention in mentions
        for key in keys_of(mention.kind, mention.name)
    ]


def _by_key(clues: list[Clue]) -> dict[str, tuple[Clue, ...]]:
    """Each key's clues in file order, one per line (`from mcp.server import FastMCP` names two modules: the
    first is said), the first MAX_CLUES."""
    keys: dict[str, list[Clue]] = {}
    for clue in sorted(set(clues), key=lambda c: (c.file, c.line, c.column, c.what)):
        kept = keys.setdefault(clue.key, [])
        if not kept or (kept[-1].file, kept[-1].line) != (clue.file, clue.line):
            kept.append(clue)
    order = (*PROFILE_KEYS, "model")
    return {key: tuple(keys[key][:MAX_CLUES]) for key in order if key in keys}
