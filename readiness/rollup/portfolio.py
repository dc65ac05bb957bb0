"""The roll-up of many assessments: which projects are ready, how each scores per pack, what most teams miss.

Each assessment is evaluated on its own (in worker processes when asked) and only a small summary of its Result
is kept, so a thousand of them fit in little memory. A bad assessment, or even a bug met on one, becomes a
`Failed` entry with its errors; it never stops the others. The core never prints and never exits.

With a `Recall` (resultcache.py, behind `--cache`), a project whose files are as they were when it was last scored
is taken from it instead, and each project scored is offered to it with what its evaluation found on disk.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from readiness.core.catalog import BUILTIN_ORDER
from readiness.core.model import Result, Severity
from readiness.load.diagnostics import Diagnostic, InputError, Level, internal_error
from readiness.load.yamlsource import file_problem
from readiness.rollup.cachestamp import Stamp, stamp
from readiness.rollup.workers import chunked
from readiness.score.engine import Unusable, evaluate
from readiness.score.scoring import Options, format_score
from readiness.verify.evidence import SKIPPED_FOLDERS
from readiness.verify.reuse import Reuse, Seen

ASSESSMENT_NAMES = ("readiness.yaml", "readiness.yml")
TOP_GAPS = 10  # common gaps shown by the human-readable renderers; the JSON lists them all
# Files handed to a worker at a time: big enough to keep pickling overhead small, small enough that the
# progress bar moves and the last worker does not finish long after the others.
MAX_CHUNK = 16

Progress = Callable[[int, int], None]
Notice = Callable[[str], None]


@dataclass(frozen=True)
class ProjectSummary:
    """What the roll-up keeps of one scored assessment (never the Result itself: a thousand would not fit)."""

    path: str  # as shown to the user
    name: str
    target: str  # the stage gated
    verdict: str  # ready | ready-with-waivers | not-ready
    score: str  # one decimal, or "n/a"
    stage_reached: str | None  # None: not even prototype
    scores: dict[str, str]  # pack id → one-decimal score or "n/a", in the project's pack order
    pack_titles: dict[str, str]  # pack id → title
    blockers: int  # open blocker items
    gaps: tuple[tuple[str, str], ...]  # (item id, title) of every gap, in remediation order
    inputs: tuple[str, ...] = field(default=(), compare=False)  # files read: the assessment and its custom packs


@dataclass(frozen=True)
class Failed:
    """An assessment that could not be scored, or a path that could not be read, with every error."""

    path: str
    diagnostics: tuple[str, ...]  # formatted: FILE:LINE:COL: error: PATH: message
    inputs: tuple[str, ...] = field(default=(), compare=False)  # files read before the errors were found


@dataclass(frozen=True)
class PackColumn:
    id: str
    title: str


@dataclass(frozen=True)
class CommonGap:
    item: str  # item id
    title: str
    count: int  # projects where the item is a gap
    share: Fraction  # count ÷ projects scored


@dataclass(frozen=True)
class Portfolio:
    today: str
    projects: tuple[ProjectSummary, ...]  # in discovery order: sorted by path
    failed: tuple[Failed, ...]  # paths that do not exist first, then assessments in discovery order
    packs: tuple[PackColumn, ...]  # built-in packs in catalog order, then custom ones in order of first appearance
    common_gaps: tuple[CommonGap, ...]  # every item missed by some project: most projects first, then by id
    warnings: tuple[str, ...] = ()  # formatted diagnostics from discovery, e.g. a folder with no assessment

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Every file the roll-up read, which its output may not be written over."""
        entries: tuple[ProjectSummary | Failed, ...] = (*self.projects, *self.failed)
        return tuple(Path(p) for entry in entries for p in (entry.path, *entry.inputs))


Outcome = ProjectSummary | Failed


class Recall(Protocol):
    """Outcomes kept from an earlier run (resultcache.py)."""

    def recall(self, paths: list[Path], workers: int) -> list[Outcome | None]:
        """For each assessment (as discovered), the outcome kept for it if what it was computed from still holds;
        looked at in up to `workers` processes."""

    def keep(self, path: Path, outcome: Outcome, kept: Stamp | None) -> None:
        """The outcome just computed for `path`, with its stamp; None when it may not be kept (see `_observed`)."""


