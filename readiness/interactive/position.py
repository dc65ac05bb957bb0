"""Where the last sitting of `readiness assess` stopped, kept beside the user's other state, never in the file.

One small JSON file per assessment under $XDG_STATE_HOME/readiness/walk/ (~/.local/state when unset), named by
a hash of the assessment's absolute path. It is a convenience: the file may be missing, garbage, huge, a link or
written by someone else, and then the walk starts at the first open item; failing to write it is never an
error. Only an item id is kept, and it is used only if it is an item of the walk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

MAX_BYTES = 4096  # a position is one id; anything larger is not ours


def state_dir(environ: Mapping[str, str]) -> Path | None:
    """$XDG_STATE_HOME/readiness/walk, or ~/.local/state/readiness/walk; None when neither can be told."""
    base = environ.get("XDG_STATE_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG rule: a relative path is to be ignored
        home = environ.get("HOME", "")
        if not home:
            return None
        base = os.path.join(home, ".local", "state")
    return Path(base) / "readiness" / "walk"


def position_file(folder: Path, assessment: Path) -> Path:
    key = hashlib.sha256(str(assessment.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return folder / f"{key}.json"


def read(folder: Path | None, assessment: Path) -> str | None:
    """The item id saved for this assessment, or None for anything but a small regular file holding one."""
    if folder is None:
        return None
    path = position_file(folder, assessment)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        raw = os.read(descriptor, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("assessment") != str(assessment.resolve()):
        return None
    item = data.get("item")
    return item if isinstance(item, str) and len(item) <= 200 else None


def write(folder: Path | None, assessment: Path, item_id: str | None) -> None:
    """Keep `item_id` as where this sitting stands (None forgets it); any failure leaves things as they were."""
    if folder is None:
        return
    path = position_file(folder, assessment)
    with contextlib.suppress(OSError):
        if item_id is None:
            path.unlink(missing_ok=True)
            return
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"assessment": str(assessment.resolve()), "item": item_id})
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".position-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
