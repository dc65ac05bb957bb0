"""The command line: parse options, call one core function, render, return an exit code.

Heavy modules (jsonschema, the engine, renderers) are imported inside the commands that need them, so
`readiness --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from readiness import __version__
from readiness.errors import Exit, guarded, print_diagnostics
from readiness.render import Format, ReportFormat

if TYPE_CHECKING:
    from readiness.model import Result
    from readiness.scoring import Options

app = typer.Typer(
    name="readiness",
    help="Tells a team whether its AI system is ready for production, and what stands in the way.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
checklists_app = typer.Typer(help="Browse the checklist packs and lint custom ones.", no_args_is_help=True)
app.add_typer(checklists_app, name="checklists")

DEFAULT_FILE = Path("readiness.yaml")


class StageChoice(str, Enum):
    prototype = "prototype"
    pilot = "pilot"
    production = "production"
    scale = "scale"


class FailOn(str, Enum):
    blocker = "blocker"
    major = "major"
    minor = "minor"
    none = "none"


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


def resolve_today(today: str | None) -> date:
    """--today, else SOURCE_DATE_EPOCH, else the UTC date: the core never reads the clock itself."""
    if today is not None:
        try:
            return date.fromisoformat(today)
        except ValueError:
            raise typer.BadParameter(f"'{today}' is not a date (YYYY-MM-DD)", param_hint="--today") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise typer.BadParameter(f"SOURCE_DATE_EPOCH='{epoch}' is not a Unix time") from None
    return datetime.now(tz=timezone.utc).date()


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _width() -> int:
    return min(80, shutil.get_terminal_size((80, 24)).columns) if sys.stdout.isatty() else 80


TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="YYYY-MM-DD", help="Fix today's date for reproducible output."),
]
RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        metavar="DIR",
        help="Folder evidence may not leave [default: the enclosing git work tree, else the file's folder].",
    ),
]
FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="The assessment.", show_default=True)]


FORMATS_HELP = "text, json, markdown, sarif, junit or github; FORMAT:FILE writes that format to FILE. Repeatable."


@app.command()
def check(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[
        list[str] | None, typer.Option("-f", "--format", metavar="FORMAT[:FILE]", help=f"Output: {FORMATS_HELP}")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the one format to this file.")] = None,
    min_score: Annotated[
        float | None, typer.Option(min=0, max=100, help="Lowest overall score that passes [default: 70].")
    ] = None,
    min_category_score: Annotated[
        float | None,
        typer.Option(min=0, max=100, help="Lowest score any category may have [default: 50]."),
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
    """Score the assessment against the policy; the exit code is the verdict."""
    from readiness.engine import evaluate
    from readiness.output import write_atomic
    from readiness.render import RenderOptions, renderer
    from readiness.render.headline import headline
    from readiness.yamlsource import file_problem

    policy = {
        "min_score": min_score,
        "min_category_score": min_category_score,
        "fail_on": fail_on.value if fail_on else None,
    }
    outputs = _outputs(fmt or [], output)
    if fail_on_regression and baseline is None:
        raise typer.BadParameter("needs --baseline OLD to compare with", param_hint="--fail-on-regression")
    options = _options(today, strict, target, policy)
    _require_default(file, file_problem)
    checked_root = _checked_root(root, file)
    evaluation = evaluate(file, options, display=str(file), root=checked_root)
    print_diagnostics(evaluation.warnings)
    result = evaluation.result
    comparison = None
    if baseline is not None:
        from readiness.baseline import read_side
        from readiness.compare import compare, snapshot

        comparison = compare(read_side(baseline, options, checked_root), snapshot(result, str(file)))
    ready = result.verdict != "not-ready"
    regressed = comparison is not None and bool(comparison.regressions)
    code = Exit.NOT_READY if (not ready and not warn_only) or (fail_on_regression and regressed) else Exit.READY
    quiet_now = quiet and code == Exit.READY
    text_on_terminal = False
    for form, target_file in outputs:
        to_terminal = target_file is None and form is Format.TEXT
        text_on_terminal = text_on_terminal or to_terminal
        options_for = RenderOptions(color=to_terminal and _use_color(), width=_width(), baseline=comparison)
        text = renderer(form)(result, options_for)
        if target_file is not None:
            write_atomic(target_file, text, inputs=[file])
        elif not quiet_now:
            sys.stdout.write(text)
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
    from readiness.diagnostics import did_you_mean

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
    if len({str(p) for p in files}) != len(files):
        raise typer.BadParameter("two formats would be written to the same file", param_hint="-f")
    return found


def _append_step_summary(result: Result, options: object) -> None:
    """On GitHub Actions, the Markdown summary goes on the run's page too (GITHUB_STEP_SUMMARY)."""
    from readiness.render import RenderOptions, renderer

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    assert isinstance(options, RenderOptions)
    text = renderer(Format.MARKDOWN)(result, options)
    try:
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        print(f"readiness: warning: cannot append to GITHUB_STEP_SUMMARY ({error.strerror})", file=sys.stderr)


