"""Where compiled artefacts are kept between runs: report templates and schema validators.

Compiling either costs more than using it once, and both are checked against their source when loaded, so
a stale entry is only ever compiled again. The CLI chooses the folder (None: keep nothing); the core only
reads it. Nothing here may fail a command: a folder that cannot be written just means compiling each time.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

folder: Path | None = None


def use(chosen: Path | None) -> None:
    global folder
    folder = chosen


def subfolder(name: str) -> Path | None:
    """`folder/name`, created private to the user, or None when there is no usable cache."""
    if folder is None:
        return None
    target = folder / name
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return target


def read(name: str, key: str) -> bytes | None:
    where = subfolder(name)
    if where is None:
        return None
    try:
        return (where / key).read_bytes()
    except OSError:
        return None


def write(name: str, key: str, data: bytes) -> None:
    """Write through a temporary file and a rename, so a reader in another process never sees half of it."""
    import tempfile  # only when something is written: most runs only read

    where = subfolder(name)
    if where is None:
        return
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=where, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, where / key)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
