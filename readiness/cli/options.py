"""What the commands share: the default file, stage and policy choices, --today, --root, the terminal's
colour and width. Typer types and small checks only; nothing heavy.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readiness.cli.errors import CannotRun
from readiness.load.diagnostics import NO_POSITION

if TYPE_CHECKING:
    from readiness.score.scoring import Options

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


# Only the calendar date, as `date -I` writes it: `date.fromisoformat` also takes 20261121, 2026-W47-6 and
# 2026-11-21T00:00, which a typo or a pasted timestamp can produce and nobody should get silently.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# SOURCE_DATE_EPOCH is whole seconds, as `date +%s` prints them (reproducible-builds.org's specification).
_EPOCH = re.compile(r"-?[0-9]+")


def parse_today(value: str) -> date:
    """A --today value; ValueError saying what is wrong."""
    try:
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:  # a month 13 or a February 30
        pass
    raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)")


def _today_option(value: str | None) -> str | None:
    """Checked as the options are read, so that every command that takes --today refuses a bad one first."""
    if value is not None:
        try:
            parse_today(value)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--today") from None
    return value


def resolve_today(today: str | None) -> date:
    """--today, else SOURCE_DATE_EPOCH, else the UTC date: the core never reads the clock itself."""
    if today is not None:
        try:
            return parse_today(today)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--today") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:  # set but empty is unset, as CI templates that write `SOURCE_DATE_EPOCH=` expect
        return _epoch_date(epoch)
    return datetime.now(tz=timezone.utc).date()


def _epoch_date(epoch: str) -> date:
    problem = "is not a Unix time: whole seconds since 1970-01-01 UTC, as `date +%s` prints them"
    if _EPOCH.fullmatch(epoch):
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            problem = "is out of range: it must give a date between the years 1 and 9999"
    shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
    raise CannotRun(f"SOURCE_DATE_EPOCH='{shown}' {problem}; pass --today YYYY-MM-DD or unset it")


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


MIN_WIDTH = 40  # narrower, every table of the text views would be one word a line: wrapped by the terminal instead


def width() -> int:
    """The terminal's width (COLUMNS first), within 40 to 80 columns; 80 when stdout is not a terminal."""
    if not sys.stdout.isatty():
        return 80
    return max(MIN_WIDTH, min(80, shutil.get_terminal_size((80, 24)).columns))


def finite_score(value: float | None) -> float | None:
    """typer's min and max let NaN through (every comparison with it is false)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number from 0 to 100")
    return value


TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="YYYY-MM-DD", callback=_today_option, help="Fix today's date for reproducible output."
    ),
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


def require_default(file: Path, problem: Callable[[str, str, int, int], Exception]) -> None:
    """The default file must be here; said of the file at no line, since there is no file to have one."""
    # A link is left to the reader, which refuses one out of the project in the same words whether its target
    # exists or not.
    if file == DEFAULT_FILE and not (file.exists() or file.is_symlink()):
        message = "no such file in this folder; pass the assessment's path, or run 'readiness init' to write one"
        raise problem(str(file), message, NO_POSITION, NO_POSITION)


def checked_root(root: Path | None, file: Path) -> Path | None:
    """--root must be a folder that holds the assessment as written, or every evidence path would escape it.
    Where the file physically leads is the reader's business (containment.py): a link out of the root is then
    refused in the same words as without --root."""
    if root is None:
        return None
    if not root.is_dir():
        raise typer.BadParameter(f"'{root}' is not a folder", param_hint="--root")
    from readiness.load.containment import lies_in

    if not lies_in(os.path.abspath(root), os.path.dirname(os.path.abspath(file))):
        raise typer.BadParameter(f"'{root}' does not contain '{file}'", param_hint="--root")
    return root


def scoring_options(
    today: str | None, strict: bool, target: StageChoice | None, policy: Mapping[str, object] | None = None
) -> Options:
    from readiness.core.model import Stage
    from readiness.score.scoring import Options

    return Options(
        today=resolve_today(today),
        strict=strict,
        target=Stage(target.value) if target else None,
        policy=policy or {},
    )