def _require_default(file: Path, problem: Callable[[str, str], Exception]) -> None:
    if file == DEFAULT_FILE and not file.exists():
        raise problem(str(file), "no such file in this folder; pass the assessment's path")


def _checked_root(root: Path | None, file: Path) -> Path | None:
    """--root must be a folder that holds the assessment, or every evidence path would escape it."""
    if root is None:
        return None
    if not root.is_dir():
        raise typer.BadParameter(f"'{root}' is not a folder", param_hint="--root")
    try:
        file.resolve().relative_to(root.resolve())
    except ValueError:
        raise typer.BadParameter(f"'{root}' does not contain '{file}'", param_hint="--root") from None
    return root


@app.command()
def init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the assessment.")] = DEFAULT_FILE,
    name: Annotated[str | None, typer.Option(help="Project name [default: this folder's name].")] = None,
    description: Annotated[str | None, typer.Option(help="One line on what the system does.")] = None,
    stage: Annotated[StageChoice | None, typer.Option(help="Where the project is now.")] = None,
    target: Annotated[StageChoice | None, typer.Option(help="The stage to gate [default: production].")] = None,
    profile: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KEY=VALUE",
            help="What the system is, e.g. llm=yes,agentic=no,risk=high (keys: llm, agentic, personal_data, "
            "eu_users, self_hosted, risk). Repeatable.",
        ),
    ] = None,
    member: Annotated[
        list[str] | None,
        typer.Option(metavar="ID:NAME[:ROLE]", help='A team member, e.g. "alice:Alice Chen:ML lead". Repeatable.'),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter readiness.yaml: asks at a terminal, takes flags in scripts."""
    from readiness.ask import Asker, is_terminal
    from readiness.catalog import build_catalog
    from readiness.initwalk import interview
    from readiness.output import write_atomic
    from readiness.render.terminal import console
    from readiness.starter import Starter, starter_text

    if (file.exists() or file.is_symlink()) and not force:
        raise typer.BadParameter(f"'{file}' already exists; pass --force to replace it", param_hint="FILE")
    given = Starter(
        name=name if name is not None else Path.cwd().name or "my-ai-system",
        description=description or "",
        stage=stage.value if stage else None,
        target=target.value if target else "production",
        profile=_profile_flags(profile or []),
        team=_member_flags(member or []),
    )
    asked = {key for key, value in (("name", name), ("description", description), ("stage", stage)) if value}
    asked |= {"target"} if target else set()
    asked |= {"team"} if member else set()
    if is_terminal():
        catalog, _ = build_catalog([], None)
        given = interview(given, asked, Asker(console(sys.stdout, _width(), _use_color())), catalog)
    write_atomic(file, starter_text(given))
    print(f"Wrote {file}. Next: readiness assess {file}")


def _profile_flags(values: list[str]) -> dict[str, object]:
    from readiness.starter import PROFILE_QUESTIONS, RISKS

    keys = [q.key for q in PROFILE_QUESTIONS]
    found: dict[str, object] = {}
    for pair in (part.strip() for value in values for part in value.split(",") if part.strip()):
        key, sep, raw = pair.partition("=")
        key, raw = key.strip(), raw.strip().lower()
        if key not in keys:
            raise typer.BadParameter(
                f"unknown profile key '{key}'; use one of {', '.join(keys)}", param_hint="--profile"
            )
        if not sep:
            raw = "yes"  # `--profile llm` reads as llm=yes
        if key == "risk":
            if raw not in RISKS:
                raise typer.BadParameter(f"risk must be one of {', '.join(RISKS)}, not '{raw}'", param_hint="--profile")
            found[key] = raw
        elif raw in ("yes", "y", "true", "1"):
            found[key] = True
        elif raw in ("no", "n", "false", "0"):
            found[key] = False
        else:
            raise typer.BadParameter(f"{key} must be yes or no, not '{raw}'", param_hint="--profile")
    return found


def _member_flags(values: list[str]) -> list[Any]:
    from readiness.starter import Member, member_problem

    members: list[Member] = []
    for value in values:
        member_id, _, rest = value.partition(":")
        name, _, role = rest.partition(":")
        problem = member_problem(member_id.strip(), [m.id for m in members])
        if problem is None and not name.strip():
            problem = f"'{value}' has no name; write ID:NAME or ID:NAME:ROLE"
        if problem is not None:
            raise typer.BadParameter(problem, param_hint="--member")
        members.append(Member(member_id.strip(), name.strip(), role.strip()))
    return members


@app.command()
def assess(
    file: FileArgument = DEFAULT_FILE,
    category: Annotated[
        str | None, typer.Option("--category", metavar="PACK", help="Walk only this category, e.g. observability.")
    ] = None,
    revisit: Annotated[bool, typer.Option("--all", help="Revisit every applicable item, not only open ones.")] = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Walk the checklists at a terminal; every answer is saved to the file at once."""
    from readiness.ask import Asker, is_terminal

    if not is_terminal():
        print(
            "readiness assess: this walk needs a terminal, and stdin is not one. In a script, edit "
            f"{file} directly and run `readiness check {file}`.",
            file=sys.stderr,
        )
        raise typer.Exit(Exit.BAD_INPUT)
    from readiness.render.terminal import console
    from readiness.walk import UnknownCategory, Walk
    from readiness.yamlsource import file_problem

    _require_default(file, file_problem)
    asker = Asker(console(sys.stdout, _width(), _use_color()))
    walk = Walk(file, _options(today, False, None), _checked_root(root, file), asker)
    try:
        code = walk.run(category, revisit)
    except UnknownCategory as unknown:
        raise typer.BadParameter(str(unknown), param_hint="--category") from None
    raise typer.Exit(code)


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
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
    """What got better or worse: score per category, items newly met, new gaps and regressions."""
    from readiness.baseline import read_side
    from readiness.compare import compare
    from readiness.diffview import as_json, as_markdown, as_text

    options = _options(today, strict, target)
    comparison = compare(read_side(old, options), read_side(new, options))
    show = {DiffFormat.text: as_text, DiffFormat.json: as_json, DiffFormat.markdown: as_markdown}[fmt]
    sys.stdout.write(show(comparison))
    raise typer.Exit(Exit.NOT_READY if fail_on_regression and comparison.regressions else Exit.READY)


HISTORY_IN_REPORT = 24  # commits charted in the report: two years of monthly reviews


class HistoryFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("history")
def history_command(
    file: FileArgument = DEFAULT_FILE,
    fmt: Annotated[HistoryFormat, typer.Option("-f", "--format", help="Output format.")] = HistoryFormat.text,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the newest N commits.")] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of project.target.")] = None,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Score, verdict and stage at each commit that changed the file (from git), newest first."""
    from readiness.history import history
    from readiness.historyview import as_json, as_markdown, as_text
    from readiness.yamlsource import file_problem

    _require_default(file, file_problem)
    points = history(file, _options(today, False, target), limit, root=_checked_root(root, file))
    if fmt is HistoryFormat.json:
        sys.stdout.write(as_json(points))
    elif fmt is HistoryFormat.markdown:
        sys.stdout.write(as_markdown(points))
    else:
        sys.stdout.write(as_text(points, _width(), _use_color()))


class PortfolioFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command()
def portfolio(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Folders to search for readiness.yaml, or files.")
    ],
    fmt: Annotated[PortfolioFormat, typer.Option("-f", "--format", help="Output format.")] = PortfolioFormat.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes that score in parallel [default: the CPUs available]."),
    ] = None,
    target: Annotated[StageChoice | None, typer.Option(help="Gate this stage instead of each project.target.")] = None,
    today: TodayOption = None,
) -> None:
    """Roll up many assessments: verdicts and scores per pack, and the gaps most teams share."""
    from readiness.output import write_atomic
    from readiness.portfolio import collect
    from readiness.portfolioview import as_html, as_json, as_markdown, as_text

    options = _options(today, False, target)
    count = workers or _cpus()
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True, console=_stderr_console()) as bar:
            task = bar.add_task("scoring", total=None)
            found = collect(paths, options, count, lambda done, total: bar.update(task, completed=done, total=total))
    else:
        found = collect(paths, options, count)
    if fmt is PortfolioFormat.html:
        text = as_html(found)
    elif fmt is PortfolioFormat.json:
        text = as_json(found)
    elif fmt is PortfolioFormat.markdown:
        text = as_markdown(found)
    else:
        text = as_text(found, _width(), output is None and _use_color())
    for warning in found.warnings:
        print(f"readiness: warning: {warning}", file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    scored = len(found.projects)
    print(f"readiness: {scored} assessment(s) scored, {len(found.failed)} invalid", file=sys.stderr)
    raise typer.Exit(Exit.BAD_INPUT if found.failed else Exit.READY)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use, e.g. under taskset or a CI quota
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Assessments and checklist packs.")] = [DEFAULT_FILE],  # noqa: B006
    root: RootOption = None,
) -> None:
    """Check assessments and checklist packs against their schemas and references; report every error."""
    from readiness.validation import validate_file

    failed = False
    for path in files:
        kind, diagnostics = validate_file(path, root=_checked_root(root, path))
        print_diagnostics(diagnostics)
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
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Write the review document: verdict, scores, remediation plan, RACI, cost, risks, evidence, coverage."""
    from readiness.render.headline import headline
    from readiness.yamlsource import file_problem

    _require_default(file, file_problem)
    options = _options(today, strict, target)
    result = _report(file, fmt, output, options, root, with_history)
    print(headline(result), file=sys.stderr)


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the report.")] = Path(
        "readiness-demo.html"
    ),
    today: TodayOption = None,
) -> None:
    """Score the bundled support-copilot example and write its HTML report here, for a first look."""
    from readiness.render.headline import headline
    from readiness.resources import data_dir

    example = data_dir("examples") / "support-copilot" / "readiness.yaml"
    result = _report(example, ReportFormat.HTML, output, _options(today, False, None), None)
    print(f"Wrote {output} — the review report of the bundled example '{result.project.name}'.")
    print(headline(result))
    print(f"Open it in a browser; the example's assessment is {example}")


