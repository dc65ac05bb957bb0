"""Score history from git: the score, verdict and stage of an assessment at each commit that changed it.

Only the local repository is read, with `git log` and one `git cat-file --batch` for every version (see
gitread); nothing here touches the network. Commit subjects, author names and paths are written by whoever
made the commits, so they are made visible (control characters written out) as they are read, and every
output shows them that way. Every
version is scored as if it stood where the file stands today: its evidence paths and custom packs are looked up
in the working tree, since old trees are not checked out. Every version is scored with the same options (the
same "today" above all), so that the scores are comparable: a change in the history is a change in the
answers, not the clock ageing evidence or expiring waivers.

The core of `readiness history`; it never prints and never exits.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from readiness.core.model import Severity
from readiness.load.diagnostics import Diagnostic, InputError, Level, internal_error
from readiness.load.gitread import Objects, git_says, not_a_repository, run_git, text_of
from readiness.load.gitread import git_show as git_show
from readiness.load.textsafe import visible
from readiness.load.yamlsource import file_problem, parse_document, read_text
from readiness.score.engine import evaluate
from readiness.score.scoring import Options, format_score
from readiness.verify.reuse import Reuse

# Commits read when no limit is given: years of weekly reviews, read in well under a second by one git process.
HISTORY_LIMIT = 100
WORKING_TREE = "working tree"
INVALID = "invalid"
DELETED = "deleted"

_HEADER = re.compile(r"^[0-9a-f]{40,64}\x1f")
_STATUS = re.compile(r"^[A-Z][0-9]*$")
# %cs is the committer date, YYYY-MM-DD. The fields are split on US (0x1f); the subject, last, may hold anything.
_FORMAT = "--format=%H%x1f%cs%x1f%an%x1f%s"


@dataclass(frozen=True)
class Commit:
    """One commit that changed the file, as `git log --follow` reports it."""

    sha: str  # full hash
    date: str  # committer date, YYYY-MM-DD
    author: str  # control characters written out (textsafe.visible), as every output shows it
    subject: str  # likewise
    file: (
        str  # the file's path at this commit, relative to the folder the file stands in today ("/" separated; visible)
    )
    deleted: bool = False  # this commit removed the file
    path: str = ""  # the file's path at this commit from the top of the work tree, as git wrote it: for git only

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Point:
    """The assessment at one commit (or in the working tree), scored.

    `verdict` is ready, ready-with-waivers or not-ready when the version could be scored; "invalid" when it
    could not (then `error` is its first error line and the score, stage and blockers are None); "deleted" for
    a commit that removed the file.
    """

    label: str  # the short hash, or "working tree"
    sha: str | None  # the short hash; None for the working tree
    date: str  # YYYY-MM-DD: the committer date, or the options' today for the working tree
    author: str
    subject: str
    file: str  # the file's path at that commit, relative to its folder today
    score: str | None  # one decimal, as shown everywhere else; None when nothing was scored
    verdict: str
    stage_reached: str | None  # None when no stage is reached, or the version is invalid
    blockers: int | None  # open blocker items; None when the version is invalid
    error: str | None = None


def _repository(folder: Path, label: str) -> tuple[Path, bool]:
    """The work tree that holds `folder`, and whether its clone is shallow; not in one is an InputError."""
    purpose = "the history of this file cannot be read"
    if not folder.is_dir():
        raise file_problem(label, "no such folder")
    done = run_git(["rev-parse", "--is-shallow-repository", "--show-toplevel"], folder, label, purpose)
    shallow, _, top = done.stdout.decode("utf-8", "surrogateescape").removesuffix("\n").partition("\n")
    if done.returncode != 0 and not not_a_repository(done.stderr):
        raise file_problem(label, f"git cannot read the repository: {git_says(done.stderr)}")
    if done.returncode != 0 or not top:
        raise file_problem(label, "not in a git repository, so it has no history to read (readiness history needs git)")
    return Path(top), shallow == "true"


def commits(path: Path, limit: int | None = None) -> list[Commit]:
    """The commits of the current branch that changed the file, newest first, following renames.

    `limit` keeps the newest `limit` of them. A file no commit touched gives an empty list. Not in a git
    repository, or git missing, is an InputError at the file.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return _log(path, limit)[0]


