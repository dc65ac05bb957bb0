"""Writing results where the command line says: atomically to a file, into a stream, never over an input.

What may stand at an output's name decides how it is written:
- nothing, or a regular file: a temporary file in the same folder, renamed over the name, so that readers never
  see half a report;
- a character device or a FIFO (`/dev/null`, a terminal, a pipe), also through a link such as `/dev/stdout`:
  written into with a plain open and never renamed over, which would put a regular file in its place (and, as
  root in a CI container, replace the system's /dev/null);
- a link to anything else (a regular file, a folder, nothing yet), a block device, a socket, a folder: refused.
  A link that a pull request commits at the output's name must neither make CI write a file elsewhere on the
  machine nor be replaced without a word; the user names the file itself instead.
The output's folder obeys the containment rule of what readiness reads: a folder link committed in the checkout
cannot send the output out of the project either. And no output is written over a file the run read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import file_problem

# Written into, not replaced: what a plain open may add to, never create or truncate as a file.
_STREAM_FLAGS = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` are one file: the same physical path, or the same inode (a hard link)."""
    try:
        if os.path.realpath(a) == os.path.realpath(b):
            return True
        return os.path.samestat(os.stat(a), os.stat(b))
    except (OSError, ValueError):
        return False


def write_atomic(path: Path, text: str, *, inputs: Iterable[Path] = ()) -> None:
    """Write `text` to the output `path`, as the module says; `inputs` are the files the run read.

    Raises InputError, at `path`, for what may not be written and for what the system refuses.
    """
    _refuse_inputs(path, inputs)
    if _is_stream(path):
        _write_into(path, text)
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise file_problem(str(path), f"cannot write: folder '{folder}' does not exist")
    outside = Root.of(path).refusal(folder, str(folder))
    if outside is not None:
        raise file_problem(str(path), f"cannot write: the folder {outside}; name a folder inside it")
    _replace(path, folder, text)


def _refuse_inputs(path: Path, inputs: Iterable[Path]) -> None:
    """Raises InputError when `path` is one of the files the run read (a portfolio read thousands of them)."""
    try:
        here = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing stands there: every input was there when it was read
    except (OSError, ValueError):
        here = None  # cannot be looked at: compare where the paths lead
    for source in inputs:
        if same_file(path, source) if here is None else _same_as(here, source):
            also = "" if str(source) == str(path) else f" '{source}'"
            raise file_problem(str(path), f"refusing to write the output over its own input{also}")


def _same_as(here: os.stat_result, source: Path) -> bool:
    """Whether `source` is the file `here` describes (the same inode, whatever the path or link leading there)."""
    try:
        return os.path.samestat(here, os.stat(source))
    except (OSError, ValueError):
        return False


def _is_stream(path: Path) -> bool:
    """True for a character device or FIFO to write into; False for a name to (re)place a regular file at.
    Raises InputError for the rest."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        raise _cannot_write(path, error) from None
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        with contextlib.suppress(OSError, ValueError):
            mode = os.stat(path).st_mode
            if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
                return True
        raise file_problem(str(path), _through_link(path))
    if stat.S_ISREG(mode):
        return False
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return True
    if stat.S_ISDIR(mode):
        raise file_problem(str(path), "cannot write: is a directory")
    kind = "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file"
    raise file_problem(str(path), f"cannot write: it is {kind}; name a file, a character device or a pipe")


def _through_link(path: Path) -> str:
    refused = "cannot write: it is a symlink, and an output goes through a link only into a device or a pipe"
    if _is_descriptor(path):
        return f"{refused}, and this descriptor leads to a file: leave out -o to write to standard output"
    return f"{refused} (a link committed in a pull request could lead anywhere); remove it or name the file itself"


def _is_descriptor(path: Path) -> bool:
    """Whether the link `path` names a descriptor of this process (/dev/stdout, /dev/fd/1, /proc/self/fd/1)."""
    with contextlib.suppress(OSError, ValueError):
        steps = (
            os.path.abspath(path),
            os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), path.name),
            os.path.join(os.path.dirname(os.path.abspath(path)), os.readlink(path)),
        )
        return any(step.startswith(("/proc/", "/dev/fd/")) for step in steps)
    return False


def _write_into(path: Path, text: str) -> None:
    """Write into the device or FIFO at `path`: opened without creating or truncating anything, and checked once
    open, so that a regular file put there in between is not written over in place."""
    try:
        descriptor = os.open(path, _STREAM_FLAGS)
    except (OSError, ValueError) as error:
        raise _cannot_write(path, error) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise file_problem(str(path), "cannot write: it changed while it was being opened; it was not written")
        stream = os.fdopen(descriptor, "w", encoding="utf-8", newline="\n")
    except BaseException:
        os.close(descriptor)
        raise
    try:
        with stream:
            stream.write(text)
    except BrokenPipeError:
        raise  # the reader went away, as when standard output is closed: the same answer as there
    except OSError as error:
        raise _cannot_write(path, error) from None


def _replace(path: Path, folder: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it, so readers never see half a file."""
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        # mkstemp makes the file private; give it the mode a plain `open` would (or the old file's).
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        _sync_folder(folder)
    except BaseException as error:  # a write cut short by SIGTERM or Ctrl-C leaves no temporary file either
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _cannot_write(path, error) from None
        raise


def _cannot_write(path: Path, error: OSError | ValueError) -> InputError:
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return file_problem(str(path), f"cannot write: {detail}")


def _mode_for(path: Path) -> int:
    try:
        return os.lstat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: after a crash the file holds the old text or the new, never nothing."""
    if os.name != "posix":
        return
    # Some file systems refuse to sync a folder; the file itself is already written and renamed.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
