"""The command line: parse options, call one core function, render, return an exit code.

Heavy modules (jsonschema, the engine, renderers) are imported inside the commands that need them, and a run
hands typer only the command it names, so that each command pays for itself alone. `readiness --help` and
`--version` never get here (cli/entry.py). The interactive commands live in cli/walk.py, the ones over several
versions or projects in cli/rollup.py, and what all of them share in cli/options.py.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from readiness import __version__
from readiness.cli.demo import demo
from readiness.cli.errors import CannotRun, Exit, UsageProblem, guarded, print_diagnostics
from readiness.cli.helpform import Commands
from readiness.cli.options import (
    DEFAULT_FILE,
    FailOn,
    FileArgument,
    RootOption,
    StageChoice,
    TodayOption,
    checked_root,
    finite_score,
    require_default,
    scoring_options,
    use_color,
    width,
)
from readiness.cli.rollup import diff, history_command, portfolio
from readiness.cli.scan import scan
from readiness.cli.stdio import standard_streams, write_document
from readiness.cli.walk import assess, init
from readiness.load.textsafe import visible
from readiness.render.formats import Format, ReportFormat

if TYPE_CHECKING:
    from readiness.core.model import Result
    from readiness.load.diagnostics import Diagnostic
    from readiness.score.scoring import Options


def _typer_app() -> typer.Typer:
    return typer.Typer(
        name="readiness",
        help="Tells a team whether its AI system is ready for production, and what stands in the way.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=Commands,
    )


app = _typer_app()
checklists_app = typer.Typer(
    help="Browse the checklist packs and lint custom ones.", no_args_is_help=True, cls=Commands
)
app.add_typer(checklists_app, name="checklists")


class SchemaKind(str, Enum):
    assessment = "assessment"
    checklist = "checklist"
    result = "result"


def _version(value: bool) -> None:
    if value:
        print(f"readiness {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Tells a team whether its AI system is ready for production, and what stands in the way."""


FORMATS_HELP = "text, json, markdown, sarif, junit or github; FORMAT:FILE writes that format to FILE. Repeatable."
# Shown under `check --help` as written (\b keeps click from joining the lines).
CHECK_EXIT_CODES = """\b
Exit codes, whatever the format:
  0    ready (or --warn-only)
  1    not ready; or, with --fail-on-regression, an item met in the
       baseline is not met now
  2    bad input or usage: each problem as FILE:LINE:COL: error: ...
  3    internal error (--debug shows the traceback)
  130  interrupted"""


