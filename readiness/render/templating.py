"""The Jinja2 environment for the report templates in the top-level templates/ folder.

User text only ever reaches a template as data, never as template source, so `{{ … }}` typed into a note
stays literal text. HTML output is autoescaped; Markdown output goes through the `md` filter.

In HTML, `bdi` puts a user's text in an element of its own bidi isolate and `isolate` does the same with
Unicode isolate marks where no element may go (<title>, SVG <desc>): an Arabic name, or a stray U+202E
RIGHT-TO-LEFT OVERRIDE, then reorders nothing but itself.

The build compiles every template into the package (readiness.load.prebuilt); a run loads a compiled one only when
it was compiled from the template as it is now, and compiles the others in memory. Nothing is compiled from,
or written to, any other folder.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, MutableMapping
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from readiness.load import prebuilt
from readiness.load.resources import data_dir
from readiness.render.mdescape import md

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


def css_string(value: object) -> Markup:
    """User text as a quoted CSS string, for the print footer's `content`: every character but a letter, a digit
    or a space written as a CSS escape, so nothing in it can end the string or the style sheet. Control and
    format characters (a bidi override among them) are dropped, and the rest sits in a first-strong isolate."""
    kept = "".join(char for char in str(value) if not unicodedata.category(char).startswith("C"))
    body = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):06x}" for char in kept
    )
    return Markup(f'"\\002068{body}\\002069"' if body else '""')


def for_html(name: str) -> bool:
    """Whether a template is rendered by the HTML environment (autoescaped) or the text one."""
    return name.endswith(".html.j2")


def make_environment(html: bool, loader: jinja2.BaseLoader) -> jinja2.Environment:
    """The environment for HTML (autoescaped) or Markdown templates. The build compiles the templates with it
    and a run renders with it: every option that shapes the compiled code is set here, once."""
    env = jinja2.Environment(
        loader=loader,
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    if html:
        env.filters["bdi"] = bdi
        env.filters["isolate"] = isolate
        env.filters["css_string"] = css_string
    return env


class _CompiledOrSource(jinja2.BaseLoader):
    """Each template from its module compiled into the package, when that module was compiled from the
    template as it is now; else compiled from its source in memory. Compiling the review template takes
    longer than rendering a 500-item report from it."""

    def __init__(self, html: bool) -> None:
        self.html = html
        self.source = jinja2.FileSystemLoader(str(data_dir("templates")))
        self.compiled = jinja2.ModuleLoader(str(prebuilt.template_folder(html)))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        return self.source.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.source.list_templates()

    def load(
        self, environment: jinja2.Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> jinja2.Template:
        text, _, _ = self.source.get_source(environment, name)
        if prebuilt.template_in_package(name, text, self.html):
            return self.compiled.load(environment, name, globals)
        return self.source.load(environment, name, globals)


@lru_cache(maxsize=2)
def environment(html: bool) -> jinja2.Environment:
    """The environment for HTML (autoescaped) or Markdown templates."""
    return make_environment(html, _CompiledOrSource(html))
