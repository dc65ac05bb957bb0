"""Tab completion for the walk's evidence prompt, with the standard library's readline.

readline is imported only when a prompt offers completion (it costs nothing at start-up), and set up so that it
writes nothing a plain prompt would not: no bracketed-paste or meta-key sequences around each line. Where it is
missing (Windows, a Python built without it) the prompt works as before, without completion.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any


@cache
def _readline() -> Any:
    if sys.platform == "win32":  # pragma: no cover - no GNU readline there
        return None
    try:
        import readline
    except ImportError:  # pragma: no cover - a Python built without it
        return None
    if "libedit" in (readline.__doc__ or ""):  # macOS's stand-in speaks another configuration language
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("set enable-bracketed-paste off")
        readline.parse_and_bind("set enable-meta-key off")
        readline.parse_and_bind("tab: complete")
    readline.set_completer_delims("")  # the whole line is one path: complete it all, spaces included
    return readline


def ready() -> bool:
    return _readline() is not None


@contextlib.contextmanager
def completing(complete: Callable[[str], list[str]]) -> Iterator[None]:
    """readline completes with `complete` while the block runs (one input() call)."""
    readline = _readline()
    found: list[str] = []

    def completer(text: str, state: int) -> str | None:
        if state == 0:
            found[:] = complete(text)
            if len(found) == 1 and found[0].endswith("/"):
                # One folder: offer what is in it, so readline inserts the folder without the space it puts after
                # a single match, and the next Tab goes on inside it.
                found[:] = complete(found[0]) or found
        return found[state] if state < len(found) else None

    readline.set_completer(completer)
    try:
        yield
    finally:
        readline.set_completer(None)
