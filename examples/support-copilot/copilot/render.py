"""The output filter: a draft is model output, so it reaches the agent desk as escaped Markdown, with links only
to the help centre and card numbers, IBANs and e-mail addresses masked (other customers' names are not
detected: security.output-disclosure-filters)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

HELP_CENTRE = "help.helio.example"
_LINK = re.compile(r"\[([^\]\n]{0,200})\]\(([^)\s]{0,500})\)")
_MASKS = (  # IBANs first: their digits would pass for a card number
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), "<IBAN>"),
    (re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), "<CARD>"),
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "<EMAIL>"),
)
# Raw HTML in a draft is shown as text, never run; a link to anywhere but the help centre is not a link.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_MARKDOWN.validateLink = lambda url: _allowed(url)


def render_draft(draft: str) -> str:
    text = _LINK.sub(lambda link: link.group(0) if _allowed(link.group(2)) else link.group(1), draft)
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return _MARKDOWN.render(text)


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and parts.hostname == HELP_CENTRE
