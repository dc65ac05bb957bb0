"""`readiness cost`: the projection as a table with its budget line, or as JSON."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.table import Table
from rich.text import Text

from readiness.core.model import CostProjection
from readiness.render import terminal
from readiness.render.formats import strip_trailing
from readiness.render.json import cost_dict
from readiness.render.jsontext import dumps
from readiness.verify.cost import budget_sentence, money, multiplier


def as_json(projection: CostProjection) -> str:
    return dumps(cost_dict(projection))


def as_table(projection: CostProjection, project: str, width: int, color: bool) -> str:
    out = StringIO()
    console = terminal.console(out, width, color)
    currency = projection.currency
    console.print(Text(f"{project} — cost projection over {projection.horizon} months ({currency})", style="bold"))
    expected, worst = projection.expected, projection.worst
    gpu = any(m.gpu_hours for m in expected.months)
    console.print(
        f"One request costs {float(expected.unit_cost):.6f} in tokens as expected, "
        f"{float(worst.unit_cost):.6f} in the worst case (prices times {multiplier(projection.volatility)})."
        if expected.unit_cost
        else "Requests cost nothing in tokens; the cost is " + ("GPU time and fixed costs." if gpu else "fixed.")
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    columns = ["Month", "Requests", *(["GPU hours"] if gpu else []), "Expected", "Worst case"]
    if projection.budget is not None:
        columns.append("Budget")
    for name in columns:
        # A number never loses digits to an ellipsis: too wide for the terminal, it continues on the next line.
        table.add_column(name, justify="left" if name == "Month" else "right", overflow="fold")
    for month, bad in zip(expected.months, worst.months, strict=True):
        over = projection.budget is not None and month.total > projection.budget
        worst_over = projection.budget is not None and bad.total > projection.budget
        row: list[str | Text] = [
            str(month.month),
            f"{round(month.requests):,}",
            *([f"{round(month.gpu_hours):,}"] if gpu else []),
            Text(money(month.total) + (" !" if over else ""), style="bold red" if over else ""),
            Text(money(bad.total) + (" !" if worst_over else ""), style="yellow" if worst_over else ""),
        ]
        if projection.budget is not None:
            row.append(money(projection.budget))
        table.add_row(*row)
    table.add_section()
    total_row: list[str | Text] = ["Total", "", *([""] if gpu else []), money(expected.total), money(worst.total)]
    if projection.budget is not None:
        total_row.append(money(projection.budget * projection.horizon))
    table.add_row(*total_row, style="bold")
    console.print()
    console.print(table)
    console.print()
    verdict_style = {"within": "green", "over": "bold red", "over-worst-case": "yellow", "no-budget": ""}
    console.print(Text(budget_sentence(projection), style=verdict_style[projection.verdict]))
    if projection.budget is not None:
        console.print(Text("'!' marks a month over the budget.", style="dim"))
    return strip_trailing(out.getvalue())
