"""Model cards: a Hugging Face card (Markdown with optional YAML front matter) or a CycloneDX ML-BOM (JSON).

- Hugging Face: the `README.md` of a Hub model repository, or `MODEL_CARD.md` beside the code; written by hand,
  by `huggingface_hub`'s `ModelCard.from_template` (every field left out is `[More Information Needed]`), or by
  transformers' `Trainer.push_to_hub` ('More information needed' under three headings). The front matter is the
  YAML between a first line `---` and the next `---`; its `model-index` carries evaluation results as numbers.
  Current templates use H2 sections with H3 subsections, the pre-2023 one H1 sections with H2 subsections; a
  dataset card (`# Dataset Card for`, `task_categories`) shares some sections and is not a model card.
- CycloneDX 1.5 and later (JSON): `modelCard` on a component of type `machine-learning-model`, in `components`
  (nested too) or on `metadata.component`. The XML encoding is not read.

What a reviewer needs from a card before a model ships is what it is for, what it must not be used for, where it
falls short, what it learnt from and how it was measured. Those are the five facts judged (FACTS), each from the
sections SECTIONS names, or from the CycloneDX fields of the same meaning; each must hold text that is not a
template's placeholder (PLACEHOLDERS). Evaluation also holds when `model-index` gives a metric a number. CycloneDX
has no field for out-of-scope use: that fact is said to be not expressible there and never fails.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from readiness.load.diagnostics import InputError, JsonPath
from readiness.load.yamlsource import Document, parse_document
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, at, judged, nothing, number, structured
from readiness.verify.probes.mdoutline import (
    FrontMatter,
    Outline,
    Placeholders,
    Reading,
    Status,
    blanked,
    front_matter,
    name,
    outline,
    read_best,
)
from readiness.verify.probes.plaintext import quoted, undecodable

KIND = "model-card"

FACTS: dict[str, str] = {  # fact -> how findings name it
    "intended_use": "Intended use",
    "out_of_scope_use": "Out-of-scope use",
    "limitations": "Limitations",
    "training_data": "Training data",
    "evaluation": "Evaluation",
}
# Markdown headings that hold each fact, most specific first (compared case-folded, ' [optional]' dropped). A
# heading that is True reads its own text only: 'Uses' holds intended use above its subsections, which may be
# 'Out-of-Scope Use'. The Trainer's 'Intended uses & limitations' stands for two facts.
SECTIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    "intended_use": (
        ("Direct Use", False),
        ("Intended Use", False),
        ("Intended Uses", False),
        ("Intended uses & limitations", False),
        ("Uses", True),
    ),
    "out_of_scope_use": (("Out-of-Scope Use", False), ("Out-of-Scope Uses", False), ("Out of Scope Use", False)),
    "limitations": (
        ("Bias, Risks, and Limitations", False),
        ("Bias, Risks and Limitations", False),
        ("Limitations", False),
        ("Intended uses & limitations", False),
    ),
    "training_data": (("Training Data", False), ("Training and evaluation data", False)),
    "evaluation": (("Evaluation", False), ("Evaluation Results", False)),
}
# What the Hub template and the Trainer leave where text should be, alone in a paragraph (or after a label, as in
# '- **Developed by:** [More Information Needed]'); TODO and TBD also as a block's first word.
RECOMMENDATIONS_DEFAULT = (
    "Users (both direct and downstream) should be made aware of the risks, biases and limitations of the model. "
    "More information needed for further recommendations."
)
PLACEHOLDERS = Placeholders.of(
    ("[More Information Needed]", "More information needed", "TBD", "TODO", "N/A", RECOMMENDATIONS_DEFAULT),
    ("TODO", "TBD"),
)
DATASET_KEYS = ("task_categories", "size_categories", "configs", "dataset_info")  # dataset cards' own metadata
MODEL_KEYS = ("model-index", "base_model", "library_name", "pipeline_tag")  # metadata only model cards carry

MAX_CHARS = 262_144  # a card is a few pages; a quarter of a megabyte is far more, and parses in under a second
_SHOWN = 5  # placeholders shown per section
_MAX_METRICS = 20  # model-index metrics reported
_MAX_CARDS = 20  # CycloneDX model cards judged in one BOM
_SNIFF = 65_536  # characters in which a broken JSON file must name bomFormat to be taken for a BOM

EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "required": {"type": "array", "items": {"enum": list(FACTS)}, "minItems": 1, "uniqueItems": True},
    },
    "additionalProperties": False,
}


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    broken = undecodable(artifact)
    if broken is not None:
        return broken
    required = list(expect.get("required", FACTS))
    if artifact.text.lstrip().startswith("{"):
        return _cyclonedx(artifact, required)
    text = artifact.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return nothing(artifact, "the file is empty")
    if len(text) > MAX_CHARS:
        return nothing(artifact, f"over {MAX_CHARS:,} characters: not read as a model card")
    return _markdown(artifact, text, required)


# --- Hugging Face Markdown cards -------------------------------------------------------------------------------


def _markdown(artifact: Artifact, text: str, required: list[str]) -> Report:
    fence = front_matter(text)
    if isinstance(fence, int):
        message = f"the front matter opened with '---' on line {fence} is never closed: the Hub reads no metadata"
        return Report(Outcome.FAILS, (Finding(artifact.path, fence, 1, message, False),))
    metadata = _metadata(artifact, fence) if fence is not None else None
    if isinstance(metadata, Report):
        return metadata
    data = metadata.data if metadata is not None else {}
    document = outline(blanked(text, fence.end_line) if fence is not None else text)
    dataset = _dataset_card(artifact, metadata, document)
    if dataset is not None:
        return dataset
    readings = {fact: _reading(document, fact) for fact in FACTS}
    metrics = list(_metrics(metadata))
    numbers = [metric for metric in metrics if metric[2] is not None]
    present = {fact for fact, reading in readings.items() if reading.status is not Status.MISSING}
    if numbers:
        present.add("evaluation")
    hinted = any(key in data for key in MODEL_KEYS) or any("model card" in name(h.raw) for h in document.headings)
    if not present or (len(present) == 1 and not hinted):
        return nothing(artifact, "no model card sections (intended use, limitations, training data, evaluation)")
    findings: list[Finding] = []
    for fact in required:
        if fact == "evaluation" and numbers and readings[fact].status is not Status.TEXT:
            continue  # model-index gives numbers: the metrics below are the evaluation
        findings += _section_findings(artifact, fact, readings[fact])
    if "evaluation" in required and metadata is not None:
        findings += [_metric_finding(metadata, *metric) for metric in metrics[:_MAX_METRICS]]
    return judged(findings)


def _metadata(artifact: Artifact, fence: FrontMatter) -> Document | Report | None:
    """The front matter's YAML with positions in the file, or FAILS where it cannot be read."""
    if not fence.text.strip():
        return None
    try:
        document = parse_document(fence.text, artifact.path, tolerant=True)  # the Hub, too, reads duplicate keys
    except InputError as error:
        first = error.diagnostics[0]
        message = f"the front matter cannot be read: {first.message}"
        line = first.line + fence.first_line - 1
        return Report(Outcome.FAILS, (Finding(artifact.path, line, first.column, message, False),))
    shift = fence.first_line - 1
    document = replace(
        document,
        values={path: (line + shift, column) for path, (line, column) in document.values.items()},
        keys={path: (line + shift, column) for path, (line, column) in document.keys.items()},
    )
    if not isinstance(document.data, dict):
        message = "the front matter is not a mapping of keys to values, so the Hub reads no metadata from it"
        return Report(Outcome.FAILS, (Finding(artifact.path, fence.first_line, 1, message, False),))
    return document


