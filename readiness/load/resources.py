"""Where the packs, templates and schemas are, whether we run from a checkout, an editable install or a wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(name: str) -> Path:
    """`checklists`, `templates`, `schemas` or `examples`: inside the wheel under `_data/`, else at the top of the
    checkout."""
    package = Path(str(resources.files("readiness")))
    for candidate in (package / "_data" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the installation is incomplete: no '{name}' folder beside {package}")
