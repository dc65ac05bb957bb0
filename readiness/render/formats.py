"""One Result, many renderers: each format is a module with `render(result, options) -> str`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the CLI imports Format at start-up; `--help` should not load the domain model
    from readiness.core.model import Result
    from readiness.rollup.compare import Comparison


class Format(str, Enum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"  # the compact summary for a pull-request comment, not the review report
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"


class ReportFormat(str, Enum):
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class RenderOptions:
    """How a renderer lays a Result out, beyond the Result itself."""

    color: bool = False
    width: int = 80
    baseline: Comparison | None = None  # set by --baseline: what changed since then
    # readiness.rollup.history.history() Points, newest first: with two scored, the report charts the score's trend.
    history: tuple[Any, ...] | None = None
    full: bool = False  # the review report: add the remediation plan, the evidence index and the appendix


class Renderer(Protocol):
    def __call__(self, result: Result, options: RenderOptions) -> str: ...


# Module per format, imported only when that format is asked for: `check -f text` never loads jinja2.
# Two tables: Format.MARKDOWN (the PR summary) and ReportFormat.MARKDOWN (the review) are equal str values.
_CHECK_MODULES = {
    Format.TEXT: "text",
    Format.JSON: "json",
    Format.MARKDOWN: "summary",
    Format.SARIF: "sarif",
    Format.JUNIT: "junit",
    Format.GITHUB: "github",
}
_REPORT_MODULES = {ReportFormat.HTML: "html", ReportFormat.MARKDOWN: "markdown"}


def renderer(fmt: Format | ReportFormat) -> Renderer:
    name = _REPORT_MODULES[fmt] if isinstance(fmt, ReportFormat) else _CHECK_MODULES[fmt]
    module = importlib.import_module(f"readiness.render.{name}")
    render: Renderer = module.render
    return render


def strip_trailing(text: str) -> str:
    """Rich pads wrapped lines with spaces; they only add noise to diffs and golden files."""
    return "\n".join(line.rstrip() for line in text.split("\n"))
