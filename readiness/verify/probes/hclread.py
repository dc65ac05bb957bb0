"""What an HCL file says (HashiCorp's native syntax, hclsyntax/spec.md): its blocks with their labels, and each
attribute's value where it is written as a literal, every one with its line and column. One pass over the
tokens of hclscan; the reader recurses once per nesting level, which the scan bounds.

A value is read as Terraform would before anything runs: a string (escapes decoded, a `<<-` heredoc's shared
indentation removed, NFC-normalised as Terraform's strings are), a number (exact, a Decimal), a bool, null
(None), a tuple or an object of such values. Anything that needs evaluation (a reference, a function call, a
conditional, a `for` expression, arithmetic, a string with a `${…}` or `%{…}` sequence) is an `Expression`
holding its source text, so that a probe can say what it could not read. Such an expression is stepped over by
its brackets, not checked (Terraform judges it); the structure around it (blocks, attributes, lists, objects)
is checked as the spec says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from readiness.verify.probes.hclscan import (
    END,
    HEREDOC,
    HEREDOC_END,
    IDENT,
    LITERAL,
    NEWLINE,
    NUMBER,
    OPENING,
    SEQUENCE_END,
    STRING,
    STRING_END,
    WHITE_SPACE,
    HclSyntaxError,
    Lines,
    Scan,
    Token,
    scan,
)


@dataclass(frozen=True)
class Expression:
    """A value known only when Terraform runs: its source text, as written."""

    text: str


Value: TypeAlias = "str | Decimal | bool | tuple[Value, ...] | dict[str, Value] | Expression | None"


@dataclass(frozen=True)
class Attribute:
    """A `name = value` of an HCL body, with where its value starts."""

    name: str
    value: Value
    at: tuple[int, int]  # the value's first character (a string's opening quote)


@dataclass
class Block:
    """A block (`resource "aws_budgets_budget" "x" { … }`) or the file itself (type "")."""

    type: str
    labels: tuple[str, ...]
    at: tuple[int, int]  # the block's type keyword
    label_at: tuple[tuple[int, int], ...]  # each label's first character (the opening quote of a string)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def children(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]

    def value(self, name: str) -> Value:
        """The attribute's value; None when it is not set (as Terraform takes null)."""
        attribute = self.attributes.get(name)
        return None if attribute is None else attribute.value


@dataclass(frozen=True)
class Broken:
    """Where the text stops being HCL, and why."""

    line: int
    column: int
    message: str


def read(text: str) -> Block | Broken:
    """The file's body (a Block of type ""), or where and why it is not HCL."""
    try:
        reader = _Reader(text, scan(text))
        root = Block("", (), (1, 1), ())
        reader.body(root, nested=False)
    except HclSyntaxError as error:
        line, column = Lines(text).at(error.offset)
        return Broken(line, column, error.message)
    return root


class _Unread:
    """What a term that needs evaluation reads as, until its whole expression's text is known."""


