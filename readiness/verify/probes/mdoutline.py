"""Markdown artifacts (model cards, runbooks) read as CommonMark into what their probes judge: the headings, the
text blocks under each heading, and whether a section holds written text or only a template's placeholders.

markdown-it-py parses the blocks (CommonMark 0.31 with GFM tables, as GitHub and the Hugging Face Hub render
them); each token's `map` gives its lines. Inline markup is parsed only for short blocks, to tell a placeholder
('[More Information Needed]', 'TBD') from text: no placeholder is long, and inline parsing of long attacker
blocks is where Markdown parsers slow down. A heading is only what CommonMark calls one: `##Mitigation` (no
space) is a paragraph and `## Mitigation` inside a code block is code; `Outline.would_be` keeps such lines so
that a probe can point at them instead of saying only "missing".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_INLINE_LIMIT = 400  # characters: a block longer than this is text, never a placeholder
_LOOKED_AT = 100  # blocks of one section read before it is called placeholders: a template has a few, not more
_WOULD_BE = 100  # heading-like lines kept
_CANDIDATES = 20  # headings of the same name read for one fact
_MARKUP = re.compile(r"[*_`\[\]<>\\&!~]")  # characters that may make inline markup; without them, text is text
_EMPHASIS = re.compile(r"[*_`]+")
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_ATX = re.compile(r" {0,3}(#{1,6})(.*)")  # one quantifier per part: cannot backtrack for long
_OPTIONAL_SUFFIX = "[optional]"  # the Hub template's mark on headings a card may leave out


class Status(str, Enum):
    TEXT = "text"  # written text
    PLACEHOLDER = "placeholder"  # only a template's placeholders
    EMPTY = "empty"  # the heading and nothing else (HTML comments and subheadings do not count)
    MISSING = "missing"  # no such heading


@dataclass(frozen=True)
class Heading:
    """A Markdown heading and where its section ends."""

    index: int  # position among the document's headings
    level: int  # 1 to 6
    line: int
    raw: str  # the heading's inline source, without its '#'s
    end: int  # index of the first heading after this heading's section


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, table cell or code block, under its nearest heading."""

    line: int
    raw: str  # inline source of a paragraph, list item or table cell; the content of a code block
    code: bool
    heading: int  # index of the nearest heading above it, -1 before the first


@dataclass(frozen=True)
class WouldBe:
    """A line written like a heading that CommonMark does not read as one."""

    line: int
    text: str
    words: tuple[str, ...]
    why: str  # why it is not a heading, in words that follow the line's text in a finding
    swallowed: bool  # the author meant it as a heading (no space after '#', a fence never closed)
    fence_line: int  # the code block's opening line, 0 when the line is a paragraph


@dataclass(frozen=True)
class Outline:
    """The headings and text blocks of a Markdown document, in order."""

    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]  # in document order, so their `heading` never decreases
    would_be: tuple[WouldBe, ...]
    under: tuple[int, ...]  # each block's `heading`, for bisecting

    def blocks_under(self, first: int, end: int) -> tuple[Block, ...]:
        """The blocks whose nearest heading is one of headings[first:end]."""
        return self.blocks[bisect_left(self.under, first) : bisect_left(self.under, end)]


@dataclass(frozen=True)
class Placeholders:
    """Texts that stand where a section's text should be: exact ones (compared case-folded, trimmed), and words
    that make a whole block a placeholder when it starts with one ('TODO: add the rota'). Build with `of`."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, exact: tuple[str, ...], prefixes: tuple[str, ...]) -> Placeholders:
        return cls(frozenset(_folded(text) for text in exact), tuple(word.casefold() for word in prefixes))

    def match(self, text: str) -> bool:
        folded = _folded(text)
        if self._alone(folded):
            return True
        # A template's label with its placeholder ("Developed by: [More Information Needed]") says nothing either.
        label, colon, rest = folded.partition(":")
        return bool(colon) and len(label) <= 60 and self._alone(rest.strip())

    def _alone(self, folded: str) -> bool:
        if folded in self.exact:
            return True
        return any(folded.startswith(w) and not folded[len(w) : len(w) + 1].isalnum() for w in self.prefixes)


def _folded(text: str) -> str:
    return _SPACES.sub(" ", text.casefold()).strip(" .:;!")


@dataclass(frozen=True)
class Reading:
    """What a document's section holds about one fact: text, placeholders only, nothing, or no such section."""

    status: Status
    heading: Heading | None
    placeholders: tuple[Block, ...]  # the placeholder blocks, when the section holds nothing else


