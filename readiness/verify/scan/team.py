"""The people a repository's CODEOWNERS file names, proposed as the assessment's `team`.

The file is the one the forge reads: GitHub looks in `.github/`, the root, then `docs/`; GitLab in the root,
`docs/`, then `.gitlab/`; the first found wins, and a file another forge would read first is said, not read.
Owners are `@user` (a person), `@org/team` on GitHub and `@group/subgroup` on GitLab (a team or group whose people
the file does not list: said, never a person), GitLab's `@@role` (a role, no one), and e-mail addresses (a
person). On GitLab a plain `@name` may also be a top-level group: the clue says so. Comment lines name nobody,
and neither does anything after an owner starting with `#` (GitHub reads it as a comment; GitLab has no inline
comments, yet a person written there was meant as a remark). The file gives no real names, so a member's `name`
is the handle or address as written, for a person to correct.

A plain `OWNERS` file is left: the documented formats (Kubernetes' prow: GitHub usernames under `approvers`;
Chromium's and Gerrit's: one address per line) do not match the `accountable:` files teams write, so reading
them would guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from readiness.load.containment import Root
from readiness.load.diagnostics import InputError
from readiness.load.textsafe import first_control
from readiness.load.yamlsource import MAX_BYTES, decode_text
from readiness.verify.probes import codeowners
from readiness.verify.scan.model import Clue, Unread
from readiness.verify.scan.tree import NotRead, read_listed

MAX_MEMBERS = 50  # proposed at most: a file naming more people is an organisation's, not one team's
MAX_NAME = 254  # characters of a handle or address (an address is at most 254); longer is no one's name
MAX_NOTES = 20  # teams, groups and refused owners said per file
KEY = "team"

_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_ID_EDGES = "_.-"


@dataclass(frozen=True)
class ProposedMember:
    """A person the file names: `id` is a valid team id, unique among those proposed; `name` is as written."""

    id: str
    name: str
    email: str | None
    clue: Clue


def codeowners_team(top: str, files: Sequence[str], root: Root) -> tuple[list[ProposedMember], list[Unread]]:
    """The people of the CODEOWNERS file the forge reads, in the order the file first names them, and what could
    not be used; `files` is the walk's listing of `top` (tree.list_files), taken as the repository's top."""
    chosen, platform = _located(files)
    if chosen is None:
        return [], []
    shadowed = f"not read: a forge reads one CODEOWNERS file, and {chosen} comes first where GitHub and GitLab look"
    notes = [Unread(other, 1, 1, shadowed) for other in _shadowed(files, chosen)]
    try:
        text = decode_text(read_listed(top, chosen, root, MAX_BYTES), chosen)
    except NotRead as why:
        return [], [*notes, Unread(chosen, 1, 1, f"not read: {why}")]
    except InputError as error:
        first = error.diagnostics[0]
        return [], [*notes, Unread(chosen, first.line, first.column, f"not read: {first.message}")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if chosen.startswith(".gitlab/") or any(codeowners.section_heading(line.strip()) for line in text.split("\n")):
        platform = "gitlab"
    if platform == "github" and len(text.encode("utf-8")) > codeowners.GITHUB_MAX_BYTES:
        return [], [*notes, Unread(chosen, 1, 1, "over 3 MB: GitHub ignores the whole file, so it names no one")]
    members, found = _people(chosen, text, platform)
    return members, notes + found


def _located(files: Sequence[str]) -> tuple[str | None, str]:
    for platform in codeowners.LOCATIONS:
        chosen = codeowners.read_by(files, platform)
        if chosen is not None:
            return chosen, platform
    return None, "github"


def _shadowed(files: Sequence[str], chosen: str) -> list[str]:
    places = {location for locations in codeowners.LOCATIONS.values() for location in locations}
    return sorted(path for path in set(files) & places if path != chosen)


@dataclass
class _Gathered:
    """The people found so far (by their handle or address, case-folded) and the ids they took."""

    members: list[ProposedMember]
    seen: set[str]
    ids: set[str]
    notes: list[Unread]
    over: int = 0


def _people(path: str, text: str, platform: str) -> tuple[list[ProposedMember], list[Unread]]:
    gathered = _Gathered([], set(), set(), [])
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        heading = codeowners.section_heading(stripped) if platform == "gitlab" else None
        if heading is not None:
            # Default owners follow the section's name: `[Docs][2] @docs-team`; the heading's own words are no one.
            _, _, rest = heading
            offset = len(line.rstrip()) - len(rest)
            owners = codeowners.owner_tokens(rest, offset)
        else:
            owners = codeowners.owner_tokens(line, 0)[1:]  # the pattern, then its owners
        for token, column in owners:
            if token.startswith("#"):
                break  # what follows is a remark, whatever the forge makes of it
            _take(gathered, path, number, column, token, platform)
    if gathered.over:
        message = f"names {gathered.over:,} more people than the {MAX_MEMBERS} proposed: the first are kept"
        gathered.notes.append(Unread(path, 1, 1, message))
    return gathered.members, gathered.notes


def _take(gathered: _Gathered, path: str, line: int, column: int, token: str, platform: str) -> None:
    """One owner token: a person proposed, a team or group said once, anything else passed over."""
    why = None
    if first_control(token) is not None:
        why = "holds a control character"
    elif any(unicodedata.category(char) == "Cf" for char in token):
        # An invisible format character (a right-to-left override, a zero-width space) in a handle or address
        # makes it read as someone else's; no forge's user name or address needs one.
        why = "holds an invisible format character"
    elif len(token) > MAX_NAME:
        why = f"is over {MAX_NAME} characters"
    if why is not None:
        _note(gathered, Unread(path, line, column, f"an owner that {why}: not proposed"))
        return
    if not codeowners.names_owner(token, platform) or token.startswith("@@"):
        return  # not an owner the forge knows (the codeowners probe says so), or a role that names no one
    folded = token.casefold()
    if folded in gathered.seen:
        return
    gathered.seen.add(folded)
    if token.startswith("@") and "/" in token:
        kind = "team" if platform == "github" else "group"
        message = f"{token} is a {kind}: its people are not listed in the file, so none is proposed"
        _note(gathered, Unread(path, line, column, message))
        return
    if len(gathered.members) >= MAX_MEMBERS:
        gathered.over += 1
        return
    email = None if token.startswith("@") else token
    handle = token[1:] if email is None else token.rpartition("@")[0]
    member_id = _unique(_id_of(handle), gathered.ids)
    gathered.ids.add(member_id.casefold())
    what = f"CODEOWNERS names {token}"
    if email is None and platform == "gitlab":
        what += " (a GitLab user, or a top-level group of that name)"
    gathered.members.append(ProposedMember(member_id, token, email, Clue(KEY, path, line, column, what)))


def _note(gathered: _Gathered, note: Unread) -> None:
    if len(gathered.notes) < MAX_NOTES:
        gathered.notes.append(note)


def _id_of(handle: str) -> str:
    """A team id from a handle or an address's local part: what the id pattern refuses becomes '-'."""
    cleaned = _NOT_ID.sub("-", handle).strip(_ID_EDGES)
    return cleaned.lower() or "member"


def _unique(wanted: str, taken: set[str]) -> str:
    """`wanted`, or with the first free `-2`, `-3`… when another person took it (ids are compared case-folded)."""
    if wanted.casefold() not in taken:
        return wanted
    suffix = 2
    while f"{wanted}-{suffix}".casefold() in taken:
        suffix += 1
    return f"{wanted}-{suffix}"
