"""`portfolio --cache FILE`: the outcome of each project kept in a JSON file named on the command line, and taken
from it on the next run when nothing it was computed from has changed.

An outcome is taken only when all of these match: the key of the run (the version of readiness and a digest of its
code and built-in packs, the Python and PyYAML it runs on, the options, the current folder) and the project's stamp
(cachestamp.py: its root, and the names, looks and bytes its evaluation read, custom packs included). Anything
else is scored as without the option, and the file is rewritten when something changed.

The file is untrusted input (cacheshape.py checks every field before anything is used). A cache that cannot be
used is ignored with a warning and rebuilt; it never stops the roll-up. It is neither read nor written where a
pull request could have put it (inside a project being rolled up), nor through a link, nor as a device or FIFO.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from readiness import __version__
from readiness.core.catalog import builtin_files
from readiness.load.containment import Root, find_root
from readiness.load.diagnostics import InputError
from readiness.load.textsafe import visible
from readiness.rollup.cacheshape import Kept, Unfit, dumps, loads
from readiness.rollup.cachestamp import Checker, Stamp
from readiness.rollup.portfolio import Outcome, plain
from readiness.rollup.workers import in_workers
from readiness.score.scoring import Options

MAX_BYTES = 256 * 1024 * 1024  # some 40 times what 10,000 projects take; beyond it, damage or a forgery
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

Writer = Callable[[Path, str, Sequence[Path]], None]


class ResultCache:
    """The outcomes read from the cache file, and those of this run to write back (portfolio.Recall)."""

    def __init__(self, key: dict[str, Any], old: dict[str, Kept], *, read: bool, writable: bool) -> None:
        self._key = key
        self._old = old
        self._new: dict[str, Kept] = {}
        self._changed = not read  # a file missing or ignored is written afresh
        self.writable = writable

    def recall(self, paths: list[Path], workers: int) -> list[Outcome | None]:
        asked = [path for path in paths if str(path) in self._old and plain(path)]
        jobs = [(str(path), os.path.abspath(path.parent), self._old[str(path)][1]) for path in asked]
        for path, (holds, renewed) in zip(asked, in_workers(_checked, jobs, workers), strict=True):
            if holds:
                outcome, kept = self._old[str(path)]
                self._new[str(path)] = (outcome, renewed or kept)
                self._changed = self._changed or (renewed is not None and renewed != kept)  # a quick look made again
        return [self._new[str(path)][0] if str(path) in self._new else None for path in paths]

    def keep(self, path: Path, outcome: Outcome, kept: Stamp | None) -> None:
        if kept is not None and plain(path):
            self._new[str(path)] = (outcome, kept)
            self._changed = True

    def text(self) -> str | None:
        """The file's new text; None when it would say what it says already."""
        if not self._changed and self._new.keys() == self._old.keys():
            return None
        return dumps(self._key, sorted(self._new.items()))


def _checked(jobs: list[tuple[str, str, Stamp]]) -> list[tuple[bool, Stamp | None]]:
    """For each stamp (of the assessment at a path, from its folder), whether it still holds and, when its quick
    look was made again, the new stamp: a chunk, maybe in a worker (a stamp that holds as it is is not sent back)."""
    checker = Checker()
    found: list[tuple[bool, Stamp | None]] = []
    for path, folder, kept in jobs:
        checked = checker.check(folder, checker.root_of(path), kept)
        found.append((checked is not None, None if checked is kept else checked))
    return found


def open_cache(path: Path, rolled: Sequence[Path], options: Options) -> tuple[ResultCache, list[str]]:
    """The cache at `path` for a roll-up of `rolled` with `options`, and a warning when it had to be ignored."""
    key = run_key(options)
    refusal = _misplaced(path, rolled)
    if refusal is not None:
        return ResultCache(key, {}, read=False, writable=False), [_ignored(path, refusal)]
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ResultCache(key, {}, read=False, writable=True), []
    except (OSError, ValueError) as error:
        return ResultCache(key, {}, read=False, writable=False), [_ignored(path, _reason(error))]
    unfit = _not_a_file(info.st_mode)
    if unfit is not None:
        return ResultCache(key, {}, read=False, writable=False), [_ignored(path, unfit)]
    try:
        kept = loads(_parsed(path, info), key)
    except Unfit as problem:
        return ResultCache(key, {}, read=False, writable=True), [_ignored(path, str(problem))]
    return ResultCache(key, kept, read=True, writable=True), []