def _dataset_card(artifact: Artifact, metadata: Document | None, document: Outline) -> Report | None:
    for key in DATASET_KEYS:
        if metadata is not None and key in metadata.data:
            line, column = metadata.where((key,), key=True)
            return nothing(artifact, f"a dataset card (metadata '{key}'), not a model card", line, column)
    if document.headings and name(document.headings[0].raw).startswith("dataset card"):
        return nothing(artifact, "a dataset card ('Dataset Card for ...'), not a model card", document.headings[0].line)
    return None


def _reading(document: Outline, fact: str) -> Reading:
    """The first heading name of SECTIONS[fact] the card uses decides; of several such headings, the best."""
    names = [name(heading.raw) for heading in document.headings]
    for wanted, own_only in SECTIONS[fact]:
        matching = [h for h in document.headings if names[h.index] == wanted.casefold()]
        if matching:
            return read_best(document, matching, PLACEHOLDERS, own_only=own_only)
    return Reading(Status.MISSING, None, ())


def _section_findings(artifact: Artifact, fact: str, reading: Reading) -> list[Finding]:
    title = FACTS[fact]
    heading = reading.heading
    if heading is None:
        headings = " or ".join(f"'{wanted}'" for wanted, _ in SECTIONS[fact][:2])
        return [Finding(artifact.path, 1, 1, f"{title}: no section for it (a heading such as {headings})", False)]
    shown = f"'{quoted(heading.raw)}'"
    if reading.status is Status.TEXT:
        return [Finding(artifact.path, heading.line, 1, f"{title}: section {shown} holds text", True)]
    if reading.status is Status.EMPTY:
        message = f"{title}: section {shown} is empty (nothing under it but comments or subheadings)"
        return [Finding(artifact.path, heading.line, 1, message, False)]
    message = f"{title}: section {shown} holds only the template's placeholders"
    found = [Finding(artifact.path, heading.line, 1, message, False)]
    for block in reading.placeholders[:_SHOWN]:
        message = f"placeholder '{quoted(block.raw.strip())}' where the card should say it ({title.lower()})"
        found.append(Finding(artifact.path, block.line, 1, message, None))
    return found


