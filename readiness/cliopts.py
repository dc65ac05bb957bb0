"""What the commands share: the default file, stage and policy choices, --today, --root, the terminal's
colour and width. Typer types and small checks only; nothing heavy.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from readiness.scoring import Options

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


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def width() -> int:
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
        help="Folder that no file read may leave [default: the enclosing git work tree, else the file's folder].",
    ),
]
FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="The assessment.", show_default=True)]


def require_default(file: Path, problem: Callable[[str, str], Exception]) -> None:
    # A link is left to the reader, which refuses one out of the project in the same words whether its target
    # exists or not.
    if file == DEFAULT_FILE and not (file.exists() or file.is_symlink()):
        message = "no such file in this folder; pass the assessment's path, or run 'readiness init' to write one"
        raise problem(str(file), message)


def checked_root(root: Path | None, file: Path) -> Path | None:
    """--root must be a folder that holds the assessment as written, or every evidence path would escape it.
    Where the file physically leads is the reader's business (containment.py): a link out of the root is then
    refused in the same words as without --root."""
    if root is None:
        return None
    if not root.is_dir():
        raise typer.BadParameter(f"'{root}' is not a folder", param_hint="--root")
    from readiness.containment import lies_in

    if not lies_in(os.path.abspath(root), os.path.dirname(os.path.abspath(file))):
        raise typer.BadParameter(f"'{root}' does not contain '{file}'", param_hint="--root")
    return root


def scoring_options(
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
