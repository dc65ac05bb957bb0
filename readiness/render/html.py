"""The review report as one self-contained HTML file: inline CSS and SVG, no script, no request."""

from __future__ import annotations

from readiness.core.model import Result
from readiness.render.formats import RenderOptions
from readiness.render.reportview import context
from readiness.render.templating import environment


def render(result: Result, options: RenderOptions) -> str:
    return environment(html=True).get_template("report.html.j2").render(context(result, options.history, options.full))
