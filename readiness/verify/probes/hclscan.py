"""The tokens of an HCL file in HashiCorp's native syntax (hashicorp/hcl, hclsyntax/spec.md), found in one pass,
or the place where the text stops being HCL.

Comments (`#`, `//`, `/* */`) are dropped; a line comment stands for the line break that ends it, as in the
spec. A quoted string or a heredoc comes as a template: its opening token, literal pieces with their escapes
decoded, `${`/`%{` sequences whose own tokens follow, and its closing token. Every bracket is matched here
(`{` `[` `(` `"` `<<` `${` `%{`), so the reader can trust them, and nesting is bounded by MAX_DEPTH: the text
may be hostile. Every character is looked at a bounded number of times, whatever the file holds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

MAX_DEPTH = 64  # blocks, brackets, strings and template sequences open at once

# Token kinds. Punctuation is its own kind ("{", "=", "==", "..."); these are the others.
IDENT = "ident"
NUMBER = "number"
NEWLINE = "newline"  # a line break, or the line comment that ends with one
END = "end"  # the end of the text
STRING = 'open "'
STRING_END = 'close "'
HEREDOC = "open <<"  # its text is the introducer: `<<EOT` or `<<-EOT`
HEREDOC_END = "close <<"
LITERAL = "literal"  # a piece of a string or heredoc; its text is the decoded value
INTERPOLATION = "${"
DIRECTIVE = "%{"
SEQUENCE_END = "} of ${"  # the `}` (or `~}`) that closes an interpolation or a directive

OPENING = frozenset(("{", "[", "(", STRING, HEREDOC, INTERPOLATION, DIRECTIVE))
CLOSING = frozenset(("}", "]", ")", STRING_END, HEREDOC_END, SEQUENCE_END))

_SPACES = re.compile(r"[ \t]*")
_MAIN = re.compile(
    r"[ \t]*(?:"  # spaces separate tokens and mean nothing else
    r"(?P<newline>\r?\n)"
    r"|(?P<comment>\#|//)"
    r"|(?P<block_comment>/\*)"
    # A number token as HCL's scanner takes it (`1.2.3` is one token, then refused); the reader checks its form.
    r"|(?P<number>[0-9](?:\.*(?:[0-9]|[eE][+-]?[0-9]))*)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_\-]*)"
    r"|(?P<heredoc><<-?)"
    r'|(?P<quote>")'
    r"|(?P<open>[{\[(])"
    r"|(?P<close>~?\}|[\])])"
    r"|(?P<punctuation>\.\.\.|=>|==|!=|<=|>=|&&|\|\||::|[.,=:?!<>+\-*/%])"
    r")"
)
_IDENT_PART = re.compile(r"[A-Za-z0-9_\-]*")
# What a template's literal text runs through before something needs a look: no escape, sequence or line end.
_QUOTED_RUN = re.compile('[^"\\\\$%\r\n\ud800-\udfff]*')
_HEREDOC_RUN = re.compile("[^$%\r\n\ud800-\udfff]*")
_HEX = {"u": re.compile("[0-9A-Fa-f]{4}"), "U": re.compile("[0-9A-Fa-f]{8}")}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
# Go's unicode.IsSpace, which HCL uses to find a heredoc's closing marker and a flush heredoc's indentation.
WHITE_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_NAMES = {
    "{": "block or object",
    "[": "list",
    "(": "parenthesis",
    STRING: "string",
    HEREDOC: "heredoc",
    INTERPOLATION: "${ sequence",
    DIRECTIVE: "%{ sequence",
}
_CLOSED_BY = {"}": "{", "]": "[", ")": "("}


class Token(NamedTuple):
    kind: str
    start: int  # offsets into the text
    end: int
    text: str = ""  # a literal's decoded value; a heredoc's introducer


class HclSyntaxError(Exception):
    """The text is not HCL from `offset` on, for the reason in `message`."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class Lines:
    """1-based line and column of an offset; a column counts characters, a tab as one (as HCL does)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(found.end() for found in re.finditer("\n", text))]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


@dataclass(frozen=True)
class Scan:
    """The tokens of an HCL file, with each opening bracket paired to its closing one."""

    tokens: list[Token]  # ending with END
    closing: dict[int, int]  # index of each opening token (OPENING) -> index of the token that closes it


@dataclass
class _Open:
    """A bracket, string or heredoc still open while the scanner reads on."""

    kind: str
    offset: int
    token: int = 0  # its index among the tokens
    marker: str = ""  # a heredoc's closing marker
    line_start: bool = True  # a heredoc's scan stands at the start of a line, where the marker may be


def scan(text: str) -> Scan:
    """Every token of `text` and how the brackets pair; raises HclSyntaxError where the text is not HCL."""
    return _Scanner(text).run()


def _run_end(pattern: re.Pattern[str], text: str, index: int) -> int:
    found = pattern.match(text, index)
    return index if found is None else found.end()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Token] = []
        self.open: list[_Open] = []
        self.closing: dict[int, int] = {}
        self.lines: Lines | None = None

    def run(self) -> Scan:
        text, index = self.text, 0
        if text.startswith("\ufeff"):
            index = 1  # HCL's scanner steps over a byte order mark
        while index < len(text):
            mode = self.open[-1].kind if self.open else ""
            if mode == STRING:
                index = self._quoted(index)
            elif mode == HEREDOC:
                index = self._heredoc(index)
            else:
                index = self._main(index)
        if self.open:
            inside = self.open[-1]
            message = f"the file ends inside the {_NAMES[inside.kind]} opened at {self._place(inside.offset)}"
            raise HclSyntaxError(len(text), message)
        self.found.append(Token(END, len(text), len(text)))
        return Scan(self.found, self.closing)

    def _place(self, offset: int) -> str:
        if self.lines is None:  # only a message needs places: made once, when the scan stops
            self.lines = Lines(self.text)
        line, column = self.lines.at(offset)
        return f"{line}:{column}"

    def _push(self, opened: _Open, end: int) -> None:
        if len(self.open) >= MAX_DEPTH:
            raise HclSyntaxError(opened.offset, f"nesting is deeper than {MAX_DEPTH} levels")
        opened.token = len(self.found)
        self.open.append(opened)
        introducer = self.text[opened.offset : end] if opened.kind == HEREDOC else ""
        self.found.append(Token(opened.kind, opened.offset, end, introducer))

    def _pop(self, closer: Token) -> None:
        self.closing[self.open.pop().token] = len(self.found)
        self.found.append(closer)

    def _main(self, index: int) -> int:
        """Tokens of the expression and structure language, until the text ends or a string or a heredoc opens
        (their text is scanned otherwise)."""
        text, append = self.text, self.found.append
        while index < len(text) and not (self.open and self.open[-1].kind in (STRING, HEREDOC)):
            found = _MAIN.match(text, index)
            if found is None:
                index = _run_end(_SPACES, text, index)
                if index < len(text):
                    index = self._unicode_ident(index)
                continue
            kind = found.lastgroup or ""
            start, index = found.start(kind), found.end()
            if kind == "ident":
                if index < len(text) and text[index] > "\x7f":
                    index = self._ident_end(index)
                append(Token(IDENT, start, index))
            elif kind == "punctuation":
                append(Token(found.group(kind), start, index))
            elif kind == "newline":
                append(Token(NEWLINE, start, index))
            elif kind == "number":
                append(Token(NUMBER, start, index))
            elif kind == "comment":
                index = text.find("\n", start)
                if index < 0:
                    return len(text)
                append(Token(NEWLINE, index, index + 1))
                index += 1
            elif kind == "block_comment":
                close = text.find("*/", index)
                if close < 0:
                    raise HclSyntaxError(len(text), f"the file ends inside the comment opened at {self._place(start)}")
                index = close + 2
            elif kind == "heredoc":
                index = self._heredoc_start(start, index)
            elif kind == "quote":
                self._push(_Open(STRING, start), index)
            elif kind == "open":
                self._push(_Open(found.group(kind), start), index)
            else:
                self._close(found.group(kind), start, index)
        return index

    def _unicode_ident(self, index: int) -> int:
        char = self.text[index]
        if char.isidentifier():  # a letter beyond ASCII (XID_Start, the spec's ID_Start)
            return self._ident(index, index + 1)
        if "\ud800" <= char <= "\udfff":
            raise HclSyntaxError(index, "the file is not UTF-8 text here")
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        raise HclSyntaxError(index, f"the character {shown} has no meaning in HCL here")

    def _ident(self, index: int, end: int) -> int:
        end = self._ident_end(end)
        self.found.append(Token(IDENT, index, end))
        return end

    def _ident_end(self, end: int) -> int:
        """Where an identifier that reaches `end` stops: ASCII runs at once, other characters one by one."""
        text = self.text
        while True:
            end = _run_end(_IDENT_PART, text, end)
            if end < len(text) and text[end] > "\x7f" and ("a" + text[end]).isidentifier():
                end += 1
            else:
                return end

    def _heredoc_start(self, index: int, end: int) -> int:
        """`<<EOT` or `<<-EOT` and the line break right after it open a heredoc; anything else is `<` `<`."""
        text = self.text
        if text[end : end + 1].isidentifier():
            marker_end = self._ident_end(end + 1)
            if text.startswith(("\n", "\r\n"), marker_end):
                self._push(_Open(HEREDOC, index, marker=text[end:marker_end]), marker_end)
                return marker_end + (1 if text[marker_end] == "\n" else 2)
        self.found.append(Token("<", index, index + 1))
        return index + 1

    def _close(self, closer: str, index: int, end: int) -> None:
        inside = self.open[-1] if self.open else None
        if inside is not None and inside.kind in (INTERPOLATION, DIRECTIVE) and closer.endswith("}"):
            self._pop(Token(SEQUENCE_END, index, end))
        elif inside is None or closer == "~}":  # `~}` only ever ends a template sequence
            raise HclSyntaxError(index, f"this {closer} closes nothing")
        elif inside.kind != _CLOSED_BY[closer]:
            message = f"this {closer} comes before the {_NAMES[inside.kind]} opened at {self._place(inside.offset)}"
            raise HclSyntaxError(index, message + " is closed")
        else:
            self._pop(Token(closer, index, end))

    def _sequence(self, index: int, pieces: list[str], start: int) -> int:
        """`$` or `%` in a template at `index`: a `${`/`%{` sequence opens (the literal before it is emitted),
        or `$${`/`%%{` stands for those two characters, or the character is itself."""
        text, char = self.text, self.text[index]
        if text.startswith("{", index + 1):
            self._literal(pieces, start, index)
            end = index + (3 if text.startswith("~", index + 2) else 2)
            self._push(_Open(INTERPOLATION if char == "$" else DIRECTIVE, index), end)
            return end
        if text.startswith(char + "{", index + 1):
            pieces.append(char + "{")
            return index + 3
        pieces.append(char)
        return index + 1

    def _literal(self, pieces: list[str], start: int, end: int) -> None:
        if end > start:
            self.found.append(Token(LITERAL, start, end, "".join(pieces)))
        pieces.clear()

    def _quoted(self, index: int) -> int:
        """Inside a quoted string: literal text up to the closing quote or the next template sequence."""
        text, start = self.text, index
        pieces: list[str] = []
        depth = len(self.open)
        while index < len(text):
            run_end = _run_end(_QUOTED_RUN, text, index)
            pieces.append(text[index:run_end])
            index = run_end
            if index >= len(text):
                break
            char = text[index]
            if char == '"':
                self._literal(pieces, start, index)
                self._pop(Token(STRING_END, index, index + 1))
                return index + 1
            if char == "\\":
                decoded, index = self._escape(index)
                pieces.append(decoded)
            elif char in "$%":
                index = self._sequence(index, pieces, start)
                if len(self.open) > depth:
                    return index
            elif char in "\r\n":
                message = f"the string opened at {self._place(self.open[-1].offset)} is not closed on its line"
                raise HclSyntaxError(index, message + " (a string of several lines is a heredoc: <<EOT)")
            else:
                raise HclSyntaxError(index, "the file is not UTF-8 text here")
        self._literal(pieces, start, index)
        return index

    def _escape(self, index: int) -> tuple[str, int]:
        """The character a backslash escape at `index` stands for, and where the escape ends."""
        text = self.text
        selector = text[index + 1 : index + 2]
        if selector in _ESCAPES:
            return _ESCAPES[selector], index + 2
        if selector in _HEX and (digits := _HEX[selector].match(text, index + 2)) is not None:
            code = int(digits.group(), 16)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), digits.end()
            raise HclSyntaxError(index, f"\\{selector}{digits.group()} is not a character")
        message = 'this backslash starts no escape HCL knows (\\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN)'
        raise HclSyntaxError(index, message)

    def _heredoc(self, index: int) -> int:
        """Inside a heredoc: its closing marker's line, or the literal text of (the rest of) one line up to its
        line break or the next template sequence."""
        text, inside = self.text, self.open[-1]
        if inside.line_start:
            line_end = text.find("\n", index)
            if line_end >= 0 and text[index:line_end].strip(WHITE_SPACE) == inside.marker:
                # The line break after the marker ends the attribute: it is the main scan's to take.
                after = line_end - 1 if text[line_end - 1] == "\r" else line_end
                self._pop(Token(HEREDOC_END, index, after))
                return after
        pieces: list[str] = []
        start, depth = index, len(self.open)
        while index < len(text):
            run_end = _run_end(_HEREDOC_RUN, text, index)
            pieces.append(text[index:run_end])
            index = run_end
            if index >= len(text):
                break
            char = text[index]
            if text.startswith(("\n", "\r\n"), index):
                line_end = index + (1 if char == "\n" else 2)
                pieces.append(text[index:line_end])
                self._literal(pieces, start, line_end)
                inside.line_start = True
                return line_end
            if char in "$%":
                index = self._sequence(index, pieces, start)
                if len(self.open) > depth:
                    inside.line_start = False
                    return index
            elif char == "\r":
                raise HclSyntaxError(index, "a carriage return without a line feed is not a line break in HCL")
            else:
                raise HclSyntaxError(index, "the file is not UTF-8 text here")
        self._literal(pieces, start, index)
        return index
