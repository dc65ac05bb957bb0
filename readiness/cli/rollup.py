"""`readiness diff`, `history` and `portfolio`: one assessment over time, or many at once."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from readiness.cli.errors import CannotRun, Exit, shortage
from readiness.cli.options import (
    DEFAULT_FILE,
    FileArgument,
    RootOption,
    StageChoice,
    TodayOption,
    checked_root,
    require_default,
    scoring_options,
    use_color,
    width,
)
from readiness.cli.stdio import write_document


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="An assessment, a result JSON, or REF:path from git.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The same kinds as OLD.")] = str(DEFAULT_FILE),
    fmt: Annotated[DiffFormat, typer.Option("-f", "--format", help="Output format.")] = DiffFormat.text,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when an item met in OLD is not met in NEW.")
    ] = False,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of project.target.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Give unverified items no credit at all.")] = False,
    today: TodayOption = None,
) -> None:
    """Show what got better or worse between two versions.

    Score per category, items newly met, new gaps and regressions, between two files or git versions.
    """
    from readiness.load.diagnostics import InputError
    from readiness.render.diffview import as_json, as_markdown, as_text
    from readiness.rollup.baseline import read_side
    from readiness.rollup.compare import compare

    options = scoring_options(today, strict, target)
    sides, problems = [], []
    for spec in (old, new):  # both read before giving up, so that two broken sides are reported at once
        try:
            sides.append(read_side(spec, options))
        except InputError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise InputError(problems)
    comparison = compare(sides[0], sides[1])
    if fmt is DiffFormat.text:
        sys.stdout.write(as_text(comparison, width()))
    else:
        write_document((as_json if fmt is DiffFormat.json else as_markdown)(comparison))
    raise typer.Exit(Exit.NOT_READY if fail_on_regression and comparison.regressions else Exit.READY)


class HistoryFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def history_command(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[HistoryFormat, typer.Option("-f", "--format", help="Output format.")] = HistoryFormat.text,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Read the newest N commits [default: 100]; the output says if more exist."),
    ] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of project.target.")] = None,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Score, verdict and stage at each commit of the file.

    Read from git, newest first, at each commit that changed the file.
    """
    from readiness.cli.errors import print_diagnostics
    from readiness.load.yamlsource import file_problem
    from readiness.render.historyview import as_json, as_markdown, as_text
    from readiness.rollup.history import HISTORY_LIMIT, history

    require_default(file, file_problem)
    options = scoring_options(today, False, target)
    found = history(file, options, limit or HISTORY_LIMIT, root=checked_root(root, file))
    print_diagnostics(found.warnings)
    if fmt is HistoryFormat.json:
        write_document(as_json(found))
    elif fmt is HistoryFormat.markdown:
        write_document(as_markdown(found))
    else:
        sys.stdout.write(as_text(found, width(), use_color()))


class PortfolioFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


def portfolio(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Folders to search for readiness.yaml, or files.")
    ],
    fmt: Annotated[PortfolioFormat, typer.Option("-f", "--format", help="Output format.")] = PortfolioFormat.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes that score in parallel, at most 4 per CPU [default: the CPUs available].",
        ),
    ] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of each project.target.")] = None,
    today: TodayOption = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            metavar="FILE",
            help="Keep each project's result in this JSON file, and take it from there next time when nothing it "
            "was scored from has changed. Keep FILE outside the projects rolled up.",
        ),
    ] = None,
) -> None:
    """Roll up many assessments into one view.

    Verdicts and scores per pack for every readiness.yaml found, and the gaps most teams share.
    """
    from readiness.render.output import write_atomic
    from readiness.render.portfolioview import as_html, as_json, as_markdown, as_text
    from readiness.rollup.portfolio import collect
    from readiness.rollup.resultcache import open_cache, save

    options = scoring_options(today, False, target)
    count = _worker_count(workers)
    kept = None
    if cache is not None:
        kept, said = open_cache(cache, paths, options)
        for sentence in said:
            _warn(sentence)
    try:
        if sys.stderr.isatty():
            from rich.progress import Progress

            with Progress(transient=True, console=_stderr_console()) as bar:
                task = bar.add_task("scoring", total=None)
                found = collect(
                    paths,
                    options,
                    count,
                    lambda done, total: bar.update(task, completed=done, total=total),
                    notice=lambda sentence: bar.console.print(f"readiness: warning: {sentence}", markup=False),
                    cache=kept,
                )
        else:
            found = collect(paths, options, count, notice=_warn, cache=kept)
    except OSError as error:  # no descriptors, processes or memory left to start the workers
        problem = shortage(error, fewer="pass a smaller --workers")
        if problem is None:
            raise
        raise CannotRun(f"cannot run {count} worker processes: {problem}") from None
    if fmt is PortfolioFormat.html:
        text = as_html(found)
    elif fmt is PortfolioFormat.json:
        text = as_json(found)
    elif fmt is PortfolioFormat.markdown:
        text = as_markdown(found)
    else:
        text = as_text(found, width(), output is None and use_color())
    for warning in found.warnings:
        print(warning, file=sys.stderr)  # already FILE:LINE:COL: warning: PATH: MESSAGE
    read = found.inputs  # every assessment and custom pack the roll-up read
    if cache is not None and kept is not None:
        for sentence in save(kept, cache, read, lambda path, body, inputs: write_atomic(path, body, inputs=inputs)):
            _warn(sentence)
        read = (*read, cache)
    if output is None:
        (sys.stdout.write if fmt is PortfolioFormat.text else write_document)(text)
    else:
        write_atomic(output, text, inputs=read)
    scored = len(found.projects)
    noun = "assessment" if scored == 1 else "assessments"
    print(f"readiness: {scored} {noun} scored, {len(found.failed)} invalid", file=sys.stderr)
    raise typer.Exit(Exit.BAD_INPUT if found.failed else Exit.READY)


# Scoring is CPU-bound: beyond one process per CPU a worker only adds memory (tens of MB each), except while
# evidence is read from a slow disk. Four per CPU leaves room for that and keeps `--workers 100000` from forking
# the machine to death.
WORKERS_PER_CPU = 4


def _worker_count(asked: int | None) -> int:
    """--workers, or the CPUs available; at most WORKERS_PER_CPU per CPU, with a warning, not an error: the
    roll-up is the same whatever the number, and one CI configuration should run on a small runner and a large one.
    """
    cpus = _cpus()
    if asked is None:
        return cpus
    limit = WORKERS_PER_CPU * cpus
    if asked > limit:
        noun = "CPU" if cpus == 1 else "CPUs"
        _warn(f"--workers {asked} is more than {WORKERS_PER_CPU} per CPU available ({cpus} {noun}); using {limit}")
        return limit
    return asked


def _warn(sentence: str) -> None:
    print(f"readiness: warning: {sentence}", file=sys.stderr)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use, e.g. under taskset or a CI quota
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)
