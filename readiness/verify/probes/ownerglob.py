"""CODEOWNERS patterns matched as each forge matches them, in time bounded by a budget of steps.

GitHub follows most gitignore rules (docs: about-code-owners): a pattern with a slash at the start or in the
middle is anchored at the root, otherwise it matches at any depth; a trailing slash matches a directory and all
below it; a pattern that names a directory (`/apps/github`) covers its contents; `docs/*` matches the files
directly in docs/ only; `**` spans directories; `\\` escapes; `[ ]` ranges and `!` are not supported. GitLab
(doc codeowners/advanced.md) normalises a pattern (no leading slash: `/**/` in front; trailing slash: `**/*`
behind) and matches the whole path with Ruby's File.fnmatch and FNM_PATHNAME | FNM_DOTMATCH, ranges included.

Patterns come from the pull request, so there is no regular expression here: a two-pointer wildcard match over
segments and characters (linear in practice, at most pattern length times path length), charged to a `Budget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_GLOBSTAR = "**"  # a segment matching any number of segments


class OverBudget(Exception):
    """Matching took more steps than the budget allows: the file is too complex to judge."""


@dataclass
class Budget:
    """The steps a pattern match may take in one file, so that no pattern can stall the probe."""

    steps: int
    spent: int = field(default=0)

    def spend(self, steps: int) -> None:
        self.spent += steps
        if self.spent > self.steps:
            raise OverBudget


@dataclass(frozen=True)
class _Wild:
    """`*` or `?` in a segment; a literal character is a str, so an escaped `\\*` stays a character."""

    kind: str


_STAR, _ANY = _Wild("*"), _Wild("?")


@dataclass(frozen=True)
class _Class:
    """A bracket expression of an ownership pattern, such as [a-z] or [!0-9]."""

    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def has(self, char: str) -> bool:
        inside = char in self.chars or any(low <= char <= high for low, high in self.ranges)
        return inside != self.negated


_Token = str | _Wild | _Class
_Segment = tuple[_Token, ...] | str  # tokens, or _GLOBSTAR


@dataclass(frozen=True)
class Pattern:
    """An ownership pattern of a CODEOWNERS file, read the way its host reads it."""

    segments: tuple[_Segment, ...]
    prefixes: str  # GitHub: "all" (the path or a directory above it), "dirs" (a directory above it), "exact"

    def matches(self, path: str, budget: Budget) -> bool:
        parts = path.split("/")
        budget.spend(1)
        if self.prefixes == "exact":
            return _match(self.segments, parts, budget)
        stop = len(parts) if self.prefixes == "all" else len(parts) - 1
        if _GLOBSTAR not in self.segments:  # then only the prefix of as many parts as it has segments can match
            return len(self.segments) <= stop and _match(self.segments, parts[: len(self.segments)], budget)
        return any(_match(self.segments, parts[:k], budget) for k in range(1, stop + 1))


def github(pattern: str) -> Pattern | None:
    """The pattern as GitHub reads it, or None for one that can match nothing."""
    directory = pattern.endswith("/")
    body = pattern.rstrip("/")
    anchored = "/" in body
    parts = body.lstrip("/").split("/")
    if not body.lstrip("/"):
        return None
    if not anchored:
        parts.insert(0, _GLOBSTAR)
    if parts[-1] == _GLOBSTAR and not directory:
        parts[-1:] = ["*", _GLOBSTAR]  # `foo/**`: everything inside foo, not foo itself
    prefixes = "dirs" if directory else "exact" if anchored and parts[-1] == "*" else "all"
    return Pattern(tuple(_segment(part, classes=False) for part in parts), prefixes)


def gitlab(pattern: str) -> Pattern | None:
    """The pattern as GitLab normalises and matches it (whole paths only)."""
    if pattern == "*":
        pattern = "/**/*"
    if not pattern.startswith("/"):
        pattern = "/**/" + pattern
    if pattern.endswith("/"):
        pattern += "**/*"
    parts = pattern[1:].split("/")
    if parts[-1] == _GLOBSTAR:
        parts[-1] = "*"  # fnmatch reads a final `**` (no slash after it) as `*`
    return Pattern(tuple(_segment(part, classes=True) for part in parts), "exact")


def instance(pattern: str) -> str:
    """A path the pattern is written to match, its wildcards filled with 'x' (a directory pattern gets a file 'x')."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(pattern[index + 1])
            index += 2
            continue
        if char in "*?":
            if not out or out[-1] != "x":
                out.append("x")
        elif char == "[" and "]" in pattern[index + 2 :]:
            close = pattern.index("]", index + 2)
            first = pattern[index + 1]
            out.append("x" if first in "!^" else first)
            index = close
        else:
            out.append(char)
        index += 1
    path = "".join(out).strip("/")
    return path + "/x" if pattern.endswith("/") else path


def _segment(text: str, *, classes: bool) -> _Segment:
    if text == _GLOBSTAR:
        return _GLOBSTAR
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            tokens.append(text[index + 1])
            index += 2
            continue
        if char == "*":
            if not tokens or tokens[-1] is not _STAR:  # `**` inside a segment is `*`
                tokens.append(_STAR)
        elif char == "?":
            tokens.append(_ANY)
        elif char == "[" and classes and "]" in text[index + 2 :]:
            close = text.index("]", index + 2)
            tokens.append(_class(text[index + 1 : close]))
            index = close
        else:
            tokens.append(char)
        index += 1
    return tuple(tokens)


def _class(body: str) -> _Class:
    negated = body[:1] in ("!", "^")
    body = body[1:] if negated else body
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            ranges.append((body[index], body[index + 2]))
            index += 3
        else:
            chars.add(body[index])
            index += 1
    return _Class(frozenset(chars), tuple(ranges), negated)


def _match(segments: tuple[_Segment, ...], parts: list[str], budget: Budget) -> bool:
    """Wildcard matching over segments, `**` the star: the last star is retried one part further on failure."""
    if _GLOBSTAR not in segments and len(segments) != len(parts):
        return False
    s = p = 0
    star, mark = -1, 0
    while p < len(parts):
        budget.spend(1)
        segment = segments[s] if s < len(segments) else None
        if segment == _GLOBSTAR:
            star, mark = s, p
            s += 1
        elif isinstance(segment, tuple) and _chars(segment, parts[p], budget):
            s += 1
            p += 1
        elif star >= 0:
            s, mark = star + 1, mark + 1
            p = mark
        else:
            return False
    while s < len(segments) and segments[s] == _GLOBSTAR:
        s += 1
    return s == len(segments)


def _chars(tokens: tuple[_Token, ...], text: str, budget: Budget) -> bool:
    """The same matching over one segment's characters, `*` the star."""
    t = c = 0
    star, mark = -1, 0
    while c < len(text):
        budget.spend(1)
        token = tokens[t] if t < len(tokens) else None
        if token is _STAR:
            star, mark = t, c
            t += 1
        elif token is not None and _one(token, text[c]):
            t += 1
            c += 1
        elif star >= 0:
            t, mark = star + 1, mark + 1
            c = mark
        else:
            return False
    while t < len(tokens) and tokens[t] is _STAR:
        t += 1
    return t == len(tokens)


def _one(token: _Token, char: str) -> bool:
    if isinstance(token, _Class):
        return token.has(char)
    return token is _ANY or token == char
