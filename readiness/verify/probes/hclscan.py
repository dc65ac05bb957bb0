"""Where things stand in an HCL file: the blocks, their labels and the attributes of each, with 1-based lines
and columns, found by one pass over the text.

python-hcl2 gives values but no positions, so the terraform probe reads values from it and places from here,
matching blocks by type, labels and order. The scan only has to find structure, not to validate it (the
parser does that): strings (with `${…}` templates that nest strings), heredocs and the three comment forms are
stepped over so that a brace inside them is not taken for a block. Every character is looked at a bounded
number of times, whatever the file holds, and no state grows deeper than the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z0-9_.\-]+")
_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n")
_LINE_BREAK = re.compile("\r\n|\r|\n")
_OPENING = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "string", "heredoc", "nl", or the punctuation character itself
    start: int
    end: int


@dataclass
class Block:
    """A block (`resource "aws_budgets_budget" "x" { … }`) or the file itself (type "")."""

    type: str
    labels: tuple[str, ...]
    at: tuple[int, int]  # the block's type keyword
    label_at: tuple[tuple[int, int], ...]  # each label's first character (the opening quote of a string)
    attributes: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> the value's first character
    blocks: list[Block] = field(default_factory=list)

    def children(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]


@dataclass(frozen=True)
class Scan:
    root: Block
    depth: int  # the deepest nesting of blocks, brackets and braces
    deepest: tuple[int, int]  # where that depth was first reached


class _Places:
    def __init__(self, text: str) -> None:
        self.starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]

    def of(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def scan(text: str) -> Scan:
    places = _Places(text)
    tokens = list(_tokens(text))
    root = Block("", (), (1, 1), ())
    stack = [root]
    depth, deepest = 0, 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "}" and len(stack) > 1:
            stack.pop()
        elif token.kind == "word" and index + 1 < len(tokens):
            after = tokens[index + 1]
            name = text[token.start : token.end]
            if after.kind == "=":
                value = tokens[index + 2] if index + 2 < len(tokens) else after
                stack[-1].attributes.setdefault(name, places.of(value.start))
                index, reached, where = _expression_end(tokens, index + 2, len(stack))
                if reached > depth:
                    depth, deepest = reached, where
                continue
            labels = index + 1
            while labels < len(tokens) and tokens[labels].kind in ("string", "word"):
                labels += 1
            if labels < len(tokens) and tokens[labels].kind == "{":
                found = tokens[index + 1 : labels]
                block = Block(
                    name,
                    tuple(_label(text, label) for label in found),
                    places.of(token.start),
                    tuple(places.of(label.start) for label in found),
                )
                stack[-1].blocks.append(block)
                stack.append(block)
                if len(stack) - 1 > depth:
                    depth, deepest = len(stack) - 1, tokens[labels].start
                index = labels + 1
                continue
        index += 1
    return Scan(root, depth, places.of(deepest))


def _label(text: str, token: _Token) -> str:
    raw = text[token.start : token.end]
    return raw[1:-1] if token.kind == "string" and raw.endswith('"') and len(raw) > 1 else raw


def _expression_end(tokens: list[_Token], index: int, blocks: int) -> tuple[int, int, int]:
    """Where an attribute's expression ends (a line break outside brackets, or the `}` closing its block), the
    deepest nesting reached in it counting the enclosing blocks, and where."""
    open_ = 0
    deepest, where = 0, tokens[index - 1].start
    while index < len(tokens):
        kind = tokens[index].kind
        if open_ == 0 and kind in ("nl", "}"):
            break
        if kind in _OPENING:
            open_ += 1
            if blocks + open_ > deepest:
                deepest, where = blocks + open_, tokens[index].start
        elif kind in (")", "]", "}"):
            open_ -= 1
        index += 1
    return index, deepest, where


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    length = len(text)
    index = 0
    while index < length:
        char = text[index]
        if char == "\n" or char == "\r":
            found.append(_Token("nl", index, index + 1))
            index += 1
        elif char in " \t":
            index += 1
        elif char == "#" or text.startswith("//", index):
            index = _line_end(text, index)
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = length if close < 0 else close + 2
        elif char == '"':
            end = _string_end(text, index)
            found.append(_Token("string", index, end))
            index = end
        elif char == "<" and (heredoc := _HEREDOC.match(text, index)) is not None:
            end = _heredoc_end(text, heredoc.end(), heredoc.group(1))
            found.append(_Token("heredoc", index, end))
            index = end
        elif (word := _WORD.match(text, index)) is not None:
            found.append(_Token("word", index, word.end()))
            index = word.end()
        else:
            found.append(_Token(char, index, index + 1))
            index += 1
    return found


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _string_end(text: str, index: int) -> int:
    """The end of the quoted string that opens at `index`: templates `${…}` and `%{…}` may hold braces and
    strings of their own. A line break ends an unclosed string (HCL does not allow one in a quoted string)."""
    stack = ['"']  # '"': inside a string; "{": inside a template or braces within one
    index += 1
    length = len(text)
    while index < length and stack:
        char = text[index]
        if stack[-1] == '"':
            if char == "\\":
                index += 2
                continue
            if char == "\n":
                return index
            if char == '"':
                stack.pop()
            elif char in "$%" and text.startswith("{", index + 1):
                if text[index - 1] == char:
                    index += 2  # `$${` and `%%{` are escapes, not templates
                    continue
                stack.append("{")
                index += 1
        elif char == '"':
            stack.append('"')
        elif char == "{":
            stack.append("{")
        elif char == "}":
            stack.pop()
        index += 1
    return index


def _heredoc_end(text: str, index: int, marker: str) -> int:
    """The end of a heredoc whose body starts at `index`: after the line that holds only its marker."""
    length = len(text)
    while index < length:
        end = _line_end(text, index)
        if text[index:end].strip() == marker:
            return end
        index = end + 1
    return length
