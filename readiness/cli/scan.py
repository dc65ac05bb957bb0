"""`readiness scan [DIR]`: what a repository shows of its profile, and what every probe makes of its files."""

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
    root: RootOption = None,
    today: TodayOption = None,
) -> None:
    """Detect a repository's profile and run every probe over it.

    Each profile key comes with the file and line that show it, and every probe of the built-in packs reads the
    files its globs find, as `check` would with an assessment at the top of DIR.

    Reads dependency files (pyproject.toml, requirements*.txt, uv.lock, poetry.lock, package.json, go.mod),
    Python imports and container images; runs nothing it reads, and reads nothing outside the project root.
    A profile key nothing shows is left for you to answer.
    """
    from readiness.load.containment import Root, lies_in
    from readiness.render.scanview import as_json, as_text
    from readiness.verify.scan.probing import probe_repository
    from readiness.verify.scan.profile import detect

    if not folder.is_dir():
        raise typer.BadParameter(f"'{folder}' is not a folder", param_hint="DIR")
    # Without --root, DIR itself is the root: a scan reads nothing beside the repository it was pointed at.
    top = Root.at(folder).path
    within = Root.at(root) if root is not None else Root.at(folder)
    if not lies_in(str(within.path), str(top)):
        raise typer.BadParameter(f"'{root}' does not hold '{folder}'", param_hint="--root")
    if not within.holds(os.path.realpath(top)):
        raise typer.BadParameter(f"'{folder}' is a link that leads outside '{root}'", param_hint="DIR")
    detection = detect(top, within)
    probed = probe_repository(top, within, resolve_today(today))
    shown = str(folder)
    if fmt is ScanFormat.json:
        write_document(as_json(shown, detection, probed))
    else:
        sys.stdout.write(as_text(shown, detection, probed))
