"""The Jinja2 environment for the report templates in the top-level templates/ folder.

User text only ever reaches a template as data, never as template source, so `{{ … }}` typed into a note
stays literal text. HTML output is autoescaped; Markdown output goes through the `md` filter.

In HTML, `bdi` puts a user's text in an element of its own bidi isolate and `isolate` does the same with
Unicode isolate marks where no element may go (<title>, SVG <desc>): an Arabic name, or a stray U+202E
RIGHT-TO-LEFT OVERRIDE, then reorders nothing but itself.
"""

from __future__ import annotations

import contextlib
import unicodedata
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from readiness import cachedir
from readiness.render.mdescape import md
from readiness.resources import data_dir


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


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def bdi(value: object) -> Markup:
    """User text, escaped, in a <bdi>: isolated from the words around it, its direction taken from its own first
    letter. Empty text gives nothing, not an empty element."""
    text = str(value)
    return Markup("<bdi>%s</bdi>") % text if text else Markup("")


# Bidi classes that can reorder what follows them: right-to-left letters and digits, and the explicit controls.
_REORDERING = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def isolate(value: object) -> str:
    """User text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, for text where no element may go.
    Only when the text holds something that could reorder its surroundings: plain left-to-right text stays as is."""
    text = str(value)
    if not any(unicodedata.bidirectional(char) in _REORDERING for char in text):
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Compiling the review template takes longer than rendering a 500-item report from it; Jinja checks the
    # compiled code against the template's text on every load, so an edited template is compiled again.
    where = cachedir.subfolder("templates")
    return None if where is None else _QuietCache(str(where))


def environment(html: bool) -> jinja2.Environment:
    """The environment for HTML (autoescaped) or Markdown templates."""
    return _environment(html, cachedir.folder)


@lru_cache(maxsize=4)
def _environment(html: bool, cache_folder: Path | None) -> jinja2.Environment:
    # `cache_folder` is part of the key only: a new cache folder gets its own environment.
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
    if html:
        env.filters["bdi"] = bdi
        env.filters["isolate"] = isolate
    return env
