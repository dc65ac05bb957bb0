"""Problems found in the user's files, each pinned to a file, line and column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

PathPart = str | int
JsonPath = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    level: Level
    path: str
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.level.value}: {self.path}: {self.message}"


class InputError(Exception):
    """Raised by the core when the user's input cannot be used; carries every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def json_path(parts: Iterable[PathPart]) -> str:
    """`$.answers["cost.load-test"].status`: dots for plain keys, brackets for the rest and for indexes."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or nothing when no choice is close."""
    options = sorted(set(choices))
    prefixed = [choice for choice in options if len(word) >= 3 and choice.startswith(word)]
    matches = prefixed[:1] or difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)
