"""Lineage files: DVC's `dvc.lock` (lock schema '2.0', written by DVC 2.x and 3.x) and MLflow's `MLmodel` (the
YAML MLflow 2.x and 3.x write beside a logged model); tests/artifacts/lineage/ABOUT.md.

Which data a model was built from, and what it takes and returns, are the two questions an incident review asks
first. So:
- in a `dvc.lock`, every stage dependency carries a hash (`md5`, `etag` or `checksum`; DVC 3's `hash: md5` line
  names the method, it is not a hash). DVC's lock schema requires only `path`, so a dependency without a hash
  loads fine and pins nothing. Outputs without a hash are said, not judged: the item asks about the data in.
- in an `MLmodel`, a signature whose `inputs` and `outputs` are JSON strings of non-empty column or tensor specs.
  MLflow logs a model without one with only a warning.
A `dvc.yaml` (the pipeline definition, without hashes) or an `MLproject` file is another format: nothing to judge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from readiness.load.textsafe import visible
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Report, at, judged, nothing, structured

KIND = "lineage"
EXPECT_SCHEMA: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": False}

_HASH_KEYS = ("md5", "etag", "checksum")  # dvc/output.py: the checksums a data entry may carry
_LOCK_SCHEMA = "2.0"
_SHOWN = 120


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = structured(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    if isinstance(data, dict) and "schema" in data and isinstance(data.get("stages"), dict):
        return _lock(artifact, document)
    if isinstance(data, dict) and isinstance(data.get("flavors"), dict):
        if not data["flavors"]:
            return nothing(artifact, "an MLmodel with no flavors: no model was logged in it")
        return _mlmodel(document)
    return nothing(artifact, "neither a dvc.lock ('schema' and 'stages') nor an MLflow MLmodel ('flavors')")


def _shown(text: Any) -> str:
    shown = visible(str(text))
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _lock(artifact: Artifact, document: Document) -> Report:
    schema = document.data["schema"]
    if schema != _LOCK_SCHEMA:
        line, column = document.where(("schema",))
        return nothing(
            artifact, f"a dvc.lock of schema '{_shown(schema)}', which DVC 2.x and 3.x do not write", line, column
        )
    stages = document.data["stages"]
    findings: list[Finding] = []
    deps = 0
    for stage, entry in stages.items():
        if not isinstance(entry, dict):
            continue
        for role in ("deps", "outs"):
            items = entry.get(role)
            for index, item in enumerate(items if isinstance(items, list) else []):
                deps += role == "deps"
                if not _hashed(item):
                    findings.append(_unhashed(document, stage, role, index, item))
    if not deps:
        line, column = document.where(("stages",))
        return nothing(artifact, "the dvc.lock records no stage dependency to judge", line, column)
    if not any(f.holds is False for f in findings):
        counted = f"{_count(deps, 'dependency', 'dependencies')} in {_count(len(stages), 'stage', 'stages')}"
        message = f"{counted}, each pinned by a hash"
        findings.insert(0, at(document, ("stages",), message, True))
    return judged(findings)


def _hashed(item: Any) -> bool:
    # A hash of decimal digits only reads as a number when a hand edit left it unquoted: still a hash.
    return isinstance(item, dict) and any(
        isinstance(item.get(key), str | int) and not isinstance(item[key], bool) and str(item[key])
        for key in _HASH_KEYS
    )


def _unhashed(document: Document, stage: str, role: str, index: int, item: Any) -> Finding:
    has_path = isinstance(item, dict) and "path" in item
    path = ("stages", stage, role, index, "path") if has_path else ("stages", stage, role, index)
    name = _shown(item["path"] if has_path else item)
    if role == "outs":
        message = f"output '{name}' of stage '{_shown(stage)}' has no hash: it was not committed to the DVC cache"
        return at(document, path, message, None)
    message = (
        f"dependency '{name}' of stage '{_shown(stage)}' has no md5, etag or checksum: "
        "nobody can tell which version of it the stage used"
    )
    return at(document, path, message, False)


def _mlmodel(document: Document) -> Report:
    signature = document.data.get("signature")
    if not isinstance(signature, dict):
        where = ("signature",) if "signature" in document.data else ()
        message = "the model was logged without a signature: its inputs and outputs are not recorded"
        return judged([at(document, where, message, False)])
    return judged([_specs(document, signature, part) for part in ("inputs", "outputs")])


def _specs(document: Document, signature: dict[str, Any], part: str) -> Finding:
    """Holds when `signature.<part>` is a JSON string of a non-empty list of column or tensor specs."""
    path = ("signature", part)
    value = signature.get(part)
    if not isinstance(value, str):
        return at(document, path, f"the model signature has no {part}", False)
    try:
        specs = json.loads(value)
    except (ValueError, RecursionError):
        return at(document, path, f"the model signature's {part} is not valid JSON", False)
    if not isinstance(specs, list) or not specs or not all(isinstance(spec, dict) for spec in specs):
        return at(document, path, f"the model signature's {part} lists no column or tensor spec", False)
    names = [_shown(spec["name"]) for spec in specs if isinstance(spec.get("name"), str)]
    described = f"columns {', '.join(names[:10])}" if names else _count(len(specs), "spec", "specs")
    return at(document, path, f"the model signature records its {part}: {described}", True)