def _options(
    today: str | None, strict: bool, target: StageChoice | None, policy: Mapping[str, object] | None = None
) -> Options:
    from readiness.model import Stage
    from readiness.scoring import Options

    return Options(
        today=resolve_today(today),
        strict=strict,
        target=Stage(target.value) if target else None,
        policy=policy or {},
    )


def cache_folder() -> Path | None:
    """Where compiled templates and validators are kept: READINESS_CACHE_DIR (empty: nowhere), else the user's
    cache folder."""
    chosen = os.environ.get("READINESS_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return root / "readiness"


def _report(
    file: Path, fmt: ReportFormat, output: Path | None, options: Options, root: Path | None, with_history: bool = False
) -> Result:
    from readiness.engine import evaluate
    from readiness.output import write_atomic
    from readiness.render import RenderOptions, renderer

    checked_root = _checked_root(root, file)
    evaluation = evaluate(file, options, display=str(file), root=checked_root)
    print_diagnostics(evaluation.warnings)
    points = None
    if with_history:
        from readiness.history import history

        points = tuple(history(file, options, HISTORY_IN_REPORT, root=checked_root))
    text = renderer(fmt)(evaluation.result, RenderOptions(history=points))
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs=[file])
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
    """Print the cost projection: every month, expected and worst case, against the budget."""
    from readiness.costview import as_json, as_table
    from readiness.engine import projection
    from readiness.yamlsource import file_problem

    _require_default(file, file_problem)
    name, found = projection(file, display=str(file), root=_checked_root(root, file))
    if fmt is CostFormat.json:
        sys.stdout.write(as_json(found))
    else:
        sys.stdout.write(as_table(found, name, _width(), _use_color()))


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(metavar="KIND", help="Which schema.")] = SchemaKind.assessment,
) -> None:
    """Print a JSON Schema, for editors and other tools."""
    from readiness.schemas import schema_text

    sys.stdout.write(schema_text(kind.value))


