"""The Jinja2 environment for the report templates in the top-level templates/ folder.

User text only ever reaches a template as data, never as template source, so `{{ … }}` typed into a note
stays literal text. HTML output is autoescaped; Markdown output goes through the `md` filter.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from readiness.render.mdescape import md
from readiness.resources import data_dir

_cache_folder: Path | None = None


def use_cache(folder: Path | None) -> None:
    """Keep compiled templates in `folder` (None: compile every time). Set by the CLI before rendering.

    Compiling the review template takes longer than rendering a 500-item report from it; the compiled code
    is checked against the template's text on every load, so an edited template is compiled again.
    """
    global _cache_folder
    _cache_folder = folder
    environment.cache_clear()


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A cache that never fails a report: a folder it cannot read or write only means compiling again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    if _cache_folder is None:
        return None
    try:
        _cache_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(_cache_folder))


@lru_cache(maxsize=2)
def environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = md
    return env
