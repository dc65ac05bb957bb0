"""The Jinja2 environment for the report templates in the top-level templates/ folder.

User text only ever reaches a template as data, never as template source, so `{{ … }}` typed into a note
stays literal text. HTML output is autoescaped; Markdown output goes through the `md` filter.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from readiness.render.mdescape import md
from readiness.resources import data_dir


@lru_cache(maxsize=2)
def environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    return env