def _metrics(metadata: Document | None) -> Iterator[tuple[JsonPath, str, float | None]]:
    """Each metric of `model-index`: its path, its type, and its value when that is a number."""
    entries = metadata.data.get("model-index") if metadata is not None else None
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        results = entry.get("results") if isinstance(entry, dict) else None
        for j, result in enumerate(results if isinstance(results, list) else []):
            metrics = result.get("metrics") if isinstance(result, dict) else None
            for k, metric in enumerate(metrics if isinstance(metrics, list) else []):
                if isinstance(metric, dict):
                    kind: str = metric["type"] if isinstance(metric.get("type"), str) else "a metric"
                    value = number(metric.get("value"))
                    finite = value if value is not None and math.isfinite(value) else None  # .inf is no result
                    yield ("model-index", i, "results", j, "metrics", k, "value"), kind, finite


def _metric_finding(metadata: Document, path: JsonPath, kind: str, value: float | None) -> Finding:
    if value is not None:
        return at(metadata, path, f"Evaluation: model-index reports {quoted(kind)} = {value:g}", True)
    written = _walk(metadata.data, path)
    message = f"Evaluation: model-index gives {quoted(kind)} no number (value: {quoted(repr(written))})"
    return at(metadata, path, message, False)


# --- CycloneDX ML-BOM ------------------------------------------------------------------------------------------


def _cyclonedx(artifact: Artifact, required: list[str]) -> Report:
    document = structured(artifact)
    if isinstance(document, Report):
        # Broken JSON is a broken BOM only when it says it is one; JSON Lines or another tool's JSON is not a card.
        return document if '"bomFormat"' in artifact.text[:_SNIFF] else nothing(artifact, "not a CycloneDX BOM")
    data = document.data
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        return nothing(artifact, "a JSON file that is not a CycloneDX BOM (no bomFormat 'CycloneDX')")
    minor = _minor(data.get("specVersion"))
    if minor is None or minor < 5:
        line, column = document.where(("specVersion",))
        return nothing(artifact, "CycloneDX has model cards from specVersion 1.5 on", line, column)
    components = list(_components(data))
    models = [(path, c) for path, c in components if c.get("type") == "machine-learning-model"]
    if not models:
        line, column = document.where(("components",))
        return nothing(artifact, "a BOM without a machine-learning-model component: no model card", line, column)
    cards = [(path, c) for path, c in models if isinstance(c.get("modelCard"), dict)]
    if not cards:
        line, column = document.where((*models[0][0], "type"), key=True)
        return nothing(artifact, f"{_model(models[0][1])} has no modelCard", line, column)
    data_refs = {c["bom-ref"] for _, c in components if c.get("type") == "data" and isinstance(c.get("bom-ref"), str)}
    findings: list[Finding] = []
    for path, component in cards[:_MAX_CARDS]:
        findings += _card(document, (*path, "modelCard"), _model(component), data_refs, required)
    return judged(findings)


def _minor(version: Any) -> int | None:
    major, dot, minor = version.partition(".") if isinstance(version, str) else ("", "", "")
    return int(minor) if major == "1" and dot and minor.isdigit() and len(minor) < 4 else None


