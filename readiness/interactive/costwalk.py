"""The cost part of `readiness assess`: the numbers of the cost model, one question each, then the projection.

Each number is held to the bounds the schema sets, so the walk never saves a value the next `check` refuses;
a model whose every number was kept is not written at all.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from readiness.edit import yamledit
from readiness.interactive.changed import plain
from readiness.interactive.reloaded import Reloaded
from readiness.interactive.typed import number_text
from readiness.load import schemas

if TYPE_CHECKING:
    from readiness.interactive.walk import Walk


def cost_walk(walk: Walk) -> None:
    from readiness.render.costview import as_table
    from readiness.verify import cost

    existing: dict[str, Any] = written_cost(walk)
    walk.screen.page()
    missing = not existing
    walk.ask.say("Cost: there is no cost model yet." if missing else "Cost: the cost model can be revisited.")
    if not walk.ask.yes_no("Walk the cost model now?", default=missing):
        return
    model = copy.deepcopy(existing)  # nested groups too: the questions below fill them in
    for key, prompt, convert, fallback in COST_QUESTIONS:
        group, _, leaf = key.partition(".")
        holder = model.setdefault(group, {}) if leaf else model
        name = leaf or group
        default = fallback if holder.get(name) is None else str(holder[name])
        value = walk.ask.valid(prompt, convert, default, echo=_echo)
        if holder.get(name) is None and not missing and fallback and value == convert(fallback):
            value = None  # a number the file leaves out, kept at the walk's own default: still left out
        if value is None:
            holder.pop(name, None)
        else:
            holder[name] = value
        if leaf and not holder:
            model.pop(group)
    projection = cost.project(model)
    walk.ask.say("")
    walk.ask.console.print(as_table(projection, walk.result.project.name, 80, False), end="", markup=False)
    if plain(model) == plain(existing):
        walk.ask.say("  unchanged: every number is the one in the file")
        return
    if not walk.ask.yes_no("Save this cost model?", default=True):
        return
    while True:
        try:
            walk.save(lambda doc: yamledit.set_cost(doc, model), "the cost model")
            break
        except Reloaded:
            if not walk.ask.yes_no("Save the same cost model into the file as it is now?", default=True):
                return
    walk.other_changes.append("cost model " + ("added" if missing else "updated"))
    walk.ask.say("  saved", style="green")


def written_cost(walk: Walk) -> dict[str, Any]:
    """The cost section as written, plain data (numbers as numbers)."""
    from readiness.load.yamlsource import read_document

    data = read_document(walk.path).data
    found = data.get("cost") if isinstance(data, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def number(key: str, *, optional: bool = False) -> Callable[[str], float | int | None]:
    """A converter for one number of the cost model, held to the bounds the schema sets for `key` (dotted below
    `cost`), so that the walk never saves a value the next `check` refuses."""
    rule: dict[str, Any] = schemas.schema("assessment")["properties"]["cost"]
    for name in key.split("."):
        rule = rule["properties"][name]
    whole = rule["type"] == "integer"

    def convert(text: str) -> float | int | None:
        if not text:
            if optional:
                return None
            raise ValueError("a number is needed here")
        text = number_text(text, share=key in SHARES)
        try:
            value: float | int = int(text) if whole else float(text)
        except ValueError:
            raise ValueError(f"'{text}' is not {'a whole number' if whole else 'a number'}") from None
        if not math.isfinite(value):  # 'inf', 'nan' and '1e999' are floats to Python, and no cost
            raise ValueError(f"'{text}' is not a finite number")
        if not whole and value == int(value) and "." not in text and "e" not in text.lower():
            value = int(value)
        if "exclusiveMinimum" in rule and value <= rule["exclusiveMinimum"]:
            raise ValueError(f"it must be above {_shown(rule['exclusiveMinimum'])}")
        if "minimum" in rule and value < rule["minimum"]:
            raise ValueError(f"it must be at least {_shown(rule['minimum'])}")
        if "maximum" in rule and value > rule["maximum"]:
            raise ValueError(f"it must be at most {_shown(rule['maximum'])}")
        return value

    return convert


def _echo(value: float | None) -> str:
    return "none" if value is None else repr(value)


def _shown(bound: float) -> str:
    return f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"


SHARES = ("monthly_growth", "cache_hit_rate")  # fractions of 1, where '20 %' means 0.2

# (key, question, converter, default when the file has none): the numbers of DESIGN §3.4 a team knows.
COST_QUESTIONS: tuple[tuple[str, str, Callable[[str], Any], str], ...] = (
    ("requests_per_day", "Requests per day today", number("requests_per_day"), ""),
    ("monthly_growth", "Growth of requests each month (0.25 for 25 %)", number("monthly_growth"), "0"),
    ("tokens.input", "Input tokens per request", number("tokens.input"), ""),
    ("tokens.output", "Output tokens per request", number("tokens.output"), ""),
    ("price_per_million.input", "Price per million input tokens", number("price_per_million.input"), ""),
    ("price_per_million.output", "Price per million output tokens", number("price_per_million.output"), ""),
    (
        "cache_hit_rate",
        "Share of input tokens served from the prompt cache, 0 to 1",
        number("cache_hit_rate"),
        "0",
    ),
    ("fixed_monthly", "Fixed costs a month (hosting, vector store)", number("fixed_monthly"), "0"),
    ("budget_monthly", "Monthly budget (Enter alone: none)", number("budget_monthly", optional=True), ""),
    ("horizon_months", "Months to project", number("horizon_months"), "3"),
)
