"""The comments a team wrote near one answer in readiness.yaml, for the walk to show beside the answer.

A comment is often where the real state lives ("# blocked on legal until the DPA is signed"), and a walk that
hid it would have the user re-answer an item without the one line that explains it. Near means: the full-line
comments right above the answer's key (no blank line between), and every comment inside the answer's own lines,
except the full-line comments that sit right above the next key (those are the next answer's).

The file is the user's and may come from a pull request: comments are found by ruamel's scanner (which knows
block scalars and quotes, so a '#' inside text is not a comment), never evaluated, and shown through the same
visible-text filter as every other string from an input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from readiness.load.textsafe import visible

SHOWN = 5  # comment lines shown for one answer; the rest are counted


def _tokens(value: Any) -> Iterator[Any]:
    """The comment tokens ruamel hangs on a token, in whatever nesting of lists it uses."""
    if value is None:
        return
    if isinstance(value, list):
        for part in value:
            yield from _tokens(part)
    elif hasattr(value, "start_mark") and hasattr(value, "value"):
        yield value


def comments_by_line(text: str) -> dict[int, tuple[int, str]]:
    """Line (1-based) -> (column, text) of each comment in `text`; empty when the text does not scan."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    found: dict[int, tuple[int, str]] = {}
    try:
        for token in YAML().scan(text):
            for comment in _tokens(getattr(token, "_comment", None)):
                for offset, line in enumerate(str(comment.value).split("\n")):
                    stripped = line.strip()
                    if stripped.startswith("#"):
                        column = comment.start_mark.column if offset == 0 else len(line) - len(line.lstrip())
                        found.setdefault(comment.start_mark.line + 1 + offset, (column, stripped))
    except (YAMLError, ValueError, RecursionError):
        return {}
    return found


def _full_line(text_lines: list[str], line: int) -> bool:
    return 0 < line <= len(text_lines) and text_lines[line - 1].lstrip().startswith("#")


def near(text: str, start: int, end: int, following: int | None) -> list[str]:
    """Comments near the entry whose key is on line `start` and whose lines end at `end` (1-based, inclusive);
    `following` is the line of the next key after it, if any."""
    lines = text.split("\n")
    comments = comments_by_line(text)
    above = []
    line = start - 1
    while line > 0 and _full_line(lines, line) and line in comments:
        above.append(line)
        line -= 1
    inside = list(range(start, end + 1))
    if following is not None:
        # The full-line comments right above the next key are its own.
        line = following - 1
        while line >= start and _full_line(lines, line):
            if line in inside:
                inside.remove(line)
            line -= 1
    return [comments[n][1] for n in sorted(above) + inside if n in comments]


def shown(found: Iterable[str]) -> list[str]:
    """At most SHOWN comment lines, each as visible text, and how many more there are."""
    found = list(found)
    lines = [visible(comment) for comment in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"… and {len(found) - SHOWN} more comment lines")
    return lines


def answer_comments(text: str, name: str, item_id: str) -> list[str]:
    """The comments near the answer to `item_id` in the assessment `text` (named `name` in messages)."""
    from readiness.load.diagnostics import InputError
    from readiness.load.yamlsource import parse_document

    try:
        document = parse_document(text, name, tolerant=True)
    except InputError:
        return []
    answers = document.data.get("answers") if isinstance(document.data, dict) else None
    if not isinstance(answers, dict) or item_id not in answers or ("answers", item_id) not in document.keys:
        return []
    start = document.keys[("answers", item_id)][0]
    after = [document.keys[("answers", key)][0] for key in answers if ("answers", key) in document.keys]
    after += [document.keys[(key,)][0] for key in document.data if (key,) in document.keys]
    following = min((line for line in after if line > start), default=None)
    end = following - 1 if following is not None else text.count("\n") + 1
    return near(text, start, end, following)