@checklists_app.command("list")
def checklists_list() -> None:
    """List the built-in packs."""
    from readiness.packview import pack_table

    sys.stdout.write(pack_table(_width()))


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
    """Show a pack's items, one item in full, or which items cover a framework (--refs)."""
    from readiness.packview import UnknownId, refs_table, show

    try:
        if refs is not None:
            if pack_or_item is not None and "." in pack_or_item:
                raise typer.BadParameter("with --refs, ID must be a pack id", param_hint="ID")
            sys.stdout.write(refs_table(refs, pack_or_item, _width()))
        elif pack_or_item is None:
            raise typer.BadParameter("give a pack or item id, or --refs TEXT", param_hint="ID")
        else:
            sys.stdout.write(show(pack_or_item, _width()))
    except UnknownId as unknown:
        raise typer.BadParameter(str(unknown), param_hint="--refs" if refs is not None else "ID") from None


@checklists_app.command("lint")
def checklists_lint(file: Annotated[Path, typer.Argument(help="A custom pack.")]) -> None:
    """Check a custom pack: schema, ids, references to the built-in packs, and style."""
    from readiness.validation import lint_pack

    diagnostics, summary = lint_pack(file)
    print_diagnostics(diagnostics)
    if any(d.level.value == "error" for d in diagnostics):
        raise typer.Exit(Exit.BAD_INPUT)
    print(summary)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    return guarded(lambda: _run(args), debug="--debug" in args)


def _run(args: list[str]) -> int:
    from readiness import cachedir

    cachedir.use(cache_folder())
    code = app(args=args, prog_name="readiness", standalone_mode=False)
    return code if isinstance(code, int) else 0
