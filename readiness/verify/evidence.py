"""Evidence on disk: paths, globs and links, checked to exist and to stay inside the project root.

Nothing here opens a file. Entries are looked at with stat and directory listings only, so a device or a
FIFO named as evidence is rejected without being read, and nothing outside the project root is touched
beyond resolving where a symlink points. Where a path leads is judged by the one containment rule of
containment.py, which every file readiness reads obeys too.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readiness.core.globs import (
    GlobError,
    absolute,
    control_problem,
    glob_pattern,
    glob_problem,
    is_glob,
    literal_tail,
    split_glob,
    unreadable,
)
from readiness.core.model import Catalog, Facts, PathCheck, Source
from readiness.load.containment import Root
from readiness.load.diagnostics import Diagnostic, Level
from readiness.load.textsafe import first_control, visible
from readiness.load.yamlsource import Document
from readiness.verify.reuse import Reuse, Seen

# Folders that hold tools' caches and vendored code, never a team's evidence; skipping them keeps a glob
# over a large repository fast.
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache",
     ".pytest_cache", ".ruff_cache"}
)  # fmt: skip
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


class _Escape(ValueError):
    """An entry that is not allowed: the message says why."""


@dataclass
class _Tree:
    """The project as seen from the assessment's folder, with one listing per folder walked."""

    folder: Path  # absolute
    within: Root  # the one containment rule (containment.py): where a path physically leads must be inside it
    listings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Names under each folder listed that hold a control character: never evidence, only counted in a warning.
    unnamed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by glob: such names it would match
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # by folder listed: each link's name -> its real
    scans: dict[str, list[os.DirEntry[str]]] = field(default_factory=dict)  # each folder's entries, by its path
    seen: Seen | None = None  # notes each listing and each look, for a cache of the evaluation's outcome
    # One assessment asks about the same folders many times (every `**/…` pattern starts at its folder), and a
    # portfolio asks for thousands of assessments: where each path really leads, what each name is (lstat), what
    # each path leads to (stat), and each glob base's listing with the prefix to show are looked up once.
    reals: dict[str, str] = field(default_factory=dict)
    lstats: dict[str, os.stat_result | OSError] = field(default_factory=dict)
    stats: dict[str, os.stat_result | OSError] = field(default_factory=dict)
    bases: dict[str, tuple[str, tuple[str, ...], str]] = field(default_factory=dict)  # by the glob's literal folders
    # What each glob matched: packs repeat patterns across items, and `history` asks the same tree every version.
    matched: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each listing's names by the extension of their last part: a glob ending in '.md' reads only those.
    by_extension: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.within.path

    def __post_init__(self) -> None:
        self._folder = str(self.folder)
        self._root = str(self.root)
        self._below_root = self._root.rstrip(os.sep) + os.sep

    def inside(self, path: str) -> bool:
        return self.within.holds_written(path)

    def locate(self, relative: str, entry: str) -> str:
        """The absolute, normalised path of `relative` (part of `entry`); raises _Escape when it leaves the root."""
        if absolute(entry):
            raise _Escape(f"'{entry}' is an absolute path; write it relative to the folder of the assessment")
        joined = os.path.normpath(os.path.join(self._folder, relative))
        if not self.inside(joined):
            raise _Escape(f"'{entry}' points outside the project root {self.root}")
        return joined

    def relative(self, path: str) -> str:
        """`path` (absolute, normalised) as shown: relative to the assessment's folder, '/'-separated."""
        if path.startswith(self._folder + os.sep):
            return path[len(self._folder) + 1 :].replace(os.sep, "/")
        return os.path.relpath(path, self._folder).replace(os.sep, "/")

    def _real(self, path: str) -> str:
        """What os.path.realpath gives, one name at a time below the root, so that the folders many paths share
        are resolved once. Up to the nearest folder already resolved, then down again: a loop, not recursion,
        since a path may have thousands of names."""
        found = self.reals.get(path)
        if found is not None:
            return found
        below: list[tuple[str, str, str]] = []  # (path, its folder, its name), deepest first
        probe = path
        while probe not in self.reals:
            parent, name = os.path.split(probe)
            if not name or not probe.startswith(self._below_root):  # the root itself: by the OS's rules, once
                self.reals[probe] = os.path.realpath(probe)
                break
            below.append((probe, parent, name))
            probe = parent
        for probe, parent, name in reversed(below):
            candidate = os.path.join(self.reals[parent], name)
            info = self._lstat(candidate)
            if not isinstance(info, OSError) and stat.S_ISLNK(info.st_mode):
                candidate = os.path.realpath(candidate)
            self.reals[probe] = candidate  # as realpath does, a name that is not there is kept as written
        return self.reals[path]

    def _lstat(self, path: str) -> os.stat_result | OSError:
        found = self.lstats.get(path)
        if found is None:
            try:
                found = os.lstat(path)
            except OSError as error:
                found = error
            self.lstats[path] = found
        return found

    def _stat(self, real: str) -> os.stat_result:
        found = self.stats.get(real)
        if found is None:
            known = self.lstats.get(real)
            if isinstance(known, os.stat_result) and not stat.S_ISLNK(known.st_mode):
                found = known  # not a link: what lstat saw is what stat would see
            elif isinstance(known, FileNotFoundError):
                found = known  # no such name: nothing for stat to follow either
            else:
                try:
                    found = os.stat(real)
                except OSError as error:
                    found = error
            self.stats[real] = found
        if isinstance(found, OSError):
            raise found
        return found

    def kind_of(self, path: str, entry: str) -> str | None:
        """'file' or 'folder' when evidence is there, None when nothing is; raises _Escape for what may not be."""
        if self.seen is not None and path not in self.seen.looked:
            self.seen.looked[path] = self.outcome(path)  # looked up first: the answer below is made of the same looks
        return self._kind_of(path, entry)

    def outcome(self, path: str) -> str:
        """What `kind_of` finds at `path`, in words that do not depend on how an entry named it."""
        try:
            return self._kind_of(path, "") or "nothing"
        except _Escape as escape:
            return f"refused: {escape}"

    def _kind_of(self, path: str, entry: str) -> str | None:
        try:
            real = self._real(path)
        except (OSError, ValueError) as error:
            raise _Escape(f"'{entry}' cannot be resolved: {error}") from None
        if not self.within.holds(real):
            # Decided before anything is looked at out there: "not found" for a missing file but an error for a
            # present one would tell whoever writes the assessment which files exist outside the project.
            raise _Escape(self._outside(path, real, entry))
        try:
            info = self._stat(real)
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise _Escape(f"'{entry}' is a symlink loop") from None
            if error.errno in (errno.ENOTDIR, errno.ENAMETOOLONG):
                return None
            raise _Escape(f"'{entry}' cannot be checked: {error.strerror}") from None
        except ValueError:
            raise _Escape(f"'{entry}' is not a valid path") from None
        if stat.S_ISREG(info.st_mode):
            return "file"
        if stat.S_ISDIR(info.st_mode):
            return "folder"
        raise _Escape(f"'{entry}' is {_special(info.st_mode)}, not a file or folder; it was not opened")

    def _outside(self, path: str, real: str, entry: str) -> str:
        """Why `path` (inside the root as written, outside it once resolved) is refused: the link it goes through."""
        probe = self._root
        for name in os.path.relpath(path, self._root).split(os.sep):
            probe = os.path.join(probe, name)
            info = self._lstat(probe)
            if isinstance(info, OSError) or not stat.S_ISLNK(info.st_mode):
                continue
            link = self.relative(probe)
            if probe == path and link == entry:
                return f"'{entry}' is a symlink to {real}, outside the project root {self.root}"
            target = self._real(probe)
            return f"'{entry}' goes through the symlink '{link}' to {target}, outside the project root {self.root}"
        return f"'{entry}' leads to {real}, outside the project root {self.root}"

    def listing(self, base: str) -> tuple[str, ...]:
        """Every file and folder under `base` (relative, '/'-separated), symlinks to outside left out, and names
        holding a control character kept apart in `unnamed`.

        A file named with ESC or a line break in a pull request would reach terminals and reports as a match:
        such names are never evidence, and neither is anything below a folder named so (its path holds the
        character too).
        """
        if base not in self.listings:
            names = sorted(self._walk(base))
            unnamed: list[str] = []
            everything = "/".join(names)  # one look at all: isprintable is fast, and false for any control character
            if not everything.isprintable() and first_control(everything) is not None:
                unnamed = [name for name in names if first_control(name) is not None]
                names = [name for name in names if first_control(name) is None]
            self.listings[base] = tuple(names)
            self.unnamed[base] = tuple(unnamed)
            if self.seen is not None:
                self.seen.listed[base] = self.names(base)
        return self.listings[base]

    def names(self, base: str) -> tuple[str, ...]:
        """Every name `listing` found under `base`, then (each part after a NUL, which no name can hold) those kept
        apart, and where each link listed leads: a link pointed elsewhere is another tree."""
        names = self.listing(base)  # walked first: the walk is what finds the links
        links = sorted(f"{name}\0{real}" for name, real in self.links.get(base, {}).items())
        return (*names, "\0", *self.unnamed[base], "\0", *links)

    def _walk(self, base: str) -> Iterable[str]:
        pending = [""]
        while pending:
            relative = pending.pop()
            children = self._scan(os.path.join(base, relative) if relative else base)
            for child in children:
                name = f"{relative}/{child.name}" if relative else child.name
                try:
                    if child.is_symlink():
                        real = os.path.realpath(child.path)
                        self.links.setdefault(base, {})[name] = real  # listed or not: where it leads may change
                        if self.seen is not None:
                            self.seen.linked = True
                        if not self.within.holds(real):
                            continue
                        info = os.stat(real)
                        if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
                            yield name  # never descended: a link cannot lead the walk in circles
                    elif child.is_dir(follow_symlinks=False):
                        yield name
                        if child.name not in SKIPPED_FOLDERS:
                            pending.append(name)
                    elif child.is_file(follow_symlinks=False):
                        yield name
                except OSError:
                    continue

    def _scan(self, folder: str) -> list[os.DirEntry[str]]:
        """The entries of `folder` (none when it cannot be read), scanned once: a glob's folder is often below
        another's, as `docs/**` is below `**`."""
        found = self.scans.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = list(entries)
            except OSError:
                found = []
            self.scans[folder] = found
            if self.seen is not None:
                self.seen.walked.add(folder)
        return found


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _matches(tree: _Tree, entry: str) -> tuple[str, ...]:
    """Paths (relative to the assessment's folder) that a glob matches."""
    if entry not in tree.matched:
        tree.matched[entry] = _matched(tree, entry)
    return tree.matched[entry]