# --- discovery ---------------------------------------------------------------------------------------------


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The assessment files under `paths`: a file is taken as is, a folder is searched for readiness.yaml and
    readiness.yml (skipping SKIPPED_FOLDERS, never following a symlinked folder below it).

    Sorted by path, one entry per file (of two paths to the same file, the shorter is kept). Problems:
    an error for a path that does not exist or a folder that cannot be read; a warning for an unreadable
    sub-folder or a folder with no assessment.
    """
    found: list[tuple[Path, str]] = []  # with where each physically is
    problems: list[Diagnostic] = []
    for path in paths:
        shown = str(path)
        try:
            is_folder = path.is_dir()  # the folder the user named is followed even if it is a symlink
            exists = is_folder or path.exists() or path.is_symlink()  # a link's target: the reader's business
        except OSError as error:
            problems += file_problem(shown, f"cannot read: {error.strerror or error}").diagnostics
            continue
        if not exists:
            problems += file_problem(shown, "no such file or folder").diagnostics
        elif not is_folder:
            found.append((path, os.path.realpath(path)))
        else:
            before, errors = len(found), _errors(problems)
            found.extend(_search(path, problems))
            if len(found) == before and _errors(problems) == errors:  # an unreadable folder says so already
                names = " or ".join(ASSESSMENT_NAMES)
                problems.append(_warning(shown, f"no {names} found in this folder"))
    chosen: dict[str, Path] = {}  # by resolved path: the shortest way to name the file, then the first
    for path, real in found:
        if real not in chosen or _preference(path) < _preference(chosen[real]):
            chosen[real] = path
    return sorted(chosen.values()), sorted(set(problems))


def _preference(path: Path) -> tuple[int, str]:
    return len(path.parts), str(path)


def _search(folder: Path, problems: list[Diagnostic]) -> Iterator[tuple[Path, str]]:
    """Each assessment below `folder`, with where it physically is. The walk follows no symlinked folder, so that
    is where the folder is, then the names as found (a symlinked file is resolved); and it goes by strings, as
    Path would write them, since a portfolio may hold tens of thousands of folders."""
    top = str(folder)
    pending = [(top, os.path.realpath(folder))]
    while pending:
        current, real = pending.pop()
        try:
            with os.scandir(current) as entries:
                children = list(entries)  # in any order: what is found is sorted at the end
        except OSError as error:
            message = f"cannot read folder: {error.strerror or error}"
            if current == top:
                problems += file_problem(current, message).diagnostics
            else:
                problems.append(_warning(current, f"{message}; skipped"))
            continue
        for child in children:
            try:
                if child.is_dir(follow_symlinks=False):
                    if child.name not in SKIPPED_FOLDERS:
                        pending.append((_below(current, child.name), os.path.join(real, child.name)))
                # A symlinked file is fine; whether its target may be read (and exists) is the reader's business,
                # so that a link out of the project is refused the same way whether anything is there or not.
                elif child.name in ASSESSMENT_NAMES and (child.is_symlink() or child.is_file()):
                    path = _below(current, child.name)
                    linked = child.is_symlink()
                    yield Path(path), os.path.realpath(path) if linked else os.path.join(real, child.name)
            except OSError:
                continue


def _below(folder: str, name: str) -> str:
    """str(Path(folder) / name)."""
    return name if folder == "." else os.path.join(folder, name)


def _errors(problems: list[Diagnostic]) -> int:
    return sum(1 for problem in problems if problem.level is Level.ERROR)


def _warning(file: str, message: str) -> Diagnostic:
    return Diagnostic(file, 1, 1, Level.WARNING, "$", message)


# --- evaluation --------------------------------------------------------------------------------------------


def summarize(path: Path, options: Options) -> ProjectSummary | Failed:
    """Evaluate one assessment and keep its summary. Never raises: any problem becomes a `Failed`.

    Module-level, with picklable arguments and result, so that it runs in a worker process under any start
    method (fork, spawn, forkserver).
    """
    return _summarize(path, options, None)[0]


def _summarize(path: Path, options: Options, seen: Seen | None) -> tuple[Outcome, bool]:
    """The outcome, and whether it follows from the files alone: not from a bug, nor from a probe's time budget."""
    shown = str(path)
    try:
        if seen is None:
            evaluation = evaluate(path, options, display=shown)
        else:
            evaluation = evaluate(path, options, display=shown, reuse=Reuse(seen=seen))
        result = evaluation.result
        # Files a probe left unread (past its time budget, or over its limit of files) may decide the item on
        # another run: such an outcome is not one to keep.
        settled = not any(item.probe is not None and item.probe.left for item in result.items)
        return _summary(shown, result, tuple(str(p) for p in evaluation.inputs)), settled
    except InputError as error:
        read = tuple(str(p) for p in error.inputs) if isinstance(error, Unusable) else ()
        return Failed(shown, tuple(d.format() for d in error.diagnostics), read), True
    except Exception as error:  # a bug met on one project must not cost the roll-up the others
        return Failed(shown, (internal_error(shown, error),)), False


def _observed(path: Path, options: Options, record: bool) -> tuple[Outcome, Stamp | None]:
    """The outcome, and with `record` the stamp of what its evaluation found on disk, when the outcome may be
    kept: it follows from the files alone, and none of the files read changed while it was computed."""
    if not (record and plain(path)):
        return summarize(path, options), None
    seen = Seen()
    outcome, settled = _summarize(path, options, seen)
    if not settled or seen.root is None or not seen.unchanged():
        return outcome, None
    return outcome, stamp(os.path.abspath(path.parent), seen, seen.root)


