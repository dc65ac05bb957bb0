"""`readiness demo`: a first look at what the tool does, on a bundled example, and a copy of it to edit.

The examples ship inside the package, where nobody should edit them (a reinstall would undo it, and the path
leads into site-packages); `--copy DIR` puts one, with the evidence files its answers and probes cite, in a
folder of the user's own.
"""

from __future__ import annotations

import shutil
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from readiness.cli.options import TodayOption, scoring_options


class Example(str, Enum):
    support_copilot = "support-copilot"
    fraud_scoring = "fraud-scoring"
    ops_agent = "ops-agent"


DEMO_REPORT = Path("readiness-demo.html")


def demo(
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the report.")] = (
        DEMO_REPORT
    ),
    example: Annotated[
        Example,
        typer.Option("--example", help="Which bundled example (the README tells their stories)."),
    ] = Example.support_copilot,
    copy: Annotated[
        Path | None,
        typer.Option(
            "--copy",
            metavar="DIR",
            help="Copy the example, with its evidence files, into DIR (new or empty) to edit, instead of a report.",
        ),
    ] = None,
    today: TodayOption = None,
) -> None:
    """Write the report of a bundled example, for a first look.

    Scores the support-copilot example (an LLM copilot on its way from pilot to production; --example picks
    another) and writes its HTML report here. --copy DIR copies the example, with its evidence files, into DIR
    to edit and score.
    """
    from readiness.cli.app import _report  # the report command's own path from an assessment to a file
    from readiness.load.resources import data_dir
    from readiness.render.formats import ReportFormat
    from readiness.render.headline import headline

    source = data_dir("examples") / example.value
    if copy is not None:
        _copy_example(source, copy)
        print(f"Copied the example '{example.value}' to {copy}. Next:")
        print(f"  cd {copy} && readiness check && readiness report -o readiness.html")
        return
    options = scoring_options(today, False, None)
    result = _report(file=source / "readiness.yaml", fmt=ReportFormat.HTML, output=output, options=options, root=None)
    print(f"Wrote {output} — the review report of the bundled example '{result.project.name}'.")
    print(headline(result))
    print(f"Open it in a browser. To edit the example and score it again: readiness demo --copy {example.value}")


def _copy_example(source: Path, folder: Path) -> None:
    """The example's files into `folder`, which must be new or empty: nothing of the user's is overwritten."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise typer.BadParameter(f"'{folder}' exists and is not a folder", param_hint="--copy")
    if folder.is_dir() and any(folder.iterdir()):
        raise typer.BadParameter(f"'{folder}' is not empty; name a new or empty folder", param_hint="--copy")
    # The bundled examples hold regular files only; a link would be copied as a link, never followed.
    shutil.copytree(source, folder, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
