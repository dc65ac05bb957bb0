"""Problems found in the user's files, each pinned to a file, line and column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from readiness.load.textsafe import visible

PathPart = str | int
JsonPath = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


NO_POSITION = 0  # the line of a problem of the whole file (missing, or lacking a section): it has no place in it


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a file, placed at a line and column, printed as FILE:LINE:COL: LEVEL: PATH: MESSAGE."""

    file: str
    line: int  # 1-based; NO_POSITION for a problem of the whole file
    column: int  # 1-based; NO_POSITION likewise
    level: Level
    path: str
    message: str

    def format(self) -> str:
        """One line, whatever a file name or a quoted message from git or the system holds. A problem with a
        place is FILE:LINE:COL; one of the whole file names the file alone, rather than pretend it is at 1:1."""
        where = self.file if self.line == NO_POSITION else f"{self.file}:{self.line}:{self.column}"
        return visible(f"{where}: {self.level.value}: {self.path}: {self.message}")


def whole_file(file: str, message: str, level: Level = Level.ERROR) -> Diagnostic:
    """A problem of the file as a whole, at no line."""
    return Diagnostic(file, NO_POSITION, NO_POSITION, level, "$", message)


class InputError(Exception):
    """Raised by the core when the user's input cannot be used; carries every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def internal_error(file: str, error: BaseException) -> str:
    """One line for a bug met while scoring one file of many (a project of a portfolio, a version in the history):
    that file is listed with it and the others go on."""
    detail = " ".join(str(error).split()) or "no detail"
    return f"{file}: internal error: {type(error).__name__}: {detail}"


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


def _closest(word: str, choices: Iterable[str]) -> str | None:
    options = sorted(set(choices))
    prefixed = [choice for choice in options if len(word) >= 3 and choice.startswith(word)]
    matches = prefixed[:1] or difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or nothing when no choice is close."""
    match = _closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""


def did_you_mean_item(item_id: str, choices: Iterable[str]) -> str:
    """Like did_you_mean for `pack.item` ids: within the same pack, the shared prefix proves nothing."""
    pack, _, local = item_id.partition(".")
    same_pack = {choice.partition(".")[2]: choice for choice in choices if choice.partition(".")[0] == pack}
    if not same_pack:
        return did_you_mean(item_id, choices)
    match = _closest(local, same_pack)
    return f" (did you mean '{same_pack[match]}'?)" if match else ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)
