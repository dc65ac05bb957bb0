"""Framework references as a reader expects them ordered."""

from __future__ import annotations

import re


def natural_key(text: str) -> list[tuple[int, str]]:
    """Art. 9 before Art. 10, LLM02 before LLM10."""
    return [(int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", text)]
