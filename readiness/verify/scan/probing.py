"""Every probe of the built-in packs over a repository, as `check` runs them over a project: each item's globs
matched from the repository's top, the files found read by the item's probe. A probe whose parameters name a
target (`targets.latency_p95_ms`) judges against the targets the repository states (an SLO spec, a k6
threshold) and those the team wrote; with none, it says that it is not set and judges nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readiness.core.catalog import build_catalog
from readiness.core.model import Assessment, Catalog, Item, ProbeRun, Project
from readiness.load.containment import Root
from readiness.load.yamlsource import Document
from readiness.verify.automated import candidates
from readiness.verify.evidence import check_evidence
from readiness.verify.probes.run import run_all
from readiness.verify.reuse import Reuse

# Where `check` would find the assessment: globs and findings are relative to its folder, the repository's top.
ASSESSMENT_NAME = "readiness.yaml"


@dataclass(frozen=True)
class ProbedItem:
    item: Item
    run: ProbeRun
    candidates: tuple[str, ...]


def probe_repository(
    folder: Path, root: Root, today: date, targets: Mapping[str, object] | None = None, reuse: Reuse | None = None
) -> tuple[ProbedItem, ...]:
    """Each item of the built-in packs that has a probe, in the catalog's order, with what its probe made of the
    files its globs found in `folder`, judged against `targets` (those the repository states, and the team's)."""
    catalog, _ = build_catalog()  # the built-in packs: their problems are the build's to catch, not the user's
    place = folder / ASSESSMENT_NAME
    empty = Document(file=str(place), data={}, values={}, keys={})
    facts, _ = check_evidence(empty, place, catalog, root, reuse)
    found = {item.id: candidates(item, facts) for item in _probed(catalog)}
    assessment = Assessment(file=str(place), project=Project(name=folder.name), targets=dict(targets or {}))
    runs = run_all(catalog, found, assessment, folder, root, today)
    return tuple(ProbedItem(item, runs[item.id], found[item.id]) for item in _probed(catalog) if item.id in runs)


def _probed(catalog: Catalog) -> list[Item]:
    return [item for item in catalog.items if item.auto is not None and item.auto.probe is not None]
