"""`readiness checklists list|show`: the packs as a reader browses them."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from readiness.catalog import load_catalog
from readiness.diagnostics import did_you_mean, did_you_mean_item
from readiness.model import DEFAULT_WEIGHT, Item
from readiness.render import strip_trailing


class UnknownId(LookupError):
    """An id typed on the command line that names no pack or item."""


def _draw(width: int, *parts: RenderableType) -> str:
    out = StringIO()
    console = Console(file=out, width=width, no_color=True, highlight=False, emoji=False, markup=False)
    for part in parts:
        console.print(part)
    return strip_trailing(out.getvalue())


def pack_table(width: int) -> str:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for name in ("Pack", "Title", "Items", "Activities"):
        table.add_column(name, justify="right" if name in ("Items", "Activities") else "left")
    for pack in load_catalog().packs:
        table.add_row(pack.id, pack.title, str(len(pack.items)), str(len(pack.activities)))
    return _draw(width, table)


def show(wanted: str, width: int) -> str:
    catalog = load_catalog()
    if "." in wanted:
        item = catalog.item(wanted)
        if item is None:
            raise UnknownId(f"unknown item '{wanted}'{did_you_mean_item(wanted, [i.id for i in catalog.items])}")
        return _draw(width, _item_detail(item))
    for pack in catalog.packs:
        if pack.id == wanted:
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
            for name in ("Item", "Severity", "Stage", "Effort", "Title"):
                table.add_column(name, no_wrap=name != "Title")
            for item in pack.items:
                local = item.id.split(".", 1)[1]
                table.add_row(local, item.severity.value, item.stage.value, item.effort.value, item.title)
            heading = Text(f"{pack.title} ({pack.id}) — {pack.summary}", style="bold")
            return _draw(width, heading, table)
    raise UnknownId(f"unknown pack '{wanted}'{did_you_mean(wanted, [p.id for p in catalog.packs])}")


def _item_detail(item: Item) -> Text:
    weight = item.weight if item.weight is not None else DEFAULT_WEIGHT[item.severity]
    lines = [
        (item.id, "bold"),
        (item.title, "bold"),
        (f"Question: {item.question}", ""),
        (f"Why: {item.why}", ""),
        (f"Verify: {item.verify}", ""),
        (
            f"Severity {item.severity.value} · stage {item.stage.value} · effort {item.effort.value} · "
            f"weight {weight} · evidence {'required' if item.evidence_required else 'optional'}",
            "",
        ),
    ]
    if item.when:
        lines.append(("Applies when: " + ", ".join(f"{k}={v}" for k, v in item.when.items()), ""))
    if item.activity:
        lines.append((f"Activity: {item.activity}", ""))
    if item.refs:
        lines.append(("Refs: " + "; ".join(item.refs), ""))
    text = Text()
    for content, style in lines:
        text.append(content + "\n", style=style or None)
    return text
