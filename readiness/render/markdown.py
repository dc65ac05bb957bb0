"""The review report as GitHub-flavoured Markdown, for a pull request or a wiki."""

from __future__ import annotations

from readiness.core.model import Result
from readiness.render.formats import RenderOptions
from readiness.render.reportview import context
from readiness.render.templating import environment


def render(result: Result, options: RenderOptions) -> str:
    return environment(html=False).get_template("report.md.j2").render(context(result, options.history, options.full))
