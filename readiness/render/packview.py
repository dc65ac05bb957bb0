"""`readiness checklists list|show`: the packs as a reader browses them."""

from __future__ import annotations

from collections.abc import Mapping
from io import StringIO
from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from readiness.core import frameworks
from readiness.core.catalog import load_catalog
from readiness.core.model import DEFAULT_WEIGHT, Item
from readiness.load.diagnostics import did_you_mean, did_you_mean_item
from readiness.render import terminal
from readiness.render.formats import strip_trailing
from readiness.render.refs import natural_key


class UnknownId(LookupError):
    """An id typed on the command line that names no pack or item."""


def _draw(width: int, *parts: RenderableType) -> str:
    out = StringIO()
    console = terminal.console(out, width, color=False)
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


def _conditions(conditions: dict[str, object]) -> str:
    def shown(value: object) -> str:
        if isinstance(value, list):
            return " or ".join(shown(v) for v in value)
        return str(value).lower() if isinstance(value, bool) else str(value)

    def alternatives(sets: list[dict[str, object]]) -> str:
        return "any of " + " or ".join(f"({_conditions(one)})" for one in sets)

    return ", ".join(
        alternatives(value) if key == "any" and isinstance(value, list) else f"{key}={shown(value)}"
        for key, value in conditions.items()
    )


def refs_table(wanted: str, pack: str | None, width: int) -> str:
    """Which items cite each framework reference that contains `wanted` (case-insensitive)."""
    catalog = load_catalog()
    if pack is not None and pack not in [p.id for p in catalog.packs]:
        raise UnknownId(f"unknown pack '{pack}'{did_you_mean(pack, [p.id for p in catalog.packs])}")
    needle = " ".join(wanted.casefold().split())
    cited: dict[str, list[Item]] = {}
    for item in catalog.items:
        if pack is not None and item.pack != pack:
            continue
        for ref in item.refs:
            # A risk's name finds it too ("excessive agency"), in either OWASP edition.
            if needle in ref.casefold() or needle in _about(ref).casefold():
                cited.setdefault(ref, []).append(item)
    if not cited:
        raise UnknownId(f"no item cites a reference containing '{wanted}'")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for name in ("Reference", "About", "Item", "Severity", "Stage"):
        table.add_column(name, no_wrap=name not in ("Reference", "About"))
    for ref in sorted(cited, key=_family_then_natural):
        for index, item in enumerate(cited[ref]):
            first = index == 0
            table.add_row(
                ref if first else "", _about(ref) if first else "", item.id, item.severity.value, item.stage.value
            )
    count = len({item.id for items in cited.values() for item in items})
    heading = Text(f"{len(cited)} references matching '{wanted}', cited by {count} items", style="bold")
    return _draw(width, heading, table)


def _about(ref: str) -> str:
    """What a reference's id names, or from when an EU AI Act duty applies."""
    start = frameworks.ai_act_from(ref)
    return frameworks.meaning(ref) or (f"applies from {start}" if start else "")


def _family_then_natural(ref: str) -> tuple[int, list[tuple[int, str]]]:
    """OWASP 2026 before 2025, each family together, in the order the report shows them."""
    found = frameworks.family(ref)
    return (frameworks.FAMILIES.index(found) if found else len(frameworks.FAMILIES), natural_key(ref))


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
        lines.append(("Applies when: " + _conditions(item.when), ""))
    if item.escalate_to is not None and item.escalate_when is not None:
        lines.append((f"Becomes {item.escalate_to.value} when: {_conditions(item.escalate_when)}", ""))
    if item.auto is not None:
        auto = item.auto
        checks = [
            f"probe {auto.probe} ({_expect(auto.expect)})" if auto.probe else "",
            f"reads {', '.join(auto.files)}"
            if auto.probe
            else f"candidates {', '.join(auto.files)}"
            if auto.files
            else "",
            f"RACI for {', '.join(auto.raci)}" if auto.raci else "",
            "cost projection within budget" if auto.cost else "",
        ]
        lines.append(("Automated check: " + "; ".join(c for c in checks if c), ""))
    if item.activity:
        lines.append((f"Activity: {item.activity}", ""))
    if item.refs:
        lines.append(("Refs: " + "; ".join(item.refs), ""))
    text = Text()
    for content, style in lines:
        text.append(content + "\n", style=style or None)
    return text


def _expect(expect: Mapping[str, Any]) -> str:
    """A probe's parameters on one line, as a pack writes them: 'p95_ms: targets.latency_p95_ms, paths: [prompts/]'."""
    if not expect:
        return "no parameters"
    return ", ".join(f"{key}: {_flow(value)}" for key, value in expect.items())


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(part) for part in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(part)}" for key, part in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