def _components(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every component, in the file's order: metadata.component, components[] and the components nested in them
    (the reader caps the depth)."""
    metadata = data.get("metadata")
    queue: deque[tuple[JsonPath, Any]] = deque()
    if isinstance(metadata, dict):
        queue.append((("metadata", "component"), metadata.get("component")))
    queue += _listed(data, ())
    while queue:
        path, component = queue.popleft()
        if isinstance(component, dict):
            yield path, component
            queue += _listed(component, path)


def _listed(parent: dict[str, Any], path: JsonPath) -> list[tuple[JsonPath, Any]]:
    inner = parent.get("components")
    return [((*path, "components", i), c) for i, c in enumerate(inner)] if isinstance(inner, list) else []


def _model(component: dict[str, Any]) -> str:
    parts = [str(component.get(key)) for key in ("group", "name") if isinstance(component.get(key), str)]
    version = component.get("version")
    return "model " + quoted("/".join(parts) + (f"@{version}" if isinstance(version, str) else "") or "(unnamed)")


def _card(document: Document, card: JsonPath, model: str, data_refs: set[str], required: list[str]) -> list[Finding]:
    considerations = (*card, "considerations")
    judges = {
        "intended_use": lambda: _strings(document, (*considerations, "useCases"), f"{model}: intended use"),
        "limitations": lambda: _strings(document, (*considerations, "technicalLimitations"), f"{model}: limitations"),
        "training_data": lambda: _datasets(document, (*card, "modelParameters", "datasets"), model, data_refs),
        "evaluation": lambda: _performance(document, (*card, "quantitativeAnalysis", "performanceMetrics"), model),
    }
    found: list[Finding] = []
    for fact in required:
        if fact == "out_of_scope_use":
            message = f"{model}: out-of-scope use is not expressible in a CycloneDX modelCard; not judged"
            found.append(at(document, card, message, None))
        else:
            found += judges[fact]()
    return found


def _strings(document: Document, path: JsonPath, title: str) -> list[Finding]:
    """A list of strings (useCases, technicalLimitations) that must say something."""
    value = _walk(document.data, path)
    field = ".".join(str(part) for part in path[-2:])
    if not isinstance(value, list) or not value:
        said = "is missing" if value is None else "is empty" if value == [] else "is not a list of strings"
        return [at(document, path, f"{title}: {field} {said}", False)]
    written = [text for text in value if isinstance(text, str) and text.strip() and not _placeholder(text)]
    if written:
        return [at(document, path, f"{title}: {field} holds {len(written)} statement(s)", True)]
    found = [at(document, path, f"{title}: {field} holds only placeholders", False)]
    for index, text in enumerate(value[:_SHOWN]):
        found.append(at(document, (*path, index), f"placeholder '{quoted(str(text))}' in {field}", None))
    return found


def _placeholder(text: str) -> bool:
    # The specification's own example BOM fills these fields with the schema's questions ("What are the known
    # technical limitations of the model?"): a question is not an answer.
    return PLACEHOLDERS.match(text) or text.rstrip().endswith("?")


def _datasets(document: Document, path: JsonPath, model: str, data_refs: set[str]) -> list[Finding]:
    value = _walk(document.data, path)
    if not isinstance(value, list) or not value:
        said = "is missing" if value is None else "names no dataset"
        return [at(document, path, f"{model}: training data: modelParameters.datasets {said}", False)]
    found: list[Finding] = []
    named = 0
    for index, entry in enumerate(value):
        reference = entry.get("ref") if isinstance(entry, dict) else None
        if isinstance(reference, str):
            if reference in data_refs:
                named += 1
            elif len(found) < _SHOWN:
                message = f"{model}: dataset ref '{quoted(reference)}' names no component of type data in this BOM"
                found.append(at(document, (*path, index, "ref"), message, False))
        elif isinstance(entry, dict) and isinstance(entry.get("type"), str):
            named += any(
                isinstance(entry.get(k), str | dict) for k in ("name", "description", "contents", "governance")
            )
    if named:
        found.append(at(document, path, f"{model}: training data: {named} dataset(s) named", True))
    elif not found:
        found.append(at(document, path, f"{model}: training data: no dataset has a name or a description", False))
    return found


def _performance(document: Document, path: JsonPath, model: str) -> list[Finding]:
    value = _walk(document.data, path)
    metrics = [
        f"{entry['type']} {entry['value']}"
        for entry in (value if isinstance(value, list) else [])
        if isinstance(entry, dict)
        and isinstance(entry.get("type"), str)
        and entry["type"].strip()
        and isinstance(entry.get("value"), str | int | float)
        and str(entry["value"]).strip()
        and not _placeholder(str(entry["value"]))
    ]
    if metrics:
        shown = ", ".join(quoted(metric, 40) for metric in metrics[:3]) + (", ..." if len(metrics) > 3 else "")
        return [at(document, path, f"{model}: evaluation: performance metrics {shown}", True)]
    said = "is missing" if value is None else "has no metric with a type and a value"
    return [at(document, path, f"{model}: evaluation: quantitativeAnalysis.performanceMetrics {said}", False)]


def _walk(data: Any, path: JsonPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data
