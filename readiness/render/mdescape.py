"""Markdown escaping of user text, shared by the Markdown report, the PR summary, SARIF help and `diff`.

Kept apart from the Jinja2 environment so that formats without templates never import jinja2.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md(value: object) -> str:
    """Markdown-escape user text for a table cell or a line: no markup, no HTML, no line breaks.

    Angle brackets become entities, so no tag survives even in renderers that ignore backslashes.
    """
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
