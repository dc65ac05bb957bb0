"""Where readiness may read: one rule, resolved physically, for every file it opens or looks at.

In CI on a pull request, every file of the checkout may have been written by the pull request's author,
symlinks included. A path is therefore judged by where the OS takes it, not by how it is spelled: a file may
be read only when its physical path (every symlink resolved, each '..' applied to the folder the link before
it led to, as the OS does) lies inside the physical path of the project root. The root of a file is `--root
DIR` when that folder holds it, else the enclosing git work tree of the file's folder as written, else that
folder (DESIGN §3.4).

A refusal names the link through which a path leaves the root, never where the link leads nor whether
anything is there: the same words whether the file outside exists or not, and nothing of its content.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Opened so: a link in the last name (put there after the path was resolved) is not followed, and a FIFO that
# took a file's place cannot block the run before its descriptor is looked at.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_PROC_FD = "/proc/self/fd"
NOT_READ = "readiness reads nothing outside it"


class Refused(ValueError):
    """A path readiness may not read; the message says why and quotes nothing of what lies outside the root."""


def find_root(folder: Path) -> Path:
    """The enclosing git work tree of `folder` (as written, made absolute), or `folder` itself when there is none.

    A work tree found through a folder symlink does not count while an enclosing work tree holds that link:
    a pull request may commit a link to another repository on the machine, and naming a file through it must
    not make that repository the root.
    """
    start = os.path.abspath(folder)
    return Path(work_tree(start) or start)


def folder_facts(folder: str) -> tuple[bool, bool]:
    """Whether `folder` is a symlink, and whether it holds `.git`: all that the walk up of `work_tree` looks at."""
    return os.path.islink(folder), os.path.exists(os.path.join(folder, ".git"))


def work_tree(start: str, facts: Callable[[str], tuple[bool, bool]] = folder_facts) -> str | None:
    """The work tree find_root takes for the absolute folder `start`, or None when there is none. `facts` answers
    for each folder on the way up (a portfolio of thousands asks about the same folders, and keeps the answers)."""
    found: str | None = None
    linked = False  # a folder link met at or below the candidate, since the last work tree found
    candidate = start
    while True:
        link, git = facts(candidate)
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


def lies_in(top: str, path: str) -> bool:
    """Whether `path` is `top` or below it, both absolute and normalised, compared as written."""
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class Root:
    """A project root: the folder as written (made absolute; messages show it) and its physical path."""

    path: Path
    real: str
    # Asked for every path of a large glob: the prefixes compared against are made once.
    _below_path: str = field(init=False, repr=False, compare=False)
    _below_real: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_below_path", str(self.path).rstrip(os.sep) + os.sep)
        object.__setattr__(self, "_below_real", self.real.rstrip(os.sep) + os.sep)

    @classmethod
    def at(cls, folder: Path) -> Root:
        absolute = Path(os.path.abspath(folder))
        return cls(absolute, os.path.realpath(absolute))

    @classmethod
    def of(cls, file: Path, given: Path | None = None) -> Root:
        """The root of `file`: `given` (--root) when it holds the file as written, else the file's own root."""
        folder = os.path.dirname(os.path.abspath(file))
        if given is not None:
            top = os.path.abspath(given)
            if lies_in(top, folder):
                return cls.at(Path(top))
        return cls.at(find_root(Path(folder)))

    def holds(self, real: str) -> bool:
        """Whether the physical path `real` lies inside this root."""
        return real == self.real or real.startswith(self._below_real)

    def holds_written(self, path: str) -> bool:
        """Whether the absolute, normalised path `path` lies inside this root as written."""
        return path.startswith(self._below_path) or path == str(self.path)

    def refusal(self, path: Path, shown: str, base: Path | None = None) -> str | None:
        """Why the file at `path` may not be read (None when it may), as a statement to which the caller adds what
        follows: `path` as the OS would open it, relative to `base` (a folder inside the root) or to the current
        folder."""
        return self._resolve(path, shown, base)[1]

    def locate(self, path: Path, shown: str, base: Path | None = None) -> str:
        """The physical path of `path` (relative to `base`, if given); raises Refused when it lies outside the root."""
        real, problem = self._resolve(path, shown, base)
        if problem is not None:
            raise Refused(f"{problem}; {NOT_READ}")
        return real

    def _resolve(self, path: Path, shown: str, base: Path | None) -> tuple[str, str | None]:
        """The physical path of `path`, and why it may not be read, if it may not."""
        try:
            real = os.path.realpath(base / path if base is not None else path)
        except (OSError, ValueError):
            return "", f"'{shown}' cannot be resolved to a path"
        if self.holds(real):
            return real, None
        return real, self._why(path, shown, base)

    def _why(self, path: Path, shown: str, base: Path | None) -> str:
        link = self._link_out(path, base)
        if link is None:
            return f"'{shown}' is outside the project root {self.path}"
        if link == str(path):
            return f"'{shown}' is a symlink that leads outside the project root {self.path}"
        return f"'{shown}' goes through the symlink '{link}', which leads outside the project root {self.path}"

    def _link_out(self, path: Path, base: Path | None) -> str | None:
        """The first link in `path` (the part as written up to it) that lies inside the root and leads out of it.

        Walked a name at a time as the OS does: a '..' after a link goes up from where the link led.
        """
        written = str(path)
        names = [name for name in written.split(os.sep) if name]
        start = os.path.realpath(base) if base is not None else os.getcwd()
        here = os.sep if os.path.isabs(written) else start
        for index, name in enumerate(names):
            if name == ".":
                continue
            if name == "..":
                here = os.path.dirname(here)
                continue
            step = os.path.join(here, name)
            if self.holds(here) and os.path.islink(step):
                target = os.path.realpath(step)
                if not self.holds(target):
                    prefix = os.sep.join(names[: index + 1])
                    return os.sep + prefix if os.path.isabs(written) else prefix
                here = target
            elif os.path.islink(step):
                here = os.path.realpath(step)
            else:
                here = step
        return None


def open_regular(real: str, expected: os.stat_result, root: Root, shown: str) -> int:
    """A descriptor for reading the regular file at `real`, a physical path inside `root` that was seen as
    `expected` (by os.stat): checked again once open, so that what is read is the file that was checked even if
    a name on the way was swapped for a link in between."""
    descriptor = os.open(real, _READ_FLAGS)
    try:
        info = os.fstat(descriptor)
        same = (info.st_dev, info.st_ino) == (expected.st_dev, expected.st_ino)
        if not (same and stat.S_ISREG(info.st_mode)):
            raise Refused(f"'{shown}' changed while it was being opened; it was not read")
        opened = _opened_path(descriptor)
        if opened is not None and not root.holds(opened):
            raise Refused(f"'{shown}' leads outside the project root {root.path}; {NOT_READ}")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _opened_path(descriptor: int) -> str | None:
    """Where the kernel says the open file is (Linux); None where it cannot say."""
    try:
        return os.readlink(f"{_PROC_FD}/{descriptor}")
    except OSError:
        return None
