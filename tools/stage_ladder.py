"""The stage ladder of the built-in packs: items per pack and stage, and per kind of system how many items each
stage adds and how many of them block it. Writes the tables into README.md between their markers, or checks
that the README's copy is current.

    python tools/stage_ladder.py            # print the table
    python tools/stage_ladder.py --write    # update README.md
    python tools/stage_ladder.py --check    # exit 1 when README.md's table is stale (the test suite does this)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from readiness.core.catalog import load_catalog
from readiness.core.model import Catalog, Severity, Stage
from readiness.score.scoring import effective_severity, matches

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- stage-ladder: start (tools/stage_ladder.py writes this table) -->"
END = "<!-- stage-ladder: end -->"

# Kinds of system a reader recognises, each as the profile its team would write.
PROFILES: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("Classical model the team trains", {"trains_models": True, "personal_data": True, "risk": "medium"}),
    ("Internal LLM assistant with retrieval", {"llm": True, "rag": True, "risk": "low"}),
    (
        "Public LLM chatbot for EU customers",
        {
            "llm": True,
            "rag": True,
            "public_facing": True,
            "multi_tenant": True,
            "personal_data": True,
            "eu_users": True,
            "eu_ai_act": "limited",
            "risk": "medium",
        },
    ),
    ("Agent acting on internal systems", {"llm": True, "agentic": True, "risk": "medium"}),
    (
        "High-risk system under the EU AI Act",
        {
            "trains_models": True,
            "personal_data": True,
            "eu_users": True,
            "eu_ai_act": "high",
            "risk": "high",
        },
    ),
)


def ladder(catalog: Catalog, profile: Mapping[str, Any]) -> dict[Stage, tuple[int, int]]:
    """Per stage: the items that apply and gate it first, and how many of them are blockers for this profile."""
    counts = {stage: (0, 0) for stage in Stage}
    for item in catalog.items:
        if not matches(item.when, dict(profile)):
            continue
        items, blockers = counts[item.stage]
        blocker = effective_severity(item, dict(profile)) is Severity.BLOCKER
        counts[item.stage] = (items + 1, blockers + int(blocker))
    return counts


def per_pack(catalog: Catalog) -> str:
    """Items per pack and per stage, whatever the profile."""
    stages = list(Stage)
    lines = [
        "| pack | items | " + " | ".join(stage.value for stage in stages) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in stages) + " |",
    ]
    for pack in catalog.packs:
        counts = [sum(1 for item in pack.items if item.stage is stage) for stage in stages]
        lines.append(f"| {pack.id} | {len(pack.items)} | " + " | ".join(str(n) for n in counts) + " |")
    totals = [sum(1 for item in catalog.items if item.stage is stage) for stage in stages]
    lines.append(f"| all | {len(catalog.items)} | " + " | ".join(str(n) for n in totals) + " |")
    return "\n".join(lines) + "\n"


def per_profile(catalog: Catalog) -> str:
    """Per kind of system: the items each stage adds, and how many of them block it."""
    stages = list(Stage)
    lines = [
        "| system (profile) | " + " | ".join(stage.value for stage in stages) + " | all |",
        "| --- | " + " | ".join("---:" for _ in stages) + " | ---: |",
    ]
    for name, profile in PROFILES:
        counts = ladder(catalog, profile)
        cells = [f"{items} ({blockers} blocker{'s' if blockers != 1 else ''})" for items, blockers in counts.values()]
        total = sum(items for items, _ in counts.values())
        keys = ", ".join(f"{key}: {str(value).lower()}" for key, value in profile.items())
        lines.append(f"| {name}<br>`{keys}` | " + " | ".join(cells) + f" | {total} |")
    return "\n".join(lines) + "\n"


def table(catalog: Catalog) -> str:
    return per_pack(catalog) + "\n" + per_profile(catalog)


def with_table(readme: str, text: str) -> str:
    """The README with the table between its markers replaced."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md lacks the markers {START!r} and {END!r}")
    return f"{head}{START}\n{text}{END}{tail}"


def main(argv: list[str]) -> int:
    text = table(load_catalog())
    if not argv:
        sys.stdout.write(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    updated = with_table(readme, text)
    if argv == ["--write"]:
        README.write_text(updated, encoding="utf-8")
        return 0
    if argv == ["--check"]:
        if updated != readme:
            sys.stderr.write("README.md's stage ladder is stale: run python tools/stage_ladder.py --write\n")
            return 1
        return 0
    sys.stderr.write("usage: python tools/stage_ladder.py [--write | --check]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
