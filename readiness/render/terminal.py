"""The one way this tool sets up rich: no markup or emoji in user text, colour only when asked for."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console


def console(out: TextIO, width: int, color: bool) -> Console:
    # markup and emoji off: a note that says "[red]" or ":fire:" is printed as the user wrote it.
    return Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