def plain(path: Path) -> bool:
    """Whether `path` names its folder as the OS does: evidence is looked up from the folder written without '..'
    (os.path.abspath), files are read through it; past any leading '..' (taken from the current folder, which has
    no link in it) a '..' after a symlinked folder would make the two differ."""
    parts = path.parts
    leading = 0
    while leading < len(parts) and parts[leading] == "..":
        leading += 1
    return ".." not in parts[leading:]


def _summary(shown: str, result: Result, inputs: tuple[str, ...] = ()) -> ProjectSummary:
    return ProjectSummary(
        path=shown,
        name=result.project.name,
        target=result.target.value,
        verdict=result.verdict,
        score=format_score(result.score),
        stage_reached=result.stage_reached.value if result.stage_reached else None,
        scores={c.pack.id: format_score(c.score) for c in result.categories},
        pack_titles={c.pack.id: c.pack.title for c in result.categories},
        blockers=sum(1 for gap in result.gaps if gap.severity is Severity.BLOCKER),
        gaps=tuple((gap.item.id, gap.item.title) for gap in result.gaps),
        inputs=inputs,
    )


def collect(
    paths: Sequence[Path],
    options: Options,
    workers: int = 1,
    progress: Progress | None = None,
    notice: Notice | None = None,
    cache: Recall | None = None,
) -> Portfolio:
    """Discover the assessments under `paths`, evaluate each and roll them up.

    With `workers` > 1 the evaluations run in that many processes; the Portfolio is the same whatever the
    number. `progress(done, total)` is called after each assessment, in the calling process; `notice(sentence)`
    when something happened to the run that the Portfolio does not show, such as a worker that died. With
    `cache`, what it recalls is not evaluated again, and the rest is offered to it; the Portfolio is the same.

    However the call ends (an exception, KeyboardInterrupt, SIGTERM turned into an exception), no worker
    process outlives it. Running out of file descriptors or processes while starting them is an OSError.
    """
    files, problems = discover(paths)
    total = len(files)
    outcomes: list[Outcome | None] = [None] * total if cache is None else cache.recall(files, workers)
    missed = [index for index, outcome in enumerate(outcomes) if outcome is None]
    done = total - len(missed)
    if progress is not None and done:
        progress(done, total)
    # Closed here, not whenever the generator is collected: an exception in `progress` stops the workers now.
    todo = [files[index] for index in missed]
    with contextlib.closing(_evaluate_all(todo, options, workers, notice, cache is not None)) as evaluated:
        for index, (outcome, kept) in zip(missed, evaluated, strict=False):
            outcomes[index] = outcome
            if cache is not None:
                cache.keep(files[index], outcome, kept)
            done += 1
            if progress is not None:
                progress(done, total)
    return _assemble(options.today.isoformat(), [o for o in outcomes if o is not None], problems)


def _evaluate_all(
    files: list[Path], options: Options, workers: int, notice: Notice | None, record: bool = False
) -> Generator[tuple[Outcome, Stamp | None], None, None]:
    work = functools.partial(_summarize_all, options=options, record=record)
    yield from chunked(work, files, workers, MAX_CHUNK, notice)


def _summarize_all(paths: list[Path], options: Options, record: bool) -> list[tuple[Outcome, Stamp | None]]:
    """One chunk, in a worker."""
    return [_observed(path, options, record) for path in paths]


def _assemble(today: str, outcomes: Iterable[ProjectSummary | Failed], problems: Sequence[Diagnostic]) -> Portfolio:
    """The Portfolio from the summaries, in their order, and the problems met while discovering them."""
    unusable: dict[str, list[str]] = {}  # paths that do not exist or cannot be read: listed first
    for problem in problems:
        if problem.level is Level.ERROR:
            unusable.setdefault(problem.file, []).append(problem.format())
    projects: list[ProjectSummary] = []
    failed = [Failed(path, tuple(lines)) for path, lines in unusable.items()]
    for outcome in outcomes:
        if isinstance(outcome, ProjectSummary):
            projects.append(outcome)
        else:
            failed.append(outcome)
    warnings = tuple(d.format() for d in problems if d.level is not Level.ERROR)
    return Portfolio(today, tuple(projects), tuple(failed), _packs(projects), _common_gaps(projects), warnings)


def _packs(projects: Sequence[ProjectSummary]) -> tuple[PackColumn, ...]:
    titles: dict[str, str] = {}
    for project in projects:
        for pack_id, title in project.pack_titles.items():
            titles.setdefault(pack_id, title)
    builtin = {pack_id: rank for rank, pack_id in enumerate(BUILTIN_ORDER)}
    appearance = {pack_id: rank for rank, pack_id in enumerate(titles)}
    ordered = sorted(titles, key=lambda p: (builtin.get(p, len(builtin)), appearance[p]))
    return tuple(PackColumn(pack_id, titles[pack_id]) for pack_id in ordered)


def _common_gaps(projects: Sequence[ProjectSummary]) -> tuple[CommonGap, ...]:
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for project in projects:
        for item_id, title in project.gaps:
            titles.setdefault(item_id, title)
        counts.update({item_id for item_id, _ in project.gaps})
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(CommonGap(item, titles[item], count, Fraction(count, len(projects))) for item, count in ordered)
