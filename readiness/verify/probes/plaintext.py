"""What the probes of line-based text artifacts share (Markdown, CSV, JSON Lines, CODEOWNERS): where a byte that
is not UTF-8 stood, and how the artifact's own words are quoted in a finding.

The caller decodes an artifact before a probe sees it. A file that is not UTF-8 (a runbook saved as
Windows-1252, a CODEOWNERS in Latin-1) is still of the probe's kind, and its author needs the place of the bad
byte: decoded with `errors="surrogateescape"`, each such byte becomes one lone surrogate U+DC80..U+DCFF, which
no UTF-8 text can hold, at the column the byte had. `undecodable` turns the first one into a finding.
"""

from __future__ import annotations

import re

from readiness.load.textsafe import visible
from readiness.load.yamltext import position_of
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_QUOTE_LIMIT = 80


def undecodable(artifact: Artifact) -> Report | None:
    """FAILS at the first byte that was not UTF-8 (see the module's docstring), else None."""
    found = _ESCAPED_BYTE.search(artifact.text)
    if found is None:
        return None
    line, column = position_of(artifact.text[: found.start()])
    byte = ord(found.group()) - 0xDC00
    message = f"not valid UTF-8: byte 0x{byte:02x} cannot be decoded; save the file as UTF-8"
    return Report(Outcome.FAILS, (Finding(artifact.path, line, column, message, False),))


def quoted(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """The artifact's text on one line, control characters written out, cut to `limit` characters."""
    shown = visible(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