_UNREAD = _Unread()
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_KEYWORDS: dict[str, Value] = {"true": True, "false": False, "null": None}
# What may follow a whole term in an expression (an operator, an attribute or index, a call, a conditional)...
_CONTINUING = frozenset(
    ("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "?", ".", "[", "(", "::")
)
# ...and what ends one, in a body, a list, an object or a call.
_ENDING = frozenset((NEWLINE, END, ",", "]", "}", ")", "=", ":", "=>", "...", SEQUENCE_END))


class _Reader:
    def __init__(self, text: str, scanned: Scan) -> None:
        self.text = text
        self.tokens = scanned.tokens
        self.closing = scanned.closing
        self.index = 0
        self.last_end = 0  # where the last token taken (not a line break) ends
        self.lines = Lines(text)

    def peek(self, newlines: bool) -> Token:
        """The next token; inside brackets, where they mean nothing, line breaks are stepped over."""
        if not newlines:
            while self.tokens[self.index].kind == NEWLINE:
                self.index += 1
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != END:  # END stays, so that every peek finds a token
            self.index += 1
        if token.kind != NEWLINE:
            self.last_end = token.end
        return token

    def error(self, token: Token, message: str) -> HclSyntaxError:
        return HclSyntaxError(token.start, message)

    def place(self, token: Token) -> tuple[int, int]:
        return self.lines.at(token.start)

    def name(self, token: Token) -> str:
        return self.text[token.start : token.end]

    # The structure: bodies, attributes, blocks.

    def body(self, block: Block, nested: bool) -> None:
        while True:
            token = self.take()
            if token.kind == NEWLINE:
                continue
            if token.kind == ("}" if nested else END):
                return
            if token.kind != IDENT:
                raise self.error(token, "an attribute (name = value) or a block is expected here")
            after = self.peek(True)
            if after.kind == "=":
                self.attribute(block, token)
                ending = self.peek(True)
                if ending.kind not in (NEWLINE, END):
                    raise self.error(ending, "an attribute ends with its line: nothing may follow its value")
            elif after.kind in (STRING, IDENT, "{"):
                self.block(block, token)
            else:
                message = f"{_cut(self.name(token))} is followed by = (an attribute) or by a block's labels and {{"
                raise self.error(after, message)

    def attribute(self, block: Block, name_token: Token) -> None:
        self.take()  # =
        first = self.peek(True)
        value = self.expression(newlines=True)
        name = self.name(name_token)
        if name in block.attributes:
            line, column = block.attributes[name].at
            message = f"{_cut(name)} is set a second time in this block (first at {line}:{column})"
            raise self.error(name_token, message)
        block.attributes[name] = Attribute(name, value, self.place(first))

    def block(self, parent: Block, type_token: Token) -> None:
        labels: list[str] = []
        places: list[tuple[int, int]] = []
        while (token := self.take()).kind != "{":
            if token.kind == IDENT:
                labels.append(self.name(token))
            elif token.kind == STRING:
                labels.append(self.label(token))
            else:
                raise self.error(token, "a block's labels are followed by { on the same line")
            places.append(self.place(token))
        block = Block(self.name(type_token), tuple(labels), self.place(type_token), tuple(places))
        parent.blocks.append(block)
        if self.peek(True).kind in (NEWLINE, "}"):
            self.body(block, nested=True)
        else:
            self.one_line_body(block)
        ending = self.peek(True)
        if ending.kind not in (NEWLINE, END):
            raise self.error(ending, "a block ends with its line: nothing may follow its }")

    def one_line_body(self, block: Block) -> None:
        """`name { attribute = value }`: one attribute, closed on the same line."""
        token = self.take()
        if token.kind != IDENT or self.peek(True).kind != "=":
            raise self.error(token, "a block opened and closed on one line holds a single attribute (name = value)")
        self.attribute(block, token)
        closing = self.take()
        if closing.kind != "}":
            raise self.error(closing, "a block opened and closed on one line holds a single attribute, then }")

    def label(self, opening: Token) -> str:
        pieces = []
        while (token := self.take()).kind != STRING_END:
            if token.kind != LITERAL:
                raise self.error(token, "a block's label is a plain string: it cannot hold a ${…} or %{…} sequence")
            pieces.append(token.text)
        return "".join(pieces)

    # Values.

    def expression(self, newlines: bool) -> Value:
        """One expression from here; a line break ends it where `newlines` (in a body and in an object)."""
        first = self.peek(newlines)
        value = self.term(newlines)
        after = self.peek(newlines)
        if after.kind not in _ENDING:
            if after.kind not in _CONTINUING:
                raise self.error(after, "an operator, a comma or the end of the value is expected here")
            self.rest(newlines)
            value = _UNREAD
        if isinstance(value, _Unread):
            return Expression(self.text[first.start : self.last_end])
        return value

    def term(self, newlines: bool) -> Value | _Unread:
        token = self.peek(newlines)
        kind = token.kind
        if kind == NUMBER:
            self.take()
            return self.number(token, negative=False)
        if kind == "-" and self.tokens[self.index + 1].kind == NUMBER:
            self.take()
            return self.number(self.take(), negative=True)
        if kind == IDENT:
            self.take()
            name = self.name(token)
            calling = self.peek(newlines).kind in ("(", "::")
            return _KEYWORDS[name] if name in _KEYWORDS and not calling else _UNREAD
        if kind in (STRING, HEREDOC):
            return self.template(self.take())
        if kind == "[":
            return self.tuple()
        if kind == "{":
            return self.object()
        if kind == "(":
            self.group()
            return _UNREAD
        if kind in ("!", "-"):
            while self.peek(newlines).kind in ("!", "-"):  # a loop, not a recursion: `!!!…x` may be long
                self.take()
            self.term(newlines)
            return _UNREAD
        raise self.error(token, "a value is expected here")

    def number(self, token: Token, negative: bool) -> Decimal:
        written = self.name(token)
        if _NUMBER.fullmatch(written) is None:
            raise self.error(token, f"{_cut(written)} is not a number")
        try:
            number = Decimal(written)
        except InvalidOperation:
            raise self.error(token, "this number is beyond what Terraform can hold") from None
        return number.copy_negate() if negative else number  # exact: unary minus would round to 28 digits

    def template(self, opening: Token) -> Value | _Unread:
        """A quoted string or a heredoc: a str when it holds only literal text, else unread."""
        closing = STRING_END if opening.kind == STRING else HEREDOC_END
        pieces: list[str] = []
        literal = True
        while (token := self.take()).kind != closing:
            if token.kind == LITERAL:
                pieces.append(token.text)
            else:  # a ${…} or %{…} sequence
                literal = False
                self.index -= 1
                self.group()
        if not literal:
            return _UNREAD
        if opening.text.startswith("<<-"):
            pieces = _flush(pieces)
        # Terraform's strings are NFC-normalised (cty does it to every string value): compare as it would.
        return unicodedata.normalize("NFC", "".join(pieces))

    def tuple(self) -> Value | _Unread:
        if self.is_for():
            return _UNREAD
        self.take()  # [
        items: list[Value] = []
        while self.peek(False).kind != "]":
            items.append(self.expression(newlines=False))
            token = self.peek(False)
            if token.kind == ",":
                self.take()
            elif token.kind != "]":
                raise self.error(token, "a comma or ] is expected here")
        self.take()
        return tuple(items)

    def object(self) -> Value | _Unread:
        if self.is_for():
            return _UNREAD
        self.take()  # {
        items: dict[str, Value] = {}
        readable = True
        while self.skip_newlines().kind != "}":
            key = self.key()
            readable = readable and isinstance(key, str)
            separator = self.take()
            if separator.kind not in ("=", ":"):
                raise self.error(separator, "= or : is expected after an object's key")
            value = self.expression(newlines=True)
            if isinstance(key, str):
                items[key] = value
            token = self.peek(True)
            if token.kind in (",", NEWLINE):
                self.take()
            elif token.kind != "}":
                raise self.error(token, "a comma, a line break or } is expected here")
        self.take()
        return items if readable else _UNREAD

    def key(self) -> Value:
        """An object's key: a name stands for itself; any other expression is the key's value."""
        token = self.peek(True)
        if token.kind == IDENT and self.tokens[self.index + 1].kind in ("=", ":"):
            self.take()
            return self.name(token)
        return self.expression(newlines=True)

    def skip_newlines(self) -> Token:
        while self.peek(True).kind == NEWLINE:
            self.take()
        return self.peek(True)

    def is_for(self) -> bool:
        """At a `[` or `{` that opens a `for` expression, steps over it."""
        after = self.index + 1
        while self.tokens[after].kind == NEWLINE:
            after += 1
        if self.tokens[after].kind == IDENT and self.name(self.tokens[after]) == "for":
            self.group()
            return True
        return False

    def group(self) -> None:
        """Steps over the bracketed group (or template sequence) that opens at the current token, to the token
        after the one that closes it: the scan paired them."""
        closing = self.closing[self.index]
        self.last_end = self.tokens[closing].end
        self.index = closing + 1

    def rest(self, newlines: bool) -> None:
        """Steps over the rest of an expression after its first term: to a line break where `newlines`, or to
        what ends an expression outside brackets (a `:` ends it unless it answers a `?`)."""
        questions = 0
        while True:
            token = self.peek(newlines)
            if token.kind == ":" and questions:
                questions -= 1
            elif token.kind in _ENDING:
                return
            elif token.kind == "?":
                questions += 1
            if token.kind in OPENING:
                self.group()
            else:
                self.take()


def _cut(name: str) -> str:
    """A name or a number as a message shows it: the text may be hostile, a message stays short."""
    return name if len(name) <= 40 else name[:40] + "…"


def _flush(lines: list[str]) -> list[str]:
    """A `<<-` heredoc's lines without the indentation they all share; a blank line counts for nothing and is
    kept as written (as HCL does)."""

    def blank(line: str) -> bool:
        return not line.strip(WHITE_SPACE)

    indents = [len(line) - len(line.lstrip(WHITE_SPACE)) for line in lines if not blank(line)]
    cut = min(indents, default=0)
    return [line if blank(line) else line[cut:] for line in lines]
