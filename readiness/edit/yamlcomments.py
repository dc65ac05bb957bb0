"""Move the comments that follow an entry by hand when yamledit.py edits a readiness.yaml.

ruamel keeps the comment that follows an entry (the blank line and the heading comment before the next section,
say) attached to that entry's last value, so appending after an entry, or removing one, moves that comment by
hand: otherwise it would end up above the new entry, or vanish with the removed one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

# ruamel's nodes (CommentedMap, CommentedSeq, CommentToken) expose their comment and style records as Any;
# the helpers below take and return Any where they handle those.
#
# ruamel keeps the text between the end of an entry and the next one (its end-of-line comment, then blank
# lines and full-line comments) in one CommentToken on the entry's deepest last scalar or flow value: for a
# mapping key in `ca.items[key][2]`, for a list item in `ca.items[index][0]`. The token's text starts with the
# end-of-line comment, or with "\n" when there is none, except after a block scalar (`|`, `>`), whose own
# line break is part of the scalar. Comments after a flow value sometimes land in the next key's "before"
# slot `ca.items[key][1]` instead, and those at the end of the file after one in `ca.end`.


def is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


def is_block(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not is_flow(node)


def last_key(node: Any) -> Any:
    return len(node) - 1 if isinstance(node, CommentedSeq) else list(node)[-1]


def _tail(node: Any, key: Any) -> tuple[Any, Any]:
    """The collection and key holding the comment after the last line of `node[key]`."""
    value = node[key]
    while is_block(value):
        node, key = value, last_key(value)
        value = node[key]
    return node, key


def _slot(node: Any) -> int:
    return 0 if isinstance(node, CommentedSeq) else 2


def comment_token(node: Any, key: Any) -> Any:
    entry = node.ca.items.get(key)
    return entry[_slot(node)] if entry else None


def set_comment_token(node: Any, key: Any, token: Any) -> None:
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    old = entry[_slot(node)]
    entry[_slot(node)] = token
    value = node[key]
    # A flow collection holds a second reference to its end-of-line comment; keep the two in step.
    if old is not None and isinstance(value, (CommentedMap, CommentedSeq)):
        comment = value.ca.comment
        if comment and comment[0] is old:
            comment[0] = token


def split_token(token: Any, block_scalar: bool) -> tuple[str, str]:
    """(the end-of-line part, the lines that follow) of a token's text."""
    if block_scalar:
        return "", token.value
    head, newline, rest = token.value.partition("\n")
    return head + newline, rest


def take_following(node: Any, key: Any) -> str:
    """Detach the lines after `node[key]` (not its end-of-line comment) and return their text."""
    holder, at = _tail(node, key)
    token = comment_token(holder, at)
    if token is None:
        return ""
    own, rest = split_token(token, isinstance(holder[at], (LiteralScalarString, FoldedScalarString)))
    if own.strip():
        token.value = own
    else:
        set_comment_token(holder, at, None)
    return rest


def give_following(node: Any, key: Any, text: str) -> None:
    """Add lines of comments and blank lines after the last line of `node[key]`."""
    if not text:
        return
    holder, at = _tail(node, key)
    token = comment_token(holder, at)
    if token is None:
        lead = "" if isinstance(holder[at], (LiteralScalarString, FoldedScalarString)) else "\n"
        set_comment_token(holder, at, CommentToken(lead + text, CommentMark(0)))
    else:
        value = token.value
        token.value = value + ("" if value.endswith("\n") else "\n") + text


def _comment_text(tokens: Iterable[Any]) -> str:
    """The lines of full-line comment tokens, as ruamel writes them."""
    parts = []
    for token in tokens:
        value = token.value
        parts.append(value if value.startswith("\n") else " " * token.start_mark.column + value)
    return "".join(parts)


def take_before(node: Any, key: Any) -> str:
    """Detach the comment lines ruamel keeps in front of `key` and return their text."""
    entry = node.ca.items.get(key)
    if not entry or not entry[1]:
        return ""
    text = _comment_text(entry[1])
    entry[1] = None
    return text


def take_end(root: Any) -> str:
    """Detach the comment lines ruamel keeps at the end of the document and return their text."""
    end = root.ca.end
    if not end:
        return ""
    text = _comment_text(end)
    # Cleared in place: a dump leaves a second reference to this list in `root.ca.comment`.
    end.clear()
    return text


def _key_column(node: Any) -> int | None:
    try:
        return int(node.lc.key(next(iter(node)))[1])
    except (KeyError, IndexError, TypeError, StopIteration):
        return None


def split_lines(text: str, column: int | None) -> tuple[str, str]:
    """Split the text after an entry into the comment lines indented under it and the rest from there on.

    Comments indented deeper than the entry's key (a commented-out key of the entry, say) stay with it; a
    blank line or a comment at the key's level or left of it belongs to what comes next.
    """
    if column is None:
        return "", text
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if not line.strip() or len(line) - len(line.lstrip(" ")) <= column:
            return "".join(lines[:index]), "".join(lines[index:])
    return text, ""


def append(mapping: Any, key: str, value: Any) -> None:
    """Add `key: value` after the last entry; what followed that entry now follows the new one."""
    if not len(mapping):
        mapping[key] = value
        return
    last = last_key(mapping)
    keep, move = split_lines(take_following(mapping, last), _key_column(mapping))
    mapping[key] = value
    give_following(mapping, last, keep)
    give_following(mapping, key, move)


def replace(mapping: Any, key: Any, value: Any) -> None:
    """Give `key` a new value; the lines that followed the old value follow the new one."""
    following = take_following(mapping, key)
    mapping[key] = value
    give_following(mapping, key, following)


def remove(mapping: Any, key: Any) -> None:
    """Remove `key` with its end-of-line comment; the comment lines around it stay in the file."""
    keys = list(mapping)
    at = keys.index(key)
    text = take_before(mapping, key) + take_following(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not text:
        return
    if at > 0:
        give_following(mapping, keys[at - 1], text)
    elif len(keys) > 1:
        entry = mapping.ca.items.setdefault(keys[1], [None, None, None, None])
        entry[1] = [CommentToken(text, CommentMark(0)), *(entry[1] or [])]
