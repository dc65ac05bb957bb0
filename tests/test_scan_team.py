"""The team `scan` proposes from CODEOWNERS: the people it names (never a team, a group, a role or a comment),
each with a valid team id of their own and the place that names them; what cannot be used is said."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from readiness.load.containment import Root
from readiness.load.textsafe import first_control
from readiness.verify.scan import team
from readiness.verify.scan.model import Unread
from readiness.verify.scan.team import ProposedMember, codeowners_team
from readiness.verify.scan.tree import list_files
from tests.test_scan_profile import repo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # the schema's $defs/member


def scanned(top: Path, files: list[str] | None = None) -> tuple[list[ProposedMember], list[Unread]]:
    real = os.path.realpath(top)
    listed = list_files(real).files if files is None else files
    return codeowners_team(real, listed, Root.of(top / "."))


def people(members: list[ProposedMember]) -> list[tuple[str, str, str | None, str]]:
    return [(m.id, m.name, m.email, f"{m.clue.file}:{m.clue.line}:{m.clue.column}") for m in members]


def notes(unread: list[Unread]) -> list[str]:
    return [f"{u.file}:{u.line}:{u.column} {u.why}" for u in unread]


TEAM = "is a team: its people are not listed in the file, so none is proposed"


def test_github_people_in_file_order_with_teams_comments_and_tabs_left_out(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "gh",
        {
            ".github/CODEOWNERS": (
                "# Owners. Escalate to @boss, who reviews nothing.\n"
                "*\t\t@octo-org/platform\t@mona\n"
                "/docs/   @Hubot  docs@example.com   # and @not-an-owner in a comment\n"
                "\\#notes.md @mona @MONA new.person@example.com\n"
                "/apps/ @octo-org/apps\n"
                "/secret/ @@maintainer\n"
            )
        },
    )
    members, unread = scanned(top)
    assert people(members) == [
        ("mona", "@mona", None, ".github/CODEOWNERS:2:23"),
        ("hubot", "@Hubot", None, ".github/CODEOWNERS:3:10"),
        ("docs", "docs@example.com", "docs@example.com", ".github/CODEOWNERS:3:18"),
        ("new.person", "new.person@example.com", "new.person@example.com", ".github/CODEOWNERS:4:24"),
    ]
    assert notes(unread) == [
        f".github/CODEOWNERS:2:4 @octo-org/platform {TEAM}",
        f".github/CODEOWNERS:5:8 @octo-org/apps {TEAM}",
    ]


def test_gitlab_sections_give_their_default_owners_and_a_group_is_said_not_proposed(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "gl",
        {
            ".gitlab/CODEOWNERS": """\
                # GitLab: no inline comments; a section heading may name default owners.
                [Documentation][2] @docs-lead @acme/writers
                docs/
                README.md @readme.owner
                ^[Database] @dba_team
                model/db/ @acme/data/dba
                /config/ @@maintainer
                /evals/ @ml.lead # reviewed by @shadow
            """
        },
    )
    members, unread = scanned(top)
    assert [(m.id, m.name, m.clue.line, m.clue.column) for m in members] == [
        ("docs-lead", "@docs-lead", 2, 20),
        ("readme.owner", "@readme.owner", 4, 11),
        ("dba_team", "@dba_team", 5, 13),
        ("ml.lead", "@ml.lead", 8, 9),
    ]
    assert all("(a GitLab user, or a top-level group of that name)" in m.clue.what for m in members)
    assert notes(unread) == [
        ".gitlab/CODEOWNERS:2:31 @acme/writers is a group: its people are not listed in the file, so none is proposed",
        ".gitlab/CODEOWNERS:6:11 @acme/data/dba is a group: its people are not listed in the file, so none is proposed",
    ]


def test_the_file_the_forge_reads_first_decides_and_the_others_are_said(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "both",
        {
            ".github/CODEOWNERS": "* @first\n",
            "CODEOWNERS": "* @second\n",
            ".gitlab/CODEOWNERS": "* @third\n",
            "src/CODEOWNERS": "* @nowhere\n",
        },
    )
    members, unread = scanned(top)
    assert [m.name for m in members] == ["@first"]
    shadowed = "a forge reads one CODEOWNERS file, and .github/CODEOWNERS comes first where GitHub and GitLab look"
    assert notes(unread) == [f".gitlab/CODEOWNERS:1:1 not read: {shadowed}", f"CODEOWNERS:1:1 not read: {shadowed}"]


def test_a_repository_without_codeowners_proposes_no_one_and_says_nothing(tmp_path: Path) -> None:
    top = repo(tmp_path / "none", {"OWNERS": "approvers:\n  - someone@example.com\n", "src/CODEOWNERS": "* @x\n"})
    assert scanned(top) == ([], [])


def test_two_people_deriving_one_id_each_get_their_own(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "ids",
        {"CODEOWNERS": "* @ann ann@example.com Ann@other.example ann-2@example.com _x@example.com +1@example.com\n"},
    )
    members, _ = scanned(top)
    assert [(m.id, m.name) for m in members] == [
        ("ann", "@ann"),
        ("ann-2", "ann@example.com"),
        ("ann-3", "Ann@other.example"),
        ("ann-2-2", "ann-2@example.com"),
        ("x", "_x@example.com"),
        ("1", "+1@example.com"),
    ]
    assert all(MEMBER_ID.match(m.id) for m in members)
    assert len({m.id.casefold() for m in members}) == len(members)


def test_at_most_max_members_are_proposed_and_the_rest_counted(tmp_path: Path) -> None:
    owners = " ".join(f"@person{n}" for n in range(team.MAX_MEMBERS + 7))
    top = repo(tmp_path / "many", {"CODEOWNERS": f"* {owners}\n"})
    members, unread = scanned(top)
    assert [m.id for m in members] == [f"person{n}" for n in range(team.MAX_MEMBERS)]
    assert notes(unread) == [
        f"CODEOWNERS:1:1 names 7 more people than the {team.MAX_MEMBERS} proposed: the first are kept"
    ]


def test_an_owner_holding_an_escape_sequence_is_said_without_it_and_never_proposed(tmp_path: Path) -> None:
    top = repo(tmp_path / "esc", {"CODEOWNERS": "* @fine evil\x1b]0;pwned\x07@example.com\n"})
    members, unread = scanned(top)
    assert [m.name for m in members] == ["@fine"]
    assert notes(unread) == ["CODEOWNERS:1:9 an owner that holds a control character: not proposed"]
    assert all(first_control(m.id + m.name) is None for m in members)


def test_a_50_mb_file_is_said_not_read(tmp_path: Path) -> None:
    top = repo(tmp_path / "huge", {})
    with open(top / "CODEOWNERS", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert scanned(top) == (
        [],
        [Unread("CODEOWNERS", 1, 1, "not read: file is 52,428,800 bytes; the limit is 5,242,880 bytes")],
    )


def test_github_ignores_a_file_over_3_mb_so_it_names_no_one(tmp_path: Path) -> None:
    padding = "# padding to make the file large enough for GitHub to ignore it entirely\n" * 50_000
    top = repo(tmp_path / "big", {".github/CODEOWNERS": "* @someone\n" + padding})
    members, unread = scanned(top)
    assert members == []
    assert notes(unread) == [".github/CODEOWNERS:1:1 over 3 MB: GitHub ignores the whole file, so it names no one"]
    gitlab = repo(tmp_path / "big-gitlab", {"CODEOWNERS": "[Models] @someone\nmodels/\n" + padding})
    assert [m.name for m in scanned(gitlab)[0]] == ["@someone"]  # a GitLab file: GitHub's 3 MB limit is not GitLab's


def test_a_codeowners_link_out_of_the_project_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("* @stranger\n", encoding="utf-8")
    top = repo(tmp_path / "linked", {})
    (top / "CODEOWNERS").symlink_to(outside)
    assert scanned(top) == ([], [])  # the walk lists no link
    members, unread = scanned(top, ["CODEOWNERS"])  # and a caller naming it gets it refused
    assert members == []
    assert notes(unread) == ["CODEOWNERS:1:1 not read: is no longer a regular file"]


def test_a_file_that_is_not_utf8_is_said_at_the_byte(tmp_path: Path) -> None:
    top = repo(tmp_path / "latin", {"CODEOWNERS": b"* @ok\n/docs/ @jos\xe9\n"})
    members, unread = scanned(top)
    assert members == []
    assert notes(unread) == ["CODEOWNERS:2:12 not read: not valid UTF-8: byte 0xe9 cannot be decoded"]


def _folded(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]+", " ", plain.casefold()).strip()


@pytest.mark.parametrize("example", ["support-copilot", "fraud-scoring"])
def test_the_examples_people_are_members_of_their_own_team(example: str) -> None:
    top = EXAMPLES / example
    members, unread = scanned(top)
    assessment = yaml.safe_load((top / "readiness.yaml").read_text(encoding="utf-8"))
    names = {_folded(member["name"]) for member in assessment["team"].values()}
    assert len(members) == 5
    assert {_folded(m.name) for m in members} <= names
    assert all(MEMBER_ID.match(m.id) for m in members)
    assert all(
        note.why.endswith("is a team: its people are not listed in the file, so none is proposed") for note in unread
    )


def test_the_ops_agent_example_has_no_codeowners_and_its_owners_file_is_left() -> None:
    assert scanned(EXAMPLES / "ops-agent") == ([], [])


def test_an_owner_with_an_invisible_format_character_is_said_and_not_proposed(tmp_path: Path) -> None:
    """A right-to-left override makes `@ana\u202eeve` read as another handle: nobody is proposed from it."""
    top = repo(tmp_path / "r", {".github/CODEOWNERS": "* @ana\u202eeve user@exa\u200bmple.com @li\n"})
    people, notes = codeowners_team(str(top), list_files(str(top)).files, Root.at(top))
    assert [person.id for person in people] == ["li"]
    assert [(n.line, n.column, n.why) for n in notes] == [
        (1, 3, "an owner that holds an invisible format character: not proposed"),
        (1, 12, "an owner that holds an invisible format character: not proposed"),
    ]