def save(kept: ResultCache, path: Path, inputs: Sequence[Path], write: Writer) -> list[str]:
    """Write the cache back when it changed; a warning when it cannot be written (never an error: the roll-up
    itself is done)."""
    text = kept.text() if kept.writable else None
    if text is None:
        return []
    with contextlib.suppress(OSError, ValueError):
        unfit = _not_a_file(os.lstat(path).st_mode)  # checked again: it may have been put there since
        if unfit is not None:
            return [_unwritten(path, unfit)]
    try:
        write(path, text, inputs)
    except InputError as error:
        return [_unwritten(path, " ".join(problem.message for problem in error.diagnostics))]
    return []


def run_key(options: Options) -> dict[str, Any]:
    """What every kept outcome depends on, as plain JSON data (so that it compares equal to the file's)."""
    key = {
        "readiness": __version__,
        "build": _build(),
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "yaml": yaml.__version__,
        "options": {
            "today": options.today.isoformat(),
            "strict": options.strict,
            "target": None if options.target is None else options.target.value,
            "policy": dict(options.policy),
        },
        "folder": os.getcwd(),  # paths are shown relative to it, and found from it
    }
    normal: dict[str, Any] = json.loads(json.dumps(key, sort_keys=True, default=str))
    return normal


@cache
def _build() -> str:
    """A digest of the code and the built-in packs: in an editable install the version stays the same while
    either changes. Some 1 MB read once per run (a few milliseconds)."""
    package = Path(__file__).resolve().parent.parent
    total = hashlib.sha256()
    sources = sorted(p for p in package.rglob("*.py") if "_generated" not in p.parts and "__pycache__" not in p.parts)
    for path in (*sources, *builtin_files()):
        data = path.read_bytes()
        total.update(f"{path.name} {len(data)}\n".encode())
        total.update(data)
    return total.hexdigest()


def _misplaced(path: Path, rolled: Sequence[Path]) -> str | None:
    """Why the cache may not be used where it is: inside a project being rolled up (its git work tree, or the
    folder itself), which is where a pull request could commit a cache claiming its own results."""
    written = os.path.abspath(path)
    real = os.path.join(os.path.realpath(os.path.dirname(written)), os.path.basename(written))
    for given in rolled:
        folder = given if given.is_dir() else given.parent
        root = Root.at(find_root(folder))
        if root.holds_written(written) or root.holds(real):
            return (
                f"it lies inside {root.path}, which holds projects being rolled up and which a pull request could "
                "write; keep the cache outside it (in CI, under $RUNNER_TEMP, restored from the default branch)"
            )
    return None


def _not_a_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "it is a symlink (a link committed in a pull request could lead anywhere); name the file itself"
    if stat.S_ISDIR(mode):
        return "it is a folder"
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket"
    return f"it is {kind}, not a file"


def _parsed(path: Path, info: os.stat_result) -> Any:
    """The file's JSON. Raises Unfit."""
    if info.st_size > MAX_BYTES:
        raise Unfit(f"it is {info.st_size:,} bytes, over the limit of {MAX_BYTES // 2**20} MB")
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except (OSError, ValueError) as error:
        raise Unfit(_reason(error)) from None
    with os.fdopen(descriptor, "rb") as stream:
        opened = os.fstat(stream.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise Unfit("it changed while it was being opened")
        raw = stream.read(info.st_size + 1)  # no more than it held: a buffer of the limit would cost 256 MB
    if len(raw) > info.st_size:
        raise Unfit("it grew while it was being read")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise Unfit(f"not UTF-8 text (byte {error.start + 1:,})") from None
    except RecursionError:
        raise Unfit("not valid JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and an integer too long to convert
        raise Unfit(f"not valid JSON: {error}") from None


def _reason(error: OSError | ValueError) -> str:
    return f"cannot read it: {error.strerror}" if isinstance(error, OSError) and error.strerror else str(error)


def _ignored(path: Path, reason: str) -> str:
    return f"{visible(str(path))}: cache ignored: {visible(reason)}"


def _unwritten(path: Path, reason: str) -> str:
    return f"{visible(str(path))}: cache not written: {visible(reason)}"