def _matched(tree: _Tree, entry: str) -> tuple[str, ...]:
    prefix, rest = split_glob(entry.replace("\\", "/"))
    if ".." in rest.split("/"):
        raise _Escape(f"'{entry}' uses '..' after a wildcard; put the folders before the wildcard")
    try:  # before the folder is looked at: a glob that cannot be read is wrong whether the folder exists or not
        match = glob_pattern(rest).match
    except GlobError as error:
        raise _Escape(unreadable(entry, error)) from None
    known = tree.bases.get(prefix)
    if known is None:
        base = tree.locate(prefix or ".", entry)
        if tree.kind_of(base, entry) != "folder":
            return ()
        shown_base = tree.relative(base)
        known = tree.bases[prefix] = ("" if shown_base == "." else shown_base + "/", tree.listing(base), base)
    lead, names, base = known
    tail = literal_tail(rest)  # a cheap test first: most names of a large tree fail on their ending
    unnamed = tree.unnamed[base]
    if unnamed:
        tree.left_out[entry] = tuple([lead + name for name in unnamed if match(name)])
    pool: Sequence[str] = names
    if "." in tail:  # a name ending in the tail has the tail's extension: only those names can match
        pool = _extension_index(tree, base, names).get(tail.rpartition(".")[2], ())
    return tuple([lead + name for name in pool if name.endswith(tail) and match(name)])


