"""Reading the local git repository, with nothing the user or a commit wrote ever read as an option.

A baseline `REF:path` and every path in the history are written by whoever wrote the pull request, so they
never reach git's command line: object names go to the standard input of `git cat-file --batch`, one a line,
where nothing is an option, and the only arguments are our own. A ref that starts with `-` is refused all
the same, since it names nothing git would accept. `cat-file` states an object's type and size before its
content, so a folder is told apart from a file and a blob over the 5 MB limit is skipped unread.

Git runs from an absolute folder of PATH (never one committed into the checkout), without a shell, with a
time limit, on input we give it, and offline: a partial clone would fetch a missing object from its promisor
remote, so lazy fetching is off and every transport is forbidden. Its messages are in English (LC_ALL=C), so
that the few we recognise are told in our words; the others are quoted, on one line.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from readiness.load.diagnostics import InputError
from readiness.load.textsafe import first_control, visible
from readiness.load.yamlsource import MAX_BYTES, decode_text, file_problem

GIT_TIMEOUT_SECONDS = 30  # for each git process, and for each object a batch is asked for
_CHUNK = 1 << 16  # what is read at a time of an object that is not kept
# No transport at all; no fsmonitor command, no signature check (gpg), and no bare repository found by looking
# up from the current folder (a pull request can commit one, config and all): each of those would run a program
# the repository's configuration names.
_SETTINGS = (
    *("-c", "protocol.allow=never", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false"),
    *("-c", "safe.bareRepository=explicit"),
)


def _environment() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_NO_LAZY_FETCH": "1",  # a partial clone must not fetch what it lacks (git 2.44+; older: protocol.allow)
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",  # reading never rewrites the index
        "LC_ALL": "C",
    }


def find_git() -> str | None:
    """git from an absolute folder of PATH. An empty or relative entry of PATH means the current folder, which
    on a pull request is the checkout; so does the current folder that shutil.which tries first on Windows."""
    name = "git.exe" if os.name == "nt" else "git"
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isabs(folder):
            continue
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _git_or_refuse(label: str, purpose: str) -> str:
    git = find_git()
    if git is None:
        raise file_problem(label, f"git is not installed, so {purpose}")
    return git


def run_git(args: Sequence[str], cwd: Path | None, label: str, purpose: str) -> subprocess.CompletedProcess[bytes]:
    """Run git with our own `args` in `cwd`; a missing or failing git is an InputError at `label` that says
    `purpose` cannot be served. The caller reads returncode."""
    git = _git_or_refuse(label, purpose)
    try:
        return subprocess.run(
            [git, *_SETTINGS, *args],
            cwd=cwd,
            env=_environment(),
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise file_problem(label, f"git did not answer within {GIT_TIMEOUT_SECONDS} seconds, so {purpose}") from None
    except OSError as error:
        raise file_problem(label, f"git could not be run: {error.strerror}") from None


def git_says(stderr: bytes) -> str:
    """What git said went wrong: its first fatal or error line (hints follow it), else its last line; control
    characters written out, since it may quote a path or a ref."""
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    said = next((line for line in lines if line.startswith(("fatal: ", "error: "))), lines[-1] if lines else "")
    return visible(said.strip()) or "no message"


def not_a_repository(stderr: bytes) -> bool:
    return b"not a git repository" in stderr


def refuse_ref(ref: str, label: str) -> None:
    """Refs git would read as an option, or that cannot travel on one line, are refused before git runs."""
    if ref.startswith("-"):
        raise file_problem(
            label,
            f"'{ref}' is not a git ref: a ref never starts with '-', and git would read it as an option; "
            "name a branch, tag or commit, e.g. origin/main:readiness.yaml",
        )
    if first_control(ref) is not None:
        raise file_problem(label, f"'{ref}' is not a git ref: it holds a control character")


@dataclass(frozen=True)
class Object:
    """What `git cat-file --batch` says of one name."""

    kind: str  # blob, tree, commit or tag; "missing" or "ambiguous" when the name finds no one object
    size: int = 0
    data: bytes | None = None  # the content of a blob within MAX_BYTES; None for anything else


class Objects:
    """One `git cat-file --batch` process, asked for one object at a time and answering each before the next.

    Without --buffer, cat-file flushes each answer, so a request and its answer never wait on each other. Each
    answer must come within GIT_TIMEOUT_SECONDS, or the process is killed. A process that dies (a partial clone
    that lacks an object dies rather than answer "missing") fails that one request, and the next one starts
    another process.
    """

    def __init__(self, cwd: Path | None) -> None:
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def __enter__(self) -> Objects:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def get(self, name: str, label: str) -> Object:
        """The object `name` (such as `main:docs/readiness.yaml`) names; git failing is an InputError at `label`."""
        if "\n" in name or "\0" in name or name.endswith("\r"):  # the end of a request, or of a C string
            raise file_problem(label, "the path holds a line break or NUL, which cannot be passed to git")
        process = self._process or self._start(label)
        assert process.stdin is not None and process.stdout is not None
        expired = threading.Event()
        timer = threading.Timer(GIT_TIMEOUT_SECONDS, _expire, (process, expired))
        timer.daemon = True
        timer.start()
        try:
            process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            process.stdin.flush()
            return _answer(process.stdout)
        except (OSError, _Ended):
            raise self._failure(label, expired.is_set()) from None
        finally:
            timer.cancel()
            if expired.is_set():
                self.close()  # killed just as it answered: the next request starts afresh

    def _start(self, label: str) -> subprocess.Popen[bytes]:
        git = _git_or_refuse(label, "it cannot be read from git")
        # A file, not a pipe: git never waits on writing to it. Closed by close(), so no `with`.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [git, *_SETTINGS, "cat-file", "--batch"],
                cwd=self._cwd,
                env=_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as error:
            self.close()
            raise file_problem(label, f"git could not be run: {error.strerror}") from None
        return self._process

    def _failure(self, label: str, expired: bool) -> InputError:
        """Why the process ended without answering, once it has ended."""
        process, self._process = self._process, None
        if process is not None:
            _end(process)
        said = b""
        if self._stderr is not None:
            self._stderr.seek(0)
            said = self._stderr.read()
        self.close()
        if expired:
            return file_problem(label, f"git did not answer within {GIT_TIMEOUT_SECONDS} seconds")
        if not_a_repository(said):
            return file_problem(label, "not in a git repository, so it cannot be read from git")
        if b"promisor remote" in said or b"lazy fetching disabled" in said:
            return file_problem(
                label,
                "this partial clone does not hold that version, and readiness never fetches "
                "(a clone without --filter has it)",
            )
        return file_problem(label, f"git cannot read it: {git_says(said)}")

    def close(self) -> None:
        process, self._process = self._process, None
        stderr, self._stderr = self._stderr, None
        if process is not None:
            _end(process)
        if stderr is not None:
            stderr.close()


def _expire(process: subprocess.Popen[bytes], expired: threading.Event) -> None:
    expired.set()
    process.kill()


def _end(process: subprocess.Popen[bytes]) -> None:
    """Close our ends of the pipes (cat-file ends at the end of its input) and wait for it."""
    for stream in (process.stdin, process.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass  # the pipe to a process that is already gone
    try:
        process.wait(timeout=GIT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answer(out: IO[bytes]) -> Object:
    """One answer: `<oid> <type> <size>` and the content, or `<name> missing` (or ambiguous)."""
    header = out.readline()
    if not header.endswith(b"\n"):
        raise _Ended
    words = header[:-1].split(b" ")
    if words[-1] in (b"missing", b"ambiguous"):
        return Object(words[-1].decode())
    if len(words) != 3 or not words[2].isdigit():
        raise _Ended
    kind, size = words[1].decode("ascii", "replace"), int(words[2])
    data = None
    if kind == "blob" and size <= MAX_BYTES:
        data = _read_exactly(out, size)
    else:
        _skip(out, size)
    if out.read(1) != b"\n":
        raise _Ended
    return Object(kind, size, data)


class _Ended(Exception):
    """The process stopped answering in the middle of the protocol."""


def _read_exactly(out: IO[bytes], size: int) -> bytes:
    data = out.read(size)
    if len(data) != size:
        raise _Ended
    return data


def _skip(out: IO[bytes], size: int) -> None:
    """Read `size` bytes and keep none: a big blob costs a small buffer, never its size in memory."""
    left = size
    while left:
        chunk = out.read(min(left, _CHUNK))
        if not chunk:
            raise _Ended
        left -= len(chunk)


def text_of(found: Object, label: str, path: str, ref: str) -> str:
    """The text of the blob `found` at `path` in `ref`, or why there is none, as an InputError at `label`."""
    if found.kind == "blob" and found.data is not None:
        return decode_text(found.data, label)
    if found.kind == "blob":
        raise file_problem(label, f"file is {found.size:,} bytes at {ref}; the limit is 5 MB ({MAX_BYTES:,} bytes)")
    if found.kind == "tree":
        raise file_problem(label, f"'{path}' is a folder at {ref}, not a file")
    if found.kind == "commit":
        raise file_problem(label, f"'{path}' is a submodule at {ref}, not a file")
    if found.kind == "ambiguous":
        raise file_problem(label, f"'{ref}' is ambiguous in this repository; give more of the hash or the full ref")
    if found.kind == "missing":
        raise file_problem(label, f"no file '{path}' at {ref}")
    raise file_problem(label, f"'{path}' is a git {visible(found.kind)} at {ref}, not a file")


def git_show(ref: str, relative: str, label: str, cwd: Path | None = None) -> str:
    """The text of `relative` (a path from `cwd`, default the current folder, as on disk) at `ref`.

    Refuses, as InputErrors at `label`: a ref git would read as an option; a path outside the repository; a
    ref git does not know; a path that is missing or a folder at that ref; and what `read_text` refuses on
    disk: over 5 MB (skipped unread), or not UTF-8.
    """
    refuse_ref(ref, label)
    path = _from_top(relative, _prefix(cwd, label), label)
    with Objects(cwd) as objects:
        found = objects.get(f"{ref}:{path}", label)
        if found.kind == "missing" and objects.get(f"{ref}^{{tree}}", label).kind == "missing":
            raise file_problem(
                label,
                f"git knows no branch, tag or commit named '{ref}' here "
                "(a shallow or single-branch clone may lack it: fetch it first)",
            )
    return text_of(found, label, relative, ref)


def _prefix(cwd: Path | None, label: str) -> str:
    """The folder git runs in, relative to the top of its work tree: "" or "docs/"."""
    purpose = "REF:path cannot be read"
    done = run_git(["rev-parse", "--show-prefix"], cwd, label, purpose)
    if done.returncode != 0:
        if not_a_repository(done.stderr):
            raise file_problem(label, f"not in a git repository, so {purpose}")
        raise file_problem(label, f"git cannot read the repository: {git_says(done.stderr)}")
    return done.stdout.decode("utf-8", "surrogateescape").removesuffix("\n")


def _from_top(relative: str, prefix: str, label: str) -> str:
    """`relative`, a path from the current folder, as a path from the top of the work tree."""
    if relative.startswith("/") or os.path.isabs(relative):
        raise file_problem(label, f"'{relative}' is absolute; the path after the ref is relative to the current folder")
    written = relative.replace(os.sep, "/")  # git's paths are "/" separated everywhere
    path = posixpath.normpath(prefix + written)
    if path == ".." or path.startswith("../"):
        raise file_problem(label, f"'{relative}' is outside the git repository")
    return "" if path == "." else path  # `REF:` names the top folder itself