@dataclass(frozen=True)
class FrontMatter:
    """The YAML front matter of a Markdown document, between its fences."""

    text: str  # between the fences
    first_line: int  # the line after the opening fence
    end_line: int  # the closing fence


def front_matter(text: str, fences: tuple[str, ...] = ("---",)) -> FrontMatter | int | None:
    """The metadata block at the top (after blank lines only), None when there is none, or the line of an opening
    fence that is never closed."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].rstrip() not in fences:
        return None
    fence = lines[start].rstrip()
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() == fence:
            return FrontMatter("\n".join(lines[start + 1 : end]) + "\n", start + 2, end + 1)
    return start + 1


def blanked(text: str, last_line: int) -> str:
    """`text` with its first `last_line` lines made blank, so that the Markdown parser's lines stay the file's."""
    lines = text.split("\n")
    return "\n" * min(last_line, len(lines)) + "\n".join(lines[last_line:])


# Several items ask the same document different questions (a model card: its evaluation, its limitations), one
# probe run each: the outlines of the last two documents read are kept, so the next run does not parse it again.
# Keyed by the text itself, so an outline only ever answers for the very text it was made from.
@lru_cache(maxsize=2)
def outline(text: str) -> Outline:
    """Headings, text blocks and would-be headings of Markdown `text` (line breaks already LF)."""
    tokens = _block_parser().parse(text)
    lines = text.split("\n")
    headings: list[Heading] = []
    blocks: list[Block] = []
    would_be: list[WouldBe] = []
    last_line = 1
    for position, token in enumerate(tokens):
        if token.map is not None:
            last_line = token.map[0] + 1
        if token.type == "heading_open" and position + 1 < len(tokens):
            raw = tokens[position + 1].content
            headings.append(Heading(len(headings), int(token.tag[1]), last_line, raw, -1))
        elif token.type == "inline" and tokens[position - 1].type != "heading_open":
            blocks.append(Block(last_line, token.content, False, len(headings) - 1))
        elif token.type in ("fence", "code_block"):
            blocks.append(Block(last_line, token.content, True, len(headings) - 1))
            would_be += _in_code(token, lines) if len(would_be) < _WOULD_BE else ()
        elif token.type == "paragraph_open" and token.map is not None and len(would_be) < _WOULD_BE:
            would_be += _without_space(token.map, lines)
    return Outline(_with_ends(headings), tuple(blocks), tuple(would_be), tuple(b.heading for b in blocks))


def _with_ends(headings: list[Heading]) -> tuple[Heading, ...]:
    """Each heading with the index where its section ends: the next heading of the same or a higher level."""
    ends = [len(headings)] * len(headings)
    open_: list[Heading] = []
    for heading in headings:
        while open_ and open_[-1].level >= heading.level:
            ends[open_.pop().index] = heading.index
        open_.append(heading)
    return tuple(Heading(h.index, h.level, h.line, h.raw, ends[h.index]) for h in headings)


def _in_code(token: Token, lines: list[str]) -> Iterator[WouldBe]:
    assert token.map is not None
    first, end = token.map
    fence = token.type == "fence"
    closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
    closed = not fence or (end - 1 > first and closing.startswith(token.markup) and set(closing) == {token.markup[0]})
    why = f"is inside the code block opened at line {first + 1}"
    if not closed:
        why += ", which is never closed and so runs to the end of the file"
    for number in range(first + 1 if fence else first, end):
        line = lines[number].strip()
        heading = _ATX.fullmatch(line)
        if heading is not None and heading.group(2)[:1] in (" ", "\t"):
            yield WouldBe(number + 1, line, words(heading.group(2)), why, not closed, first + 1)


def _without_space(span: list[int], lines: list[str]) -> Iterator[WouldBe]:
    for number in range(span[0], min(span[1], len(lines))):
        heading = _ATX.fullmatch(lines[number])
        if heading is not None and heading.group(2)[:1] not in ("", " ", "\t", "#"):
            why = "is not a heading: CommonMark needs a space after the '#'s"
            yield WouldBe(number + 1, lines[number].strip(), words(heading.group(2)), why, True, 0)


def visible(raw: str) -> str:
    """The text a reader sees in a block's inline source: markup, HTML and comments dropped (short blocks only)."""
    if len(raw) > _INLINE_LIMIT or not _MARKUP.search(raw):
        return raw
    parsed = _inline_parser().parseInline(raw)
    parts: list[str] = []
    for token in parsed:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """Made once per process (setting up its rules costs more than reading a runbook): like the inline parser
    below, it holds its rules only, and each parse starts from nothing."""
    parser = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")
    parser.core.ruler.disable(["inline", "text_join"])  # blocks only; inline markup is read per block, if short
    return parser


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark")  # holds its rules only: nothing of one parse is kept for the next


