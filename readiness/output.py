"""Writing results: atomically, and never over the file they were made from."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from readiness.diagnostics import InputError
from readiness.yamlsource import file_problem


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def write_atomic(path: Path, text: str, *, inputs: Iterable[Path] = ()) -> None:
    """Write through a temporary file in the same folder and rename it, so readers never see half a file."""
    for source in inputs:
        if same_file(path, source):
            raise file_problem(str(path), "refusing to write the output over its own input")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise file_problem(str(path), f"cannot write: folder '{folder}' does not exist")
    if path.is_dir():
        raise file_problem(str(path), "cannot write: is a directory")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private; give it the mode a plain `open` would (or the old file's).
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        _sync_folder(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(file_problem(str(path), f"cannot write: {error.strerror}").diagnostics) from None


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
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