def _log(path: Path, count: int | None) -> tuple[list[Commit], bool]:
    """The newest `count` commits that changed the file (all with None), and whether the clone is shallow."""
    label = str(path)
    if path.is_dir():
        raise file_problem(label, "is a directory, not a file")
    folder = path.parent.resolve()
    top, shallow = _repository(folder, label)
    top = top.resolve()
    # Our own arguments only: the file's name comes after "--", and is never a pattern.
    args = ["--literal-pathspecs", "log", "--follow", "--name-status", "-z", _FORMAT]
    args += [*([f"--max-count={count}"] if count is not None else []), "--", path.name]
    done = run_git(args, folder, label, "the history of this file cannot be read")
    if done.returncode != 0:
        raise file_problem(label, f"git log cannot read the history: {git_says(done.stderr)}")
    current = Path(os.path.relpath(folder / path.name, top)).as_posix()
    log = _parse_log(done.stdout.decode("utf-8", "surrogateescape"), current)
    found = [
        Commit(
            sha,
            date,
            _shown(author),
            _shown(subject),
            _shown(Path(os.path.relpath(top / where, folder)).as_posix()),
            deleted,
            where,
        )
        for sha, date, author, subject, where, deleted in log
    ]
    return found, shallow


def _shown(text: str) -> str:
    """Text from a commit as every output shows it: bytes that are not UTF-8 replaced, control characters
    written out."""
    return visible(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _parse_log(output: str, current: str) -> list[tuple[str, str, str, str, str, bool]]:
    """Commits from `git log -z --name-status` output, each with the file's path (from the top) at that commit.

    Each commit is its header (hash, date, author, subject) and then, unless it is a merge, one status and
    path, or for a rename or copy the status and both paths. Walking back in time, a rename's old path is the
    name of the file before it; a commit that shows no path keeps the name of the commit after it.
    """
    tokens = [token.lstrip("\n") for token in output.split("\0")]
    found: list[tuple[str, str, str, str, str, bool]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not _HEADER.match(token):
            continue
        sha, date, author, subject = token.split("\x1f", 3)
        where, deleted = current, False
        if index < len(tokens) and _STATUS.match(tokens[index]):
            status = tokens[index]
            if status[0] in "RC" and index + 2 < len(tokens):
                current, where = tokens[index + 1], tokens[index + 2]
                index += 3
            elif index + 1 < len(tokens):
                where = current = tokens[index + 1]
                deleted = status == "D"
                index += 2
        found.append((sha, date, author, subject, where, deleted))
    return found


def _first_error(error: InputError) -> str:
    return error.diagnostics[0].format() if error.diagnostics else str(error)


@dataclass(frozen=True)
class _Scored:
    """One version of the file as history shows it: its score, verdict and stage, or why it has none."""

    score: str | None
    verdict: str
    stage_reached: str | None = None
    blockers: int | None = None
    error: str | None = None


def _score(path: Path, text: str | None, display: str, options: Options, root: Path | None, reuse: Reuse) -> _Scored:
    """`text` (None: the file was deleted) scored as if it stood at `path`; an invalid version says why."""
    if text is None:
        return _Scored(None, DELETED)
    try:
        document = parse_document(text, display)
        result = evaluate(path, options, display=display, root=root, document=document, reuse=reuse).result
    except InputError as error:
        return _Scored(None, INVALID, error=_first_error(error))
    except Exception as error:  # a bug met on one version must not cost the history the others
        return _Scored(None, INVALID, error=internal_error(display, error))
    return _Scored(
        None if result.score is None else format_score(result.score),
        result.verdict,
        None if result.stage_reached is None else result.stage_reached.value,
        sum(1 for gap in result.gaps if gap.severity is Severity.BLOCKER),
    )


@dataclass(frozen=True)
class History:
    """The scored versions of one assessment, newest first, and what the outputs must say is not among them."""

    points: tuple[Point, ...]
    limit: int | None  # the most commits read; None: all of them
    cut: bool  # older commits changed the file too, beyond `limit`
    shallow: bool  # the clone is shallow: commits older than its depth are not in it
    warnings: tuple[Diagnostic, ...] = ()


def history(path: Path, options: Options, limit: int | None = HISTORY_LIMIT, *, root: Path | None = None) -> History:
    """The assessment at `path` scored at each commit that changed it, newest first, following renames.

    The versions are read by one `git cat-file --batch` and scored by `evaluate` as if they stood at `path`
    today: evidence paths and custom packs are looked up in the working tree (old trees are not checked out),
    and `root` is the folder evidence may not leave, as for `evaluate`. Every version is scored with the same
    `options`, the same today included, so that scores are comparable. A version that cannot be scored is a
    Point with verdict "invalid" and its first error line, never an exception. When the file in the working
    tree differs from its last committed version, a first Point labelled "working tree" scores it too.

    `limit` keeps the newest `limit` commits (None: every one), and the History says whether older ones were
    left out. Not in a git repository, git missing, or a file that no commit changed is an InputError at the
    file; a shallow clone is a warning, since its oldest versions are missing.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    found, shallow = _log(path, None if limit is None else limit + 1)  # one more: were any left out?
    cut = limit is not None and len(found) > limit
    found = found[:limit] if limit is not None else found
    if not found:
        missing = not (path.exists() or path.is_symlink())
        reason = "no such file, and no commit changed it" if missing else "no commit changed this file yet"
        raise file_problem(str(path), f"{reason}, so it has no history; commit it first")
    points: list[Point] = []
    newest: _Version | None = None
    # Every version is scored against the same working tree: its folders are walked, and each probe reads its
    # files, once for the whole history rather than once per version.
    reuse = Reuse()
    with Objects(path.parent) as objects:
        for commit in found:  # each version read, scored and let go before the next: one in memory at a time
            version = _committed(commit, objects)
            newest = newest or version
            scored = version.scored or _score(path, version.text, version.display, options, root, reuse)
            where = {"author": commit.author, "subject": commit.subject, "file": commit.file}
            points.append(_point(scored, label=commit.short, sha=commit.short, date=commit.date, **where))
    working = _on_disk(path)
    if newest is not None and working.differs(newest):
        subject = "deleted, not committed" if working.text is None and working.scored is None else "uncommitted changes"
        scored = working.scored or _score(path, working.text, working.display, options, root, reuse)
        today = options.today.isoformat()
        name = visible(path.name)
        points.insert(
            0, _point(scored, label=WORKING_TREE, sha=None, date=today, author="", subject=subject, file=name)
        )
    warnings = (_shallow_warning(str(path)),) if shallow else ()
    return History(tuple(points), limit, cut, shallow, warnings)


def _shallow_warning(label: str) -> Diagnostic:
    message = (
        "this clone is shallow, so the commits older than its depth, and the versions they made, are missing "
        "from the history (fetch the whole history: git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
    )
    return Diagnostic(label, 1, 1, Level.WARNING, "$", message)


@dataclass(frozen=True)
class _Version:
    """One version of the file: its text (None when deleted), or, when it cannot be read, why (`scored`)."""

    display: str
    text: str | None
    scored: _Scored | None = None

    def differs(self, other: _Version) -> bool:
        """Whether the two could score differently: two unreadable versions are taken to be the same."""
        if self.scored is not None or other.scored is not None:
            return (self.scored is None) != (other.scored is None)
        return _normal(self.text) != _normal(other.text)


def _normal(text: str | None) -> str | None:
    """The text whatever its line endings (core.autocrlf checks files out with CRLF)."""
    return None if text is None else text.replace("\r\n", "\n")


def _committed(commit: Commit, objects: Objects) -> _Version:
    display = f"{commit.short}:{commit.file}"
    if commit.deleted:
        return _Version(display, None)
    try:
        found = objects.get(f"{commit.sha}:{commit.path}", display)
        return _Version(display, text_of(found, display, commit.file, commit.short))
    except InputError as error:
        return _Version(display, None, _Scored(None, INVALID, error=_first_error(error)))


def _on_disk(path: Path) -> _Version:
    display = str(path)
    if not (path.exists() or path.is_symlink()):
        return _Version(display, None)
    try:
        return _Version(display, read_text(path, display))
    except InputError as error:
        return _Version(display, None, _Scored(None, INVALID, error=_first_error(error)))


def _point(scored: _Scored, *, label: str, sha: str | None, date: str, author: str, subject: str, file: str) -> Point:
    return Point(
        label=label,
        sha=sha,
        date=date,
        author=author,
        subject=subject,
        file=file,
        score=scored.score,
        verdict=scored.verdict,
        stage_reached=scored.stage_reached,
        blockers=scored.blockers,
        error=scored.error,
    )