@app.command(epilog=CHECK_EXIT_CODES)
def check(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[
        list[str] | None, typer.Option("-f", "--format", metavar="FORMAT[:FILE]", help=f"Output: {FORMATS_HELP}")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write the one format to this file.")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            min=0,
            max=100,
            metavar="SCORE",
            callback=finite_score,
            help="Lowest overall score that passes, 0 to 100 [default: 70].",
        ),
    ] = None,
    min_category_score: Annotated[
        float | None,
        typer.Option(
            min=0,
            max=100,
            metavar="SCORE",
            callback=finite_score,
            help="Lowest score any category may have, 0 to 100 [default: 50].",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Fail on any open item of this severity or worse [default: blocker]."),
    ] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of project.target.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Give unverified items no credit at all.")] = False,
    warn_only: Annotated[bool, typer.Option("--warn-only", help="Report, but exit 0 even when not ready.")] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="OLD",
            help="Compare with OLD: an assessment, a result JSON, or REF:path from git, e.g. main:readiness.yaml.",
        ),
    ] = None,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when an item met in the baseline is not met now.")
    ] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing when ready.")] = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Score the assessment; the exit code is the verdict.

    Prints the verdict, the stage reached, the scores and the gaps in the order to fix them; -f writes them for
    CI as JSON, Markdown, SARIF, JUnit or GitHub annotations.
    """
    from readiness.load.yamlsource import file_problem
    from readiness.render.formats import RenderOptions, renderer
    from readiness.render.headline import headline
    from readiness.render.output import write_atomic
    from readiness.score.engine import evaluate

    policy = {
        "min_score": min_score,
        "min_category_score": min_category_score,
        "fail_on": fail_on.value if fail_on else None,
    }
    outputs = _outputs(fmt or [], output)
    if fail_on_regression and baseline is None:
        raise typer.BadParameter("needs --baseline OLD to compare with", param_hint="--fail-on-regression")
    options = scoring_options(today, strict, target, policy)
    require_default(file, file_problem)
    root_folder = checked_root(root, file)
    evaluation = evaluate(file, options, display=str(file), root=root_folder)
    print_diagnostics(evaluation.warnings)
    result = evaluation.result
    comparison = None
    inputs = list(evaluation.inputs)
    if baseline is not None:
        from readiness.rollup.baseline import read_side
        from readiness.rollup.compare import compare, snapshot

        comparison = compare(read_side(baseline, options, root_folder), snapshot(result, str(file)))
        if Path(baseline).exists() or Path(baseline).is_symlink():  # a file, not REF:path (as read_side decides)
            inputs.append(Path(baseline))
    ready = result.verdict != "not-ready"
    regressed = comparison is not None and bool(comparison.regressions)
    code = Exit.NOT_READY if (not ready and not warn_only) or (fail_on_regression and regressed) else Exit.READY
    quiet_now = quiet and code == Exit.READY
    text_on_terminal = False
    for form, target_file in outputs:
        to_terminal = target_file is None and form is Format.TEXT
        text_on_terminal = text_on_terminal or to_terminal
        options_for = RenderOptions(color=to_terminal and use_color(), width=width(), baseline=comparison)
        text = renderer(form)(result, options_for)
        if target_file is not None:
            write_atomic(target_file, text, inputs=inputs)
        elif not quiet_now:
            (sys.stdout.write if form is Format.TEXT else write_document)(text)
        if form is Format.GITHUB:
            _append_step_summary(result, RenderOptions(baseline=comparison))
    if not text_on_terminal and not quiet_now:
        print(headline(result), file=sys.stderr)
    if regressed and comparison is not None and not quiet_now:
        ids = ", ".join(c.id for c in comparison.regressions)
        print(f"readiness: regressions since {comparison.old.label}: {ids}", file=sys.stderr)
    raise typer.Exit(code)


def _outputs(specs: list[str], output: Path | None) -> list[tuple[Format, Path | None]]:
    """`-f FORMAT[:FILE]` values, with `-o` for the one format that has no file; text to stdout by default."""
    from readiness.load.diagnostics import did_you_mean

    names = [f.value for f in Format]
    found: list[tuple[Format, Path | None]] = []
    for spec in specs or ["text"]:
        name, colon, path = spec.partition(":")
        if name not in names:
            hint = did_you_mean(name, names)
            raise typer.BadParameter(f"unknown format '{name}'; use one of {', '.join(names)}{hint}", param_hint="-f")
        if colon and not path:
            raise typer.BadParameter(f"'{spec}' names no file after the ':'", param_hint="-f")
        found.append((Format(name), Path(path) if path else None))
    unnamed = [index for index, (_, path) in enumerate(found) if path is None]
    if output is not None:
        if len(unnamed) != 1:
            raise typer.BadParameter(
                "-o goes with exactly one format without a file; write FORMAT:FILE", param_hint="-o"
            )
        found[unnamed[0]] = (found[unnamed[0]][0], output)
    elif len(unnamed) > 1:
        shown = ", ".join(found[i][0].value for i in unnamed)
        raise typer.BadParameter(
            f"{shown} would all go to standard output; give each but one a file, e.g. -f sarif:readiness.sarif",
            param_hint="-f",
        )
    files = [path for _, path in found if path is not None]
    if len({os.path.realpath(p) for p in files}) != len(files):  # `x`, `./x` and a link to it are one file
        raise typer.BadParameter("two formats would be written to the same file", param_hint="-f")
    return found


def _append_step_summary(result: Result, options: object) -> None:
    """On GitHub Actions, the Markdown summary goes on the run's page too (GITHUB_STEP_SUMMARY)."""
    from readiness.render.formats import RenderOptions, renderer

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    from readiness.render.github import step_summary

    assert isinstance(options, RenderOptions)
    # The summary, then every annotation: GitHub displays only ten of each level on the files.
    text = renderer(Format.MARKDOWN)(result, options) + step_summary(result)
    try:
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        print(f"readiness: warning: cannot append to GITHUB_STEP_SUMMARY ({error.strerror})", file=sys.stderr)


