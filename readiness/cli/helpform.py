"""How `--help` reads: commands in the order a newcomer meets them, and every value an option takes named one
way (an upper-case word such as FILE, STAGE or N), with the choices in the option's help.

Typer names values in several ways of its own (`<path>`, `<float range>`, `<html|markdown>`); a name chosen by
the command (`FORMAT[:FILE]`, `YYYY-MM-DD`) is kept. Done here, once, for every command, so that a new option
cannot bring a sixth way of writing them back.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

# First what a newcomer runs, in the order they run it; then the tools for CI, history and many projects.
COMMAND_ORDER = (
    "demo",
    "scan",
    "init",
    "assess",
    "check",
    "report",
    "validate",
    "cost",
    "checklists",
    "diff",
    "history",
    "portfolio",
    "schema",
    "list",
    "show",
    "lint",
)

# The value's name for each kind of value (click's own type names), where the command did not choose one.
_BY_TYPE = {"path": "FILE", "integer": "N", "integer range": "N", "float": "NUMBER", "float range": "NUMBER"}
_STAGES = ("prototype", "pilot", "production", "scale")
_SEVERITIES = ("blocker", "major", "minor", "none")


def value_name(param: Any) -> str:
    """The name `--help` shows for the value of an option that does not choose its own."""
    choices = tuple(str(choice) for choice in getattr(param.type, "choices", ()))
    if choices == _STAGES:
        return "STAGE"
    if choices == _SEVERITIES:
        return "SEVERITY"
    if choices:
        longest = max(param.opts, key=len)
        return longest.lstrip("-").replace("-", "_").upper()
    return _BY_TYPE.get(param.type.name, "TEXT")


def _normalise(command: Any) -> None:
    for param in command.params:
        if param.param_type_name != "option" or param.is_flag or param.count or param.metavar is not None:
            continue
        param.metavar = value_name(param)
        choices = [str(choice) for choice in getattr(param.type, "choices", ())]
        if choices and param.help is not None:
            param.help = f"{param.help} One of: {', '.join(choices)}."


class Commands(TyperGroup):
    """A command group that lists its commands in COMMAND_ORDER and names option values one way."""

    # Typer brings its own copy of click, whose classes are not those of the click package: typed loosely.
    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        place = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda name: place.get(name, len(place)))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _normalise(command)
        return command