def _extension_index(tree: _Tree, base: str, names: tuple[str, ...]) -> dict[str, list[str]]:
    """The listing's names by the text after the last '.' of their last part (in listing order)."""
    index = tree.by_extension.get(base)
    if index is None:
        index = tree.by_extension[base] = {}
        for name in names:
            last = name.rpartition("/")[2]
            if "." in last:
                index.setdefault(last.rpartition(".")[2], []).append(name)
    return index


def _check_entry(tree: _Tree, entry: str, source: Source) -> PathCheck:
    control = control_problem(entry)
    if control is not None:
        raise _Escape(control)
    scheme = _SCHEME.match(entry)
    if scheme:
        name = scheme.group(1).lower()
        if name not in ("http", "https"):
            raise _Escape(f"'{name}:' links are not accepted as evidence; use an http(s) URL or a path")
        if not re.match(r"^https?://[^/\s?#]+", entry, re.IGNORECASE):
            raise _Escape(f"'{entry}' is not a complete URL; it needs a host, as in https://host/path")
        return PathCheck(entry, "url", (entry,), source)
    if is_glob(entry):
        # A name such as 'app/[id]/page.tsx' or '[draft] notes.md' that exists as written is that file: read as
        # a glob, its brackets would make a class and never match it. ('..' stays the glob's business.)
        if ".." not in entry.replace("\\", "/").split("/"):
            literal = tree.locate(entry, entry)
            if tree.kind_of(literal, entry) is not None:
                return PathCheck(entry, "path", (tree.relative(literal),), source)
        return PathCheck(entry, "glob", _matches(tree, entry), source)
    path = tree.locate(entry, entry)
    found = tree.kind_of(path, entry) is not None
    return PathCheck(entry, "path", (tree.relative(path),) if found else (), source)