# Commands written in their own modules, registered here so that `--help` lists them in this order.
app.command()(scan)
app.command()(init)
app.command()(assess)
app.command()(diff)
app.command("history")(history_command)
app.command()(portfolio)
app.command()(demo)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Assessments and checklist packs.")] = [  # noqa: B006
        DEFAULT_FILE
    ],
    root: RootOption = None,
) -> None:
    """Check assessments and packs for errors; every error at once.

    Schema, ids, team members, waivers and evidence paths are all checked in one run; nothing is scored.
    """
    from readiness.score.validation import validate_file

    failed = False
    told: set[Diagnostic] = set()  # a pack named here and used by an assessment named here is read twice
    for path in files:
        kind, diagnostics = validate_file(path, root=checked_root(root, path))
        print_diagnostics(d for d in diagnostics if d not in told)
        told.update(diagnostics)
        if any(d.level.value == "error" for d in diagnostics):
            failed = True
        else:
            print(f"{path}: ok ({kind})")
    raise typer.Exit(Exit.BAD_INPUT if failed else Exit.READY)


@app.command()
def report(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[ReportFormat, typer.Option("-f", "--format", help="Output format.")] = ReportFormat.HTML,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of project.target.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Give unverified items no credit at all.")] = False,
    with_history: Annotated[
        bool, typer.Option("--history", help="Chart the score at each commit that changed the file (git).")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Add the remediation plan, the evidence index and the appendix.")
    ] = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Write the review document, as HTML or Markdown.

    Verdict, scores, what to fix and who owns it, RACI, cost, accepted risks, evidence and framework coverage.
    Without -o, HTML goes to readiness-report.html when standard output is a terminal (and is said so), and
    to standard output when that is a file or a pipe.
    """
    from readiness.load.yamlsource import file_problem
    from readiness.render.headline import headline

    require_default(file, file_problem)
    options = scoring_options(today, strict, target)
    result = _report(file, fmt, output, options, root, with_history, full)
    print(headline(result), file=sys.stderr)


TERMINAL_REPORT = Path("readiness-report.html")  # where `report` writes HTML when stdout is a terminal
HISTORY_IN_REPORT = 24  # commits charted in the report: two years of monthly reviews


def _report(
    file: Path,
    fmt: ReportFormat,
    output: Path | None,
    options: Options,
    root: Path | None,
    with_history: bool = False,
    full: bool = False,
) -> Result:
    from readiness.render.formats import RenderOptions, renderer
    from readiness.render.output import write_atomic
    from readiness.score.engine import evaluate

    root_folder = checked_root(root, file)
    evaluation = evaluate(file, options, display=str(file), root=root_folder)
    print_diagnostics(evaluation.warnings)
    points = None
    if with_history:
        from readiness.rollup.history import history

        found = history(file, options, HISTORY_IN_REPORT, root=root_folder)
        print_diagnostics(found.warnings)  # a shallow clone: the chart lacks the oldest versions
        points = found.points
    text = renderer(fmt)(evaluation.result, RenderOptions(history=points, full=full))
    if output is None and fmt is ReportFormat.HTML and sys.stdout.isatty():
        # A whole HTML page on the screen helps nobody: at a terminal it goes to a file, and we say which.
        output = TERMINAL_REPORT
        print(f"readiness: wrote {output}; open it in a browser (-o FILE writes elsewhere)", file=sys.stderr)
    if output is None:
        write_document(text)
    else:
        write_atomic(output, text, inputs=evaluation.inputs)
    return evaluation.result


class CostFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def cost(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[CostFormat, typer.Option("-f", "--format", help="Output format.")] = CostFormat.text,
    root: RootOption = None,
) -> None:
    """Print the cost projection, month by month.

    Every month of the horizon, expected and worst case, against the budget. --root matters here too: custom
    packs and evidence are read while the file is loaded, and must stay inside it.
    """
    from readiness.load.yamlsource import file_problem
    from readiness.render.costview import as_json, as_table
    from readiness.score.engine import projection

    require_default(file, file_problem)
    name, found = projection(file, display=str(file), root=checked_root(root, file))
    if fmt is CostFormat.json:
        write_document(as_json(found))
    else:
        sys.stdout.write(as_table(found, name, width(), use_color()))


@app.command()
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            metavar="KIND",
            help="assessment (readiness.yaml), checklist (a pack) or result (check -f json).",
        ),
    ] = SchemaKind.assessment,
) -> None:
    """Print a JSON Schema: assessment, checklist or result.

    \b
    assessment  readiness.yaml, for your editor's completion and checks
    checklist   a checklist pack, built-in or your own
    result      what `readiness check -f json` writes
    """
    from readiness.load.schemas import schema_text

    write_document(schema_text(kind.value))


@checklists_app.command("list")
def checklists_list() -> None:
    """List the built-in packs."""
    from readiness.render.packview import pack_table

    sys.stdout.write(pack_table(width()))


@checklists_app.command("show")
def checklists_show(
    pack_or_item: Annotated[str | None, typer.Argument(metavar="[ID]", help="A pack id, or a full item id.")] = None,
    refs: Annotated[
        str | None,
        typer.Option(
            "--refs", metavar="TEXT", help='Items citing a framework reference that contains TEXT, e.g. "EU AI Act".'
        ),
    ] = None,
) -> None:
    """Show a pack's items, one item, or a framework's items.

    ID is a pack (observability) or an item (observability.output-drift-alerts); --refs TEXT lists the items
    that cite a framework reference containing TEXT.
    """
    from readiness.render.packview import UnknownId, refs_table, show

    try:
        if refs is not None:
            if pack_or_item is not None and "." in pack_or_item:
                raise typer.BadParameter("with --refs, ID must be a pack id", param_hint="ID")
            sys.stdout.write(refs_table(refs, pack_or_item, width()))
        elif pack_or_item is None:
            raise typer.BadParameter("give a pack or item id, or --refs TEXT", param_hint="ID")
        else:
            sys.stdout.write(show(pack_or_item, width()))
    except UnknownId as unknown:
        raise typer.BadParameter(str(unknown), param_hint="--refs" if refs is not None else "ID") from None


@checklists_app.command("lint")
def checklists_lint(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Custom packs, each linted on its own.")],
) -> None:
    """Check custom packs for errors and style.

    Schema, ids, references to the built-in packs, and questions a tech lead can answer yes or no.
    """
    from readiness.score.validation import lint_pack

    failed = False
    for file in files:  # every pack, whatever the ones before it hold: all problems in one run
        diagnostics, summary = lint_pack(file)
        print_diagnostics(diagnostics)
        if any(d.level.value == "error" for d in diagnostics):
            failed = True
        else:
            print(summary)
    if failed:
        raise typer.Exit(Exit.BAD_INPUT)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    with standard_streams():
        return guarded(lambda: _run(args), debug="--debug" in args)


def _run(args: list[str]) -> int:
    _require_working_folder()
    try:
        code = _app_for(args)(args=args, prog_name="readiness", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        raise KeyboardInterrupt from None
    except typer.TyperException as error:
        raise UsageProblem(_usage_lines(error)) from None
    return code if isinstance(code, int) else 0


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command named in `args`: typer turns every registered command into click's form
    (reading each signature) before it parses anything, and one run needs one. Anything else (no command, an
    option in its place, a misspelt name that deserves a suggestion) gets the whole app."""
    name = next((arg for arg in args if arg != "--debug"), None)
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    pruned = _typer_app()
    pruned.registered_callback = app.registered_callback
    pruned.registered_commands = commands
    pruned.registered_groups = groups
    return pruned


def _command_name(command: CommandInfo) -> str | None:
    if command.name is not None:
        return command.name
    return get_command_name(command.callback.__name__) if command.callback is not None else None


def _usage_lines(error: typer.TyperException) -> list[str]:
    """Click's usage block, with the one line that quotes what the user typed made visible: an option's value
    can come from a file of the pull request (`--baseline "$(cat …)"`) and must not drive the terminal. A group
    run without its command (`readiness`, `readiness checklists`) shows its help, as written."""
    context = getattr(error, "ctx", None)
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    if context is not None and message == context.get_help():
        return [message]
    lines: list[str] = []
    if context is not None:
        lines.append(context.get_usage())
        if context.command.get_help_option(context) is not None:
            lines.append(f"Try '{context.command_path} {context.help_option_names[0]}' for help.\n")
    lines.append(f"Error: {visible(message)}")
    return lines


def _require_working_folder() -> None:
    """Every relative path (the default file, -o) needs the current folder; say so once if it is gone."""
    try:
        os.getcwd()
    except OSError as error:
        raise CannotRun(
            f"the current folder cannot be used ({error.strerror}; was it deleted?): change to a folder that exists"
        ) from None
