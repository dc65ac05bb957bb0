"""Glob patterns of evidence and automated checks, compiled to regular expressions that never backtrack for long,
and the rules an entry of a pack or an assessment must follow before anything is matched against it.

`**` spans any number of folders (none included); `*`, `?` and `[...]` stay within one name; `[!...]` negates.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePosixPath

from readiness.load.textsafe import first_control, visible

_MAGIC = re.compile(r"[*?\[]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_glob(entry: str) -> bool:
    return _MAGIC.search(entry) is not None


class GlobError(ValueError):
    """A glob that cannot be read; the message says why."""


@lru_cache(maxsize=512)
def glob_pattern(pattern: str) -> re.Pattern[str]:
    """`**` spans any number of folders (none included); `*`, `?` and `[...]` stay within one name.

    Raises GlobError for a character class that cannot be read. No pattern can make a match backtrack for
    long: `*a*a*a…b` or `**/x/**/x/**/…` against a name that almost matches would try every way of splitting
    the name, which takes minutes for a dozen wildcards. So each `*` but a segment's last, and each `**` but the
    pattern's last, takes the first place where what follows it fits (the earliest fit never loses a match, as
    another wildcard follows), and never gives it back: `(?=(?P<g>…))(?P=g)`, an atomic group that Python
    3.10's `re` can express.
    """
    parts: list[str] = []
    for part in pattern.split("/"):
        if not (part == "**" and parts[-1:] == ["**"]):  # `**/**` is `**`
            parts.append(part)
    names = itertools.count()  # each atomic group needs a name of its own
    blocks: list[list[str]] = [[]]  # the segments between the `**` parts
    for part in parts:
        if part == "**":
            blocks.append([])
        else:
            blocks[-1].append(_segment(part, names))
    out = "/".join(blocks[0]) + ("/" if blocks[0] and len(blocks) > 1 else "")
    for index, block in enumerate(blocks[1:], start=1):
        if not block:  # the pattern ends in `**`: at least one more name
            out += ".+"
        elif index == len(blocks) - 1:  # the last block ends the path, so it can only sit at the end
            out += "(?:[^/]+/)*" + "/".join(block)
        else:
            out += _atomic("(?:[^/]+/)*?" + "/".join(block) + "/", names)
    return re.compile(out + r"\Z")


def _atomic(body: str, names: Iterator[int]) -> str:
    name = f"g{next(names)}"
    return f"(?=(?P<{name}>{body}))(?P={name})"


def _segment(part: str, names: Iterator[int]) -> str:
    """One name of a path: the pieces between its stars, each star but the last one atomic."""
    pieces: list[str] = [""]
    i = 0
    while i < len(part):
        char = part[i]
        if char == "*":
            pieces.append("")
        elif char == "?":
            pieces[-1] += "[^/]"
        elif char == "[" and (found := _char_class(part, i)) is not None:
            pieces[-1] += found[0]
            i = found[1]
        else:
            pieces[-1] += re.escape(char)
        i += 1
    if len(pieces) == 1:
        return pieces[0]
    middle = "".join(_atomic("[^/]*?" + piece, names) for piece in pieces[1:-1] if piece)
    return pieces[0] + middle + "[^/]*" + pieces[-1]


def _char_class(part: str, start: int) -> tuple[str, int] | None:
    """The class that opens at `part[start]`, as a regex, and where its `]` is; None when it never closes.

    As in shells, `[!…]` negates and a `]` right after `[` or `[!` is a member. Every member is escaped, so
    nothing in a glob is read as regex syntax, and a class never matches '/'.
    """
    i = start + 1
    negate = part[i : i + 1] == "!"
    first = i + 1 if negate else i
    end = part.find("]", first + 1 if part[first : first + 1] == "]" else first)
    if end == -1:
        return None
    members, out, j = part[first:end], [], 0
    spans_slash = False
    while j < len(members):
        if j + 2 < len(members) and members[j + 1] == "-":
            low, high = members[j], members[j + 2]
            if low > high:
                raise GlobError(f"the range '{low}-{high}' in '{part[start : end + 1]}' runs backwards")
            spans_slash = spans_slash or low <= "/" <= high
            out.append(f"{re.escape(low)}-{re.escape(high)}")
            j += 3
        else:
            out.append(re.escape(members[j]))
            j += 1
    body = "".join(out)
    if negate:
        return f"[^/{body}]", end
    return ("(?!/)" if spans_slash else "") + f"[{body}]", end


def split_glob(pattern: str) -> tuple[str, str]:
    """The literal folders in front of the first wildcard, and the rest."""
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        if is_glob(part):
            return "/".join(parts[:index]), "/".join(parts[index:])
    return pattern, ""


@lru_cache(maxsize=1024)
def literal_tail(pattern: str) -> str:
    """The text every match must end with: what follows the last wildcard of the last segment ('.md' in
    '**/*.md'); empty when the pattern ends in a wildcard or a character class."""
    last = pattern.rsplit("/", 1)[-1]
    cut = max(last.rfind("*"), last.rfind("?"), last.rfind("]"))
    tail = last[cut + 1 :]
    return "" if "[" in tail else tail


# --- What a pack or an assessment may write as an entry ---------------------------------------------------


def absolute(entry: str) -> bool:
    """Rooted or on a drive, on any system: evidence and globs are relative to the assessment's folder."""
    return entry.startswith(("/", "\\")) or _DRIVE.match(entry) is not None


@lru_cache(maxsize=1024)
def glob_problem(pattern: str) -> str | None:
    """Why a glob in a pack's `auto.files` cannot be used, if it cannot: packs do not know where a project is."""
    control = control_problem(pattern)
    if control is not None:
        return control
    if absolute(pattern):
        return f"'{pattern}' is absolute; automated globs are relative to the assessment's folder"
    if ".." in PurePosixPath(pattern.replace("\\", "/")).parts:  # a glob reads '\\' as '/'
        return f"'{pattern}' uses '..'; automated globs must stay inside the assessment's folder"
    try:
        glob_pattern(pattern.replace("\\", "/"))
    except GlobError as error:
        return unreadable(pattern, error)
    return None


def unreadable(entry: str, error: GlobError) -> str:
    return f"'{entry}' is not a glob readiness can read: {error}"


def control_problem(entry: str) -> str | None:
    """Why an entry holding a control character is refused: no file in a repository is named with one, and
    shown as it is, a line break would split a diagnostic in two and an escape sequence would reach the
    terminal. The entry is shown with the character written out."""
    position = first_control(entry)
    if position is None:
        return None
    return (
        f"'{visible(entry)}' holds the control character U+{ord(entry[position]):04X} at character "
        f"{position + 1}; a path or URL never does"
    )