def check_evidence(
    document: Document,
    assessment_path: Path,
    catalog: Catalog,
    root: Path | Root | None = None,
    reuse: Reuse | None = None,
) -> tuple[Facts, list[Diagnostic]]:
    """Evidence entries of every answer and automated globs of every item; input errors at their line. With
    `reuse`, the walk of the folders is the one an earlier evaluation of this run made."""
    if reuse is None:
        tree = _tree(assessment_path, root)
    else:
        key = (os.path.abspath(assessment_path.parent), str(root.path if isinstance(root, Root) else root))
        tree = reuse.tree(key, lambda: _tree(assessment_path, root, reuse.seen))
    problems: list[Diagnostic] = []
    evidence: dict[str, tuple[PathCheck, ...]] = {}
    answers = document.data.get("answers")
    for item_id, raw in answers.items() if isinstance(answers, dict) else ():
        entries = raw.get("evidence") if isinstance(raw, dict) else None
        checks = []
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if not isinstance(entry, str) or not entry:
                continue
            path = ("answers", item_id, "evidence", index)
            try:
                checks.append(_check_entry(tree, entry, Source(document.file, *document.where(path))))
            except _Escape as escape:
                problems.append(document.diag(path, str(escape)))
            left_out = tree.left_out.get(entry)
            if left_out:
                problems.append(document.diag(path, _left_out(entry, left_out), level=Level.WARNING))
        evidence[item_id] = tuple(checks)
    auto_files: dict[str, tuple[PathCheck, ...]] = {}
    for item in catalog.items:
        if item.auto is None or not item.auto.files:
            continue
        checks = []
        for pattern in item.auto.files:
            if glob_problem(pattern) is not None:
                continue  # reported against the pack when it is loaded
            try:
                found = _matches(tree, pattern) if is_glob(pattern) else _plain(tree, pattern)
            except _Escape:
                found = ()  # a link out of the project proves nothing; the pack's author could not know
            checks.append(PathCheck(pattern, "auto", found, item.source))
        auto_files[item.id] = tuple(checks)
    return Facts(evidence=evidence, auto_files=auto_files), problems


def _left_out(entry: str, names: tuple[str, ...]) -> str:
    count = f"{len(names)} file whose name holds" if len(names) == 1 else f"{len(names)} files whose names hold"
    return (
        f"'{entry}' leaves out {count} a control character, such as '{visible(names[0])}': such a name is never "
        "evidence, and it is not listed in any output"
    )


class EvidenceRejected(ValueError):
    """An entry the assessment may not hold; the message says why."""


def check_one(
    assessment_path: Path, entry: str, root: Path | Root | None = None, seen: Seen | None = None
) -> PathCheck:
    """One entry as a user types it in the walk, under the same rules as the entries in the file. `root` is
    --root, or the assessment's Root when the caller has it already."""
    try:
        return _check_entry(_tree(assessment_path, root, seen), entry, Source(str(assessment_path)))
    except _Escape as escape:
        raise EvidenceRejected(str(escape)) from None


class Sight:
    """A fresh look from an assessment's folder: what an evaluation with a `Seen` would note now (paths absolute).
    One per project, like an evaluation's own tree: where each path leads is resolved once for all the looks."""

    def __init__(self, folder: str, within: Root) -> None:
        self._tree = _Tree(folder=Path(folder), within=within)
        self._tree.reals[str(within.path)] = within.real  # resolved already, as the evaluation resolves it

    def outcome(self, path: str) -> str:
        return self._tree.outcome(path)

    def names(self, base: str) -> tuple[str, ...]:
        """The names under `base`, listed only where a look finds a folder inside the root, as an evaluation does."""
        return self._tree.names(base) if self._tree.outcome(base) == "folder" else ()

    def walked(self) -> list[str]:
        """Every folder the listings scanned."""
        return list(self._tree.scans)

    def linked(self) -> bool:
        """Whether a symlink stood in a folder scanned."""
        return any(self._tree.links.values())


def _tree(assessment_path: Path, root: Path | Root | None, seen: Seen | None = None) -> _Tree:
    within = root if isinstance(root, Root) else Root.of(assessment_path, root)
    return _Tree(folder=Path(os.path.abspath(assessment_path.parent)), within=within, seen=seen)


def _plain(tree: _Tree, pattern: str) -> tuple[str, ...]:
    path = tree.locate(pattern, pattern)
    return (pattern,) if tree.kind_of(path, pattern) is not None else ()
