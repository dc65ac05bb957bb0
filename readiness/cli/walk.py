"""`readiness init` and `readiness assess`: the commands a tech lead meets at a terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from readiness.cli.errors import Exit
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


def init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the assessment.")] = DEFAULT_FILE,
    name: Annotated[str | None, typer.Option(help="Project name [default: this folder's name].")] = None,
    description: Annotated[str | None, typer.Option(help="One line on what the system does.")] = None,
    stage: Annotated[StageChoice | None, typer.Option(help="Where the project is now [default: prototype].")] = None,
    target: Annotated[StageChoice | None, typer.Option(help="The stage to gate [default: production].")] = None,
    profile: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KEY=VALUE",
            help="What the system is, e.g. llm=yes,rag=yes,eu_ai_act=limited,risk=high (keys: llm, agentic, rag, "
            "personal_data, eu_users, eu_ai_act, multi_tenant, public_facing, self_hosted, trains_models, risk). "
            "Repeatable.",
        ),
    ] = None,
    member: Annotated[
        list[str] | None,
        typer.Option(metavar="ID:NAME[:ROLE]", help='A team member, e.g. "alice:Alice Chen:ML lead". Repeatable.'),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented starter readiness.yaml.

    Asks at a terminal; in a script it takes the flags and asks nothing.
    """
    from readiness.core.catalog import build_catalog
    from readiness.edit.starter import Starter, starter_text
    from readiness.interactive.ask import Asker, is_terminal
    from readiness.interactive.initwalk import interview
    from readiness.render.output import write_atomic
    from readiness.render.terminal import console

    if (file.exists() or file.is_symlink()) and not force:
        raise typer.BadParameter(f"'{file}' already exists; pass --force to replace it", param_hint="FILE")
    _one_line(name, "--name")
    _one_line(description, "--description")
    given = Starter(
        name=name if name is not None else _folder_name(),
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
        given = interview(given, asked, Asker(console(sys.stdout, width(), use_color())), catalog)
    write_atomic(file, starter_text(given))
    print(f"Wrote {file}. Next: readiness assess {file}")


def _walk_width() -> int:
    """The walk uses the terminal's whole width (the reports keep to 80 columns), up to what still reads well."""
    import shutil

    from readiness.interactive.screen import MAX_COLUMNS, MIN_COLUMNS

    return max(MIN_COLUMNS, min(MAX_COLUMNS, shutil.get_terminal_size((80, 24)).columns))


def _one_line(value: str | None, option: str) -> None:
    """Refuse a flag's text that readiness.yaml cannot hold on one line (the reader's rule; see typedtext.py)."""
    from readiness.edit.typedtext import one_line_problem

    problem = None if value is None else one_line_problem(value)
    if problem is not None:
        raise typer.BadParameter(problem, param_hint=option)


def _folder_name() -> str:
    """This folder's name, the default project name, unless the file could not hold it."""
    from readiness.edit.typedtext import one_line_problem

    folder = Path.cwd().name
    return folder if folder and one_line_problem(folder) is None else "my-ai-system"


def _profile_flags(values: list[str]) -> dict[str, object]:
    from readiness.edit.starter import PROFILE_QUESTIONS

    questions = {q.key: q for q in PROFILE_QUESTIONS}
    keys = list(questions)
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
        choices = questions[key].choices
        if choices:
            if raw not in choices:
                raise typer.BadParameter(
                    f"{key} must be one of {', '.join(choices)}, not '{raw}'", param_hint="--profile"
                )
            found[key] = raw
        elif raw in ("yes", "y", "true", "1"):
            found[key] = True
        elif raw in ("no", "n", "false", "0"):
            found[key] = False
        else:
            raise typer.BadParameter(f"{key} must be yes or no, not '{raw}'", param_hint="--profile")
    return found


def _member_flags(values: list[str]) -> list[Any]:
    from readiness.edit.starter import Member, member_problem
    from readiness.edit.typedtext import one_line_problem
    from readiness.load.textsafe import visible

    members: list[Member] = []
    for value in values:
        member_id, _, rest = value.partition(":")
        name, _, role = rest.partition(":")
        problem = member_problem(member_id.strip(), [m.id for m in members])
        if problem is None and not name.strip():
            problem = f"'{visible(value)}' has no name; write ID:NAME or ID:NAME:ROLE"
        problem = problem or one_line_problem(name) or one_line_problem(role)
        if problem is not None:
            raise typer.BadParameter(problem, param_hint="--member")
        members.append(Member(member_id.strip(), name.strip(), role.strip()))
    return members


def assess(
    file: FileArgument = DEFAULT_FILE,
    category: Annotated[
        str | None, typer.Option("--category", metavar="PACK", help="Walk only this category, e.g. observability.")
    ] = None,
    revisit: Annotated[bool, typer.Option("--all", help="Revisit every applicable item, not only open ones.")] = False,
    item: Annotated[
        str | None, typer.Option("--item", metavar="ID", help="Show this item alone, e.g. data.lineage.")
    ] = None,
    start_at: Annotated[str | None, typer.Option("--from", metavar="ID", help="Start the walk at this item.")] = None,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Walk the checklists at a terminal, saving every answer.

    Open items first; each answer is written to the file the moment it is complete. A plain run resumes at the
    item where the last sitting stopped.
    """
    from readiness.interactive.ask import Asker, is_terminal

    if not is_terminal():
        print(
            "readiness assess: this walk needs a terminal, and stdin is not one. In a script, edit "
            f"{file} directly and run `readiness check {file}`.",
            file=sys.stderr,
        )
        raise typer.Exit(Exit.BAD_INPUT)
    import os

    from readiness.interactive.position import state_dir
    from readiness.interactive.walk import Start, UnknownCategory, UnknownItem, Walk
    from readiness.load.yamlsource import file_problem
    from readiness.render.terminal import console

    if item is not None and start_at is not None:
        raise typer.BadParameter("give --item or --from, not both", param_hint="--item")
    require_default(file, file_problem)
    asker = Asker(console(sys.stdout, _walk_width(), use_color()))
    walk = Walk(file, scoring_options(today, False, None), checked_root(root, file), asker, state_dir(os.environ))
    start = Start(item, True) if item is not None else Start(start_at, False) if start_at is not None else None
    try:
        code = walk.run(category, revisit, start)
    except UnknownCategory as unknown:
        raise typer.BadParameter(str(unknown), param_hint="--category") from None
    except UnknownItem as unknown:
        raise typer.BadParameter(str(unknown), param_hint="--item" if item is not None else "--from") from None
    raise typer.Exit(code)