def words(raw: str) -> tuple[str, ...]:
    """The words of a heading, case-folded: emphasis, numbering, emoji and punctuation dropped. Read from the
    source (no inline parsing), as a document may have thousands of headings."""
    return tuple(_WORD.findall(raw.casefold()))


def name(raw: str) -> str:
    """A heading's name for comparing with a template's: case-folded, emphasis, '[optional]' and spacing dropped."""
    plain = _EMPHASIS.sub("", raw.casefold()).replace(_OPTIONAL_SUFFIX, "")
    return _SPACES.sub(" ", plain).strip(" :")


def read_section(
    document: Outline,
    heading: Heading,
    placeholders: Placeholders,
    *,
    own_only: bool = False,
    leave_out: Callable[[Heading], bool] | None = None,
) -> Reading:
    """What the section under `heading` holds: its own blocks and (unless `own_only`) its subsections', except those
    of subsections `leave_out` names (and everything under them)."""
    end = heading.index + 1 if own_only else heading.end
    skipped: set[int] = set()
    if leave_out is not None:
        index = heading.index + 1
        while index < end:
            inner = document.headings[index]
            if leave_out(inner):
                skipped.update(range(inner.index, inner.end))
                index = inner.end
            else:
                index += 1
    found: list[Block] = []
    for block in document.blocks_under(heading.index, end):
        if block.heading in skipped:
            continue
        text = (block.raw if block.code else visible(block.raw)).strip()
        if not text:
            continue  # an HTML comment, an empty fence: nothing a reader sees
        if not placeholders.match(text):
            return Reading(Status.TEXT, heading, ())
        found.append(block)
        if len(found) == _LOOKED_AT:
            break
    return Reading(Status.PLACEHOLDER if found else Status.EMPTY, heading, tuple(found))


def read_best(
    document: Outline,
    headings: list[Heading],
    placeholders: Placeholders,
    *,
    own_only: bool = False,
    leave_out: Callable[[Heading], bool] | None = None,
) -> Reading:
    """Of several headings that may hold one fact (the first few of them), the section that says most: text, then
    placeholders, then empty."""
    order = (Status.TEXT, Status.PLACEHOLDER, Status.EMPTY, Status.MISSING)
    readings = [
        read_section(document, heading, placeholders, own_only=own_only, leave_out=leave_out)
        for heading in headings[:_CANDIDATES]
    ]
    ranked = sorted(enumerate(readings), key=lambda pair: (order.index(pair[1].status), pair[0]))
    return ranked[0][1] if ranked else Reading(Status.MISSING, None, ())
