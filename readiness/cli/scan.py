"""`readiness scan [DIR]`: what a repository shows of its profile, team and targets, what every probe makes of
its files, and the assessment a scan would write; `--write` writes it."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from readiness.cli.options import RootOption, TodayOption, resolve_today
from readiness.cli.stdio import write_document


class ScanFormat(str, Enum):
    text = "text"
    json = "json"


def scan(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The repository to scan.")] = Path("."),
    fmt: Annotated[ScanFormat, typer.Option("-f", "--format", help="Output format.")] = ScanFormat.text,
    write: Annotated[
        bool,
        typer.Option("--write", help="Write DIR/readiness.yaml, or add to it: never changing what is already written."),
    ] = False,
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Propose a first assessment from what the repository shows.

    Each profile key comes with the file and line that show it, and every probe of the built-in packs reads the
    files its globs find, as `check` would with an assessment at the top of DIR. The people CODEOWNERS names and
    the targets an SLO spec or a k6 script states are taken too. An item whose probe holds is proposed done:
    a proposal counts for nothing until someone confirms it in `readiness assess`, which offers proposals first.

    Without --write nothing is written: the assessment that --write would write is shown. With --write, a
    readiness.yaml already there keeps every key, comment, member, target and answer it has; a repository
    where nothing shows an AI system gets no file.

    Reads dependency files (pyproject.toml, requirements*.txt, uv.lock, poetry.lock, package.json, go.mod),
    Python imports and container images; runs nothing it reads, and reads nothing outside the project root.
    A profile key nothing shows is left for you to answer.
    """
    from readiness.cli.scanrun import run_scan
    from readiness.load.containment import Root, lies_in

    if not folder.is_dir():
        raise typer.BadParameter(f"'{folder}' is not a folder", param_hint="DIR")
    # Without --root, DIR itself is the root: a scan reads nothing beside the repository it was pointed at.
    top = Root.at(folder).path
    within = Root.at(root) if root is not None else Root.at(folder)
    if not lies_in(str(within.path), str(top)):
        raise typer.BadParameter(f"'{root}' does not hold '{folder}'", param_hint="--root")
    if not within.holds(os.path.realpath(top)):
        raise typer.BadParameter(f"'{folder}' is a link that leads outside '{root}'", param_hint="DIR")
    text = run_scan(folder, top, within, resolve_today(today), json=fmt is ScanFormat.json, write=write)
    if fmt is ScanFormat.json:
        write_document(text)
    else:
        sys.stdout.write(text)
